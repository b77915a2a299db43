package io.globalcalling.core;

import io.globalcalling.CallCategory;
import io.globalcalling.CallRecord;
import io.globalcalling.CallStatus;
import io.globalcalling.InboundMessage;
import io.globalcalling.CallRequest;
import io.globalcalling.core.campaign.CampaignParts;
import io.globalcalling.core.campaign.Campaigns;
import io.globalcalling.core.cost.CostEstimate;
import io.globalcalling.core.cost.CostEstimator;
import io.globalcalling.core.cost.FxTable;
import io.globalcalling.core.cost.RateDeck;
import io.globalcalling.core.coverage.CoverageCalculator;
import io.globalcalling.core.coverage.CoverageReport;
import io.globalcalling.core.coverage.Geography;
import io.globalcalling.core.coverage.LibPhoneNumberInfo;
import io.globalcalling.core.coverage.NaturalEarthGeography;
import io.globalcalling.core.coverage.NumberInfo;
import io.globalcalling.core.internal.ManagerSettings;
import io.globalcalling.core.internal.Observers;
import io.globalcalling.core.internal.ProviderRegistry;
import io.globalcalling.core.internal.SharedHttpClient;
import io.globalcalling.core.internal.SharedResources;
import io.globalcalling.core.lifecycle.CallLifecycle;
import io.globalcalling.core.lifecycle.CallStatusChanged;
import io.globalcalling.core.lifecycle.Reconciler;
import io.globalcalling.core.lifecycle.Settlement;
import io.globalcalling.core.lifecycle.UnresolvedCall;
import io.globalcalling.core.limits.CallLimits;
import io.globalcalling.core.limits.LimitExceededException;
import io.globalcalling.core.limits.Pace;
import io.globalcalling.core.limits.ProviderPacing;
import io.globalcalling.core.placement.CallPlacer;
import io.globalcalling.core.placement.CallbackUrls;
import io.globalcalling.core.placement.Resend;
import io.globalcalling.core.policy.DestinationPolicy;
import io.globalcalling.core.routing.ProviderCatalog;
import io.globalcalling.core.routing.QualityTracker;
import io.globalcalling.core.routing.RoutePlan;
import io.globalcalling.core.routing.RoutePlanner;
import io.globalcalling.core.store.InMemoryCallStore;
import io.globalcalling.core.store.InMemoryLimitLedger;
import io.globalcalling.core.webhook.Webhooks;
import io.globalcalling.spi.CallEvent;
import io.globalcalling.spi.CallingProvider;
import io.globalcalling.spi.CallingProviderFactory;
import io.globalcalling.spi.ConfigValidation;
import io.globalcalling.spi.ProviderConfig;
import io.globalcalling.spi.Validated;
import io.globalcalling.spi.Urls;
import io.globalcalling.spi.store.CallStore;
import io.globalcalling.spi.store.LimitLedger;
import okhttp3.OkHttpClient;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
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
 *
 * <p>The manager is the façade: it builds and wires the parts that do the work, {@link CallPlacer}
 * (admit, record, place, fail over), {@link Reconciler} (unknown outcomes) and {@link Settlement}
 * (pricing an ended call and settling its hold). Each setting has one place on the {@link Builder};
 * a setting that also has a configuration key wins over the key. Every {@code onXxx(listener)}
 * returns a {@link Subscription} that removes the listener.
 */
public final class GlobalCallingManager implements AutoCloseable {

    /**
     * The talk time a record's {@code estimatedCost} is priced for (the request's shorter maxDuration
     * wins). The hold covers far longer, the category's hold duration, so that it is rarely exceeded.
     */
    public static final Duration EXPECTED_TALK_TIME = CallPlacer.EXPECTED_TALK_TIME;

    private static final Logger log = LoggerFactory.getLogger(GlobalCallingManager.class);

