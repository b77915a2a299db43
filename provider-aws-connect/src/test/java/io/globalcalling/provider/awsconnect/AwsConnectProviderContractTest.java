package io.globalcalling.provider.awsconnect;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
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

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.LinkedHashMap;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
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

    /** When set, every request goes to a port nothing listens on, so nothing is ever sent. */
    private volatile boolean down;
    private ConnectClient connect;

    @AfterEach
    void closeClient() {
        if (connect != null) connect.close();
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
        return Fixtures.provider(Fixtures.baseConfig(), context, connect);
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
        // Connect starts one contact per ClientToken: the stub derives the contact id from it
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
