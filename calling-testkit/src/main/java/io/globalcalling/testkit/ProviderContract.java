package io.globalcalling.testkit;

import io.globalcalling.CallCategory;
import io.globalcalling.spi.CallEvent;
import io.globalcalling.CallRequest;
import io.globalcalling.CallStatus;
import io.globalcalling.spi.BillingUnit;
import io.globalcalling.spi.CallingProvider;
import io.globalcalling.Endpoint;
import io.globalcalling.ErrorReason;
import io.globalcalling.spi.OutboundCall;
import io.globalcalling.spi.PlacedCall;
import io.globalcalling.spi.ProviderCapabilities;
import io.globalcalling.spi.ProviderContext;
import io.globalcalling.spi.ProviderException;
import io.globalcalling.spi.Rate;
import io.globalcalling.Skill;
import io.globalcalling.spi.WebhookContext;
import io.globalcalling.spi.WebhookRejectedException;
import io.globalcalling.spi.WebhookResult;
import io.globalcalling.CallRecord;
import io.globalcalling.WebhookRequest;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

/**
 * The behaviour every {@link CallingProvider} must show, as an abstract JUnit 5 suite. A provider's
 * test extends it, says how to create the provider, and scripts outcomes through the hooks; the
 * suite then checks identity and declarations, placing, fetching, webhooks and closing.
 *
 * <pre>{@code
 * class AcmeProviderContractTest extends ProviderContract {
 *     protected CallingProvider createProvider(ProviderContext context) { ... }
 *     protected Endpoint reachableDestination(CallCategory category) { ... }
 *     protected Endpoint invalidDestination(CallCategory category) { ... }
 *     protected Endpoint unreachableDestination(CallCategory category) { ... }
 *     protected WebhookRequest validCallback(OutboundCall call, PlacedCall placed) { ... }
 *     protected WebhookRequest badlySignedCallback(OutboundCall call, PlacedCall placed) { ... }
 *     protected Map<String, CallStatus> providerStatuses() { ... }
 *     protected WebhookRequest statusCallback(OutboundCall call, PlacedCall placed, String providerStatus) { ... }
 *     protected Optional<RateLimited> rateLimitedDestination(CallCategory category) { ... }
 *     protected Optional<Endpoint> unknownOutcomeDestination(CallCategory category) { ... }
 *     protected boolean reportThroughEventSink(OutboundCall call, PlacedCall placed) { ... }
 * }
 * }</pre>
 *
 * A provider that receives no callbacks overrides {@link #supportsWebhooks()} to return false: the
 * suite then checks, instead of the callback tests, that its {@link CallingProvider#webhooks()}
 * refuses every callback. No check is ever skipped.
 */
public abstract class ProviderContract {

    /** The context the provider under test was created with, fresh for every test. */
    protected TestProviderContext context;
    /** The provider under test, fresh for every test and closed after it. */
    protected CallingProvider provider;

    /** Creates the provider under test, reporting through {@code context}. */
    protected abstract CallingProvider createProvider(ProviderContext context);

    /**
     * Arranges whatever the provider (or its stub server) needs to accept a call of {@code category},
     * and returns a destination that the provider covers and accepts.
     */
    protected abstract Endpoint reachableDestination(CallCategory category);

    /**
     * Arranges a refusal and returns a destination the provider must refuse with a
     * {@link ProviderException} of reason {@link ErrorReason#INVALID_DESTINATION}.
     */
    protected abstract Endpoint invalidDestination(CallCategory category);

    /**
     * Arranges that the provider cannot be reached (its server refuses connections, say) and returns
     * a destination; placing a call must fail with {@link ErrorReason#UNAVAILABLE}.
     */
    protected abstract Endpoint unreachableDestination(CallCategory category);

    /**
     * Arranges that the provider's service refuses the next placement as too many requests (Twilio's HTTP 429,
     * say) and returns the scenario: the destination to call and the wait the refusal announced (its
     * {@code Retry-After}), when the service announces one. Placing must then fail as
     * {@link ErrorReason#RATE_LIMITED} carrying that wait. Return empty, with a comment saying why, only for a
     * provider that no service can rate-limit (a simulation).
     */
    protected abstract Optional<RateLimited> rateLimitedDestination(CallCategory category);