    private final ProviderRegistry registry;
    private final SharedResources shared;
    private final @Nullable URI webhookBaseUrl;
    private final CallStore store;
    private final boolean ownsStore;
    private final CostEstimator estimator;
    private final CallLimits limits;
    private final CallLifecycle lifecycle;
    private final CallPlacer placer;
    private final Reconciler reconciler;
    private final Webhooks webhooks;
    private final QualityTracker quality;
    private final CoverageCalculator coverage = new CoverageCalculator();
    private final Map<String, RateDeck> decks = new ConcurrentHashMap<>();
    private final Calls calls;
    private final Campaigns campaigns;
    private final List<Consumer<InboundMessage>> inboundListeners = new CopyOnWriteArrayList<>();
    private final Observers observers = new Observers();
    /**
     * The pace a host configured for one provider account, overriding the pace the provider declares:
     * {@code calling.providers.<id>.pace.calls-per-second} (above 0) and {@code calling.providers.<id>.pace.burst}
     * (at least 1; by default the calls of one second, rounded up).
     *
     * @throws io.globalcalling.spi.ConfigurationException naming the key and its bad value
     */
    private static Optional<Pace> configuredPace(ProviderConfig config, String providerId) {
        String prefix = "calling.providers." + providerId + ".pace.";
        ConfigValidation v = ConfigValidation.of(config, "Pace of provider '" + providerId + "'");
        BigDecimal cps = v.take(v.decimal(prefix + "calls-per-second")
                .check(n -> n.signum() > 0, "must be above 0"));
        Integer burst = v.take(v.integer(prefix + "burst", 1, Integer.MAX_VALUE));
        if (cps == null && burst != null) {
            v.problem(Validated.malformed(prefix + "burst", burst.toString(), "is set without " + prefix + "calls-per-second"));
        }
        v.orThrow();
        if (cps == null) return Optional.empty();
        long perSecond = Math.max(1, cps.setScale(0, RoundingMode.CEILING).longValue());
        return Optional.of(Pace.of(cps.doubleValue(), burst != null ? burst : perSecond));
    }

    /** Each provider's status callback URL up to the call id; empty when no webhook base URL is set. */
    private final Map<String, Optional<String>> callbackBases = new ConcurrentHashMap<>();

