package io.globalcalling.examples;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.sun.net.httpserver.HttpServer;
import io.globalcalling.core.GlobalCallingManager;
import io.globalcalling.provider.twilio.TwilioSignatureValidator;
import io.globalcalling.CallCategory;
import io.globalcalling.CallRequest;
import io.globalcalling.CallStatus;
import io.globalcalling.Money;
import io.globalcalling.spi.ProviderConfig;
import io.globalcalling.Secret;
import io.globalcalling.CallRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole path with a real provider: the manager discovers Twilio from configuration, places a
 * call over Twilio's REST API (a WireMock stub of it), and Twilio's signed status callbacks come
 * back over HTTP to the host's server, through {@link WebhookEndpoint} and the one webhook entry
 * point, and move the call to its end.
 */
class TwilioEndToEndTest {

    private static final String ACCOUNT_SID = "AC0123456789abcdef0123456789abcdef";
    private static final String AUTH_TOKEN = "e2e-auth-token-0a1b2c3d";
    private static final String CALL_SID = "CA11112222333344445555666677778888";
    private static final String CALLS_PATH = "/2010-04-01/Accounts/" + ACCOUNT_SID + "/Calls.json";

    @RegisterExtension
    static WireMockExtension twilio = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private GlobalCallingManager calling;
    private HttpServer host;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws IOException {
        twilio.stubFor(post(urlPathEqualTo(CALLS_PATH)).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json")
                .withBody("""
                        {"sid": "%s", "account_sid": "%s", "status": "queued", "direction": "outbound-api",
                         "from": "+15017122661", "to": "+14155552671", "api_version": "2010-04-01",
                         "date_created": "Wed, 01 May 2024 10:00:05 +0000", "price": null, "price_unit": "USD",
                         "uri": "/2010-04-01/Accounts/%s/Calls/%s.json"}
                        """.formatted(CALL_SID, ACCOUNT_SID, ACCOUNT_SID, CALL_SID))));
        calling = GlobalCallingManager.builder()
                .config(ProviderConfig.of(Map.of(
                        "TWILIO_ACCOUNT_SID", ACCOUNT_SID,
                        "TWILIO_AUTH_TOKEN", AUTH_TOKEN,
                        "twilio.base-url", twilio.baseUrl(),
                        "twilio.pricing-enabled", "false",
                        "twilio.from-number", "+15017122661",
                        "twilio.voip-twiml-url", "https://app.example.com/twiml/connect",
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
    void aTwilioCallIsPlacedAndItsSignedCallbacksDriveItToTheEnd() throws Exception {
        assertThat(calling.providerIds()).containsExactly("twilio");

        CallRecord placed = calling.call(CallRequest.to("+14155552671").customerId("acme").build());

        assertThat(placed.category()).isEqualTo(CallCategory.INTERNET_VOIP);
        assertThat(placed.providerCallId()).isEqualTo(CALL_SID);
        assertThat(placed.status()).isEqualTo(CallStatus.QUEUED);
        String callbackUrl = "https://app.example.com/calling/webhooks/twilio?callId=" + placed.callId();
        twilio.verify(1, postRequestedFor(urlPathEqualTo(CALLS_PATH))
                .withRequestBody(containing("StatusCallback=" + URLEncoder.encode(callbackUrl, StandardCharsets.UTF_8))));

        assertThat(deliver(callbackUrl, "ringing", null, AUTH_TOKEN).statusCode()).isEqualTo(200);
        assertThat(deliver(callbackUrl, "in-progress", null, AUTH_TOKEN).statusCode()).isEqualTo(200);
        assertThat(deliver(callbackUrl, "canceled", null, "a-forger-token").statusCode()).isEqualTo(403);
        assertThat(deliver(callbackUrl, "completed", "95", AUTH_TOKEN).statusCode()).isEqualTo(200);
        deliver(callbackUrl, "ringing", null, AUTH_TOKEN);   // late and out of order: harmless

        CallRecord done = calling.calls().find(placed.callId()).orElseThrow();
        assertThat(done.status()).isEqualTo(CallStatus.COMPLETED);
        assertThat(done.durationSeconds()).isEqualTo(95);
        assertThat(done.answeredAt()).isNotNull();
        // Twilio's fallback deck prices in USD; the record is settled in the reporting currency (INR).
        assertThat(done.cost().currency()).isEqualTo(Money.INR);
        assertThat(done.cost().isGreaterThan(Money.zero(Money.INR))).isTrue();
    }

    /** Posts a Twilio status callback, signed over the public URL, to the host's server. */
    private HttpResponse<String> deliver(String url, String status, String duration, String signingToken)
            throws IOException, InterruptedException {
        Map<String, List<String>> form = new LinkedHashMap<>();
        form.put("AccountSid", List.of(ACCOUNT_SID));
        form.put("CallSid", List.of(CALL_SID));
        form.put("CallStatus", List.of(status));
        form.put("From", List.of("+15017122661"));
        form.put("To", List.of("+14155552671"));
        form.put("Direction", List.of("outbound-api"));
        form.put("ApiVersion", List.of("2010-04-01"));
        if (duration != null) form.put("CallDuration", List.of(duration));
        String signature = new TwilioSignatureValidator(Secret.of(signingToken)).signatureOf(url, form);
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue().get(0), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        URI publicUrl = URI.create(url);
        URI local = URI.create("http://127.0.0.1:" + host.getAddress().getPort() + publicUrl.getRawPath() + "?"
                + publicUrl.getRawQuery());
        return http.send(HttpRequest.newBuilder(local)
                .header("X-Twilio-Signature", signature)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