    /**
     * Arranges that the next placement's request reaches the provider's service and no answer comes back (the
     * connection drops after the request was sent, a read times out, a 5xx) and returns the destination.
     * Placing must then fail as {@link ErrorReason#OUTCOME_UNKNOWN}, never {@link ErrorReason#UNAVAILABLE}: the
     * call may exist, so the core must not fail it over. Return empty, with a comment saying why, only for a
     * provider that sends nothing over a network (a simulation).
     */
    protected abstract Optional<Endpoint> unknownOutcomeDestination(CallCategory category);

    /**
     * Makes the provider report a change of {@code placed} through the context's event sink (its own
     * timeline, a poller's next round, a stream it listens to) and returns true; returns false for a provider
     * that reports only through callbacks and {@code fetch}. The suite then checks that every event it sends
     * the sink carries our call id (or, for one returning false, that it sends none).
     */
    protected abstract boolean reportThroughEventSink(OutboundCall call, PlacedCall placed);

    /**
     * A rate-limit refusal a provider test arranged.
     *
     * @param destination          the destination whose placement the service refuses
     * @param announcedRetryAfter  the wait the refusal announced, kept on the exception; null when the service announces none
     */
    public record RateLimited(Endpoint destination, @Nullable Duration announcedRetryAfter) {
        public RateLimited {
            java.util.Objects.requireNonNull(destination, "destination");
        }
    }

    /** The context the provider is created with; override to give a clock or a webhook URL. */
    protected TestProviderContext createContext() {
        return TestProviderContext.create();
    }

    /**
     * Whether the provider receives callbacks. Return false, with a comment saying why, for a
     * provider that reports only through its event sink or {@code fetch}; the suite then checks that
     * it refuses every callback instead of parsing them.
     */
    protected boolean supportsWebhooks() {
        return true;
    }

    /** A correctly signed status callback for {@code placed}, as the provider would send it. Required when {@link #supportsWebhooks()}. */
    protected WebhookRequest validCallback(OutboundCall call, PlacedCall placed) {
        throw new AssertionError(getClass().getSimpleName()
                + " must override validCallback(...) or return false from supportsWebhooks()");
    }

    /** A status callback for {@code placed} whose signature is wrong. Required when {@link #supportsWebhooks()}. */
    protected WebhookRequest badlySignedCallback(OutboundCall call, PlacedCall placed) {
        throw new AssertionError(getClass().getSimpleName()
                + " must override badlySignedCallback(...) or return false from supportsWebhooks()");
    }

    /**
     * Every call status the provider reports, by its own name, with the {@link CallStatus} it must map to
     * (e.g. Twilio's {@code "in-progress"} → {@code ANSWERED}). Required when {@link #supportsWebhooks()}.
     */
    protected Map<String, CallStatus> providerStatuses() {
        throw new AssertionError(getClass().getSimpleName()
                + " must override providerStatuses() or return false from supportsWebhooks()");
    }

    /**
     * A correctly signed status callback for {@code placed} reporting {@code providerStatus}, one of the
     * names {@link #providerStatuses()} lists. Required when {@link #supportsWebhooks()}.
     */
    protected WebhookRequest statusCallback(OutboundCall call, PlacedCall placed, String providerStatus) {
        throw new AssertionError(getClass().getSimpleName()
                + " must override statusCallback(...) or return false from supportsWebhooks()");
    }

    /**
     * Whether the provider receives messages from terminals (replies, positions, delivery confirmations).
     * Return true and override {@link #triggerInboundMessage()} for one that does; the suite then checks
     * that such a message reaches the context's sink. For one that does not, it checks that none arrives.
     */
    protected boolean receivesInboundMessages() {
        return false;
    }

    /** Makes the provider receive one message from a terminal (sends it to its listener, say). Required when {@link #receivesInboundMessages()}. */
    protected void triggerInboundMessage() {
        throw new AssertionError(getClass().getSimpleName()
                + " must override triggerInboundMessage() or return false from receivesInboundMessages()");
    }

