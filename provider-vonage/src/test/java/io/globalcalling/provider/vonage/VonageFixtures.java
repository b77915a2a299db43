package io.globalcalling.provider.vonage;

import io.globalcalling.CallCategory;
import io.globalcalling.CallRequest;
import io.globalcalling.WebhookRequest;
import io.globalcalling.spi.OutboundCall;
import io.globalcalling.spi.ProviderConfig;
import io.globalcalling.spi.ProviderContext;
import io.globalcalling.testkit.MutableClock;
import io.globalcalling.testkit.TestProviderContext;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * Vonage's wire shapes (from its API reference and vonage-java-sdk) and what the tests share. Tokens are made
 * here with the JDK's own {@link Mac} and {@link Signature}, independently of the library the provider uses.
 */
final class VonageFixtures {

    static final String APPLICATION_ID = "aaaaaaaa-bbbb-4ccc-8ddd-0123456789ab";
    static final String SIGNATURE_SECRET = "vonage-signature-secret-0123456789abcdef";
    static final String CALL_UUID = "63f61863-4a51-4f6b-86e1-46edebcf9356";
    static final String TO = "+447700900000";
    static final String FROM = "+447700900001";
    static final URI CALLBACK = URI.create("https://hooks.example.com/calling/webhooks/vonage?callId=call-42");
    static final Instant START = Instant.parse("2024-05-01T10:00:00Z");
    static final KeyPair KEYS = rsaKeys();

    private VonageFixtures() {
    }

    static TestProviderContext context() {
        return TestProviderContext.builder().clock(MutableClock.at(START)).build();
    }

    static Map<String, String> baseConfig(String baseUrl) {
        Map<String, String> m = new HashMap<>();
        m.put("vonage.application-id", APPLICATION_ID);
        m.put("vonage.private-key", privateKeyPem());
        m.put("vonage.signature-secret", SIGNATURE_SECRET);
        m.put("vonage.from-number", FROM);
        m.put("vonage.base-url", baseUrl);
        m.put("vonage.voip-connect-to", "sip:desk@pbx.example.com");
        m.put("vonage.read-timeout", "PT5S");
        m.put("vonage.connect-timeout", "PT5S");
        return m;
    }

    static VonageProvider provider(Map<String, String> config, ProviderContext context) {
        return new VonageProvider(VonageConfig.from(ProviderConfig.of(config)), context);
    }

    static OutboundCall voipCall() {
        return OutboundCall.builder("call-42", CallCategory.INTERNET_VOIP, CallRequest.to(TO).build())
                .statusCallbackUrl(CALLBACK).build();
    }

    static OutboundCall aiCall(String text, String language) {
        CallRequest.Builder r = CallRequest.to(TO).script("ignored: the core renders it");
        if (language != null) r.language(language);
        return OutboundCall.builder("call-42", CallCategory.AI_AUTOMATED, r.build())
                .spokenText(text).statusCallbackUrl(CALLBACK).build();
    }

    static String privateKeyPem() {
        return "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(KEYS.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
    }

    /** Whether {@code jwt} is RS256-signed by our application key (checked with the JDK's Signature). */
    static boolean isSignedByApplicationKey(String jwt) {
        String[] parts = jwt.split("\\.");
        try {
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initVerify((RSAPublicKey) KEYS.getPublic());
            rsa.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            return rsa.verify(Base64.getUrlDecoder().decode(parts[2]));
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    static String decodePart(String jwt, int part) {
        return new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[part]), StandardCharsets.UTF_8);
    }

    /** An HS256 token as Vonage signs callbacks, made with the JDK's Mac. */
    static String callbackToken(String secret, String claimsJson) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String signingInput = b64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8))
                + "." + b64.encodeToString(claimsJson.getBytes(StandardCharsets.UTF_8));
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return signingInput + "." + b64.encodeToString(mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    static String sha256Hex(String body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    /** Claims as Vonage puts them in a callback token, issued at {@code iat}, for {@code body}. */
    static String claims(Instant iat, String body) {
        return "{\"iat\":" + iat.getEpochSecond() + ",\"jti\":\"" + java.util.UUID.randomUUID()
                + "\",\"iss\":\"Vonage\",\"payload_hash\":\"" + sha256Hex(body) + "\",\"application_id\":\""
                + APPLICATION_ID + "\",\"api_key\":\"abcd1234\"}";
    }

    /** A signed event callback to {@code url}, as Vonage posts it. */
    static WebhookRequest event(String url, String body, String secret, Instant iat) {
        return WebhookRequest.post(url, Map.of("Authorization", "Bearer " + callbackToken(secret, claims(iat, body)),
                "Content-Type", "application/json"), body);
    }

    /** Vonage's event webhook body (field names from vonage-java-sdk EventWebhook). */
    static String eventBody(String uuid, String status, String extra) {
        return "{\"from\":\"447700900001\",\"to\":\"447700900000\",\"uuid\":\"" + uuid
                + "\",\"conversation_uuid\":\"CON-f972836a-550f-45fa-956c-12a2ab5b7d22\",\"status\":\"" + status
                + "\",\"direction\":\"outbound\",\"timestamp\":\"2024-05-01T10:00:30.000Z\"" + extra + "}";
    }

    static String created(String uuid) {
        return "{\"uuid\":\"" + uuid + "\",\"status\":\"started\",\"direction\":\"outbound\","
                + "\"conversation_uuid\":\"CON-f972836a-550f-45fa-956c-12a2ab5b7d22\"}";
    }

    static String callInfo(String uuid, String status) {
        return """
                {"_links":{"self":{"href":"/calls/%s"}},"uuid":"%s",
                 "conversation_uuid":"CON-f972836a-550f-45fa-956c-12a2ab5b7d22",
                 "to":{"type":"phone","number":"447700900000"},"from":{"type":"phone","number":"447700900001"},
                 "status":"%s","direction":"outbound","rate":"0.39","price":"23.40","duration":"60",
                 "start_time":"2024-05-01T10:00:05.000Z","end_time":"2024-05-01T10:01:05.000Z","network":"65512"}
                """.formatted(uuid, uuid, status);
    }

    private static KeyPair rsaKeys() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }
}
