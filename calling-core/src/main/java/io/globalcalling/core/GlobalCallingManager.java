package io.globalcalling.core;

import io.globalcalling.core.coverage.CoverageCalculator;
import io.globalcalling.core.coverage.CoverageReport;
import io.globalcalling.core.coverage.Geography;
import io.globalcalling.core.coverage.LibPhoneNumberInfo;
import io.globalcalling.core.coverage.NaturalEarthGeography;
import io.globalcalling.core.coverage.NumberInfo;
import io.globalcalling.core.cost.CostEstimate;
import io.globalcalling.core.cost.CostEstimator;
import io.globalcalling.core.cost.FxTable;
import io.globalcalling.core.cost.RateDeck;
import io.globalcalling.core.internal.ProviderRegistry;
import io.globalcalling.core.internal.ScriptTemplate;
import io.globalcalling.core.internal.SharedHttpClient;
import io.globalcalling.core.internal.SharedResources;
import io.globalcalling.core.lifecycle.CallLifecycle;
import io.globalcalling.core.lifecycle.CallStatusChanged;
import io.globalcalling.core.lifecycle.FreeText;
import io.globalcalling.core.lifecycle.UnresolvedCall;
import io.globalcalling.core.limits.Admission;
import io.globalcalling.core.limits.CallLimits;
import io.globalcalling.core.limits.LimitExceededException;
import io.globalcalling.core.limits.ProviderPacing;
import io.globalcalling.core.policy.DestinationPolicy;
import io.globalcalling.core.routing.ProviderCatalog;
import io.globalcalling.core.routing.QualityTracker;
import io.globalcalling.core.routing.RouteOption;
import io.globalcalling.core.routing.RoutePlan;
import io.globalcalling.core.routing.RoutePlanner;
import io.globalcalling.core.store.InMemoryCallStore;
import io.globalcalling.core.store.InMemoryLimitLedger;
import io.globalcalling.core.webhook.Webhooks;
import io.globalcalling.CallCategory;
import io.globalcalling.spi.CallEvent;
import io.globalcalling.CallRequest;
import io.globalcalling.CallStatus;
import io.globalcalling.spi.CallingProvider;
import io.globalcalling.spi.CallingProviderFactory;
import io.globalcalling.Endpoint;
import io.globalcalling.ErrorReason;
import io.globalcalling.InboundMessage;
import io.globalcalling.Money;
import io.globalcalling.spi.OutboundCall;
import io.globalcalling.spi.ProviderCapabilities;
import io.globalcalling.PhoneNumber;
import io.globalcalling.spi.PlacedCall;
import io.globalcalling.spi.ProviderConfig;
import io.globalcalling.spi.ProviderException;
import io.globalcalling.spi.Rate;
import io.globalcalling.spi.Urls;
import io.globalcalling.SatelliteTerminal;
import io.globalcalling.SipUri;
import io.globalcalling.WebhookUrl;
import io.globalcalling.CallRecord;
import io.globalcalling.spi.store.CallStore;
import io.globalcalling.spi.store.CallUpdate;
import io.globalcalling.spi.store.DuplicateCallException;
import io.globalcalling.spi.store.LimitLedger;
import io.globalcalling.spi.store.StoredEvent;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * Places, routes, prices, limits and records calls of every category. Build one per application
 * and share it; it is thread-safe. {@link #close()} releases its providers and threads (a store the
 * host passed in stays open: it is the host's to close).
 *
 * <pre>{@code
 * try (GlobalCallingManager calling = GlobalCallingManager.builder().build()) {   // sandbox + in-memory store
 *     CallRecord call = calling.call(CallRequest.to("+919876543210").purpose(Purpose.SUPPORT).build());
 * }
 * }</pre>
 *
 * <p>A call flows: plan the route → admit it against the customer's limits (rate windows, spend hold)
 * → write the record (before any provider is asked) → place it with the first option, failing over
 * only when the provider definitely did not accept it → apply the provider's events as they come.
 */
public final class GlobalCallingManager implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(GlobalCallingManager.class);
    private static final String UNRESOLVED = "unresolved";
    private static final String PAYLOAD_BYTES = "payloadBytes";
    /**
     * The talk time a record's {@code estimatedCost} is priced for (the request's shorter maxDuration
     * wins). The hold covers far longer, the category's hold duration, so that it is rarely exceeded.
     */
    public static final Duration EXPECTED_TALK_TIME = Duration.ofMinutes(2);

    private final Clock clock;
    private final ProviderRegistry registry;
    private final SharedResources shared;
    private final CallStore store;
    private final boolean ownsStore;
    private final FxTable fx;
    private final QualityTracker quality;
    private final RoutePlanner planner;
    private final CostEstimator estimator;
    private final CallLimits limits;
    private final ProviderPacing pacing;
    private final CallLifecycle lifecycle;
    private final Webhooks webhooks;
    private final Geography geography;
    private final CoverageCalculator coverage = new CoverageCalculator();
    private final NumberInfo numbers;
    private final DestinationPolicy policy;
    private final Map<String, RateDeck> decks = new ConcurrentHashMap<>();
    private final Calls calls;
    private final List<Consumer<UnresolvedCall>> unresolvedListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<InboundMessage>> inboundListeners = new CopyOnWriteArrayList<>();

    private GlobalCallingManager(Builder b) {
        this.clock = b.clock;
        this.ownsStore = b.store == null;
        this.store = ownsStore ? new InMemoryCallStore() : b.store;
        LimitLedger ledger = b.ledger != null ? b.ledger : new InMemoryLimitLedger();
        this.fx = b.fx != null ? b.fx : FxTable.defaults();
        this.shared = new SharedResources(clock, b.webhookBaseUrl != null ? b.webhookBaseUrl
                : b.config.get("calling.webhook-base-url").map(URI::create).orElse(null));
        OkHttpClient http = SharedHttpClient.create(b.config); // read now, so a bad setting fails the build
        shared.preferFactory(OkHttpClient.class, () -> http);
        this.registry = ProviderRegistry.create(b.config, b.providers, b.discover ? null : List.of(),
                b.classLoader, shared::contextFor);
        try {
            registry.providers().forEach(this::indexRates);
            this.geography = b.geography != null ? b.geography : new NaturalEarthGeography();
            this.numbers = b.numbers != null ? b.numbers : new LibPhoneNumberInfo();
            this.policy = b.policy != null ? b.policy : DestinationPolicy.from(b.config);
            this.quality = QualityTracker.ofDefaults(clock);
            ProviderCatalog catalog = new ProviderCatalog() {
                @Override
                public List<CallingProvider> providers() {
                    return List.copyOf(registry.providers());
                }

                @Override
                public RateDeck deck(String providerId) {
                    return decks.getOrDefault(providerId, RateDeck.of(List.of()));
                }
            };
            this.planner = new RoutePlanner(catalog, geography, numbers, fx, quality, clock);
            this.estimator = new CostEstimator(fx);
            CallLimits.Builder lb = CallLimits.builder().ledger(ledger).clock(clock).currency(fx.reportingCurrency());
            b.limits.accept(lb);
            this.limits = lb.build();
            ProviderPacing.Builder pb = ProviderPacing.builder();
            registry.providers().forEach(p -> pb.declared(p.id(), p.capabilities().pace()));
            b.pacing.accept(pb);
            this.pacing = pb.build();
            this.lifecycle = new CallLifecycle(store, clock, new CallLifecycle.TerminalHandler() {
                @Override
                public Money settle(CallRecord record, CallEvent event) {
                    return settleEnded(record, event);
                }

                @Override
                public void ended(CallRecord record) {
                    learnFrom(record);
                }
            });
            shared.eventSink(this::applyQuietly);
            shared.inboundSink(this::receiveQuietly);
            this.webhooks = new Webhooks(registry::find, lifecycle,
                    b.webhookMaxBodyBytes != null ? b.webhookMaxBodyBytes
                            : b.config.getInt("calling.webhooks.max-body-bytes").orElse(Webhooks.DEFAULT_MAX_BODY_BYTES),
                    b.trustForwardedHeaders != null ? b.trustForwardedHeaders
                            : b.config.get("calling.webhooks.trust-forwarded-headers").map(GlobalCallingManager::bool).orElse(false));
            this.calls = new Calls(store, lifecycle);
        } catch (RuntimeException e) {
            registry.close();
            shared.close();
            throw e;
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    // ---------------------------------------------------------------- placing calls

    /**
     * Routes and places a call, returning its record as it stands once a provider accepted it (or
     * once its outcome became unknown, flagged {@code needsReconciliation}). The call usually goes on
     * after this returns; {@code calls().await(callId, timeout)} waits for its end. A provider that
     * answers with the end itself (a synchronous delivery) returns the ended, settled record.
     *
     * @throws IllegalArgumentException         bad input; nothing was recorded or sent
     * @throws io.globalcalling.core.policy.DestinationNotPermittedException the destination policy refuses the
     *                                          number (toll fraud ranges); nothing recorded
     * @throws io.globalcalling.core.routing.NoRouteException no provider can take the call; nothing recorded
     * @throws LimitExceededException           a rate window or budget refused it; nothing recorded
     * @throws CallFailedException              it was recorded, and every provider option refused or failed
     */
    public CallRecord call(CallRequest request) {
        Objects.requireNonNull(request, "request");
        validate(request);
        if (request.idempotencyKey() != null) {
            Optional<CallRecord> existing = store.findByIdempotencyKey(request.customerId(), request.idempotencyKey());
            if (existing.isPresent()) return existing.get();
        }
        RoutePlan plan = planner.plan(request);
        String spokenText = request.script() == null ? null : ScriptTemplate.render(request.script(), request.variables());
        String callId = newCallId();

        // What the call is expected to cost; priced before the hold, so that a failure here leaves nothing held.
        Duration expected = request.maxDuration() != null && request.maxDuration().compareTo(EXPECTED_TALK_TIME) < 0
                ? request.maxDuration() : EXPECTED_TALK_TIME;
        Money estimate = estimator.estimate(plan.primary(), expected, request.payloadBytes()).total();
        Admission admission = admit(callId, request, plan);

        CallRecord record = CallRecord.initiated(callId, request.customerId(), plan.category(),
                request.from() == null ? null : request.from().value(), request.to().value(), request.purpose(),
                request.priority(), request.idempotencyKey(), request.campaignId(), admission.held(), estimate,
                reasonsOf(plan), admission.bypassed(), clock.instant(), request.metadata());
        try {
            store.create(record);
        } catch (DuplicateCallException e) {
            limits.release(callId);
            return store.find(e.existingCallId()).orElseThrow(() -> e);
        } catch (RuntimeException e) {
            limits.release(callId);
            throw e;
        }
        store.appendEvent(new StoredEvent(callId, "core", "routed", CallStatus.INITIATED, clock.instant(),
                routedDetails(request, plan, admission)));
        return place(record, plan, request, spokenText);
    }

    /**
     * Holds what the dearest option could cost, so a failover never runs past the reservation: the highest
     * per-minute price and the highest fixed part (per call, plus the message: per message and per byte of
     * the payload, at least the minimum charge).
     */
    private Admission admit(String callId, CallRequest request, RoutePlan plan) {
        Money perMinute = plan.options().stream().map(RouteOption::perMinute).max(Comparator.naturalOrder()).orElseThrow();
        Money fixed = plan.options().stream()
                .map(o -> fx.toReporting(o.rate().priceFor(Duration.ZERO, request.payloadBytes())))
                .max(Comparator.naturalOrder()).orElseThrow();
        return limits.admit(callId, request, plan.category(), perMinute, fixed);
    }

    /** The routed event's details; the payload's size is kept there for settling per-byte rates. */
    private static Map<String, String> routedDetails(CallRequest request, RoutePlan plan, Admission admission) {
        Map<String, String> details = new LinkedHashMap<>(Map.of("category", plan.category().wireName(),
                "options", Integer.toString(plan.options().size()), "held", admission.held().toString(),
                "limitBypass", Boolean.toString(admission.bypassed())));
        if (request.payloadBytes() > 0) details.put(PAYLOAD_BYTES, Long.toString(request.payloadBytes()));
        return details;
    }

    /**
     * 128 random bits as 32 hex digits. Not a secret (callbacks are verified by signature), so
     * ThreadLocalRandom serves: UUID.randomUUID's shared SecureRandom was a lock hundreds of callers queued on.
     */
    private static String newCallId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return "call_" + hex16(random.nextLong()) + hex16(random.nextLong());
    }

    private static String hex16(long bits) {
        String hex = Long.toHexString(bits);
        return "0".repeat(16 - hex.length()) + hex;
    }

    private CallRecord place(CallRecord record, RoutePlan plan, CallRequest request, String spokenText) {
        String callId = record.callId();
        RuntimeException last = null;
        int attempt = 0;
        for (RouteOption option : plan.options()) {
            attempt++;
            Optional<CallingProvider> provider = registry.find(option.providerId());
            if (provider.isEmpty()) continue;
            CallingProvider p = provider.get();
            store.update(CallUpdate.of(callId, clock.instant()).provider(p.id(), null).attempt(attempt)
                    .simulated(p.capabilities().simulated()));
            OutboundCall outbound = OutboundCall.builder(callId, plan.category(), request).attempt(attempt)
                    .spokenText(spokenText).statusCallbackUrl(callbackUrl(p.id(), callId)).build();
            try {
                pacing.acquire(p.id());
                PlacedCall placed = p.place(outbound);
                quality.recordSuccess(p.id());
                store.appendEvent(new StoredEvent(callId, "core", "placed", placed.status(), clock.instant(),
                        Map.of("provider", p.id(), "providerCallId", placed.providerCallId(),
                                "attempt", Integer.toString(attempt))));
                // A provider may answer with the end itself (a synchronous delivery, a 201 saying failed):
                // the lifecycle then settles it like any other end.
                CallUpdate update = CallUpdate.of(callId, clock.instant()).provider(p.id(), placed.providerCallId())
                        .status(placed.status());
                return lifecycle.record(placed.status().isTerminal() ? update.endedAt(clock.instant()) : update);
            } catch (ProviderException e) {
                last = e;
                quality.recordFailure(p.id(), e.reason());
                if (e.reason() == ErrorReason.OUTCOME_UNKNOWN) {
                    return markUnknown(callId, p.id(), e.reason(), e.getMessage());
                }
                if (e.reason() == ErrorReason.RATE_LIMITED) {
                    e.retryAfter().ifPresent(d -> pacing.slowDown(p.id(), d));
                }
                if (!failsOver(e.reason())) break;
                logFailover(callId, attempt, p.id(), e.reason(), e.getMessage());
            } catch (LimitExceededException e) {
                // the provider's pacing queue stayed full: nothing was sent, the next option may be free
                last = e;
                logFailover(callId, attempt, p.id(), e.reason(), e.getMessage());
            } catch (RuntimeException e) {
                // A provider that broke its contract: its request may have left, so the call is treated as
                // unanswered (reconciled, never re-dialled) rather than left initiated with its hold forever.
                log.error("call {}: provider '{}' failed unexpectedly", callId, p.id(), e);
                quality.recordFailure(p.id(), ErrorReason.INTERNAL);
                return markUnknown(callId, p.id(), ErrorReason.INTERNAL, "provider '" + p.id() + "' failed unexpectedly: " + e);
            }
        }
        return fail(callId, last);
    }

    /** Fail over only when the provider definitely did not accept the call. */
    private static boolean failsOver(ErrorReason reason) {
        return reason == ErrorReason.UNAVAILABLE || reason == ErrorReason.RATE_LIMITED
                || reason == ErrorReason.AUTHENTICATION;
    }

    private void logFailover(String callId, int attempt, String providerId, ErrorReason reason, String message) {
        log.info("call {}: provider '{}' did not take it ({}); trying the next option", callId, providerId, reason);
        // the attempt keeps each failover its own event when several happen within one clock tick
        store.appendEvent(new StoredEvent(callId, "core", "failover", null, clock.instant(),
                Map.of("provider", providerId, "attempt", Integer.toString(attempt), "reason", reason.name(),
                        "message", FreeText.cap(String.valueOf(message)))));
    }

    private CallRecord markUnknown(String callId, String providerId, ErrorReason reason, String providerMessage) {
        log.warn("call {}: provider '{}' may have got the request but gave no answer; it will be reconciled, never re-dialled",
                callId, providerId);
        String message = FreeText.cap(String.valueOf(providerMessage));
        store.appendEvent(new StoredEvent(callId, "core", "outcome_unknown", null, clock.instant(),
                Map.of("provider", providerId, "message", message)));
        CallRecord now = store.find(callId).orElseThrow();
        if (now.status().isTerminal()) return now;   // its callback told the outcome before the answer was lost
        store.update(CallUpdate.of(callId, clock.instant()).needsReconciliation(true).error(reason.name(), message));
        return store.find(callId).orElseThrow();
    }

    private CallRecord fail(String callId, RuntimeException last) {
        ErrorReason reason = last instanceof io.globalcalling.CallingException ce ? ce.reason() : ErrorReason.NO_ROUTE;
        String message = last == null ? "no provider option was available" : FreeText.cap(last.getMessage());
        // the lifecycle's end: the hold is released (no provider took the call) and listeners are told
        lifecycle.record(CallUpdate.of(callId, clock.instant()).status(CallStatus.FAILED).endedAt(clock.instant())
                .error(reason.name(), message));
        throw new CallFailedException(callId, reason, message, last);
    }

    private URI callbackUrl(String providerId, String callId) {
        return shared.webhookUrl(providerId)
                .map(u -> URI.create(u + "?callId=" + URLEncoder.encode(callId, StandardCharsets.UTF_8)))
                .orElse(null);
    }

    private void validate(CallRequest request) {
        if (request.to() instanceof PhoneNumber n && !numbers.isSatellite(n) && !numbers.isValid(n)) {
            throw new IllegalArgumentException("phone number '" + n.value() + "' is well-formed E.164 but not a valid number "
                    + "in its country's numbering plan");
        }
        if (request.category() == CallCategory.AI_AUTOMATED && request.script() == null) {
            throw new IllegalArgumentException("script is required for an ai_automated call: it is what the call speaks");
        }
        if (request.script() != null && request.script().isBlank()) {
            throw new IllegalArgumentException("script must not be blank: it is what the call speaks");
        }
        if (request.category() != null && !reaches(request.category(), request.to())) {
            throw new IllegalArgumentException("category " + request.category().wireName() + " cannot reach '"
                    + request.to().value() + "': it reaches " + reachable(request.category()));
        }
        policy.check(request, request.category(), numbers);
    }

    private static boolean bool(String text) {
        if (!text.equalsIgnoreCase("true") && !text.equalsIgnoreCase("false")) {
            throw new IllegalArgumentException("calling.webhooks.trust-forwarded-headers '" + text + "' is not true or false");
        }
        return Boolean.parseBoolean(text);
    }

    /** Which kinds of destination a category can reach at all, whatever provider serves it. */
    private static boolean reaches(CallCategory category, Endpoint to) {
        return switch (category) {
            case SYSTEM_API -> to instanceof WebhookUrl || to instanceof SatelliteTerminal;
            case SATELLITE -> to instanceof PhoneNumber || to instanceof SatelliteTerminal;
            case INTERNET_VOIP, AI_AUTOMATED, HUMAN_AGENT -> to instanceof PhoneNumber || to instanceof SipUri;
        };
    }

    private static String reachable(CallCategory category) {
        return switch (category) {
            case SYSTEM_API -> "http(s) URLs and satellite terminals (imei:)";
            case SATELLITE -> "phone numbers and satellite terminals (imei:)";
            case INTERNET_VOIP, AI_AUTOMATED, HUMAN_AGENT -> "phone numbers and SIP URIs";
        };
    }

    private static List<String> reasonsOf(RoutePlan plan) {
        List<String> reasons = new ArrayList<>(plan.categoryReasons());
        for (RouteOption o : plan.options()) {
            reasons.add(o.providerId() + ": " + String.join("; ", o.reasons()));
        }
        return reasons;
    }

    // ---------------------------------------------------------------- dry runs and reports

    /**
     * The route a call would take: category, ordered options with rates and reasons, dropped options. No side effects.
     *
     * @throws io.globalcalling.core.policy.DestinationNotPermittedException the destination policy refuses the number
     */
    public RoutePlan plan(CallRequest request) {
        Objects.requireNonNull(request, "request");
        validate(request);
        return planner.plan(request);
    }

    /** What a call of {@code duration} would cost on its primary route. No side effects. */
    public CostEstimate estimate(CallRequest request, Duration duration) {
        Objects.requireNonNull(duration, "duration");
        if (duration.isNegative()) throw new IllegalArgumentException("duration " + duration + " must not be negative");
        return estimator.estimate(plan(request).primary(), duration);
    }

    /** Per category: countries, surface, languages, agents and skills the active providers reach. */
    public CoverageReport coverage() {
        return coverage.compute(registry.providers());
    }

    public Calls calls() {
        return calls;
    }

    public Webhooks webhooks() {
        return webhooks;
    }

    public CallLimits limits() {
        return limits;
    }

    public CategoryCalls voip() {
        return new CategoryCalls(this, CallCategory.INTERNET_VOIP);
    }

    public CategoryCalls ai() {
        return new CategoryCalls(this, CallCategory.AI_AUTOMATED);
    }

    public CategoryCalls human() {
        return new CategoryCalls(this, CallCategory.HUMAN_AGENT);
    }

    public CategoryCalls system() {
        return new CategoryCalls(this, CallCategory.SYSTEM_API);
    }

    public CategoryCalls satellite() {
        return new CategoryCalls(this, CallCategory.SATELLITE);
    }

    /** The ids of the active providers. */
    public List<String> providerIds() {
        return registry.providers().stream().map(CallingProvider::id).toList();
    }

    /** Re-reads every provider's rate deck (after a provider's prices changed). */
    public void refreshRates() {
        registry.providers().forEach(this::indexRates);
    }

    /** Tells {@code listener} of every forward move of every call. */
    public void onStatusChange(Consumer<CallStatusChanged> listener) {
        lifecycle.onStatusChange(listener);
    }

    /**
     * Tells {@code listener} of each call that {@link #reconcile()} could not resolve once the grace
     * period had passed: its provider could not say what became of it. Each call is reported once; it
     * stays unresolved, its hold held, and is listed by {@code calls().needingReconciliation(limit)}.
     */
    public void onUnresolved(Consumer<UnresolvedCall> listener) {
        unresolvedListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Tells {@code listener} of every message a terminal sends (a reply, a position, a delivery
     * confirmation), once each, after it is stored and, for a confirmation, after its call has ended.
     */
    public void onInboundMessage(Consumer<InboundMessage> listener) {
        inboundListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** Hangs up (or cancels) a call that a provider holds. */
    public void hangUp(String callId) {
        CallRecord r = store.find(Objects.requireNonNull(callId, "callId"))
                .orElseThrow(() -> new IllegalArgumentException("callId '" + callId + "' is unknown"));
        if (r.status().isTerminal()) return;
        if (r.providerId() == null || r.providerCallId() == null) {
            throw new IllegalStateException("call " + callId + " has no provider call to hang up yet");
        }
        registry.find(r.providerId()).orElseThrow(() -> new IllegalStateException(
                "provider '" + r.providerId() + "' of call " + callId + " is not active")).hangUp(r.providerCallId());
    }

    /**
     * Resolves calls whose placement outcome is unknown: asks the provider what became of each and
     * applies the answer. Never re-dials, and never guesses: a call the provider cannot look up (it
     * cannot search, finds nothing, or the look-up fails) stays unknown with its hold held, and once
     * the grace period has passed it is reported, once, to {@link #onUnresolved} listeners and as an
     * {@code unresolved} event on the call.
     *
     * @return how many calls were resolved
     */
    public int reconcile() {
        int resolved = 0;
        for (CallRecord r : store.findNeedingReconciliation(500)) {
            if (resolve(r)) resolved++;
        }
        return resolved;
    }

    /** @return true when the provider told what became of the call, and it was applied */
    private boolean resolve(CallRecord r) {
        Optional<CallingProvider> provider = r.providerId() == null ? Optional.empty() : registry.find(r.providerId());
        Optional<CallEvent> found = Optional.empty();
        String why;
        if (provider.isEmpty()) {
            why = r.providerId() == null ? "no provider was asked" : "provider '" + r.providerId() + "' is not active";
        } else {
            try {
                found = lookUp(provider.get(), r);
                why = "provider '" + r.providerId() + "' could not find the call";
            } catch (RuntimeException e) {   // a ProviderException, or a provider that cannot search at all
                log.warn("reconciling call {} with '{}' failed ({}); will try again", r.callId(), r.providerId(), e.toString());
                why = "looking the call up at '" + r.providerId() + "' failed: " + FreeText.cap(String.valueOf(e.getMessage()));
            }
        }
        if (found.isEmpty()) {
            surfaceOnceOverdue(r, why);
            return false;
        }
        lifecycle.apply(found.get().withCallId(r.callId()));
        store.update(CallUpdate.of(r.callId(), clock.instant()).needsReconciliation(false));
        return true;
    }

    private Optional<CallEvent> lookUp(CallingProvider provider, CallRecord r) {
        if (r.providerCallId() != null) return provider.fetch(r.providerCallId());
        OutboundCall call = OutboundCall.builder(r.callId(), r.category(),
                        CallRequest.to(Endpoint.parse(r.toNumber())).customerId(r.customerId()).build())
                .attempt(Math.max(r.attempt(), 1)).statusCallbackUrl(callbackUrl(r.providerId(), r.callId())).build();
        return provider.findPlaced(call, r.startedAt());
    }

    /** Reports an unresolved call once its grace period has passed, and only once. */
    private void surfaceOnceOverdue(CallRecord r, String why) {
        Duration grace = Optional.ofNullable(r.providerId()).flatMap(registry::find)
                .map(p -> p.capabilities().reconcileGrace()).orElse(ProviderCapabilities.DEFAULT_RECONCILE_GRACE);
        if (Duration.between(r.startedAt(), clock.instant()).compareTo(grace) <= 0) return;
        if (store.events(r.callId()).stream().anyMatch(e -> UNRESOLVED.equals(e.type()))) return;
        log.warn("call {} is still unresolved: {}; it needs a person or a later reconciliation", r.callId(), why);
        store.appendEvent(new StoredEvent(r.callId(), "core", UNRESOLVED, null, clock.instant(), Map.of("reason", why)));
        UnresolvedCall unresolved = new UnresolvedCall(r, why);
        for (Consumer<UnresolvedCall> l : unresolvedListeners) {
            try {
                l.accept(unresolved);
            } catch (RuntimeException e) {
                log.warn("unresolved-call listener {} failed on {}: {}", l, r.callId(), e.toString());
            }
        }
    }

    // ---------------------------------------------------------------- events

    private void applyQuietly(CallEvent event) {
        try {
            lifecycle.apply(event);
        } catch (RuntimeException e) {
            log.error("event from '{}' could not be applied", event.providerId(), e);
        }
    }

    // ---------------------------------------------------------------- inbound messages

    private void receiveQuietly(InboundMessage message) {
        try {
            receive(message);
        } catch (RuntimeException e) {
            log.error("inbound message from '{}' could not be handled", message.providerId(), e);
        }
    }

    /**
     * Stores a message a provider received, matched to its call when it names one we know (by our id or the
     * provider's), ends the call a delivery confirmation confirms, and tells the listeners. A redelivered
     * message (same provider message id) is handled once.
     */
    private void receive(InboundMessage message) {
        Optional<CallRecord> call = callOf(message);
        InboundMessage stored = call.map(c -> message.toBuilder().callId(c.callId()).build()).orElse(message);
        if (!store.appendInbound(stored)) return;
        if (stored.kind() == InboundMessage.Kind.DELIVERY_CONFIRMATION && call.isPresent()) {
            // a terminal status through the lifecycle, so the call settles (its message priced) like any other end
            lifecycle.apply(CallEvent.status(stored.providerId(), call.get().providerCallId(), call.get().callId(),
                    CallStatus.COMPLETED, stored.receivedAt()));
        }
        for (Consumer<InboundMessage> l : inboundListeners) {
            try {
                l.accept(stored);
            } catch (RuntimeException e) {
                log.warn("inbound-message listener {} failed on {}: {}", l, stored, e.toString());
            }
        }
    }

    private Optional<CallRecord> callOf(InboundMessage message) {
        Optional<CallRecord> byOurId = message.callId().flatMap(store::find)
                .filter(r -> message.providerId().equals(r.providerId()));
        if (byOurId.isPresent()) return byOurId;
        return message.providerCallId().flatMap(id -> store.findByProviderCallId(message.providerId(), id));
    }

    /** The first terminal status of a call: price it and settle its hold (idempotent, as the ledger is). */
    private Money settleEnded(CallRecord record, CallEvent event) {
        if (event == null && record.providerCallId() == null) {
            // ended by the manager before any provider took the call: nothing was spent
            limits.release(record.callId());
            return Money.zero(fx.reportingCurrency());
        }
        Duration reported = event != null && event.duration() != null ? event.duration()
                : record.durationSeconds() != null ? Duration.ofSeconds(record.durationSeconds()) : Duration.ZERO;
        // Only a completed call was talked on; busy, no-answer, failed and canceled cost at most their per-call fee.
        Duration talk = record.status() == CallStatus.COMPLETED ? reported : Duration.ZERO;
        Money cost;
        if (event != null && event.price() != null) {
            cost = fx.convert(event.price(), fx.reportingCurrency()).rounded();
        } else {
            cost = rateFor(record).map(rate -> fx.convert(priceAt(rate, record, talk), fx.reportingCurrency()).rounded())
                    .orElse(Money.zero(fx.reportingCurrency()));
        }
        limits.settle(record.callId(), record.customerId(), cost);
        return cost;
    }

    /**
     * What a call that ended costs at {@code rate}: a completed call its talk time and its message (per
     * message, per byte of its payload, at least the minimum); any other end only the per-call fee.
     */
    private Money priceAt(Rate rate, CallRecord record, Duration talk) {
        if (record.status() != CallStatus.COMPLETED) return rate.perCall();
        return rate.priceFor(talk, rate.perByte().isZero() ? 0 : payloadBytes(record.callId()));
    }

    /** The payload size the routed event kept (0 when the call carried none). */
    private long payloadBytes(String callId) {
        return store.events(callId).stream().filter(e -> "routed".equals(e.type()))
                .map(e -> e.data().get(PAYLOAD_BYTES)).filter(Objects::nonNull)
                .mapToLong(Long::parseLong).findFirst().orElse(0);
    }

    /** Teaches routing how a call a provider took has ended. */
    private void learnFrom(CallRecord record) {
        if (record.providerId() == null || record.providerCallId() == null) return;
        Duration postDial = record.answeredAt() == null ? null : Duration.between(record.startedAt(), record.answeredAt());
        quality.record(record.providerId(), Endpoint.parse(record.toNumber()), record.status(), postDial);
    }

    private Optional<Rate> rateFor(CallRecord record) {
        if (record.providerId() == null) return Optional.empty();
        Endpoint to = Endpoint.parse(record.toNumber());
        Optional<CallingProvider> p = registry.find(record.providerId());
        Optional<Rate> live = p.flatMap(pr -> pr.quote(record.category(), to));
        if (live.isPresent()) return live;
        RateDeck deck = decks.get(record.providerId());
        return deck == null ? Optional.empty() : deck.find(record.category(), to);
    }

    private void indexRates(CallingProvider p) {
        decks.put(p.id(), RateDeck.of(p.rates()));
    }

    @Override
    public void close() {
        try {
            registry.close();
        } finally {
            shared.close();
            if (ownsStore) store.close();   // a store the host passed in is the host's to close
        }
    }

    // ---------------------------------------------------------------- builder

    /** Configures a manager. With nothing set: discovered providers (the sandbox at least), in-memory store. */
    public static final class Builder {
        private ProviderConfig config = ProviderConfig.systemProperties().orElse(ProviderConfig.environment());
        private final List<CallingProvider> providers = new ArrayList<>();
        private boolean discover = true;
        private ClassLoader classLoader = GlobalCallingManager.class.getClassLoader();
        private CallStore store;
        private LimitLedger ledger;
        private FxTable fx;
        private Clock clock = Clock.systemUTC();
        private URI webhookBaseUrl;
        private Geography geography;
        private NumberInfo numbers;
        private Consumer<CallLimits.Builder> limits = b -> { };
        private Consumer<ProviderPacing.Builder> pacing = b -> { };
        private DestinationPolicy policy;
        private Integer webhookMaxBodyBytes;
        private Boolean trustForwardedHeaders;

        private Builder() {
        }

        /** Where provider settings come from; default: system properties, then the environment. */
        public Builder config(ProviderConfig config) {
            this.config = Objects.requireNonNull(config, "config");
            return this;
        }

        /** Reads a properties file, falling back to system properties and the environment for keys it lacks. */
        public Builder configFile(Path file) {
            this.config = ProviderConfig.fromFile(file).orElse(ProviderConfig.systemProperties())
                    .orElse(ProviderConfig.environment());
            return this;
        }

        /** Adds a provider by hand; it wins over a discovered one with the same id. */
        public Builder provider(CallingProvider provider) {
            Objects.requireNonNull(provider, "provider");
            if (providers.stream().noneMatch(p -> p == provider)) providers.add(provider);
            return this;
        }

        /** Whether to find providers with ServiceLoader ({@link CallingProviderFactory}); default true. */
        public Builder discoverProviders(boolean discover) {
            this.discover = discover;
            return this;
        }

        public Builder classLoader(ClassLoader loader) {
            this.classLoader = Objects.requireNonNull(loader, "classLoader");
            return this;
        }

        /** Where calls are kept; default in memory. The host closes a store it passes in. */
        public Builder store(CallStore store) {
            this.store = Objects.requireNonNull(store, "store");
            return this;
        }

        /** Where limit counters live; default in memory (one node). Use the JDBI ledger for several nodes. */
        public Builder ledger(LimitLedger ledger) {
            this.ledger = Objects.requireNonNull(ledger, "ledger");
            return this;
        }

        public Builder fx(FxTable fx) {
            this.fx = Objects.requireNonNull(fx, "fx");
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The public URL under which the host serves {@code webhooks().handle(provider, ...)}, e.g. https://host/calling/webhooks. */
        public Builder webhookBaseUrl(String url) {
            URI u = absoluteHttpUrl(Objects.requireNonNull(url, "webhookBaseUrl"));
            if (u == null) {
                throw new IllegalArgumentException("webhookBaseUrl '" + Urls.withoutUserInfo(url)
                        + "' must be an absolute http(s) URL");
            }
            this.webhookBaseUrl = u;
            return this;
        }

        /** The URL, or null when it is not an absolute http(s) URL (URI.create would echo it, credentials and all). */
        private static URI absoluteHttpUrl(String url) {
            try {
                URI u = new URI(url);
                return u.getScheme() != null && u.getScheme().startsWith("http") && u.getHost() != null ? u : null;
            } catch (java.net.URISyntaxException e) {
                return null;
            }
        }

        /** Customises rate windows, budgets and hold durations. */
        public Builder limits(Consumer<CallLimits.Builder> customizer) {
            this.limits = Objects.requireNonNull(customizer, "limits");
            return this;
        }

        /** Customises per-provider pacing (calls per second, burst, max wait). */
        public Builder pacing(Consumer<ProviderPacing.Builder> customizer) {
            this.pacing = Objects.requireNonNull(customizer, "pacing");
            return this;
        }

        public Builder geography(Geography geography) {
            this.geography = Objects.requireNonNull(geography, "geography");
            return this;
        }

        /** Which numbers may be dialled (toll fraud); default {@link DestinationPolicy#from} the {@code calling.policy.*} keys. */
        public Builder destinationPolicy(DestinationPolicy policy) {
            this.policy = Objects.requireNonNull(policy, "destinationPolicy");
            return this;
        }

        /** Larger callback bodies are refused with 413; default {@code calling.webhooks.max-body-bytes}, else 64 KiB. */
        public Builder webhookMaxBodyBytes(int maxBytes) {
            if (maxBytes < 1 || maxBytes == Integer.MAX_VALUE) {
                throw new IllegalArgumentException("webhookMaxBodyBytes " + maxBytes + " must be positive and below 2^31-1");
            }
            this.webhookMaxBodyBytes = maxBytes;
            return this;
        }

        /**
         * Whether callbacks' {@code X-Forwarded-Proto}/{@code X-Forwarded-Host} name the URL the provider called
         * (set only behind a proxy that always sets them); default {@code calling.webhooks.trust-forwarded-headers},
         * else false.
         */
        public Builder trustForwardedHeaders(boolean trust) {
            this.trustForwardedHeaders = trust;
            return this;
        }

        public Builder numberInfo(NumberInfo numbers) {
            this.numbers = Objects.requireNonNull(numbers, "numberInfo");
            return this;
        }

        public GlobalCallingManager build() {
            return new GlobalCallingManager(this);
        }
    }
}