    /** The category the single-category checks use: the first one the provider declares. */
    protected CallCategory primaryCategory() {
        return provider.categories().stream().sorted().findFirst()
                .orElseThrow(() -> new AssertionError("provider declares no category"));
    }

    /** The call the suite places; override to add what a provider requires (a caller id, say). */
    protected OutboundCall outboundCall(CallCategory category, Endpoint to) {
        CallRequest.Builder request = CallRequest.to(to).category(category).metadata("suite", "provider-contract");
        String spoken = null;
        switch (category) {
            case AI_AUTOMATED -> {
                request.script("Hello {{name}}, this is a test call from the provider contract.").variable("name", "Asha");
                spoken = "Hello Asha, this is a test call from the provider contract.";
            }
            case HUMAN_AGENT -> request.skill(Skill.GENERAL);
            case SYSTEM_API -> request.payload("{\"event\":\"provider-contract\",\"ok\":true}");
            default -> { }
        }
        return OutboundCall.builder("contract-" + UUID.randomUUID(), category, request.build()).spokenText(spoken).build();
    }

    @BeforeEach
    void createProviderUnderTest() {
        context = createContext();
        provider = createProvider(context);
        assertThat(provider).as("createProvider(...)").isNotNull();
    }

    @AfterEach
    void closeProviderUnderTest() {
        try {
            if (provider != null) provider.close();
        } finally {
            if (context != null) context.close();
        }
    }

    private PlacedCall placeReachable(CallCategory category, OutboundCall[] out) {
        OutboundCall call = outboundCall(category, reachableDestination(category));
        out[0] = call;
        return provider.place(call);
    }

    @Nested
    @DisplayName("pricing units")
    class PricingUnits {

        @Test
        @DisplayName("every unit a rate charges is a billing unit the provider declares")
        void ratesChargeOnlyDeclaredUnits() {
            Set<BillingUnit> declared = provider.capabilities().billingUnits();
            for (Rate r : provider.rates()) {
                String rate = r.category().wireName() + " rate for prefix '" + r.prefix() + "'";
                if (!r.perMinute().isZero()) assertThat(declared).as(rate + " charges per minute").contains(BillingUnit.PER_MINUTE);
                if (!r.perCall().isZero()) assertThat(declared).as(rate + " charges per call").contains(BillingUnit.PER_CALL);
                if (!r.perMessage().isZero() || !r.minimumCharge().isZero()) {
                    assertThat(declared).as(rate + " charges per message").contains(BillingUnit.PER_MESSAGE);
                }
                if (!r.perByte().isZero()) assertThat(declared).as(rate + " charges per byte").contains(BillingUnit.PER_BYTE);
            }
        }

        @Test
        @DisplayName("a provider that charges per byte carries payloads")
        void perBytePricingNeedsAPayloadMaximum() {
            if (provider.capabilities().billingUnits().contains(BillingUnit.PER_BYTE)) {
                assertThat(provider.capabilities().maxPayloadBytes()).as("maxPayloadBytes of a provider billing per byte")
                        .isPositive();
            } else {
                assertThat(provider.rates()).as("rates of a provider not billing per byte")
                        .allSatisfy(r -> assertThat(r.perByte().isZero()).isTrue());
            }
        }
    }

    @Nested
    @DisplayName("messages to and from terminals")
    class TerminalMessages {

        @Test
        @DisplayName("a provider with a payload maximum serves satellite or system_api and takes a payload of exactly that size")
        void takesAPayloadOfItsDeclaredMaximum() {
            int max = provider.capabilities().maxPayloadBytes();
            Optional<CallCategory> category = provider.categories().stream().sorted()
                    .filter(c -> c == CallCategory.SATELLITE || c == CallCategory.SYSTEM_API).findFirst();
            if (max == 0) {
                assertThat(provider.capabilities().billingUnits()).as("billing units of a provider carrying no payload")
                        .doesNotContain(BillingUnit.PER_BYTE);
                return;
            }
            assertThat(category).as("a provider with maxPayloadBytes " + max + " serves satellite or system_api").isPresent();
            byte[] bytes = new byte[max];
            for (int i = 0; i < max; i++) bytes[i] = (byte) i;
            OutboundCall plain = outboundCall(category.get(), reachableDestination(category.get()));
            OutboundCall call = new OutboundCall(plain.callId(), 1, plain.category(),
                    plain.request().toBuilder().payload((String) null).payload(bytes).build(), null, null);

            PlacedCall placed = provider.place(call);

            assertThat(placed.providerCallId()).isNotBlank();
            assertThat(call.binaryPayload()).get().extracting(io.globalcalling.BinaryPayload::size).isEqualTo(max);
        }

