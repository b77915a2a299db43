package io.globalcalling.examples;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.sun.net.httpserver.HttpServer;
import io.globalcalling.CallRecord;
import io.globalcalling.CallRequest;
import io.globalcalling.CallStatus;
import io.globalcalling.Secret;
import io.globalcalling.core.GlobalCallingManager;
import io.globalcalling.provider.twilio.TwilioSignatureValidator;
import io.globalcalling.spi.ProviderConfig;
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
 * Behind a proxy that strips a path prefix: Twilio was given (and signs)
 * https://app.example.com/telephony/calling/webhooks/twilio?callId=..., the host's server sees only
 * /calling/webhooks/twilio?callId=... . The endpoint must hand on the URL Twilio was given.
 */
class WebhookEndpointPathPrefixTest {

    private static final String ACCOUNT_SID = "AC0123456789abcdef0123456789abcdef";
    private static final String AUTH_TOKEN = "prefix-auth-token-9f8e7d6c";
    private static final String CALL_SID = "CA99998888777766665555444433332222";
    private static final String CALLS_PATH = "/2010-04-01/Accounts/" + ACCOUNT_SID + "/Calls.json";

    @RegisterExtension
    static WireMockExtension twilio = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private GlobalCallingManager calling;
    private HttpServer host;

    @BeforeEach
    void start() throws IOException {
        twilio.stubFor(post(urlPathEqualTo(CALLS_PATH)).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json")
                .withBody("""
                        {"sid": "%s", "account_sid": "%s", "status": "queued", "direction": "outbound-api",
                         "from": "+15017122661", "to": "+14155552671", "api_version": "2010-04-01",
                         "price": null, "price_unit": "USD", "uri": "/2010-04-01/Accounts/%s/Calls/%s.json"}
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
                        "calling.webhook-base-url", "https://app.example.com/telephony/calling/webhooks")))
                .build();
        host = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        WebhookEndpoint.mount(host, calling, "https://app.example.com");
        host.start();
    }

    @AfterEach
    void stop() {
        host.stop(0);
        calling.close();
    }

    @Test
    void aCallbackSignedOverTheUrlTwilioWasGivenPassesWhenTheProxyStripsAPrefix() throws Exception {
        CallRecord placed = calling.call(CallRequest.to("+14155552671").customerId("acme").build());
        String given = "https://app.example.com/telephony/calling/webhooks/twilio?callId=" + placed.callId();
        twilio.verify(1, postRequestedFor(urlPathEqualTo(CALLS_PATH))
                .withRequestBody(containing("StatusCallback=" + URLEncoder.encode(given, StandardCharsets.UTF_8))));

        Map<String, List<String>> form = new LinkedHashMap<>();
        form.put("AccountSid", List.of(ACCOUNT_SID));
        form.put("CallSid", List.of(CALL_SID));
        form.put("CallStatus", List.of("completed"));
        form.put("CallDuration", List.of("61"));
        String signature = new TwilioSignatureValidator(Secret.of(AUTH_TOKEN)).signatureOf(given, form);
        String body = form.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue().get(0), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        URI local = URI.create("http://127.0.0.1:" + host.getAddress().getPort() + "/calling/webhooks/twilio?callId="
                + placed.callId());
        HttpResponse<String> reply = HttpClient.newHttpClient().send(HttpRequest.newBuilder(local)
                .header("X-Twilio-Signature", signature)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(reply.statusCode()).isEqualTo(200);
        CallRecord done = calling.calls().find(placed.callId()).orElseThrow();
        assertThat(done.status()).isEqualTo(CallStatus.COMPLETED);
        assertThat(done.durationSeconds()).isEqualTo(61);
    }
}
