package io.globalcalling.provider.twilio;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.globalcalling.spi.WebhookContext;
import io.globalcalling.spi.CallEvent;
import io.globalcalling.Secret;
import io.globalcalling.spi.WebhookHandler;
import io.globalcalling.spi.WebhookRejectedException;
import io.globalcalling.WebhookRequest;
import io.globalcalling.testkit.TestProviderContext;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Fuzzes {@link TwilioWebhookHandler#handle} with hostile callbacks: any body, content type and
 * signature header is either refused with a {@link WebhookRejectedException} (400 or 403) or, only when the
 * signature is the Auth Token's over exactly this request, read into one event of this provider. No other
 * exception escapes, and no refusal quotes the token.
 */
class TwilioWebhookFuzzTest {

    private static final String URL = "https://hooks.example.com/calls/twilio?callId=call-42";
    private static final TestProviderContext CONTEXT = TwilioTests.context();
    private static final WebhookHandler HANDLER =
            Fixtures.provider(Fixtures.baseConfig("http://127.0.0.1:1"), CONTEXT).webhooks();
    private static final TwilioSignatureValidator VALIDATOR =
            new TwilioSignatureValidator(Secret.of(Fixtures.AUTH_TOKEN));

    @FuzzTest(maxDuration = "10m")
    void refusesOrReadsOnlyASignedCallback(FuzzedDataProvider data) {
        boolean json = data.consumeBoolean();
        boolean sign = data.consumeBoolean();
        String givenSignature = data.consumeString(40);
        byte[] body = data.consumeRemainingAsBytes();
        String url = json ? URL + "&bodySHA256=" + java.util.HexFormat.of().formatHex(sha256(body)) : URL;
        WebhookRequest probe = new WebhookRequest("POST", URI.create(url), Map.of(), body);
        String signature = givenSignature;
        boolean signedForm = false;
        if (sign) {
            if (json) {
                signature = VALIDATOR.signatureOf(url, Map.of());
            } else {
                try {
                    signature = VALIDATOR.signatureOf(url, probe.formParameters());
                    signedForm = true;
                } catch (IllegalArgumentException malformedForm) {
                    // no signature can be computed for it; the handler must still refuse it cleanly
                }
            }
        }
        WebhookRequest request = new WebhookRequest("POST", URI.create(url), Map.of(
                "Content-Type", List.of(json ? "application/json" : "application/x-www-form-urlencoded"),
                TwilioWebhookHandler.SIGNATURE_HEADER, List.of(signature)), body);
        List<CallEvent> events;
        try {
            events = HANDLER.handle(request, WebhookContext.none()).events();
        } catch (WebhookRejectedException e) {
            assertThat(e.httpStatus()).isIn(400, 403);
            assertThat(e.getMessage()).doesNotContain(Fixtures.AUTH_TOKEN);
            return;
        }
        assertThat(sign && (json || signedForm) || signature.strip().equals(VALIDATOR.signatureOf(url,
                json ? Map.of() : probe.formParameters()))).as("accepted only when signed").isTrue();
        assertThat(events).hasSize(1);
        assertThat(events.get(0).providerId()).isEqualTo("twilio");
        assertThat(events.get(0).callId()).isEqualTo("call-42");
        assertThat(events.get(0).providerCallId()).isNotBlank();
        assertThat(new String(body, StandardCharsets.UTF_8)).contains("CallSid");
    }

    private static byte[] sha256(byte[] body) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(body);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
