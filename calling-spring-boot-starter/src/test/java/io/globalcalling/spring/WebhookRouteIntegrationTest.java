package io.globalcalling.spring;

import com.sun.net.httpserver.HttpServer;
import io.globalcalling.CallCategory;
import io.globalcalling.CallRecord;
import io.globalcalling.CallRequest;
import io.globalcalling.CallStatus;
import io.globalcalling.core.GlobalCallingManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Configuration;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static io.globalcalling.spring.CallingAutoConfigurationTest.ACCOUNT_SID;
import static io.globalcalling.spring.CallingAutoConfigurationTest.AUTH_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A whole application on a random port: a call placed through Twilio (its REST API played by a local stub), then
 * Twilio's status callback, signed exactly as Twilio signs it, posted to the mounted route; the call's record in
 * the application's database moves on. The health and info endpoints report the calling SDK (issue 16).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "twilio.account-sid=" + ACCOUNT_SID,
        "twilio.auth-token=" + AUTH_TOKEN,
        "twilio.from-number=+15017122661",
        "twilio.pricing-enabled=false",
        "spring.datasource.url=jdbc:h2:mem:webhook-route;DB_CLOSE_DELAY=-1",
        "calling.webhooks.max-body-bytes=4096",
        "management.endpoints.web.exposure.include=health,info",
        "management.endpoint.health.show-components=always",
        "management.endpoint.health.show-details=always",
        "management.info.calling.enabled=true"})
class WebhookRouteIntegrationTest {

    private static final String CALL_SID = "CAa1b2c3d4e5f60718293a4b5c6d7e8f90";
    private static final HttpServer TWILIO = twilioStub();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {
    }

    @DynamicPropertySource
    static void twilioBaseUrl(DynamicPropertyRegistry registry) {
        registry.add("twilio.base-url", () -> "http://127.0.0.1:" + TWILIO.getAddress().getPort());
    }

    @AfterAll
    static void stopStub() {
        TWILIO.stop(0);
    }

    @LocalServerPort
    int port;

    @Autowired
    GlobalCallingManager calling;

    @Test
    void aSignedTwilioCallbackPostedToTheRouteMovesTheCallOn() throws Exception {
        CallRecord placed = calling.call(CallRequest.to("+14155551212").category(CallCategory.INTERNET_VOIP)
                .answerUrl("https://app.example.com/twiml/connect").build());
        assertThat(placed.providerId()).isEqualTo("twilio");
        assertThat(placed.providerCallId()).isEqualTo(CALL_SID);
        String url = "http://localhost:" + port + "/calling/webhooks/twilio?callId=" + placed.callId();

        HttpResponse<String> forged = post(url, completed(), "another-token");
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(calling.calls().find(placed.callId()).orElseThrow().status()).isEqualTo(placed.status());

        HttpResponse<String> accepted = post(url, completed(), AUTH_TOKEN);

        assertThat(accepted.statusCode()).isEqualTo(200);
        CallRecord ended = calling.calls().find(placed.callId()).orElseThrow();
        assertThat(ended.status()).isEqualTo(CallStatus.COMPLETED);
        assertThat(ended.durationSeconds()).isEqualTo(117);
        assertThat(ended.cost()).as("settled on its end").isNotNull();
    }

    @Test
    void aBodyOverTheConfiguredLimitIsRefusedUnread() throws Exception {
        Map<String, String> huge = completed();
        huge.put("Padding", "x".repeat(5000));
        assertThat(post("http://localhost:" + port + "/calling/webhooks/twilio", huge, AUTH_TOKEN).statusCode())
                .isEqualTo(413);
    }

    @Test
    void anUnknownProviderIsNotFound() throws Exception {
        assertThat(post("http://localhost:" + port + "/calling/webhooks/nobody", completed(), AUTH_TOKEN).statusCode())
                .isEqualTo(404);
    }

    @Test
    void healthAndInfoReportProvidersCircuitsAndTheStore() throws Exception {
        HttpResponse<String> health = HTTP.send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + port + "/actuator/health/calling")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"status\":\"UP\"", "\"providers\":[\"twilio\"]",
                "\"circuits\":{\"twilio\":\"CLOSED\"}", "\"store\":\"reachable\"");

        HttpResponse<String> info = HTTP.send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + port + "/actuator/info")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(info.body()).contains("\"calling\"", "\"type\":\"jdbi\"", "\"database\":\"H2\"",
                "\"webhookPath\":\"/calling/webhooks/{provider}\"");
    }

    /** Twilio's status callback at the end of a call, as it posts it, with a current Timestamp. */
    private static Map<String, String> completed() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("AccountSid", ACCOUNT_SID);
        p.put("ApiVersion", "2010-04-01");
        p.put("CallSid", CALL_SID);
        p.put("CallStatus", "completed");
        p.put("Called", "+14155551212");
        p.put("Caller", "+15017122661");
        p.put("Direction", "outbound-api");
        p.put("From", "+15017122661");
        p.put("To", "+14155551212");
        p.put("CallDuration", "117");
        p.put("CallbackSource", "call-progress-events");
        p.put("SequenceNumber", "3");
        p.put("Timestamp", DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss Z", Locale.ROOT)
                .format(ZonedDateTime.now(ZoneOffset.UTC)));
        return p;
    }

    /**
     * Posts the form as Twilio does, signed as Twilio signs: HMAC-SHA1 with the Auth Token over the full URL
     * followed by each parameter's name and value, names sorted, Base64 in {@code X-Twilio-Signature}.
     */
    private static HttpResponse<String> post(String url, Map<String, String> params, String token) throws Exception {
        String signed = url + new TreeMap<>(params).entrySet().stream()
                .map(e -> e.getKey() + e.getValue()).collect(Collectors.joining());
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(token.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        String signature = Base64.getEncoder().encodeToString(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
        String body = params.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return HTTP.send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-Twilio-Signature", signature)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Twilio's Calls resource: creating a call answers 201 with the queued call, as Twilio does. */
    private static HttpServer twilioStub() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/2010-04-01/Accounts/" + ACCOUNT_SID + "/Calls.json", exchange -> {
                try (exchange) {
                    exchange.getRequestBody().readAllBytes();
                    byte[] json = queuedCall().getBytes(StandardCharsets.UTF_8);
                    exchange.getResponseHeaders().set("Content-Type", "application/json");
                    exchange.sendResponseHeaders(201, json.length);
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(json);
                    }
                }
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String queuedCall() {
        return """
                {"account_sid": "%s", "api_version": "2010-04-01", "date_created": null, "date_updated": null,
                 "direction": "outbound-api", "duration": null, "end_time": null, "from": "+15017122661",
                 "price": null, "price_unit": "USD", "sid": "%s", "start_time": null, "status": "queued",
                 "to": "+14155551212", "uri": "/2010-04-01/Accounts/%s/Calls/%s.json", "queue_time": "0"}
                """.formatted(ACCOUNT_SID, CALL_SID, ACCOUNT_SID, CALL_SID);
    }
}
