package io.globalcalling.core.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.globalcalling.CallCategory;
import io.globalcalling.spi.CallEvent;
import io.globalcalling.CallRequest;
import io.globalcalling.CallStatus;
import io.globalcalling.ErrorReason;
import io.globalcalling.Money;
import io.globalcalling.spi.OutboundCall;
import io.globalcalling.spi.PlacedCall;
import io.globalcalling.spi.ProviderException;
import io.globalcalling.Secret;
import io.globalcalling.core.GlobalCallingManager;
import io.globalcalling.spi.ProviderConfig;
import io.globalcalling.spi.Rate;
import io.globalcalling.CallRecord;
import io.globalcalling.testkit.FakeCallProvider;
import io.globalcalling.testkit.TestProviderContext;
import okhttp3.OkHttpClient;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.status;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class WebhookProviderTest {

    @RegisterExtension
    static WireMockExtension receiver = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static final Secret SECRET = Secret.of("whsec-test-0123456789");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final TestProviderContext context = TestProviderContext.create();
    private final List<Duration> waits = new ArrayList<>();

    @AfterEach
    void close() {
        context.close();
    }

    /** WireMock listens on loopback over plain http, so these tests allow both. */
    static final List<String> LOOPBACK = List.of("127.0.0.0/8", "::1/128");

    private WebhookProvider provider(int maxAttempts, Duration readTimeout, List<String> allowedNetworks) {
        WebhookConfig config = new WebhookConfig(SECRET, maxAttempts, WebhookConfig.BACKOFF_BASE, Duration.ofSeconds(10),
                Duration.ofSeconds(2), readTimeout, Duration.ofSeconds(15), true, allowedNetworks);
        return new WebhookProvider(config, context, waits::add);
    }

    private WebhookProvider provider() {
        return provider(4, Duration.ofSeconds(5), LOOPBACK);
    }

    private static OutboundCall call(String callId, String url, String payload) {
        CallRequest request = CallRequest.to(url).category(CallCategory.SYSTEM_API).payload(payload)
                .metadata("order", "A-17").build();
        return OutboundCall.builder(callId, CallCategory.SYSTEM_API, request).build();
    }

    private static String url(String path) {
        return receiver.baseUrl() + path;
    }

    private static List<LoggedRequest> received(String path) {
        return receiver.findAll(postRequestedFor(urlEqualTo(path)));
    }

    @Test
    void deliversASignedPostThatTheReceiverCanVerify() {
        receiver.stubFor(post("/alerts").willReturn(ok()));
        String payload = "{\"alert\":\"disk full\",\"host\":\"db-1\"}";

        WebhookProvider provider = provider();
        PlacedCall placed = provider.place(call("call-1", url("/alerts"), payload));

        assertThat(placed.status()).isEqualTo(CallStatus.COMPLETED);
        assertThat(placed.providerCallId()).startsWith("WH");
        LoggedRequest request = received("/alerts").get(0);
        assertThat(request.getBodyAsString()).isEqualTo(payload);
        assertThat(request.getHeader("Idempotency-Key")).isEqualTo("call-1");
        assertThat(request.getHeader("Content-Type")).startsWith("application/json");
        assertThatNoException().isThrownBy(() -> new WebhookSignatureVerifier(SECRET)
                .verify(request.getHeader("Calling-Signature"), request.getBody(), context.clock().instant()));
        CallEvent event = context.events().awaitTerminal(placed.providerCallId(), Duration.ofSeconds(5));
        assertThat(event.callId()).isEqualTo("call-1");
        assertThat(event.details()).containsEntry("status_code", "200").containsEntry("attempts", "1");
        assertThat(event.price()).isEqualTo(Money.inr("0.01"));
        assertThat(provider.fetch(placed.providerCallId())).contains(event);
    }

    @Test
    void withoutAPayloadDeliversAGeneratedEvent() throws Exception {
        receiver.stubFor(post("/events").willReturn(ok()));

        provider().place(call("call-2", url("/events"), null));

        JsonNode body = JSON.readTree(received("/events").get(0).getBody());
        assertThat(body.get("callId").asText()).isEqualTo("call-2");
        assertThat(body.get("category").asText()).isEqualTo("system_api");
        assertThat(body.get("to").asText()).isEqualTo(url("/events"));
        assertThat(body.get("metadata").get("order").asText()).isEqualTo("A-17");
    }

    @Test
    void retriesA500AndSucceedsOnTheSecondRequestWithTheSameKey() {
        receiver.stubFor(post("/flaky").inScenario("flaky").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(500)).willSetStateTo("recovered"));
        receiver.stubFor(post("/flaky").inScenario("flaky").whenScenarioStateIs("recovered").willReturn(ok()));
        WebhookProvider provider = provider();

        PlacedCall placed = provider.place(call("call-3", url("/flaky"), "{}"));

        assertThat(received("/flaky")).hasSize(2).extracting(r -> r.getHeader("Idempotency-Key")).containsOnly("call-3");
        assertThat(waits).singleElement().satisfies(w -> assertThat(w).isBetween(Duration.ZERO, Duration.ofMillis(200)));
        assertThat(provider.fetch(placed.providerCallId())).get()
                .satisfies(e -> assertThat(e.details()).containsEntry("attempts", "2"));
    }

    @Test
    void honoursRetryAfterOnA429() {
        receiver.stubFor(post("/busy").inScenario("busy").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "3")).willSetStateTo("free"));
        receiver.stubFor(post("/busy").inScenario("busy").whenScenarioStateIs("free").willReturn(ok()));

        provider().place(call("call-4", url("/busy"), "{}"));

        assertThat(received("/busy")).hasSize(2);
        assertThat(waits).containsExactly(Duration.ofSeconds(3));
    }

    @Test
    void aRetryAfterLongerThanTheCapEndsTheRetries() {
        receiver.stubFor(post("/later").willReturn(aResponse().withStatus(429).withHeader("Retry-After", "3600")));

        ProviderException e = catchThrowableOfType(ProviderException.class,
                () -> provider().place(call("call-5", url("/later"), "{}")));

        assertThat(e.reason()).isEqualTo(ErrorReason.RATE_LIMITED);
        assertThat(e.retryAfter()).contains(Duration.ofHours(1));
        assertThat(received("/later")).hasSize(1);
    }

    @Test
    void aBadRequestIsFinalAfterExactlyOneRequest() {
        receiver.stubFor(post("/strict").willReturn(aResponse().withStatus(400).withBody("bad field")));

        ProviderException e = catchThrowableOfType(ProviderException.class,
                () -> provider().place(call("call-6", url("/strict"), "{}")));

        assertThat(e.reason()).isEqualTo(ErrorReason.REJECTED);
        assertThat(e.httpStatus()).isEqualTo(400);
        assertThat(e.retryable()).isFalse();
        assertThat(received("/strict")).hasSize(1);
        assertThat(waits).isEmpty();
    }

    @Test
    void aMissingEndpointIsAnInvalidDestination() {
        receiver.stubFor(post("/gone").willReturn(aResponse().withStatus(404)));

        ProviderException e = catchThrowableOfType(ProviderException.class,
                () -> provider().place(call("call-7", url("/gone"), "{}")));

        assertThat(e.reason()).isEqualTo(ErrorReason.INVALID_DESTINATION);
        assertThat(received("/gone")).hasSize(1);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(ints = {300, 302, 307})
    void aRedirectIsNotFollowed(int status) {
        receiver.stubFor(post("/moved").willReturn(aResponse().withStatus(status).withHeader("Location", "http://169.254.169.254/")));

        ProviderException e = catchThrowableOfType(ProviderException.class,
                () -> provider().place(call("call-8", url("/moved"), "{}")));

        assertThat(e.reason()).isEqualTo(ErrorReason.REJECTED);
        assertThat(e.getMessage()).contains("redirects are not followed");
        assertThat(receiver.getAllServeEvents()).hasSize(1);
    }

    @Test
    void aConnectionResetAfterSendingIsRetriedThenLeftUnknown() {
        receiver.stubFor(post("/reset").willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

        ProviderException e = catchThrowableOfType(ProviderException.class,
                () -> provider().place(call("call-9", url("/reset"), "{}")));

        assertThat(e.reason()).isEqualTo(ErrorReason.OUTCOME_UNKNOWN);
        assertThat(received("/reset")).hasSize(4);
        assertThat(waits).hasSize(3);
        assertThat(waits.get(0)).isLessThanOrEqualTo(Duration.ofMillis(200));
        assertThat(waits.get(1)).isLessThanOrEqualTo(Duration.ofMillis(400));
        assertThat(waits.get(2)).isLessThanOrEqualTo(Duration.ofMillis(800));
    }

    @Test
    void aReplySlowerThanTheTimeoutIsRetriedThenLeftUnknown() {
        receiver.stubFor(post("/slow").willReturn(ok().withFixedDelay(1500)));

        ProviderException e = catchThrowableOfType(ProviderException.class,
                () -> provider(2, Duration.ofMillis(200), LOOPBACK).place(call("call-10", url("/slow"), "{}")));

        assertThat(e.reason()).isEqualTo(ErrorReason.OUTCOME_UNKNOWN);
        assertThat(e.retryable()).isFalse();
        assertThat(received("/slow")).hasSize(2);
    }

    /** Issue 9: four POSTs answered 5xx were reported UNAVAILABLE, so the manager also gave the call to a backup. */
    @Test
    void aReceiverThatAnswersEveryAttemptWith5xxLeavesTheOutcomeUnknown() {
        receiver.stubFor(post("/down").willReturn(aResponse().withStatus(503)));

        ProviderException e = catchThrowableOfType(ProviderException.class,
                () -> provider().place(call("call-11", url("/down"), "{}")));

        assertThat(e.reason()).isEqualTo(ErrorReason.OUTCOME_UNKNOWN);
        assertThat(e.retryable()).isFalse();
        assertThat(e.httpStatus()).isEqualTo(503);
        assertThat(received("/down")).hasSize(4).extracting(r -> r.getHeader("Idempotency-Key")).containsOnly("call-11");
    }

    static Stream<Arguments> faults() {
        ResponseDefinitionBuilder reset = aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER);
        ResponseDefinitionBuilder empty = aResponse().withFault(Fault.EMPTY_RESPONSE);
        ResponseDefinitionBuilder slow = ok().withFixedDelay(2_000);
        ResponseDefinitionBuilder tooMany = aResponse().withStatus(429);
        ResponseDefinitionBuilder tooManyForAnHour = aResponse().withStatus(429).withHeader("Retry-After", "3600");
        return Stream.of(
                arguments("500 every time", List.of(status(500)), ErrorReason.OUTCOME_UNKNOWN, 3),
                arguments("503 every time", List.of(status(503)), ErrorReason.OUTCOME_UNKNOWN, 3),
                arguments("reset after the request", List.of(reset), ErrorReason.OUTCOME_UNKNOWN, 3),
                arguments("closed without an answer", List.of(empty), ErrorReason.OUTCOME_UNKNOWN, 3),
                arguments("read timeout", List.of(slow), ErrorReason.OUTCOME_UNKNOWN, 3),
                arguments("429 every time", List.of(tooMany), ErrorReason.RATE_LIMITED, 3),
                arguments("429 for longer than the cap", List.of(tooManyForAnHour), ErrorReason.RATE_LIMITED, 1),
                arguments("400", List.of(status(400)), ErrorReason.REJECTED, 1),
                arguments("404", List.of(status(404)), ErrorReason.INVALID_DESTINATION, 1),
                arguments("302", List.of(status(302)), ErrorReason.REJECTED, 1),
                arguments("500 then 400", List.of(status(500), status(400)), ErrorReason.OUTCOME_UNKNOWN, 2),
                arguments("500 then 404", List.of(status(500), status(404)), ErrorReason.OUTCOME_UNKNOWN, 2),
                arguments("reset then 429 for an hour", List.of(reset, tooManyForAnHour), ErrorReason.OUTCOME_UNKNOWN, 2),
                arguments("500 then 429", List.of(status(500), tooMany), ErrorReason.OUTCOME_UNKNOWN, 3),
                arguments("429 then 503", List.of(tooMany, status(503)), ErrorReason.OUTCOME_UNKNOWN, 3));
    }

    /** The answers are given in turn, the last one repeated; every POST of one call carries its id as the key. */
    @ParameterizedTest(name = "{0}: {2} after {3} POSTs")
    @MethodSource("faults")
    void eachFaultGivesOneReasonAfterACountedNumberOfPosts(String fault, List<ResponseDefinitionBuilder> answers,
                                                           ErrorReason expected, int posts) {
        for (int i = 0; i < answers.size(); i++) {
            receiver.stubFor(post("/fault").inScenario("fault").whenScenarioStateIs(turn(i))
                    .willReturn(answers.get(i)).willSetStateTo(turn(Math.min(i + 1, answers.size() - 1))));
        }

        ProviderException e = catchThrowableOfType(ProviderException.class,
                () -> provider(3, readTimeout(answers), LOOPBACK).place(call("call-f", url("/fault"), "{}")));

        assertThat(e.reason()).as(fault).isEqualTo(expected);
        assertThat(received("/fault")).as(fault).hasSize(posts)
                .extracting(r -> r.getHeader("Idempotency-Key")).containsOnly("call-f");
    }

    /**
     * A short read timeout where an answer is meant to miss it; elsewhere the default, so that a stub slowed by a busy
     * machine is not read as a timeout.
     */
    private static Duration readTimeout(List<ResponseDefinitionBuilder> answers) {
        boolean slow = answers.stream().anyMatch(a -> a.build().getFixedDelayMilliseconds() != null);
        return slow ? Duration.ofMillis(300) : Duration.ofSeconds(5);
    }

    private static String turn(int answer) {
        return answer == 0 ? STARTED : "answer-" + answer;
    }

    @Test
    void aNameThatDoesNotResolveIsUnavailable() {
        context.shared(OkHttpClient.class, () -> new OkHttpClient.Builder().dns(host -> {
            throw new UnknownHostException(host + ": no such host");
        }).build());

        ProviderException e = catchThrowableOfType(ProviderException.class,
                () -> provider(2, Duration.ofSeconds(1), List.of()).place(call("call-16", "http://receiver.invalid/x", "{}")));

        assertThat(e.reason()).isEqualTo(ErrorReason.UNAVAILABLE);
        assertThat(e.retryable()).isTrue();
        assertThat(waits).hasSize(1);
    }

    /** Issue 9: the receiver and the backup provider both got the call. */
    @Test
    void aDeliveryThatMayHaveArrivedNeverFailsOverToAnotherProvider() {
        receiver.stubFor(post("/twice").willReturn(aResponse().withStatus(500)));
        FakeCallProvider backup = FakeCallProvider.builder().id("backup").categories(CallCategory.SYSTEM_API)
                .rate(Rate.perCall(CallCategory.SYSTEM_API, "", Money.inr("1"))).build();

        try (GlobalCallingManager manager = GlobalCallingManager.builder().discoverProviders(false)
                .config(ProviderConfig.empty()).provider(provider()).provider(backup).build()) {
            CallRecord record = manager.call(CallRequest.to(url("/twice")).category(CallCategory.SYSTEM_API).build());

            assertThat(record.providerId()).isEqualTo(WebhookProvider.ID);
            assertThat(record.errorReason()).isEqualTo(ErrorReason.OUTCOME_UNKNOWN.name());
            assertThat(record.needsReconciliation()).isTrue();
        }
        assertThat(received("/twice")).hasSize(4);
        assertThat(backup.receivedCalls()).isEmpty();
    }

    @Test
    void aRefusedConnectionIsUnavailable() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }

        ProviderException e = catchThrowableOfType(ProviderException.class,
                () -> provider(3, Duration.ofSeconds(1), LOOPBACK).place(call("call-12", "http://127.0.0.1:" + closedPort + "/x", "{}")));

        assertThat(e.reason()).isEqualTo(ErrorReason.UNAVAILABLE);
        assertThat(e.retryable()).isTrue();
        assertThat(waits).hasSize(2);
    }

    @Test
    void refusesPrivateNetworksUnlessAllowed() {
        receiver.stubFor(post("/internal").willReturn(ok()));
        WebhookProvider guarded = provider(4, Duration.ofSeconds(5), List.of());

        ProviderException byAddress = catchThrowableOfType(ProviderException.class,
                () -> guarded.place(call("call-13", url("/internal"), "{}")));
        ProviderException byName = catchThrowableOfType(ProviderException.class,
                () -> guarded.place(call("call-14", "http://localhost:" + receiver.getPort() + "/internal", "{}")));

        assertThat(byAddress.reason()).isEqualTo(ErrorReason.NOT_PERMITTED);
        assertThat(byName.reason()).isEqualTo(ErrorReason.NOT_PERMITTED);
        assertThat(byName.getMessage()).contains("localhost", "webhook.allowed-private-networks");
        assertThat(received("/internal")).isEmpty();
    }

    @Test
    void aPayloadThatIsNotJsonIsRefusedBeforeSending() {
        ProviderException e = catchThrowableOfType(ProviderException.class,
                () -> provider().place(call("call-15", url("/alerts"), "{not json")));

        assertThat(e.reason()).isEqualTo(ErrorReason.INVALID_REQUEST);
        assertThat(receiver.getAllServeEvents()).isEmpty();
    }
}
