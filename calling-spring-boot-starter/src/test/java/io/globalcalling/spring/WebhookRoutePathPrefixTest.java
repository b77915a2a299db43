package io.globalcalling.spring;

import com.sun.net.httpserver.HttpServer;
import io.globalcalling.CallCategory;
import io.globalcalling.CallRecord;
import io.globalcalling.CallRequest;
import io.globalcalling.CallStatus;
import io.globalcalling.core.GlobalCallingManager;
import io.globalcalling.provider.twilio.TwilioSignatureValidator;
import io.globalcalling.Secret;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Configuration;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import static io.globalcalling.spring.CallingAutoConfigurationTest.ACCOUNT_SID;
import static io.globalcalling.spring.CallingAutoConfigurationTest.AUTH_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Behind a proxy that strips a path prefix: the webhook base URL is https://api.example.com/telephony/calling/webhooks,
 * Twilio calls (and signs) that URL, and the application sees only /calling/webhooks/twilio. A callback signed over
 * the URL Twilio was given must pass and move the call on.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "twilio.account-sid=" + ACCOUNT_SID,
        "twilio.auth-token=" + AUTH_TOKEN,
        "twilio.from-number=+15017122661",
        "twilio.pricing-enabled=false",
        "calling.webhook-base-url=https://api.example.com/telephony/calling/webhooks",
        "spring.datasource.url=jdbc:h2:mem:webhook-route-prefix;DB_CLOSE_DELAY=-1"})
class WebhookRoutePathPrefixTest {

    private static final String CALL_SID = "CAf0e1d2c3b4a5968778695a4b3c2d1e0f";
    private static final List<String> STATUS_CALLBACKS = new CopyOnWriteArrayList<>();
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
    void aCallbackSignedOverThePublicUrlPassesWhenTheProxyStripsItsPathPrefix() throws Exception {
        CallRecord placed = calling.call(CallRequest.to("+14155551212").category(CallCategory.INTERNET_VOIP)
                .answerUrl("https://app.example.com/twiml/connect").build());
        String given = "https://api.example.com/telephony/calling/webhooks/twilio?callId=" + placed.callId();
        assertThat(STATUS_CALLBACKS).containsExactly(given);

        // the proxy strips /telephony: the application sees only the rest of the path and the query
        String local = "http://localhost:" + port + "/calling/webhooks/twilio?callId=" + placed.callId();
        HttpResponse<String> reply = post(local, given, completed());

        assertThat(reply.statusCode()).isEqualTo(200);
        CallRecord ended = calling.calls().find(placed.callId()).orElseThrow();
        assertThat(ended.status()).isEqualTo(CallStatus.COMPLETED);
        assertThat(ended.durationSeconds()).isEqualTo(42);
        assertThat(ended.cost()).isNotNull();
    }

    private static Map<String, List<String>> completed() {
        Map<String, List<String>> p = new LinkedHashMap<>();
        p.put("AccountSid", List.of(ACCOUNT_SID));
        p.put("ApiVersion", List.of("2010-04-01"));
        p.put("CallSid", List.of(CALL_SID));
        p.put("CallStatus", List.of("completed"));
        p.put("Direction", List.of("outbound-api"));
        p.put("CallDuration", List.of("42"));
        p.put("Timestamp", List.of(DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss Z", Locale.ROOT)
                .format(ZonedDateTime.now(ZoneOffset.UTC))));
        return p;
    }

    /** Posts to {@code local} what Twilio posts to {@code signedUrl}, signed with the account's Auth Token. */
    private static HttpResponse<String> post(String local, String signedUrl, Map<String, List<String>> params)
            throws Exception {
        String signature = new TwilioSignatureValidator(Secret.of(AUTH_TOKEN)).signatureOf(signedUrl, params);
        String body = params.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue().get(0), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return HTTP.send(HttpRequest.newBuilder(URI.create(local))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-Twilio-Signature", signature)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Twilio's Calls resource: records the StatusCallback it was given and answers 201 with the queued call. */
    private static HttpServer twilioStub() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/2010-04-01/Accounts/" + ACCOUNT_SID + "/Calls.json", exchange -> {
                try (exchange) {
                    String form = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                    for (String pair : form.split("&")) {
                        if (pair.startsWith("StatusCallback=")) {
                            STATUS_CALLBACKS.add(URLDecoder.decode(pair.substring("StatusCallback=".length()),
                                    StandardCharsets.UTF_8));
                        }
                    }
                    byte[] json = """
                            {"account_sid": "%s", "api_version": "2010-04-01", "direction": "outbound-api",
                             "from": "+15017122661", "price": null, "price_unit": "USD", "sid": "%s",
                             "status": "queued", "to": "+14155551212",
                             "uri": "/2010-04-01/Accounts/%s/Calls/%s.json"}
                            """.formatted(ACCOUNT_SID, CALL_SID, ACCOUNT_SID, CALL_SID).getBytes(StandardCharsets.UTF_8);
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
}
