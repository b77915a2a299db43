package io.globalcalling.provider.twilio;

import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.globalcalling.CallCategory;
import io.globalcalling.CallStatus;
import io.globalcalling.spi.CallingProvider;
import io.globalcalling.Endpoint;
import io.globalcalling.spi.OutboundCall;
import io.globalcalling.PhoneNumber;
import io.globalcalling.spi.PlacedCall;
import io.globalcalling.spi.ProviderConfig;
import io.globalcalling.spi.ProviderContext;
import io.globalcalling.Secret;
import io.globalcalling.WebhookRequest;
import io.globalcalling.testkit.ProviderContract;
import io.globalcalling.testkit.TestProviderContext;
import okhttp3.Dns;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

/** The Twilio provider against the testkit's provider contract, over WireMock stubs of Twilio's API. */
class TwilioProviderContractTest extends ProviderContract {

    @RegisterExtension
    static WireMockExtension twilio = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    /** Name resolution the "unreachable" case switches off, so nothing is ever sent. */
    private volatile boolean dnsDown;

    @Override
    protected TestProviderContext createContext() {
        TestProviderContext context = TestProviderContext.create();
        Dns dns = host -> {
            if (dnsDown) throw new UnknownHostException("resolution switched off by the test: " + host);
            return Dns.SYSTEM.lookup(host);
        };
        context.shared(OkHttpClient.class, () -> new OkHttpClient.Builder().dns(dns).build());
        return context;
    }

    @Override
    protected CallingProvider createProvider(ProviderContext context) {
        Map<String, String> config = Fixtures.baseConfig(twilio.baseUrl());
        config.put("twilio.pricing-enabled", "false");
        config.put("twilio.voip-twiml-url", "https://app.example.com/twiml/connect");
        return new TwilioProvider(TwilioConfig.from(ProviderConfig.of(config)), context);
    }

    @Override
    protected Endpoint reachableDestination(CallCategory category) {
        // every create answers with a fresh sid, as Twilio does
        String freshSid = "CA{{randomValue length=32 type='NUMERIC'}}";
        twilio.stubFor(post(urlPathEqualTo(Fixtures.CALLS_PATH))
                .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                        .withBody(Fixtures.call("queued").replace(Fixtures.CALL_SID, freshSid))
                        .withTransformers("response-template")));
        twilio.stubFor(get(urlPathMatching(Fixtures.CALLS_PATH.replace("Calls.json", "Calls/CA[0-9a-f]{32}\\.json")))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody(Fixtures.call("ringing").replace(Fixtures.CALL_SID, "{{regexExtract request.path 'CA[0-9a-f]{32}'}}"))
                        .withTransformers("response-template")));
        return PhoneNumber.of(Fixtures.TO);
    }

    @Override
    protected Endpoint invalidDestination(CallCategory category) {
        twilio.stubFor(post(urlPathEqualTo(Fixtures.CALLS_PATH))
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/json")
                        .withBody(Fixtures.error(21211, "The 'To' number +15005550001 is not a valid phone number.", 400))));
        return PhoneNumber.of("+15005550001");
    }

    @Override
    protected Endpoint unreachableDestination(CallCategory category) {
        dnsDown = true;
        return PhoneNumber.of(Fixtures.TO);
    }

    @Override
    protected Optional<RateLimited> rateLimitedDestination(CallCategory category) {
        twilio.stubFor(post(urlPathEqualTo(Fixtures.CALLS_PATH)).willReturn(aResponse().withStatus(429)
                .withHeader("Retry-After", "7").withHeader("Content-Type", "application/json")
                .withBody(Fixtures.error(20429, "Too Many Requests", 429))));
        return Optional.of(new RateLimited(PhoneNumber.of(Fixtures.TO), Duration.ofSeconds(7)));
    }

    /** Twilio reads the create request, then the connection is reset: the call may exist. */
    @Override
    protected Optional<Endpoint> unknownOutcomeDestination(CallCategory category) {
        twilio.stubFor(post(urlPathEqualTo(Fixtures.CALLS_PATH))
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        return Optional.of(PhoneNumber.of(Fixtures.TO));
    }

    /** Twilio reports only through status callbacks and fetches. */
    @Override
    protected boolean reportThroughEventSink(OutboundCall call, PlacedCall placed) {
        return false;
    }

    @Override
    protected WebhookRequest validCallback(OutboundCall call, PlacedCall placed) {
        return callback(call, placed, "completed", Fixtures.AUTH_TOKEN);
    }

    @Override
    protected Map<String, CallStatus> providerStatuses() {
        return Map.of("queued", CallStatus.QUEUED, "initiated", CallStatus.INITIATED, "ringing", CallStatus.RINGING,
                "in-progress", CallStatus.ANSWERED, "answered", CallStatus.ANSWERED, "completed", CallStatus.COMPLETED,
                "busy", CallStatus.BUSY, "no-answer", CallStatus.NO_ANSWER, "failed", CallStatus.FAILED,
                "canceled", CallStatus.CANCELED);
    }

    @Override
    protected WebhookRequest statusCallback(OutboundCall call, PlacedCall placed, String providerStatus) {
        return callback(call, placed, providerStatus, Fixtures.AUTH_TOKEN);
    }

    @Override
    protected WebhookRequest badlySignedCallback(OutboundCall call, PlacedCall placed) {
        return callback(call, placed, "completed", "not-the-auth-token");
    }

    private static WebhookRequest callback(OutboundCall call, PlacedCall placed, String status, String signingToken) {
        String url = "https://hooks.example.com/calling/webhooks/twilio?callId="
                + URLEncoder.encode(call.callId(), StandardCharsets.UTF_8);
        Map<String, List<String>> form = new LinkedHashMap<>();
        form.put("AccountSid", List.of(Fixtures.ACCOUNT_SID));
        form.put("ApiVersion", List.of("2010-04-01"));
        form.put("CallSid", List.of(placed.providerCallId()));
        form.put("CallStatus", List.of(status));
        form.put("CallDuration", List.of("42"));
        form.put("Direction", List.of("outbound-api"));
        form.put("From", List.of(Fixtures.FROM));
        form.put("To", List.of(call.to().value()));
        form.put("SequenceNumber", List.of("3"));
        String signature = new TwilioSignatureValidator(Secret.of(signingToken)).signatureOf(url, form);
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue().get(0), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return WebhookRequest.post(url, Map.of("X-Twilio-Signature", signature,
                "Content-Type", "application/x-www-form-urlencoded"), body);
    }
}
