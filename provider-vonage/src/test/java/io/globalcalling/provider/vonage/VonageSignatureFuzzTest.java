package io.globalcalling.provider.vonage;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.globalcalling.Secret;
import io.globalcalling.WebhookRequest;
import io.globalcalling.provider.vonage.internal.VonageHttp;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Fuzzes {@link VonageSignedWebhooks#verify}, the HS256 callback token with its {@code payload_hash}. An arbitrary
 * {@code Authorization} header never verifies unless it carries an HMAC made with our secret; a token we sign over
 * the body verifies exactly when its {@code iat} is within the allowed age and its application is ours; the same
 * token over a changed body verifies only when the change leaves the JSON's content alone; another secret never
 * verifies. Nothing but {@link VonageSignedWebhooks.Refused} escapes, and no refusal quotes the secret or token.
 */
class VonageSignatureFuzzTest {

    private static final String SECRET = VonageFixtures.SIGNATURE_SECRET;
    private static final Duration MAX_AGE = Duration.ofMinutes(5);
    private static final ObjectMapper JSON = VonageHttp.newMapper();
    private static final VonageSignedWebhooks VERIFIER = new VonageSignedWebhooks(Secret.of(SECRET),
            VonageFixtures.APPLICATION_ID, null, Clock.fixed(VonageFixtures.START, ZoneOffset.UTC), MAX_AGE, JSON);

    @FuzzTest(maxDuration = "10m")
    void verifiesOnlyWhatOurSecretSignedOverThisBody(FuzzedDataProvider data) {
        switch (data.consumeInt(0, 3)) {
            case 0 -> anyHeader(data.consumeString(600), data.consumeRemainingAsBytes());
            case 1 -> signed(data);
            case 2 -> tampered(data);
            default -> otherSecret(data.consumeString(64), data.consumeRemainingAsBytes());
        }
    }

    /** Whatever the header holds, it passes only with an HMAC made with our secret. */
    private static void anyHeader(String authorization, byte[] body) {
        String token = authorization.strip();
        if (token.regionMatches(true, 0, "Bearer ", 0, 7)) token = token.substring(7).strip();
        if (verifies(authorization, body, token)) {
            assertThat(hasOurHmac(token)).as("accepted only with our HMAC: %s", authorization).isTrue();
        }
    }

    /** Our token over this body: accepted exactly when its age and application are acceptable. */
    private static void signed(FuzzedDataProvider data) {
        long ageSeconds = data.consumeLong(-2 * MAX_AGE.toSeconds(), 2 * MAX_AGE.toSeconds());
        boolean otherApplication = data.consumeBoolean();
        String application = otherApplication ? data.consumeString(40) : VonageFixtures.APPLICATION_ID;
        byte[] body = data.consumeRemainingAsBytes();
        String token = token(SECRET, ageSeconds, application, sha256Hex(body));
        boolean expected = Math.abs(ageSeconds) <= MAX_AGE.toSeconds()
                && application.equals(VonageFixtures.APPLICATION_ID);
        assertThat(verifies("Bearer " + token, body, token))
                .as("age %d s, application %s", ageSeconds, application).isEqualTo(expected);
    }

    /** Our token over one body, sent with another: accepted only when both are the same JSON. */
    private static void tampered(FuzzedDataProvider data) {
        byte[] body = data.consumeBytes(400);
        byte[] changed = data.consumeRemainingAsBytes();
        String token = token(SECRET, 0, VonageFixtures.APPLICATION_ID, sha256Hex(body));
        if (verifies("Bearer " + token, changed, token) && !Arrays.equals(body, changed)) {
            assertThat(compact(changed)).as("a changed body verifies only as the same JSON").isNotNull()
                    .isEqualTo(compact(body));
        }
    }

    /** Another secret never verifies, even over the right body and with every claim right. */
    private static void otherSecret(String suffix, byte[] body) {
        String other = "another-signature-secret-0123456789" + suffix;
        String token = token(other, 0, VonageFixtures.APPLICATION_ID, sha256Hex(body));
        assertThat(verifies("Bearer " + token, body, token)).as("signed with another secret").isFalse();
    }

    /** Whether the verifier accepts; a refusal must be clean and must not quote the secret or token. */
    private static boolean verifies(String authorization, byte[] body, String token) {
        WebhookRequest request = new WebhookRequest("POST", URI.create(VonageFixtures.CALLBACK.toString()),
                Map.of("Authorization", List.of(authorization)), body);
        try {
            VERIFIER.verify(request);
            return true;
        } catch (VonageSignedWebhooks.Refused e) {
            assertThat(e.getMessage()).isNotBlank().doesNotContain(SECRET);
            if (token.length() >= 16) assertThat(e.getMessage()).doesNotContain(token);
            return false;
        } catch (RuntimeException e) {
            return fail("only Refused may escape the verifier", e);
        }
    }

    private static String token(String secret, long ageSeconds, String application, String payloadHash) {
        Map<String, Object> claims = Map.of("iat", VonageFixtures.START.getEpochSecond() - ageSeconds,
                "jti", "f6a3a4c8-0d2f-4a7e-9a61-3d0b2b0c5e11", "iss", "Vonage",
                "application_id", application, "payload_hash", payloadHash);
        try {
            return VonageFixtures.callbackToken(secret, JSON.writeValueAsString(claims));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new AssertionError(e);
        }
    }

    /** Whether the token's third part is the HMAC-SHA256 of its first two under our secret (JDK's Mac). */
    private static boolean hasOurHmac(String token) {
        int last = token.lastIndexOf('.');
        if (last < 0) return false;
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] expected = mac.doFinal(token.substring(0, last).getBytes(StandardCharsets.US_ASCII));
            return MessageDigest.isEqual(expected, Base64.getUrlDecoder().decode(token.substring(last + 1)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    private static String compact(byte[] body) {
        try {
            var tree = JSON.readTree(body);
            return tree == null ? null : JSON.writeValueAsString(tree);
        } catch (java.io.IOException e) {
            return null;
        }
    }

    private static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }
}