        @Test
        @DisplayName("inbound messages reach the context's sink as valid messages of this provider, and only when it receives any")
        void inboundMessagesReachTheSink() throws InterruptedException {
            if (!receivesInboundMessages()) {
                OutboundCall[] call = new OutboundCall[1];
                placeReachable(primaryCategory(), call);
                assertThat(context.inboundMessages()).as("inbound messages from a provider that receives none").isEmpty();
                return;
            }
            triggerInboundMessage();
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
            while (context.inboundMessages().isEmpty() && System.nanoTime() < deadline) Thread.sleep(10);

            assertThat(context.inboundMessages()).as("messages delivered to the context's inbound sink").isNotEmpty()
                    .allSatisfy(m -> {
                        assertThat(m.providerId()).isEqualTo(provider.id());
                        assertThat(provider.covers(m.from())).as("the provider reaches " + m.from().value()).isTrue();
                    });
        }
    }

    @Nested
    @DisplayName("identity and declarations")
    class Declarations {

        @Test
        @DisplayName("the id is stable and lower-case")
        void idIsStableAndLowerCase() {
            assertThat(provider.id()).matches("[a-z][a-z0-9_-]*").isEqualTo(provider.id());
        }

        @Test
        @DisplayName("at least one category is declared")
        void declaresCategories() {
            assertThat(provider.categories()).isNotEmpty();
        }

        @Test
        @DisplayName("rates price every declared category, and only categories it supports")
        void ratesMatchCategories() {
            List<Rate> rates = provider.rates();
            assertThat(rates).isNotEmpty();
            Set<CallCategory> priced = rates.stream().map(Rate::category).collect(Collectors.toSet());
            assertThat(priced).containsAll(provider.categories());
            // a category the host may enable (<id>.categories) is priced before it is enabled
            assertThat(provider.supportedCategories()).containsAll(priced);
        }

        @Test
        @DisplayName("capabilities are consistent with the categories")
        void capabilitiesAreConsistent() {
            ProviderCapabilities caps = provider.capabilities();
            if (provider.categories().contains(CallCategory.HUMAN_AGENT)) {
                assertThat(caps.totalAgents()).as("totalAgents of a human_agent provider").isPositive();
                assertThat(caps.agentsBySkill()).as("agentsBySkill of a human_agent provider").isNotEmpty();
                int sum = caps.agentsBySkill().values().stream().mapToInt(Integer::intValue).sum();
                assertThat(sum).as("agents per skill (an agent may have several skills)")
                        .isGreaterThanOrEqualTo(caps.totalAgents());
                assertThat(caps.agentsBySkill().values()).allSatisfy(n -> assertThat(n).isBetween(0, caps.totalAgents()));
            } else {
                assertThat(caps.totalAgents()).as("totalAgents without human_agent").isZero();
                assertThat(caps.agentsBySkill()).as("agentsBySkill without human_agent").isEmpty();
            }
            if (provider.categories().contains(CallCategory.AI_AUTOMATED)) {
                assertThat(caps.ttsLanguages()).as("ttsLanguages of an ai_automated provider").isNotEmpty();
            }
            assertThat(caps.ttsLanguages()).allSatisfy(tag ->
                    assertThat(Locale.forLanguageTag(tag).toLanguageTag()).as("BCP-47 tag " + tag).isEqualToIgnoringCase(tag));
        }

