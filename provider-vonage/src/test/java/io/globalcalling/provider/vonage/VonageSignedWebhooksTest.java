package io.globalcalling.provider.vonage;

import io.globalcalling.Secret;
import io.globalcalling.WebhookRequest;
import io.globalcalling.provider.vonage.internal.VonageHttp;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import static io.globalcalling.provider.vonage.VonageFixtures.APPLICATION_ID;
import static io.globalcalling.provider.vonage.VonageFixtures.CALLBACK;
import static io.globalcalling.provider.vonage.VonageFixtures.SIGNATURE_SECRET;
import static io.globalcalling.provider.vonage.VonageFixtures.START;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The edges of the callback token's checks: its age, its API key, and a token without a payload hash. */
class VonageSignedWebhooksTest {

    private static final String BODY = VonageFixtures.eventBody(VonageFixtures.CALL_UUID, "ringing", "");

    private static VonageSignedWebhooks verifier(String apiKey) {
        return new VonageSignedWebhooks(Secret.of(SIGNATURE_SECRET), APPLICATION_ID, apiKey,
                Clock.fixed(START, ZoneOffset.UTC), Duration.ofMinutes(5), VonageHttp.newMapper());
    }

    private static WebhookRequest signed(String claims, String body) {
        return WebhookRequest.post(CALLBACK.toString(),
                Map.of("Authorization", "Bearer " + VonageFixtures.callbackToken(SIGNATURE_SECRET, claims)), body);
    }

    private static String claims(Instant iat, String extra) {
        return "{\"iat\":" + iat.getEpochSecond() + ",\"application_id\":\"" + APPLICATION_ID
                + "\",\"payload_hash\":\"" + VonageFixtures.sha256Hex(BODY) + "\"" + extra + "}";
    }

    @Test
    void aTokenExactlyTheMaximumAgeOldOrAheadIsAcceptedOneSecondMoreIsNot() {
        Duration max = Duration.ofMinutes(5);
        for (Instant ok : new Instant[]{START.minus(max), START.plus(max)}) {
            assertThatCode(() -> verifier(null).verify(signed(claims(ok, ""), BODY))).as("iat %s", ok)
                    .doesNotThrowAnyException();
        }
        for (Instant stale : new Instant[]{START.minus(max).minusSeconds(1), START.plus(max).plusSeconds(1)}) {
            assertThatThrownBy(() -> verifier(null).verify(signed(claims(stale, ""), BODY))).as("iat %s", stale)
                    .isInstanceOf(VonageSignedWebhooks.Refused.class).hasMessageContaining("vonage.webhook-max-age");
        }
    }

    @Test
    void theExpiryAndNotBeforeAllowThirtySecondsOfSkewAndNoMore() {
        long now = START.getEpochSecond();
        assertThatCode(() -> verifier(null).verify(signed(claims(START, ",\"exp\":" + (now - 29)), BODY)))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> verifier(null).verify(signed(claims(START, ",\"exp\":" + (now - 30)), BODY)))
                .hasMessageContaining("expired");
        assertThatCode(() -> verifier(null).verify(signed(claims(START, ",\"nbf\":" + (now + 30)), BODY)))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> verifier(null).verify(signed(claims(START, ",\"nbf\":" + (now + 31)), BODY)))
                .hasMessageContaining("not valid before");
    }

    @Test
    void withAnApiKeyConfiguredTheTokenMustNameThatKey() {
        assertThatCode(() -> verifier("abcd1234").verify(signed(claims(START, ",\"api_key\":\"abcd1234\""), BODY)))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> verifier("abcd1234").verify(signed(claims(START, ",\"api_key\":\"other999\""), BODY)))
                .hasMessageContaining("another API key");
        assertThatThrownBy(() -> verifier("abcd1234").verify(signed(claims(START, ""), BODY)))
                .hasMessageContaining("another API key");
        assertThatCode(() -> verifier(null).verify(signed(claims(START, ",\"api_key\":\"other999\""), BODY)))
                .as("no key configured: the claim is not checked").doesNotThrowAnyException();
    }

    @Test
    void aTokenWithoutApplicationIsAcceptedButOneWithoutIssueTimeIsNot() {
        String noApplication = "{\"iat\":" + START.getEpochSecond() + ",\"payload_hash\":\""
                + VonageFixtures.sha256Hex(BODY) + "\"}";
        assertThatCode(() -> verifier(null).verify(signed(noApplication, BODY))).doesNotThrowAnyException();
        String noIat = "{\"payload_hash\":\"" + VonageFixtures.sha256Hex(BODY) + "\"}";
        assertThatThrownBy(() -> verifier(null).verify(signed(noIat, BODY))).hasMessageContaining("no iat");
    }

    @Test
    void anythingAppendedToTheSignedJsonIsRefused() {
        WebhookRequest appended = signed(claims(START, ""), BODY + "{\"status\":\"completed\"}");
        assertThatThrownBy(() -> verifier(null).verify(appended))
                .isInstanceOf(VonageSignedWebhooks.Refused.class).hasMessageContaining("payload_hash");
        assertThatCode(() -> verifier(null).verify(signed(claims(START, ""), BODY))).doesNotThrowAnyException();
    }

    @Test
    void aTokenWithoutPayloadHashCoversOnlyAnEmptyBody() {
        String noHash = "{\"iat\":" + START.getEpochSecond() + "}";
        assertThatCode(() -> verifier(null).verify(signed(noHash, ""))).doesNotThrowAnyException();
        assertThatThrownBy(() -> verifier(null).verify(signed(noHash, "{}")))
                .isInstanceOf(VonageSignedWebhooks.Refused.class).hasMessageContaining("no payload_hash");
    }

    @Test
    void anUppercaseHashAndALowercaseBearerAreAccepted() {
        String upper = "{\"iat\":" + START.getEpochSecond() + ",\"payload_hash\":\""
                + VonageFixtures.sha256Hex(BODY).toUpperCase(java.util.Locale.ROOT) + "\"}";
        WebhookRequest request = WebhookRequest.post(CALLBACK.toString(),
                Map.of("Authorization", "bearer " + VonageFixtures.callbackToken(SIGNATURE_SECRET, upper)), BODY);
        assertThatCode(() -> verifier(null).verify(request)).doesNotThrowAnyException();
    }

    @Test
    void aTokenSignedWithAnotherAlgorithmIsRefusedNamingIt() {
        String header = java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString("{\"alg\":\"HS512\",\"typ\":\"JWT\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        String hs256 = VonageFixtures.callbackToken(SIGNATURE_SECRET, claims(START, ""));
        String token = header + hs256.substring(hs256.indexOf('.'));
        WebhookRequest request = WebhookRequest.post(CALLBACK.toString(), Map.of("Authorization", "Bearer " + token), BODY);
        assertThatThrownBy(() -> verifier(null).verify(request)).hasMessageContaining("HS512");
        assertThat(VonageSignedWebhooks.SKEW).isEqualTo(Duration.ofSeconds(30));
    }
}
