package io.globalcalling.provider.vonage;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.globalcalling.WebhookRequest;
import io.globalcalling.spi.CallEvent;
import io.globalcalling.spi.WebhookContext;
import io.globalcalling.spi.WebhookHandler;
import io.globalcalling.spi.WebhookRejectedException;
import io.globalcalling.testkit.TestProviderContext;

import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes {@link VonageWebhookHandler#handle} with hostile event callbacks: any body and any headers are refused
 * with a {@link WebhookRejectedException} (403 when not signed by our secret, 400 when signed but malformed) or,
 * only when signed with our secret over exactly this body, read into one event of this provider for our call.
 * No other exception escapes, and no refusal quotes the secret.
 */
class VonageWebhookFuzzTest {

    private static final String URL = VonageFixtures.CALLBACK.toString();
    private static final TestProviderContext CONTEXT = VonageFixtures.context();
    private static final WebhookHandler HANDLER =
            VonageFixtures.provider(VonageFixtures.baseConfig("http://127.0.0.1:1"), CONTEXT).webhooks();

    @FuzzTest(maxDuration = "10m")
    void refusesOrReadsOnlyASignedCallback(FuzzedDataProvider data) {
        boolean sign = data.consumeBoolean();
        String authorization = data.consumeString(300);
        String contentType = data.consumeString(40);
        byte[] body = data.consumeRemainingAsBytes();
        if (sign) {
            String claims = "{\"iat\":" + VonageFixtures.START.getEpochSecond() + ",\"application_id\":\""
                    + VonageFixtures.APPLICATION_ID + "\",\"payload_hash\":\"" + sha256Hex(body) + "\"}";
            authorization = "Bearer " + VonageFixtures.callbackToken(VonageFixtures.SIGNATURE_SECRET, claims);
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("Content-Type", List.of(contentType));
        headers.put("Authorization", List.of(authorization));
        WebhookRequest request = new WebhookRequest("POST", URI.create(URL), headers, body);

        List<CallEvent> events;
        try {
            events = HANDLER.handle(request, WebhookContext.none()).events();
        } catch (WebhookRejectedException e) {
            assertThat(e.httpStatus()).as("signed: only a malformed body is refused").isEqualTo(sign ? 400 : 403);
            assertThat(e.getMessage()).doesNotContain(VonageFixtures.SIGNATURE_SECRET);
            return;
        }
        assertThat(sign).as("accepted only when signed: %s", authorization).isTrue();
        assertThat(events).hasSize(1);
        assertThat(events.get(0).providerId()).isEqualTo("vonage");
        assertThat(events.get(0).callId()).isEqualTo("call-42");
        String providerCallId = events.get(0).providerCallId();
        assertThat(providerCallId == null || !providerCallId.isBlank()).as("no blank uuid").isTrue();
    }

    private static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }
}