        @Test
        @DisplayName("coverage is declared, and global for a satellite provider")
        void coverageIsDeclared() {
            var coverage = provider.coverage();
            assertThat(coverage.global() || !coverage.countries().isEmpty()).as("covers somewhere").isTrue();
            if (provider.categories().contains(CallCategory.SATELLITE)) {
                assertThat(coverage.global()).as("a satellite provider reaches everywhere").isTrue();
            }
        }

        @Test
        @DisplayName("the provider covers its reachable destinations")
        void coversReachableDestinations() {
            for (CallCategory category : provider.categories()) {
                Endpoint destination = reachableDestination(category);
                assertThat(provider.covers(destination)).as("covers " + destination + " for " + category.wireName()).isTrue();
            }
        }
    }

    @Nested
    @DisplayName("placing a call")
    class Placing {

        @TestFactory
        @DisplayName("a call of every declared category is accepted with a provider call id")
        Stream<DynamicTest> placesEveryCategory() {
            return provider.categories().stream().sorted().map(category -> DynamicTest.dynamicTest(category.wireName(), () -> {
                OutboundCall[] call = new OutboundCall[1];
                PlacedCall first = placeReachable(category, call);
                PlacedCall second = placeReachable(category, call);
                assertThat(first.providerCallId()).isNotBlank();
                assertThat(first.status()).isNotNull();
                assertThat(second.providerCallId()).as("two calls get two ids").isNotEqualTo(first.providerCallId());
            }));
        }

        @Test
        @DisplayName("an invalid destination is refused as INVALID_DESTINATION, not retryable")
        void refusesInvalidDestination() {
            CallCategory category = primaryCategory();
            OutboundCall call = outboundCall(category, invalidDestination(category));
            ProviderException e = catchThrowableOfType(ProviderException.class, () -> provider.place(call));
            assertThat(e).as("place(invalid destination) throws ProviderException").isNotNull();
            assertThat(e.reason()).isEqualTo(ErrorReason.INVALID_DESTINATION);
            assertThat(e.retryable()).isFalse();
            assertThat(e.providerId()).isEqualTo(provider.id());
        }

        @Test
        @DisplayName("an unreachable provider fails as UNAVAILABLE, safe to fail over")
        void reportsUnreachableAsUnavailable() {
            CallCategory category = primaryCategory();
            OutboundCall call = outboundCall(category, unreachableDestination(category));
            ProviderException e = catchThrowableOfType(ProviderException.class, () -> provider.place(call));
            assertThat(e).as("place(unreachable) throws ProviderException").isNotNull();
            assertThat(e.reason()).isEqualTo(ErrorReason.UNAVAILABLE);
            assertThat(e.retryable()).isTrue();
            assertThat(e.providerId()).isEqualTo(provider.id());
        }
    }

    /**
     * How the provider reports the two faults the core treats apart: throttled (wait, then try again or fail
     * over) and sent with no answer (reconcile; never send again). Each hook arranges its fault only when its
     * check runs; a provider whose test says the fault cannot happen (empty, with its reason) has nothing to show.
     */
    @Nested
    @DisplayName("faults")
    class Faults {

        @Test
        @DisplayName("a refusal as too many requests is RATE_LIMITED, with the announced Retry-After")
        void rateLimited() {
            CallCategory category = primaryCategory();
            rateLimitedDestination(category).ifPresent(scenario -> rateLimitedIsRateLimited(category, scenario));
        }

        @Test
        @DisplayName("a failure after the request was sent is OUTCOME_UNKNOWN, never UNAVAILABLE")
        void unknownAfterSending() {
            CallCategory category = primaryCategory();
            unknownOutcomeDestination(category).ifPresent(d -> unknownAfterSendingIsOutcomeUnknown(category, d));
        }
    }

    void rateLimitedIsRateLimited(CallCategory category, RateLimited scenario) {
        OutboundCall call = outboundCall(category, scenario.destination());
        ProviderException e = catchThrowableOfType(ProviderException.class, () -> provider.place(call));
        assertThat(e).as("place(rate-limited) throws ProviderException").isNotNull();
        assertThat(e.reason()).as("reason of a rate-limit refusal").isEqualTo(ErrorReason.RATE_LIMITED);
        assertThat(e.retryable()).isTrue();
        assertThat(e.providerId()).isEqualTo(provider.id());
        if (scenario.announcedRetryAfter() != null) {
            assertThat(e.retryAfter()).as("the announced Retry-After, kept for the core's pacing")
                    .contains(scenario.announcedRetryAfter());
        }
    }

