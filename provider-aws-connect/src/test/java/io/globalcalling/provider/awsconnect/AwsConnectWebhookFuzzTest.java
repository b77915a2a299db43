package io.globalcalling.provider.awsconnect;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.globalcalling.WebhookRequest;
import io.globalcalling.spi.CallEvent;
import io.globalcalling.spi.WebhookContext;
import io.globalcalling.spi.WebhookHandler;
import io.globalcalling.spi.WebhookRejectedException;
import io.globalcalling.testkit.TestProviderContext;
import software.amazon.awssdk.services.connect.ConnectClient;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes {@link AwsConnectWebhookHandler#handle} with hostile posts: without the shared secret in its header
 * (whatever else the header holds) every request is refused with 403 before the body is read; with it, any body
 * is read into events of this provider, each naming a contact, or refused with 400. No other exception escapes,
 * and no refusal quotes the secret (unless the body itself does: a refusal may quote the body).
 */
class AwsConnectWebhookFuzzTest {

    private static final String URL = "https://app.example.com/calling/webhooks/aws-connect";
    private static final String HEADER = "X-Calling-Webhook-Secret";
    private static final TestProviderContext CONTEXT = Fixtures.context();
    /** An answered contact's end asks Connect for the call's contacts: here, none, and no socket is opened. */
    private static final ConnectClient CONNECT = Fixtures.offlineConnect("{\"ContactSummaryList\":[]}");
    private static final WebhookHandler HANDLER =
            Fixtures.provider(Fixtures.baseConfig(), CONTEXT, CONNECT).webhooks();

    @FuzzTest(maxDuration = "10m")
    void refusesWithoutTheSecretAndReadsOrRefusesCleanlyWithIt(FuzzedDataProvider data) {
        boolean withSecret = data.consumeBoolean();
        boolean upperCaseName = data.consumeBoolean();
        String given = withSecret ? Fixtures.WEBHOOK_SECRET : data.consumeString(60);
        String contentType = data.consumeString(40);
        byte[] body = data.consumeRemainingAsBytes();
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("Content-Type", List.of(contentType));
        headers.put(upperCaseName ? HEADER.toUpperCase(Locale.ROOT) : HEADER, List.of(given));
        WebhookRequest request = new WebhookRequest("POST", URI.create(URL), headers, body);
        boolean authentic = given.equals(Fixtures.WEBHOOK_SECRET);

        List<CallEvent> events;
        try {
            events = HANDLER.handle(request, WebhookContext.none()).events();
        } catch (WebhookRejectedException e) {
            assertThat(e.httpStatus()).as("with the secret only a bad body is refused").isEqualTo(authentic ? 400 : 403);
            if (!new String(body, StandardCharsets.UTF_8).contains(Fixtures.WEBHOOK_SECRET)) {
                // a refusal may quote the body, which only its sender wrote; the header's secret never
                assertThat(e.getMessage()).doesNotContain(Fixtures.WEBHOOK_SECRET);
            }
            return;
        }
        assertThat(authentic).as("accepted only with the secret, not with %s", given).isTrue();
        for (CallEvent event : events) {
            assertThat(event.providerId()).isEqualTo("aws-connect");
            assertThat(event.providerCallId()).isNotBlank();
            assertThat(event.details()).containsKey("eventType");
        }
    }
}
