package io.globalcalling.core.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.globalcalling.core.system.WebhookSignatureException;
import io.globalcalling.core.system.WebhookSignatureVerifier;
import io.globalcalling.Secret;
import java.time.Instant;
import java.util.Arrays;

/**
 * Fuzzes {@link WebhookSignatureVerifier}: a body signed with the secret verifies; the same header never verifies
 * a tampered body (a byte flipped, a byte added) or another secret's signature; any header text is either accepted
 * (only when it carries the right signature) or refused with a {@link WebhookSignatureException}; no refusal
 * quotes the secret or the expected signature.
 */
class WebhookSignatureFuzzTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    @FuzzTest(maxDuration = "10m")
    void acceptsOnlyTheSignedBody(FuzzedDataProvider data) {
        String secretText = "whsec-" + data.consumeString(24);
        Secret secret = Secret.of(secretText);
        WebhookSignatureVerifier verifier = new WebhookSignatureVerifier(secret);
        Instant signedAt = NOW.minusSeconds(data.consumeInt(-299, 299));
        String header = data.consumeString(200);
        byte[] body = data.consumeRemainingAsBytes();
        String signed = WebhookSignatureVerifier.sign(secret, signedAt, body);
        String expectedHex = signed.substring(signed.indexOf("v1=") + 3);

        verifier.verify(signed, body, NOW);
        verifier.verify(signed + ",v1=" + "0".repeat(64), body, NOW); // one matching v1 is enough

        byte[] longer = Arrays.copyOf(body, body.length + 1);
        assertRefused(verifier, signed, longer, WebhookSignatureException.Problem.SIGNATURE_MISMATCH, secretText, expectedHex);
        if (body.length > 0) {
            byte[] flipped = body.clone();
            flipped[flipped.length / 2] ^= 0x01;
            assertRefused(verifier, signed, flipped, WebhookSignatureException.Problem.SIGNATURE_MISMATCH, secretText, expectedHex);
        }
        assertRefused(new WebhookSignatureVerifier(Secret.of(secretText + "x")), signed, body,
                WebhookSignatureException.Problem.SIGNATURE_MISMATCH, secretText, expectedHex);

        try {
            verifier.verify(header, body, NOW);
            assertThat(header.toLowerCase()).as("accepted header %s", header).contains(expectedHex);
        } catch (WebhookSignatureException e) {
            assertThat(e.getMessage()).doesNotContain(secretText).doesNotContain(expectedHex);
        }
    }

    private static void assertRefused(WebhookSignatureVerifier verifier, String header, byte[] body,
                                      WebhookSignatureException.Problem problem, String secret, String hex) {
        WebhookSignatureException e = catchThrowableOfType(WebhookSignatureException.class,
                () -> verifier.verify(header, body, NOW));
        assertThat(e).as("tampered body refused").isNotNull();
        assertThat(e.problem()).isEqualTo(problem);
        assertThat(e.getMessage()).doesNotContain(secret).doesNotContain(hex);
    }
}
