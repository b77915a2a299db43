package io.globalcalling.examples;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.sun.net.httpserver.HttpServer;
import io.globalcalling.CallCategory;
import io.globalcalling.CallRecord;
import io.globalcalling.CallRequest;
import io.globalcalling.CallStatus;
import io.globalcalling.Money;
import io.globalcalling.core.GlobalCallingManager;
import io.globalcalling.spi.ProviderConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole path with Vonage: the manager discovers it from configuration, places a call with
 * {@code POST /v1/calls} (a WireMock stub of the Voice API), and Vonage's signed event callbacks come back
 * over HTTP to the host's server, through {@link WebhookEndpoint} and the one webhook entry point, moving the
 * call to its end and settling its real price. Callback tokens are made here with the JDK's Mac.
 */
class VonageEndToEndTest {

    private static final String APPLICATION_ID = "aaaaaaaa-bbbb-4ccc-8ddd-0123456789ab";
    private static final String SIGNATURE_SECRET = "e2e-vonage-signature-secret-0123456789abcdef";
    private static final String CALL_UUID = "63f61863-4a51-4f6b-86e1-46edebcf9356";

    @RegisterExtension
    static WireMockExtension vonage = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private GlobalCallingManager calling;
    private HttpServer host;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        vonage.stubFor(post(urlPathEqualTo("/v1/calls")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"uuid\":\"" + CALL_UUID + "\",\"status\":\"started\",\"direction\":\"outbound\","
                        + "\"conversation_uuid\":\"CON-f972836a-550f-45fa-956c-12a2ab5b7d22\"}")));
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(rsa.generateKeyPair().getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        calling = GlobalCallingManager.builder()
                .config(ProviderConfig.of(Map.of(
                        "VONAGE_APPLICATION_ID", APPLICATION_ID,
                        "vonage.private-key", pem,
                        "VONAGE_SIGNATURE_SECRET", SIGNATURE_SECRET,
                        "vonage.from-number", "+447700900001",
                        "vonage.base-url", vonage.baseUrl(),
                        "vonage.voip-connect-to", "sip:desk@pbx.example.com",
                        "sandbox.enabled", "false",
                        "calling.webhook-base-url", "https://app.example.com/calling/webhooks")))
                .build();
        host = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        WebhookEndpoint.mount(host, calling, "https://app.example.com");   // behind a proxy at that public URL
        host.start();
    }

    @AfterEach
    void stop() {
        host.stop(0);
        calling.close();
    }

    @Test
    void aVonageCallIsPlacedAndItsSignedEventsDriveItToTheEndAndSettleItsPrice() throws Exception {
        assertThat(calling.providerIds()).containsExactly("vonage");

        CallRecord placed = calling.call(CallRequest.to("+447911123456").customerId("acme").build());

        assertThat(placed.category()).isEqualTo(CallCategory.INTERNET_VOIP);
        assertThat(placed.providerCallId()).isEqualTo(CALL_UUID);
        String eventUrl = "https://app.example.com/calling/webhooks/vonage?callId="
                + URLEncoder.encode(placed.callId(), StandardCharsets.UTF_8);
        vonage.verify(1, postRequestedFor(urlPathEqualTo("/v1/calls"))
                .withRequestBody(matchingJsonPath("$.event_url[0]", com.github.tomakehurst.wiremock.client.WireMock.equalTo(eventUrl)))
                .withRequestBody(matchingJsonPath("$.to[0].number", com.github.tomakehurst.wiremock.client.WireMock.equalTo("447911123456"))));

        assertThat(deliver(eventUrl, event("ringing", ""), SIGNATURE_SECRET).statusCode()).isEqualTo(200);
        assertThat(deliver(eventUrl, event("answered", ""), SIGNATURE_SECRET).statusCode()).isEqualTo(200);
        assertThat(deliver(eventUrl, event("cancelled", ""), "a-forger-secret-of-enough-length-0123456").statusCode())
                .isEqualTo(403);
        assertThat(deliver(eventUrl, event("completed",
                ",\"duration\":\"95\",\"rate\":\"0.01400000\",\"price\":\"0.02216667\""), SIGNATURE_SECRET).statusCode())
                .isEqualTo(200);
        deliver(eventUrl, event("ringing", ""), SIGNATURE_SECRET);   // late and out of order: harmless

        CallRecord done = calling.calls().find(placed.callId()).orElseThrow();
        assertThat(done.status()).isEqualTo(CallStatus.COMPLETED);
        assertThat(done.durationSeconds()).isEqualTo(95);
        assertThat(done.answeredAt()).isNotNull();
        // Vonage reports the price in EUR; the record is settled in the reporting currency (INR) at 104 INR/EUR.
        assertThat(done.cost().currency()).isEqualTo(Money.INR);
        assertThat(done.cost().amount()).isEqualByComparingTo(new BigDecimal("2.31"));
    }

    private static String event(String status, String extra) {
        return "{\"from\":\"447700900001\",\"to\":\"447911123456\",\"uuid\":\"" + CALL_UUID + "\","
                + "\"conversation_uuid\":\"CON-f972836a-550f-45fa-956c-12a2ab5b7d22\",\"status\":\"" + status + "\","
                + "\"direction\":\"outbound\",\"timestamp\":\"" + Instant.now() + "\"" + extra + "}";
    }

    /** Posts a Vonage event, signed as Vonage signs it (HS256 token with the body's SHA-256), to the host's server. */
    private HttpResponse<String> deliver(String url, String body, String secret) throws IOException, InterruptedException {
        String claims = "{\"iat\":" + Instant.now().getEpochSecond() + ",\"jti\":\"" + UUID.randomUUID()
                + "\",\"iss\":\"Vonage\",\"payload_hash\":\"" + sha256Hex(body) + "\",\"application_id\":\""
                + APPLICATION_ID + "\"}";
        URI publicUrl = URI.create(url);
        URI local = URI.create("http://127.0.0.1:" + host.getAddress().getPort() + publicUrl.getRawPath() + "?"
                + publicUrl.getRawQuery());
        return http.send(HttpRequest.newBuilder(local)
                .header("Authorization", "Bearer " + hs256(secret, claims))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String hs256(String secret, String claims) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String input = b64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8))
                + "." + b64.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return input + "." + b64.encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
        } catch (java.security.GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    private static String sha256Hex(String body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }
}
