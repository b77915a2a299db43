package io.globalcalling.provider.awsconnect;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.globalcalling.CallCategory;
import io.globalcalling.CallStatus;
import io.globalcalling.Endpoint;
import io.globalcalling.PhoneNumber;
import io.globalcalling.WebhookRequest;
import io.globalcalling.spi.CallingProvider;
import io.globalcalling.spi.OutboundCall;
import io.globalcalling.spi.PlacedCall;
import io.globalcalling.spi.ProviderContext;
import io.globalcalling.testkit.ProviderContract;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.services.connect.ConnectClient;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

/** The Amazon Connect provider against the testkit's provider contract, over WireMock stubs of Connect's API. */
class AwsConnectProviderContractTest extends ProviderContract {

    @RegisterExtension
    static WireMockExtension aws = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static final ObjectMapper JSON = new ObjectMapper();

    /** When set, every request goes to a port nothing listens on, so nothing is ever sent. */
    private volatile boolean down;
    private ConnectClient connect;
    private SqsClient sqs;

    @AfterEach
    void closeClients() {
        if (connect != null) connect.close();
        if (sqs != null) sqs.close();
    }

    @Override
    protected CallingProvider createProvider(ProviderContext context) {
        int closedPort = closedPort();
        ExecutionInterceptor switchable = new ExecutionInterceptor() {
            @Override
            public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest c, ExecutionAttributes attributes) {
                return down ? c.httpRequest().toBuilder().host("127.0.0.1").port(closedPort).build() : c.httpRequest();
            }
        };
        connect = Fixtures.connect(aws.baseUrl(), switchable);
        AwsConnectCapabilitiesTest.agentsOnline(aws, Map.of("q-general-0001", 3, "q-vip-0005", 1), 3);
        // the event queue, on the same WireMock: empty long polls until a test puts a message in it
        sqs = Fixtures.sqs(aws.baseUrl());
        aws.stubFor(post(urlPathEqualTo("/")).withHeader("X-Amz-Target", equalTo(SqsEventPollerTest.RECEIVE)).atPriority(5)
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/x-amz-json-1.0")
                        .withBody("{}").withFixedDelay(200)));
        aws.stubFor(post(urlPathEqualTo("/")).withHeader("X-Amz-Target", equalTo(SqsEventPollerTest.DELETE))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/x-amz-json-1.0").withBody("{}")));
        Map<String, String> config = Fixtures.baseConfig();
        config.put("aws-connect.sqs-queue-url", queueUrl());
        config.put("aws-connect.sqs-wait", "1s");
        return new AwsConnectProvider(Fixtures.config(config), context, connect, sqs);
    }

    private static String queueUrl() {
        return aws.baseUrl() + "/123456789012/connect-contact-events";
    }

    private static int closedPort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected Endpoint reachableDestination(CallCategory category) {
        // Connect answers a ClientToken with the contact it started for it while that is live: the stub derives
        // the contact id from it
        aws.stubFor(put(urlPathEqualTo(Fixtures.START_PATH)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"ContactId\": \"contact-{{jsonPath request.body '$.ClientToken'}}\"}")
                .withTransformers("response-template")));
        aws.stubFor(get(urlPathMatching("/contacts/" + Fixtures.INSTANCE_ID + "/contact-.*"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody("""
                                {"Contact": {"Id": "{{request.pathSegments.[2]}}", "InitialContactId": "{{request.pathSegments.[2]}}",
                                  "Channel": "VOICE", "InitiationMethod": "API", "InitiationTimestamp": 1714557601,
                                  "ConnectedToSystemTimestamp": 1714557609}}
                                """).withTransformers("response-template")));
        aws.stubFor(post(urlPathMatching("/contacts/.*/routing-data")).willReturn(aResponse().withStatus(200).withBody("{}")));
        return PhoneNumber.of(Fixtures.TO);
    }

    @Override
    protected Endpoint invalidDestination(CallCategory category) {
        aws.stubFor(put(urlPathEqualTo(Fixtures.START_PATH)).willReturn(Fixtures.awsError(400,
                "InvalidParameterException", "DestinationPhoneNumber is not a valid phone number")));
        return PhoneNumber.of("+15005550001");
    }

    @Override
    protected Endpoint unreachableDestination(CallCategory category) {
        down = true;
        return PhoneNumber.of(Fixtures.TO);
    }

    /**
     * Connect's throttling answer (HTTP 429, ThrottlingException). The SDK retries it by itself (safe: a
     * throttled attempt started nothing), but every attempt is refused here, so the refusal the provider maps is
     * still the throttling one. Connect announces no Retry-After and the provider reads none: no wait is expected.
     */
    @Override
    protected Optional<RateLimited> rateLimitedDestination(CallCategory category) {
        aws.stubFor(put(urlPathEqualTo(Fixtures.START_PATH)).willReturn(
                Fixtures.awsError(429, "ThrottlingException", "Rate exceeded")));
        return Optional.of(new RateLimited(PhoneNumber.of(Fixtures.TO), null));
    }

    /** Connect reads the StartOutboundVoiceContact request, then the connection is reset; the SDK does not retry it. */
    @Override
    protected Optional<Endpoint> unknownOutcomeDestination(CallCategory category) {
        aws.stubFor(put(urlPathEqualTo(Fixtures.START_PATH)).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        return Optional.of(PhoneNumber.of(Fixtures.TO));
    }

    /**
     * The provider polls its SQS queue of contact events: the next receive hands out a QUEUED event of the placed
     * contact, carrying our call id among its attributes (where {@code place} put it).
     */
    @Override
    protected boolean reportThroughEventSink(OutboundCall call, PlacedCall placed) {
        String body = withCallId(Fixtures.event("QUEUED", placed.providerCallId(),
                Map.of("enqueueTimestamp", "2024-05-01T10:00:15Z"), null), call.callId());
        Map<String, String> message;
        try {
            message = Map.of("MessageId", "msg-1", "ReceiptHandle", "receipt-1", "MD5OfBody", SqsEventPollerTest.md5(body),
                    "Body", body);
            aws.stubFor(post(urlPathEqualTo("/")).withHeader("X-Amz-Target", equalTo(SqsEventPollerTest.RECEIVE))
                    .atPriority(1).inScenario("queue").whenScenarioStateIs(Scenario.STARTED).willSetStateTo("drained")
                    .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/x-amz-json-1.0")
                            .withBody(JSON.writeValueAsString(Map.of("Messages", List.of(message))))));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return true;
    }

    private static String withCallId(String event, String callId) {
        try {
            ObjectNode root = (ObjectNode) JSON.readTree(event);
            ((ObjectNode) root.get("detail")).putObject("attributes").put("callId", callId);
            return JSON.writeValueAsString(root);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    protected Map<String, CallStatus> providerStatuses() {
        Map<String, CallStatus> m = new LinkedHashMap<>();
        m.put("INITIATED", CallStatus.INITIATED);
        m.put("CONNECTED_TO_SYSTEM", CallStatus.ANSWERED);
        m.put("QUEUED", CallStatus.WAITING_FOR_AGENT);
        m.put("CONNECTED_TO_AGENT", CallStatus.WITH_AGENT);
        m.put("DISCONNECTED", CallStatus.COMPLETED);
        m.put("DISCONNECTED/TELECOM_BUSY", CallStatus.BUSY);
        m.put("DISCONNECTED/TELECOM_UNANSWERED", CallStatus.NO_ANSWER);
        m.put("DISCONNECTED/TELECOM_NUMBER_INVALID", CallStatus.FAILED);
        m.put("DISCONNECTED/API", CallStatus.CANCELED);
        return m;
    }

    @Override
    protected WebhookRequest validCallback(OutboundCall call, PlacedCall placed) {
        return statusCallback(call, placed, "DISCONNECTED");
    }

    @Override
    protected WebhookRequest statusCallback(OutboundCall call, PlacedCall placed, String providerStatus) {
        return AwsConnectWebhookHandlerTest.post(event(placed, providerStatus), Fixtures.WEBHOOK_SECRET);
    }

    @Override
    protected WebhookRequest badlySignedCallback(OutboundCall call, PlacedCall placed) {
        return AwsConnectWebhookHandlerTest.post(event(placed, "DISCONNECTED"), "not-the-webhook-secret");
    }

    /** "DISCONNECTED/TELECOM_BUSY" is a disconnect before answer for that reason; plain "DISCONNECTED" after answer. */
    private static String event(PlacedCall placed, String providerStatus) {
        String[] parts = providerStatus.split("/");
        Map<String, String> times = new LinkedHashMap<>();
        times.put("initiationTimestamp", "2024-05-01T10:00:01Z");
        if (parts.length == 1) times.put("connectedToSystemTimestamp", "2024-05-01T10:00:09Z");
        if (parts[0].equals("DISCONNECTED")) times.put("disconnectTimestamp", "2024-05-01T10:02:09Z");
        return Fixtures.event(parts[0], placed.providerCallId(), times, parts.length > 1 ? parts[1] : null);
    }
}