    void unknownAfterSendingIsOutcomeUnknown(CallCategory category, Endpoint destination) {
        OutboundCall call = outboundCall(category, destination);
        ProviderException e = catchThrowableOfType(ProviderException.class, () -> provider.place(call));
        assertThat(e).as("place(sent, no answer) throws ProviderException").isNotNull();
        assertThat(e.reason()).as("reason of a failure after sending (UNAVAILABLE would fail the call over: sent twice)")
                .isEqualTo(ErrorReason.OUTCOME_UNKNOWN);
        assertThat(e.retryable()).as("retryable of an unknown outcome").isFalse();
        assertThat(e.providerId()).isEqualTo(provider.id());
    }

    /**
     * Events a provider sends through its own sink may arrive before its placement returns, so the core can
     * match them only by our call id: each must carry it.
     */
    @Test
    @DisplayName("events reported through the context's sink carry our call id")
    void sinkEventsCarryOurCallId() throws InterruptedException {
        OutboundCall[] call = new OutboundCall[1];
        PlacedCall placed = placeReachable(primaryCategory(), call);
        if (!reportThroughEventSink(call[0], placed)) {
            provider.fetch(placed.providerCallId());
            assertThat(context.events().events()).as("events sent to the sink by a provider that reports none there")
                    .isEmpty();
            return;
        }
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
        while (context.events().events().isEmpty() && System.nanoTime() < deadline) Thread.sleep(10);

        assertThat(context.events().events()).as("events sent to the context's sink").isNotEmpty().allSatisfy(e -> {
            assertThat(e.providerId()).isEqualTo(provider.id());
            assertThat(e.callId()).as("callId of " + e).isEqualTo(call[0].callId());
            assertThat(e.providerCallId()).as("providerCallId of " + e).isIn(null, placed.providerCallId());
        });
    }

    @Nested
    @DisplayName("fetching a call")
    class Fetching {

        @Test
        @DisplayName("a placed call is fetched with a status")
        void fetchesPlacedCall() {
            OutboundCall[] call = new OutboundCall[1];
            PlacedCall placed = placeReachable(primaryCategory(), call);
            Optional<CallEvent> fetched = provider.fetch(placed.providerCallId());
            assertThat(fetched).as("fetch(" + placed.providerCallId() + ")").isPresent();
            assertThat(fetched.get().providerCallId()).isEqualTo(placed.providerCallId());
            assertThat(fetched.get().providerId()).isEqualTo(provider.id());
            assertThat(fetched.get().status()).isNotNull();
        }

        @Test
        @DisplayName("an unknown id is empty or a clear ProviderException")
        void unknownIdIsEmptyOrClear() {
            String unknown = "UNKNOWN" + UUID.randomUUID().toString().replace("-", "");
            try {
                assertThat(provider.fetch(unknown)).isEmpty();
            } catch (ProviderException e) {
                assertThat(e.providerId()).isEqualTo(provider.id());
                assertThat(e.getMessage()).isNotBlank();
            }
        }
    }

    /**
     * The webhook checks: a provider that receives callbacks must verify and parse them; one that
     * declares {@link #supportsWebhooks()} false must refuse every callback. Each provider gets the
     * checks that apply to it, so none is skipped.
     */
    @TestFactory
    @DisplayName("webhooks")
    Stream<DynamicTest> webhooks() {
        if (!supportsWebhooks()) {
            return Stream.of(dynamicTest("a provider without webhooks refuses every callback", this::refusesEveryCallback));
        }
        return Stream.of(
                dynamicTest("a valid callback parses into events of the placed call", this::validCallbackParses),
                dynamicTest("a badly signed callback is refused with 403 and changes nothing", this::badlySignedCallbackIsRefused),
                dynamicTest("a duplicate callback parses the same", this::duplicateParsesTheSame));
    }

