package io.globalcalling.core.system;

import io.globalcalling.core.system.WebhookSignatureException.Problem;
import io.globalcalling.Secret;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class WebhookSignatureVerifierTest {

    private static final Secret SECRET = Secret.of("whsec-verifier-secret");
    private static final Instant NOW = Instant.parse("2026-01-14T09:00:00Z");
    private static final byte[] BODY = "{\"callId\":\"c-1\",\"amount\":42}".getBytes(StandardCharsets.UTF_8);

    private final WebhookSignatureVerifier verifier = new WebhookSignatureVerifier(SECRET);

    private Problem problemOf(String header, byte[] body) {
        WebhookSignatureException e = catchThrowableOfType(WebhookSignatureException.class,
                () -> verifier.verify(header, body, NOW));
        assertThat(e).as("verify(" + header + ") refuses").isNotNull();
        assertThat(e.httpStatus()).isEqualTo(403);
        assertThat(e.getMessage()).doesNotContain(SECRET.reveal());
        if (header != null && header.contains("v1=")) {
            assertThat(e.getMessage()).doesNotContain(header.substring(header.indexOf("v1=") + 3));
        }
        return e.problem();
    }

    @Test
    void acceptsAGoodSignature() {
        String header = WebhookSignatureVerifier.sign(SECRET, NOW.minusSeconds(20), BODY);

        assertThatNoException().isThrownBy(() -> verifier.verify(header, BODY, NOW));
    }

    @Test
    void matchesTheStripeSchemeByteForByte() {
        // HMAC-SHA256("key", "1700000000.hello") computed independently with: printf '1700000000.hello' | openssl dgst -sha256 -hmac key
        String header = WebhookSignatureVerifier.sign(Secret.of("key"), Instant.ofEpochSecond(1_700_000_000),
                "hello".getBytes(StandardCharsets.UTF_8));

        assertThat(header).isEqualTo("t=1700000000,v1=" + OpenSslVector.HELLO);
    }

    @Test
    void refusesATamperedBody() {
        String header = WebhookSignatureVerifier.sign(SECRET, NOW, BODY);
        byte[] tampered = "{\"callId\":\"c-1\",\"amount\":4200}".getBytes(StandardCharsets.UTF_8);

        assertThat(problemOf(header, tampered)).isEqualTo(Problem.SIGNATURE_MISMATCH);
    }

    @Test
    void refusesAnExpiredOrFutureTimestamp() {
        assertThat(problemOf(WebhookSignatureVerifier.sign(SECRET, NOW.minusSeconds(301), BODY), BODY))
                .isEqualTo(Problem.TIMESTAMP_OUTSIDE_TOLERANCE);
        assertThat(problemOf(WebhookSignatureVerifier.sign(SECRET, NOW.plusSeconds(301), BODY), BODY))
                .isEqualTo(Problem.TIMESTAMP_OUTSIDE_TOLERANCE);
    }

    @Test
    void refusesTheWrongSecret() {
        String header = WebhookSignatureVerifier.sign(Secret.of("another-secret"), NOW, BODY);

        assertThat(problemOf(header, BODY)).isEqualTo(Problem.SIGNATURE_MISMATCH);
    }

    @Test
    void acceptsWhenAnyOfSeveralSignaturesMatchesDuringRotation() {
        String old = WebhookSignatureVerifier.sign(Secret.of("old-secret"), NOW, BODY);
        String current = WebhookSignatureVerifier.sign(SECRET, NOW, BODY);
        String both = old + "," + current.substring(current.indexOf("v1="));

        assertThatNoException().isThrownBy(() -> verifier.verify(both, BODY, NOW));
    }

    @ParameterizedTest
    @ValueSource(strings = {"garbage", "t=abc,v1=00", "t=1768381200", "v1=" + OpenSslVector.HELLO,
            "t=1768381200,v1=not-hex", "t=1768381200,t=1768381200,v1=" + OpenSslVector.HELLO})
    void refusesAMalformedHeader(String header) {
        assertThat(problemOf(header, BODY)).isEqualTo(Problem.MALFORMED_HEADER);
    }

    @Test
    void refusesAMissingHeader() {
        assertThat(problemOf(null, BODY)).isEqualTo(Problem.MISSING_HEADER);
        assertThat(problemOf(" ", BODY)).isEqualTo(Problem.MISSING_HEADER);
    }

    /** Known-answer vectors computed outside the JDK. */
    private static final class OpenSslVector {
        static final String HELLO = "4d583a269f4f276a3fa80ff31b5a01879a848096983222a17893d198418939aa";
    }
}