    private GlobalCallingManager(Builder b) {
        Clock clock = b.clock;
        this.ownsStore = b.store == null;
        this.store = ownsStore ? new InMemoryCallStore() : b.store;
        LimitLedger ledger = b.ledger != null ? b.ledger : new InMemoryLimitLedger();
        FxTable fx = b.fx != null ? b.fx : FxTable.defaults();
        ManagerSettings settings = ManagerSettings.from(b.config); // read now, so a bad setting fails the build
        this.webhookBaseUrl = b.webhookBaseUrl != null ? b.webhookBaseUrl : settings.webhookBaseUrl();
        this.shared = new SharedResources(clock, webhookBaseUrl);
        OkHttpClient http = SharedHttpClient.create(b.config); // read now, so a bad setting fails the build
        shared.preferFactory(OkHttpClient.class, () -> http);
        this.registry = ProviderRegistry.create(b.config, b.providers, b.discover ? null : List.of(),
                b.classLoader, shared::contextFor);
        try {
            registry.providers().forEach(this::indexRates);
            Geography geography = b.geography != null ? b.geography : new NaturalEarthGeography();
            NumberInfo numbers = b.numbers != null ? b.numbers : new LibPhoneNumberInfo();
            DestinationPolicy policy = b.policy != null ? b.policy : DestinationPolicy.from(b.config);
            this.quality = QualityTracker.ofDefaults(clock);
            // the registry's providers are fixed at start-up: who serves each category is worked out once
            List<CallingProvider> providers = List.copyOf(registry.providers());
            Map<CallCategory, List<CallingProvider>> serving = new EnumMap<>(CallCategory.class);
            for (CallCategory c : CallCategory.values()) {
                serving.put(c, providers.stream().filter(p -> registry.categories(p).contains(c)).toList());
            }
            ProviderCatalog catalog = new ProviderCatalog() {
                @Override
                public List<CallingProvider> providers() {
                    return providers;
                }

                @Override
                public List<CallingProvider> serving(CallCategory category) {
                    return serving.get(category);
                }

                @Override
                public Set<CallCategory> categories(CallingProvider provider) {
                    return registry.categories(provider);
                }

                @Override
                public RateDeck deck(String providerId) {
                    return decks.getOrDefault(providerId, RateDeck.of(List.of()));
                }
            };
            RoutePlanner planner = new RoutePlanner(catalog, geography, numbers, fx, quality, clock);
            this.estimator = new CostEstimator(fx);
            CallLimits.Builder lb = CallLimits.managedBuilder(ledger, clock, fx.reportingCurrency());
            b.limits.accept(lb);
            this.limits = lb.build();
            ProviderPacing.Builder pb = ProviderPacing.builder();
            registry.providers().forEach(p -> {
                pb.declared(p.id(), p.capabilities().pace());
                configuredPace(b.config, p.id()).ifPresent(pace -> pb.pace(p.id(), pace)); // a customizer's still wins
            });
            b.pacing.accept(pb);
            ProviderPacing pacing = pb.build();
            this.lifecycle = new CallLifecycle(store, clock,
                    new Settlement(limits, fx, quality, registry::find, catalog, store));
            shared.eventSink(this::applyQuietly);
            shared.inboundSink(this::receive);
            CallbackUrls callbackUrls = this::callbackUrl;
            this.placer = new CallPlacer(new CallPlacer.Parts(store, lifecycle, registry::find, planner, estimator,
                    limits, pacing, quality, numbers, policy, callbackUrls, b.resend, clock), observers);
            this.reconciler = new Reconciler(store, lifecycle, registry::find, callbackUrls, clock,
                    b.callTimeout != null ? b.callTimeout : settings.callTimeout());
            this.webhooks = new Webhooks(registry::find, store, lifecycle,
                    b.webhookMaxBodyBytes != null ? b.webhookMaxBodyBytes : settings.webhookMaxBodyBytes(),
                    b.trustForwardedHeaders != null ? b.trustForwardedHeaders : settings.trustForwardedHeaders(),
                    observers);
            this.calls = new Calls(store, lifecycle, clock, shared.scheduler(), shared.executor(), b.awaitPollInterval,
                    b.followPollInterval, Calls.FOLLOW_BACKLOG);
            this.campaigns = Campaigns.of(new CampaignParts(store, placer, lifecycle, reconciler, ledger, limits,
                    estimator, numbers, this::hangUp, clock, b.campaignNode, b.campaignLease, b.campaignWorkers));
            // a node restarted mid-campaign picks it up by itself; otherwise the scheduler starts with the first campaign
            if (!b.campaignTick.isZero()) campaigns.scheduleEvery(b.campaignTick);
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
     * <p>A provider that declares {@code idempotentPlacement} (it deduplicates by our call id) and
     * gives no answer is sent the same call again, at most three sends in all, a quarter and half a
     * second apart, before the call is flagged; no other provider is ever sent a call twice, and a
     * call whose outcome is unknown never fails over.
     *
     * @throws IllegalArgumentException         bad input; nothing was recorded or sent
     * @throws io.globalcalling.core.policy.DestinationNotPermittedException the destination policy refuses the
     *                                          number (toll fraud ranges); nothing recorded
     * @throws io.globalcalling.core.routing.NoRouteException no provider can take the call; nothing recorded
     * @throws LimitExceededException           a rate window or budget refused it; nothing recorded
     * @throws CallFailedException              it was recorded, and every provider option refused or failed
     * @throws io.globalcalling.spi.store.DuplicateCallException the request's idempotency key is on record for a call
     *                                          placed for a request that differs from it in anything; nothing
     *                                          recorded or sent (a retry of the same request returns that call)
     */
    public CallRecord call(CallRequest request) {
        return placer.call(request);
    }

    /**
     * Like {@link #call}, and tells whether this request placed the call or found it already recorded under its
     * idempotency key ({@linkplain CallPlacement#replayed() replayed}): of two racing requests with one key, one
     * places the call and the other is answered with it, across nodes too.
     *
     * @throws IllegalArgumentException and the rest, as {@link #call}
     */
    public CallPlacement callOnce(CallRequest request) {
        return placer.callOnce(request);
    }

    /**
     * Like {@link #callOnce(CallRequest)}, asking {@code stillWanted} just before each send, as a campaign does
     * (see {@link CallPlacer#callOnce(CallRequest, BooleanSupplier)}); package-private, for the model-based tests.
     */
    CallPlacement callOnce(CallRequest request, BooleanSupplier stillWanted) {
        return placer.callOnce(request, stillWanted);
    }

    private URI callbackUrl(String providerId, String callId) {
        // the provider's part is the same for every call: built once, so each call parses one URI, not two
        return callbackBases.computeIfAbsent(providerId, id -> shared.webhookUrl(id).map(u -> u + "?callId="))
                .map(base -> URI.create(base + (isUrlSafe(callId) ? callId : URLEncoder.encode(callId, StandardCharsets.UTF_8))))
                .orElse(null);
    }

    /** Whether URL encoding leaves {@code id} as it is, as it does the ids the SDK makes ({@code call_} and hex digits). */
    private static boolean isUrlSafe(String id) {
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '.')) {
                return false;
            }
        }
        return true;
    }

    // ---------------------------------------------------------------- dry runs and reports

    /**
     * The route a call would take: category, ordered options with rates and reasons, dropped options. No side effects.
     *
     * @throws io.globalcalling.core.policy.DestinationNotPermittedException the destination policy refuses the number
     */
    public RoutePlan plan(CallRequest request) {
        return placer.plan(request);
    }

    /** What a call of {@code duration} (and its payload, where bytes are priced) would cost on its primary route. No side effects. */
    public CostEstimate estimate(CallRequest request, Duration duration) {
        Objects.requireNonNull(duration, "duration");
        if (duration.isNegative()) throw new IllegalArgumentException("duration " + duration + " must not be negative");
        return estimator.estimate(plan(request).primary(), duration, request.payloadBytes());
    }

    /** Per category: countries, surface, languages, agents and skills the active providers reach. */
    public CoverageReport coverage() {
        return coverage.compute(registry.providers(), registry::categories);
    }

    public Calls calls() {
        return calls;
    }

    /** Bulk campaigns: create, import targets, start, pause, resume, cancel, progress and reports. */
    public Campaigns campaigns() {
        return campaigns;
    }

    public Webhooks webhooks() {
        return webhooks;
    }

    /**
     * The public URL providers were given for their callbacks ({@code webhookBaseUrl}, else
     * {@code calling.webhook-base-url}), which they sign with the rest of the URL: a host behind a proxy hands
     * {@link Webhooks#handle} the URL a callback was sent to under it ({@link Webhooks#callbackUrl}).
     */
    public Optional<URI> webhookBaseUrl() {
        return Optional.ofNullable(webhookBaseUrl);
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

    /** Each active provider's circuit as of now, by provider id, in {@link #providerIds()} order (health checks). */
    public Map<String, QualityTracker.Health> providerHealth() {
        Map<String, QualityTracker.Health> health = new LinkedHashMap<>();
        registry.providers().forEach(p -> health.put(p.id(), quality.health(p.id())));
        return health;
    }

    /** Re-reads every provider's rate deck (after a provider's prices changed). */
    public void refreshRates() {
        registry.providers().forEach(this::indexRates);
    }

    /**
     * Tells {@code listener} of each forward move applied on this node, of every call: the moves other nodes sharing
     * the store apply (a provider's callback that reached another node, say) are not heard here. To follow calls
     * whichever node moves them, use {@code calls().follow}.
     *
     * @return closing it removes the listener
     */
    public Subscription onStatusChange(Consumer<CallStatusChanged> listener) {
        return lifecycle.onStatusChange(listener);
    }

    /**
     * Tells {@code listener} of each ended call whose settlement this node finished, once its cost is stored (the
     * record it gets has it): at its end, or later when settling it then failed and a redelivered end or
     * {@link #reconcile()} finished it. A call is told once across the nodes sharing the store, on the node whose
     * settlement the store noted first; a call another node settled is not told here.
     *
     * @return closing it removes the listener
     */
    public Subscription onSettled(Consumer<CallRecord> listener) {
        return lifecycle.onSettled(listener);
    }

    /**
     * Tells {@code listener} of each call that {@link #reconcile()} could not resolve once the grace
     * period had passed: its provider could not say what became of it, or reconciling it failed. Each call is
     * reported once, and once more should it then end and its settlement not finish; it stays unresolved, its hold
     * held, and is listed by {@code calls().needingReconciliation(limit)}.
     *
     * @return closing it removes the listener
     */
    public Subscription onUnresolved(Consumer<UnresolvedCall> listener) {
        return reconciler.onUnresolved(listener);
    }

    /**
     * Tells {@code listener} of each message a terminal sends (a reply, a position, a delivery
     * confirmation) that reaches this node, once each, after it is stored and, for a confirmation, after its call
     * has ended.
     *
     * @return closing it removes the listener
     */
    public Subscription onInboundMessage(Consumer<InboundMessage> listener) {
        Consumer<InboundMessage> l = Objects.requireNonNull(listener, "listener");
        inboundListeners.add(l);
        return Subscription.of(() -> inboundListeners.remove(l));
    }

    /**
     * Tells {@code observer} of placements, failovers, callbacks and pacing turns as they happen (metrics,
     * tracing); see {@link CallingObserver}.
     *
     * @return closing it removes the observer
     */
    public Subscription observe(CallingObserver observer) {
        return observers.add(observer);
    }

    /**
     * The circuit of a provider as routing sees it now: closed, open (tried last) or half-open (one trial
     * allowed). A provider with no failures on record is closed.
     */
    public QualityTracker.Health providerHealth(String providerId) {
        return quality.health(Objects.requireNonNull(providerId, "providerId"));
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
     * Asks provider {@code providerId} to delete what it keeps of its call {@code providerCallId} (recordings, the
     * call log; see {@link CallingProvider#eraseCall}), for an erasure. The JDBI store's
     * {@code continueErasures(manager::eraseAtProvider)} runs it for each call an erasure queued.
     *
     * @throws IllegalArgumentException when no active provider has that id
     * @throws io.globalcalling.spi.ProviderException when the provider could not delete it this time
     */
    public void eraseAtProvider(String providerId, String providerCallId) {
        Objects.requireNonNull(providerId, "providerId");
        Objects.requireNonNull(providerCallId, "providerCallId");
        registry.find(providerId).orElseThrow(() -> new IllegalArgumentException(
                "provider '" + providerId + "' is not active")).eraseCall(providerCallId);
    }

    /**
     * Resolves calls whose placement outcome is unknown: asks the provider what became of each and
     * applies the answer. Never re-dials, and never guesses: a call the provider cannot look up (it
     * cannot search, finds nothing, or the look-up fails) stays unknown with its hold held, and once
     * the grace period has passed it is reported, once, to {@link #onUnresolved} listeners and as an
     * {@code unresolved} event on the call. A call whose end was not reported within the call timeout
     * ({@link Builder#callTimeout}) is asked about the same way; one that no provider was named for by then was
     * never sent, and ends as not placed. Each run takes up to 500 calls of each kind, oldest first, going on where
     * the run before stopped, so calls that cannot be resolved yet never hold up newer ones. A host runs this on a
     * schedule (the Spring Boot starter does). A failure that is one call's own is logged, and the run goes on past
     * the call, which stays for the next run.
     *
     * @return how many calls were resolved
     * @throws io.globalcalling.spi.store.StoreException when the store or the limit ledger cannot be reached (the run
     *         ends there; the calls left are for the next run)
     */
    public int reconcile() {
        return reconciler.reconcile();
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

    /**
     * Stores a message a provider received, matched to its call when it names one we know (by our id or the
     * provider's), ends the call a delivery confirmation confirms, and tells the listeners. A redelivered
     * message (same provider message id) is stored and told once; a delivery confirmation ends its call again,
     * which finishes what a failure left undone and changes nothing else. A failure (the store down) is thrown to
     * the provider, which has the message delivered again (Iridium's MO listener answers the gateway "not kept").
     */
    private void receive(InboundMessage message) {
        Optional<CallRecord> call = callOf(message);
        InboundMessage stored = call.map(c -> message.toBuilder().callId(c.callId()).build()).orElse(message);
        boolean first = store.appendInbound(stored);
        if (stored.kind() == InboundMessage.Kind.DELIVERY_CONFIRMATION && call.isPresent()) {
            // a terminal status through the lifecycle, so the call settles (its message priced) like any other end;
            // a call with no provider call id yet (confirmed before its place() returned) takes the message's
            String providerCallId = call.get().providerCallId() != null ? call.get().providerCallId()
                    : stored.providerCallId().orElse(null);
            lifecycle.apply(CallEvent.status(stored.providerId(), providerCallId, call.get().callId(),
                    CallStatus.COMPLETED, stored.receivedAt()));
        }
        if (!first) return;
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

    private void indexRates(CallingProvider p) {
        decks.put(p.id(), RateDeck.of(p.rates()));
    }

    @Override
    public void close() {
        try {
            campaigns.close();
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
        private Duration callTimeout;
        private Resend resend = Resend.DEFAULT;
        private String campaignNode = "node-" + Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong());
        private Duration campaignLease = Duration.ofSeconds(30);
        private Duration campaignTick = Duration.ofMillis(250);
        private int campaignWorkers = 4;
        private Duration awaitPollInterval = Duration.ofSeconds(1);
        private Duration followPollInterval = Duration.ofSeconds(1);

        private Builder() {
        }

        /** Where provider settings come from; default: system properties, then the environment. */
        public Builder config(ProviderConfig config) {
            this.config = Objects.requireNonNull(config, "config");
            return this;
        }

        /**
         * Reads a properties file, falling back to system properties and the environment for keys it
         * lacks. It is the configuration, as {@link #config} is: whichever is called last is used.
         */
        public Builder configFile(Path file) {
            this.config = ProviderConfig.fromFile(file).orElse(ProviderConfig.systemProperties())
                    .orElse(ProviderConfig.environment());
            return this;
        }

        /**
         * Adds a provider by hand; it wins over a discovered one with the same id. calling.providers.disabled leaves it
         * out as it does a discovered one.
         */
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

        /**
         * Where limit counters live; default in memory (one node). Use the JDBI ledger for several nodes.
         * This is the one place to set it: {@code limits(l -> l.ledger(..))} throws.
         */
        public Builder ledger(LimitLedger ledger) {
            this.ledger = Objects.requireNonNull(ledger, "ledger");
            return this;
        }

        /** Exchange rates and the reporting currency (of costs, holds and budgets); default {@link FxTable#defaults()}. */
        public Builder fx(FxTable fx) {
            this.fx = Objects.requireNonNull(fx, "fx");
            return this;
        }

        /** The clock of records and limits; default the system UTC clock. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * The public URL under which the host serves {@code webhooks().handle(provider, ...)}, e.g.
         * https://host/calling/webhooks; default {@code calling.webhook-base-url} (this setting wins over it).
         */
        public Builder webhookBaseUrl(String url) {
            URI u = absoluteHttpUrl(Objects.requireNonNull(url, "webhookBaseUrl"));
            if (u == null) {
                throw new IllegalArgumentException("webhookBaseUrl '" + Urls.withoutUserInfo(url)
                        + "' must be an absolute http(s) URL");
            }
            if (u.getRawQuery() != null || u.getRawFragment() != null) {
                // the provider's id and ?callId= are appended to it: a query or fragment would swallow them
                throw new IllegalArgumentException("webhookBaseUrl '" + Urls.withoutUserInfo(url)
                        + "' must not have a query or fragment (the provider's id and ?callId= are appended to it)");
            }
            this.webhookBaseUrl = u;
            return this;
        }

        /** The URL, or null when it is not an absolute http(s) URL (URI.create would echo it, credentials and all). */
        private static URI absoluteHttpUrl(String url) {
            try {
                URI u = new URI(url);
                return Urls.isAbsoluteHttp(u) ? u : null;
            } catch (java.net.URISyntaxException e) {
                return null;
            }
        }

        /**
         * Customises rate windows, budgets, hold durations, zone and alert thresholds. The ledger, clock
         * and currency are the manager's ({@link #ledger}, {@link #clock}, {@link #fx}): setting them in
         * here throws {@link IllegalStateException}.
         */
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

        /**
         * How long after it started a call's end must have been reported: past it, {@link #reconcile()} asks the
         * call's provider what became of it (a final callback may have been lost), so that its hold is not held for
         * ever. Default {@code calling.call-timeout}, else 6 hours (Twilio ends a call at 4 hours, Vonage at 2).
         */
        public Builder callTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("callTimeout " + timeout + " must be positive");
            }
            this.callTimeout = timeout;
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

        /** How unknown outcomes are re-sent to providers that deduplicate; tests wait on a clock instead of sleeping. */
        Builder resend(Resend resend) {
            this.resend = Objects.requireNonNull(resend, "resend");
            return this;
        }

        /**
         * How this node runs campaigns: its name in target leases (unique per running manager), how long
         * a claimed target is held before another node may take it over when this one dies (default 30 s),
         * how often it schedules (default 250 ms, from the build when the store holds an unfinished campaign,
         * else from the first campaign created, started or resumed here, or found in the store, another node's, by a
         * look once a lease; zero: never by itself, the host calls {@code campaigns().runOnce()}), and how many calls
         * it places at once (default 4).
         */
        public Builder campaignNode(String nodeId, Duration lease, Duration tick, int workers) {
            Objects.requireNonNull(nodeId, "nodeId");
            if (nodeId.isBlank()) throw new IllegalArgumentException("campaign nodeId '" + nodeId + "' must not be blank");
            Objects.requireNonNull(lease, "lease");
            if (lease.isZero() || lease.isNegative()) {
                throw new IllegalArgumentException("campaign lease " + lease + " must be positive");
            }
            Objects.requireNonNull(tick, "tick");
            if (tick.isNegative()) throw new IllegalArgumentException("campaign tick " + tick + " must not be negative");
            if (workers < 1) throw new IllegalArgumentException("campaign workers " + workers + " must be at least 1");
            this.campaignNode = nodeId;
            this.campaignLease = lease;
            this.campaignTick = tick;
            this.campaignWorkers = workers;
            return this;
        }

        /**
         * How often, while someone waits here for calls to end ({@code calls().await}, {@code calls().whenEnded}),
         * this node reads those calls from the store, all in one read, to see ends that another node sharing the
         * store settled; nothing is read while no one waits. Default 1 second.
         */
        public Builder awaitPollInterval(Duration interval) {
            Objects.requireNonNull(interval, "interval");
            if (interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("awaitPollInterval " + interval + " must be positive");
            }
            this.awaitPollInterval = interval;
            return this;
        }

        /**
         * How often, while someone follows calls' status changes here ({@code calls().follow}), this node reads the
         * calls followed from the store to see the moves another node sharing the store applied; nothing is read while
         * no one follows. Default 1 second.
         */
        public Builder followPollInterval(Duration interval) {
            Objects.requireNonNull(interval, "interval");
            if (interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("followPollInterval " + interval + " must be positive");
            }
            this.followPollInterval = interval;
            return this;
        }

        public GlobalCallingManager build() {
            return new GlobalCallingManager(this);
        }
    }
}