    private WebhookResult handle(WebhookRequest request) {
        return provider.webhooks().handle(request, WebhookContext.none());
    }

    private void validCallbackParses() {
        OutboundCall[] call = new OutboundCall[1];
        PlacedCall placed = placeReachable(primaryCategory(), call);
        List<CallEvent> events = handle(validCallback(call[0], placed)).events();
        assertThat(events).isNotEmpty().allSatisfy(e -> {
            assertThat(e.providerCallId()).isEqualTo(placed.providerCallId());
            assertThat(e.providerId()).isEqualTo(provider.id());
        });
    }

    private void badlySignedCallbackIsRefused() {
        OutboundCall[] call = new OutboundCall[1];
        PlacedCall placed = placeReachable(primaryCategory(), call);
        WebhookRequest forged = badlySignedCallback(call[0], placed);
        int eventsBefore = context.events().size();
        Optional<CallStatus> before = provider.fetch(placed.providerCallId()).map(CallEvent::status);
        WebhookRejectedException e = catchThrowableOfType(WebhookRejectedException.class, () -> handle(forged));
        assertThat(e).as("handle(badly signed) throws WebhookRejectedException").isNotNull();
        assertThat(e.httpStatus()).isEqualTo(403);
        assertThat(provider.fetch(placed.providerCallId()).map(CallEvent::status)).isEqualTo(before);
        assertThat(context.events().size()).isEqualTo(eventsBefore);
    }

    private void duplicateParsesTheSame() {
        OutboundCall[] call = new OutboundCall[1];
        PlacedCall placed = placeReachable(primaryCategory(), call);
        WebhookRequest callback = validCallback(call[0], placed);
        List<CallEvent> first = handle(callback).events();
        List<CallEvent> again = handle(callback).events();
        assertThat(again).isEqualTo(first);
    }

    private void refusesEveryCallback() {
        WebhookRejectedException e = catchThrowableOfType(WebhookRejectedException.class, () -> handle(anyCallback()));
        assertThat(e).as("handle(...) on a provider without webhooks throws").isNotNull();
    }

    private WebhookRequest anyCallback() {
        return WebhookRequest.post("https://host.example/webhooks/" + provider.id(),
                Map.of("Content-Type", "application/json"), "{\"status\":\"completed\"}");
    }

    /**
     * What the core does with a callback: the events a verified one yields must reach the lifecycle as events of
     * our call (by our call id, or by the provider call id the placement returned), and each status the provider
     * reports must map to the one {@link #providerStatuses()} expects.
     */
    @TestFactory
    @DisplayName("webhooks reaching our calls")
    Stream<DynamicTest> webhooksReachingOurCalls() {
        if (!supportsWebhooks()) {
            return Stream.of(dynamicTest("a provider without webhooks refuses with a client error and looks up no call",
                    this::refusesWithoutLookingUp));
        }
        Map<String, CallStatus> statuses = providerStatuses();
        assertThat(statuses).as("providerStatuses()").isNotEmpty();
        Stream<DynamicTest> reaching = Stream.of(
                dynamicTest("a verified status callback yields events of our call, acknowledged with a 2xx",
                        this::verifiedCallbackReachesOurCall),
                dynamicTest("a forged callback is refused with 403 before any call is looked up",
                        this::forgedCallbackLooksUpNothing));
        Stream<DynamicTest> mapping = statuses.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(s -> dynamicTest("status '" + s.getKey() + "' maps to " + s.getValue(),
                        () -> statusMapsTo(s.getKey(), s.getValue())));
        return Stream.concat(reaching, mapping);
    }

    private void verifiedCallbackReachesOurCall() {
        OutboundCall[] call = new OutboundCall[1];
        PlacedCall placed = placeReachable(primaryCategory(), call);
        WebhookResult result = handle(validCallback(call[0], placed));
        assertThat(result.response().status()).as("the acknowledgement's status").isBetween(200, 299);
        assertThat(result.events()).isNotEmpty().allSatisfy(e -> {
            assertThat(e.providerId()).as("providerId (another provider's events are dropped)").isEqualTo(provider.id());
            assertThat(ourCallIdOf(e, call[0], placed)).as("the call the lifecycle applies " + e + " to").isEqualTo(call[0].callId());
        });
    }

