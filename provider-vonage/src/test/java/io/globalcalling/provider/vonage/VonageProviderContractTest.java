package io.globalcalling.provider.vonage;

import com.github.tomakehurst.wiremock.http.Fault;
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
import io.globalcalling.testkit.TestProviderContext;
import okhttp3.Dns;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

/** The Vonage provider against the testkit's provider contract, over WireMock stubs of the Voice API. */
class VonageProviderContractTest extends ProviderContract {

    @RegisterExtension
    static WireMockExtension vonage = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    /** Name resolution the "unreachable" case switches off, so nothing is ever sent. */
    private volatile boolean dnsDown;

    @Override
    protected TestProviderContext createContext() {
        TestProviderContext context = VonageFixtures.context();
        Dns dns = host -> {
            if (dnsDown) throw new UnknownHostException("resolution switched off by the test: " + host);
            return Dns.SYSTEM.lookup(host);
        };
        context.shared(OkHttpClient.class, () -> new OkHttpClient.Builder().dns(dns).build());
        return context;
    }

    @Override
    protected CallingProvider createProvider(ProviderContext context) {
        return VonageFixtures.provider(VonageFixtures.baseConfig(vonage.baseUrl()), context);
    }

    @Override
    protected Endpoint reachableDestination(CallCategory category) {
        String uuid = "{{randomValue type='UUID'}}";
        vonage.stubFor(post(urlPathEqualTo("/v1/calls")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody(VonageFixtures.created(uuid))
                .withTransformers("response-template")));
        vonage.stubFor(get(urlPathMatching("/v1/calls/[0-9a-f-]{36}")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody(VonageFixtures.callInfo("{{request.pathSegments.[2]}}", "ringing"))
                .withTransformers("response-template")));
        return PhoneNumber.of(VonageFixtures.TO);
    }

    @Override
    protected Endpoint invalidDestination(CallCategory category) {
        vonage.stubFor(post(urlPathEqualTo("/v1/calls")).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/problem+json").withBody("""
                        {"type":"https://developer.nexmo.com/api-errors#validation","title":"Bad Request",
                         "detail":"The request failed due to validation errors",
                         "invalid_parameters":[{"name":"to[0].number","reason":"must be a valid E.164 number"}],
                         "instance":"bf0ca0bf927b3b52e3cb03217e1a1ddf"}
                        """)));
        return PhoneNumber.of("+447700900999");
    }

    @Override
    protected Endpoint unreachableDestination(CallCategory category) {
        dnsDown = true;
        return PhoneNumber.of(VonageFixtures.TO);
    }

    /** Vonage's throttling answer: a 429 with Retry-After and its RFC 7807 body. */
    @Override
    protected Optional<RateLimited> rateLimitedDestination(CallCategory category) {
        vonage.stubFor(post(urlPathEqualTo("/v1/calls")).willReturn(aResponse().withStatus(429)
                .withHeader("Retry-After", "7").withHeader("Content-Type", "application/problem+json").withBody("""
                        {"type":"https://developer.nexmo.com/api-errors#throttled","title":"Too Many Requests",
                         "detail":"Rate limit exceeded","instance":"5c0ca0bf927b3b52e3cb03217e1a1dd0"}
                        """)));
        return Optional.of(new RateLimited(PhoneNumber.of(VonageFixtures.TO), Duration.ofSeconds(7)));
    }

    /** Vonage reads the create request, then the connection is reset: the call may exist. */
    @Override
    protected Optional<Endpoint> unknownOutcomeDestination(CallCategory category) {
        vonage.stubFor(post(urlPathEqualTo("/v1/calls")).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        return Optional.of(PhoneNumber.of(VonageFixtures.TO));
    }

    /** Vonage reports only through its event webhooks and fetches. */
    @Override
    protected boolean reportThroughEventSink(OutboundCall call, PlacedCall placed) {
        return false;
    }

    @Override
    protected WebhookRequest validCallback(OutboundCall call, PlacedCall placed) {
        return statusCallback(call, placed, "completed");
    }

    @Override
    protected WebhookRequest badlySignedCallback(OutboundCall call, PlacedCall placed) {
        return VonageFixtures.event(url(call), VonageFixtures.eventBody(placed.providerCallId(), "completed", ""),
                "a-forger-secret-that-is-long-enough-0123", context.clock().instant());
    }

    @Override
    protected Map<String, CallStatus> providerStatuses() {
        return Map.ofEntries(Map.entry("started", CallStatus.QUEUED), Map.entry("ringing", CallStatus.RINGING),
                Map.entry("answered", CallStatus.ANSWERED), Map.entry("machine", CallStatus.ANSWERED),
                Map.entry("human", CallStatus.ANSWERED), Map.entry("completed", CallStatus.COMPLETED),
                Map.entry("busy", CallStatus.BUSY), Map.entry("cancelled", CallStatus.CANCELED),
                Map.entry("failed", CallStatus.FAILED), Map.entry("rejected", CallStatus.FAILED),
                Map.entry("timeout", CallStatus.NO_ANSWER), Map.entry("unanswered", CallStatus.NO_ANSWER));
    }

    @Override
    protected WebhookRequest statusCallback(OutboundCall call, PlacedCall placed, String providerStatus) {
        return VonageFixtures.event(url(call), VonageFixtures.eventBody(placed.providerCallId(), providerStatus,
                ",\"duration\":\"42\",\"rate\":\"0.0095\",\"price\":\"0.00665\""),
                VonageFixtures.SIGNATURE_SECRET, context.clock().instant());
    }

    private static String url(OutboundCall call) {
        return "https://hooks.example.com/calling/webhooks/vonage?callId=" + URLEncoder.encode(call.callId(), StandardCharsets.UTF_8);
    }
}
