package io.globalcalling.examples;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.sun.net.httpserver.HttpServer;
import io.globalcalling.CallCategory;
import io.globalcalling.CallRecord;
import io.globalcalling.CallRequest;
import io.globalcalling.CallStatus;
import io.globalcalling.Money;
import io.globalcalling.Priority;
import io.globalcalling.Skill;
import io.globalcalling.core.GlobalCallingManager;
import io.globalcalling.spi.ProviderConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A human-agent call end to end: the manager discovers Amazon Connect from configuration (credentials from the AWS
 * SDK's default chain, here its system properties), routes a VIP call to it because the instance has VIP agents
 * online, starts the contact on Connect's API (a WireMock stub of it) and moves it up the queue, and the contact
 * events an EventBridge API destination posts come back over HTTP to the host and drive the call to its settled end.
 */
class AwsConnectEndToEndTest {

    private static final String INSTANCE = "a1b2c3d4-0000-4000-8000-111122223333";
    private static final String ARN = "arn:aws:connect:us-east-1:123456789012:instance/" + INSTANCE;
    private static final String CONTACT = "c0ffee00-1234-4567-89ab-cdef01234567";
    private static final String SECRET = "e2e-connect-secret-51c9";
    private static final String ACCESS_KEY = "AKIDE2EEXAMPLE000001";

    @RegisterExtension
    static WireMockExtension connect = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private final Map<String, String> savedProperties = new HashMap<>();
    private GlobalCallingManager calling;
    private HttpServer host;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws IOException {
        // the AWS SDK's default credentials chain reads these first
        setProperty("aws.accessKeyId", ACCESS_KEY);
        setProperty("aws.secretAccessKey", "e2e-secret-access-key");
        connect.stubFor(post(urlPathEqualTo("/metrics/current/" + INSTANCE)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("""
                        {"MetricResults": [{"Dimensions": {"Queue": {"Id": "q-vip"}, "Channel": "VOICE"},
                          "Collections": [{"Metric": {"Name": "AGENTS_ONLINE", "Unit": "COUNT"}, "Value": 2.0}]},
                         {"Dimensions": {"Queue": {"Id": "q-general"}, "Channel": "VOICE"},
                          "Collections": [{"Metric": {"Name": "AGENTS_ONLINE", "Unit": "COUNT"}, "Value": 5.0}]}]}
                        """)));
        connect.stubFor(put(urlPathEqualTo("/contact/outbound-voice")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"ContactId\": \"" + CONTACT + "\"}")));
        connect.stubFor(post(urlPathEqualTo("/contacts/" + INSTANCE + "/" + CONTACT + "/routing-data"))
                .willReturn(aResponse().withStatus(200).withBody("{}")));
        Map<String, String> config = new HashMap<>();
        config.put("AWS_CONNECT_INSTANCE_ID", INSTANCE);
        config.put("aws-connect.contact-flow-id", "f0f0f0f0-1111-4222-8333-444455556666");
        config.put("aws-connect.region", "us-east-1");
        config.put("aws-connect.countries", "US");
        config.put("aws-connect.skills", "general,vip");
        config.put("aws-connect.queues.general", "q-general");
        config.put("aws-connect.queues.vip", "q-vip");
        config.put("aws-connect.webhook-secret", SECRET);
        config.put("aws-connect.endpoint", connect.baseUrl());
        config.put("sandbox.enabled", "false");
        config.put("calling.webhook-base-url", "https://app.example.com/calling/webhooks");
        calling = GlobalCallingManager.builder().config(ProviderConfig.of(config)).build();
        host = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        WebhookEndpoint.mount(host, calling, "https://app.example.com");
        host.start();
    }

    @AfterEach
    void stop() {
        host.stop(0);
        calling.close();
        savedProperties.forEach((k, v) -> {
            if (v == null) System.clearProperty(k);
            else System.setProperty(k, v);
        });
    }

    private void setProperty(String key, String value) {
        savedProperties.put(key, System.getProperty(key));
        System.setProperty(key, value);
    }

    @Test
    void aVipCallReachesAnAgentThroughConnectAndItsContactEventsSettleIt() throws Exception {
        assertThat(calling.providerIds()).containsExactly("aws-connect");

        CallRecord placed = calling.call(CallRequest.to("+14155552671").category(CallCategory.HUMAN_AGENT)
                .skill(Skill.VIP).priority(Priority.HIGH).customerId("acme").variable("orderId", "A-1001").build());

        assertThat(placed.providerId()).isEqualTo("aws-connect");
        assertThat(placed.providerCallId()).isEqualTo(CONTACT);
        connect.verify(1, putRequestedFor(urlPathEqualTo("/contact/outbound-voice"))
                .withHeader("Authorization", matching("AWS4-HMAC-SHA256 Credential=" + ACCESS_KEY + "/.*/connect/aws4_request, .*"))
                .withRequestBody(matchingJsonPath("$.ClientToken", equalTo(placed.callId())))
                .withRequestBody(matchingJsonPath("$.QueueId", equalTo("q-vip")))
                .withRequestBody(matchingJsonPath("$.Attributes.orderId", equalTo("A-1001"))));
        connect.verify(postRequestedFor(urlPathEqualTo("/contacts/" + INSTANCE + "/" + CONTACT + "/routing-data"))
                .withRequestBody(equalToJson("{\"QueuePriority\": 2}")));

        assertThat(deliver(event("QUEUED", "\"queueInfo\":{\"queueArn\":\"" + ARN + "/queue/q-vip\","
                + "\"enqueueTimestamp\":\"2024-05-01T10:00:15Z\"}"), SECRET).statusCode()).isEqualTo(200);
        assertThat(deliver(event("CONNECTED_TO_AGENT", "\"agentInfo\":{\"agentArn\":\"" + ARN + "/agent/ag-1\","
                + "\"connectedToAgentTimestamp\":\"2024-05-01T10:01:00Z\"}"), SECRET).statusCode()).isEqualTo(200);
        assertThat(calling.calls().find(placed.callId()).orElseThrow().status()).isEqualTo(CallStatus.WITH_AGENT);
        assertThat(deliver(event("DISCONNECTED", "\"disconnectReason\":\"API\",\"disconnectTimestamp\":\"2024-05-01T10:00:20Z\""),
                "a-forger-secret").statusCode()).isEqualTo(403);
        assertThat(deliver(event("DISCONNECTED", "\"connectedToSystemTimestamp\":\"2024-05-01T10:00:09Z\","
                + "\"disconnectTimestamp\":\"2024-05-01T10:03:09Z\",\"disconnectReason\":\"CUSTOMER_DISCONNECT\""), SECRET)
                .statusCode()).isEqualTo(200);
        deliver(event("CONNECTED_TO_SYSTEM", "\"connectedToSystemTimestamp\":\"2024-05-01T10:00:09Z\""), SECRET); // late

        CallRecord done = calling.calls().find(placed.callId()).orElseThrow();
        assertThat(done.status()).isEqualTo(CallStatus.COMPLETED);
        assertThat(done.durationSeconds()).isEqualTo(180);
        // Connect's deck prices in USD per second of the contact; the record settles in the reporting currency
        assertThat(done.cost().currency()).isEqualTo(Money.INR);
        assertThat(done.cost().isGreaterThan(Money.zero(Money.INR))).isTrue();
    }

    private static String event(String type, String extra) {
        return """
                {"version":"0","id":"%s","detail-type":"Amazon Connect Contact Event","source":"aws.connect",
                 "account":"123456789012","time":"2024-05-01T10:03:10Z","region":"us-east-1","resources":["%s"],
                 "detail":{"eventType":"%s","contactId":"%s","initialContactId":"%s","channel":"VOICE",
                   "instanceArn":"%s","initiationMethod":"API","initiationTimestamp":"2024-05-01T10:00:01Z",%s}}
                """.formatted(type.toLowerCase(), ARN, type, CONTACT, CONTACT, ARN, extra);
    }

    /** Posts a contact event as an EventBridge API destination does, its connection's secret in the header. */
    private HttpResponse<String> deliver(String body, String secret) throws IOException, InterruptedException {
        URI local = URI.create("http://127.0.0.1:" + host.getAddress().getPort() + WebhookEndpoint.PATH + "aws-connect");
        return http.send(HttpRequest.newBuilder(local).header("X-Calling-Webhook-Secret", secret)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