    /** The call the lifecycle finds for {@code event}: by our id when it carries one, else by the provider's. */
    private static String ourCallIdOf(CallEvent event, OutboundCall call, PlacedCall placed) {
        if (event.callId() != null) return event.callId();
        return placed.providerCallId().equals(event.providerCallId()) ? call.callId() : null;
    }

    private void forgedCallbackLooksUpNothing() {
        OutboundCall[] call = new OutboundCall[1];
        PlacedCall placed = placeReachable(primaryCategory(), call);
        LookupRecorder lookups = new LookupRecorder();
        WebhookRejectedException e = catchThrowableOfType(WebhookRejectedException.class,
                () -> provider.webhooks().handle(badlySignedCallback(call[0], placed), lookups));
        assertThat(e).as("handle(forged) throws WebhookRejectedException").isNotNull();
        assertThat(e.httpStatus()).isEqualTo(403);
        assertThat(lookups.count).as("calls looked up for a forged request").isZero();
    }

    private void statusMapsTo(String providerStatus, CallStatus expected) {
        OutboundCall[] call = new OutboundCall[1];
        PlacedCall placed = placeReachable(primaryCategory(), call);
        List<CallEvent> events = handle(statusCallback(call[0], placed, providerStatus)).events();
        assertThat(events).as("events of a '" + providerStatus + "' callback")
                .filteredOn(ev -> ev.status() != null).singleElement()
                .satisfies(ev -> {
                    assertThat(ev.status()).isEqualTo(expected);
                    assertThat(ourCallIdOf(ev, call[0], placed)).isEqualTo(call[0].callId());
                });
    }

    private void refusesWithoutLookingUp() {
        LookupRecorder lookups = new LookupRecorder();
        WebhookRejectedException e = catchThrowableOfType(WebhookRejectedException.class,
                () -> provider.webhooks().handle(anyCallback(), lookups));
        assertThat(e).as("handle(...) on a provider without webhooks throws").isNotNull();
        assertThat(e.httpStatus()).isBetween(400, 499);
        assertThat(lookups.count).isZero();
    }

    /** A context that knows no call and counts how often it was asked. */
    private static final class LookupRecorder implements WebhookContext {
        int count;

        @Override
        public Optional<CallRecord> call(String callId) {
            count++;
            return Optional.empty();
        }

        @Override
        public Optional<CallRecord> callByProviderId(String providerCallId) {
            count++;
            return Optional.empty();
        }
    }

    /**
     * Idempotent placement: a provider that declares {@code idempotentPlacement} deduplicates by our
     * call id, since core sends a call whose answer was lost to it again. Providers that do not
     * declare it are never sent a call twice, so there is nothing of theirs to check here.
     */
    @TestFactory
    @DisplayName("idempotent placement")
    Stream<DynamicTest> idempotentPlacement() {
        if (!provider.capabilities().idempotentPlacement()) return Stream.empty();
        return Stream.of(dynamicTest("the same call sent again is the same call, under the same provider call id",
                this::theSameCallSentAgainIsOneCall));
    }

    private void theSameCallSentAgainIsOneCall() {
        CallCategory category = primaryCategory();
        OutboundCall call = outboundCall(category, reachableDestination(category));
        PlacedCall first = provider.place(call);
        PlacedCall again = provider.place(call);
        PlacedCall other = provider.place(outboundCall(category, reachableDestination(category)));
        assertThat(again.providerCallId()).as("the re-sent call").isEqualTo(first.providerCallId());
        assertThat(other.providerCallId()).as("another call id").isNotEqualTo(first.providerCallId());
    }

    @Nested
    @DisplayName("closing")
    class Closing {

        @Test
        @DisplayName("close() is idempotent")
        void closeIsIdempotent() {
            assertThatNoException().isThrownBy(() -> {
                provider.close();
                provider.close();
            });
        }
    }
}
