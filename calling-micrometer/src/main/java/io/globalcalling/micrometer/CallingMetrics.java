package io.globalcalling.micrometer;

import io.globalcalling.CallCategory;
import io.globalcalling.CallRecord;
import io.globalcalling.CallStatus;
import io.globalcalling.ErrorReason;
import io.globalcalling.Money;
import io.globalcalling.core.CallingObserver;
import io.globalcalling.core.GlobalCallingManager;
import io.globalcalling.core.cost.FxTable;
import io.globalcalling.core.Subscription;
import io.globalcalling.core.lifecycle.CallStatusChanged;
import io.globalcalling.core.limits.BudgetPeriod;
import io.globalcalling.core.limits.event.BudgetAlert;
import io.globalcalling.core.limits.event.CallRejected;
import io.globalcalling.core.limits.event.EmergencyBypass;
import io.globalcalling.core.limits.event.LimitEvent;
import io.globalcalling.core.routing.QualityTracker.CircuitState;
import io.globalcalling.spi.store.LimitLedger.PeriodUsage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.jspecify.annotations.Nullable;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Currency;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * Micrometer meters for one {@link GlobalCallingManager}, fed by its listeners: calls placed and ended,
 * failovers, unresolved calls, placement and callback latency, refused callbacks, estimated, held and
 * settled cost, budget use of chosen customers, limit refusals and bypasses, pacing waits and each
 * provider's circuit. Bind it to the host's registry; close it to stop listening and remove its gauges.
 *
 * <pre>{@code
 * CallingMetrics metrics = new CallingMetrics(manager);
 * metrics.bindTo(registry);
 * }</pre>
 *
 * <p>Tags are few and bounded: provider (the manager's provider ids; anything else is {@code unknown}),
 * category, outcome, reason, status, limit, period and the customer tier the host's
 * {@link Options.Builder#customerTier function} names (at most {@value #MAX_TIERS}). A customer id is a tag
 * only on the budget gauges of the customers the host lists ({@link Options.Builder#customers}, at most
 * {@value #MAX_TAGGED_CUSTOMERS}). Money is counted in the reporting currency, which is each money
 * meter's base unit (e.g. {@code inr}).
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>name</th><th>type</th><th>tags</th></tr>
 *   <tr><td>calling.calls.placed</td><td>counter</td><td>provider, category, outcome (accepted, unknown, failed)</td></tr>
 *   <tr><td>calling.placement</td><td>timer</td><td>provider, category, outcome</td></tr>
 *   <tr><td>calling.calls.ended</td><td>counter</td><td>provider, category, status</td></tr>
 *   <tr><td>calling.failovers</td><td>counter</td><td>provider (the one failed over from), category, reason</td></tr>
 *   <tr><td>calling.calls.unresolved</td><td>gauge</td><td>(none): calls whose outcome awaits reconciliation</td></tr>
 *   <tr><td>calling.callbacks</td><td>timer</td><td>provider, outcome</td></tr>
 *   <tr><td>calling.callbacks.refused</td><td>counter</td><td>provider, reason (bad_signature, too_old, too_large, malformed,
 *       unknown_provider, refused)</td></tr>
 *   <tr><td>calling.cost.estimated, calling.cost.held, calling.cost.settled</td><td>counter</td><td>tier, category</td></tr>
 *   <tr><td>calling.budget.used, calling.budget.cap</td><td>gauge</td><td>customer, period (listed customers only; NaN for a period without a budget)</td></tr>
 *   <tr><td>calling.budget.alerts</td><td>counter</td><td>period, threshold</td></tr>
 *   <tr><td>calling.limits.refused</td><td>counter</td><td>limit (window, budget), name (minute, day, ...)</td></tr>
 *   <tr><td>calling.limits.bypassed</td><td>counter</td><td>category: emergency calls let past the caps</td></tr>
 *   <tr><td>calling.pacing.wait</td><td>timer</td><td>provider</td></tr>
 *   <tr><td>calling.pacing.timeouts</td><td>counter</td><td>provider</td></tr>
 *   <tr><td>calling.provider.circuit</td><td>gauge</td><td>provider, state (closed, open, half_open): 1 for the current state</td></tr>
 * </table>
 *
 * <p>Counters and timers count what this process did; the unresolved and budget gauges read the shared store
 * and ledger when scraped (one query each), so they agree across nodes.
 */
public final class CallingMetrics implements MeterBinder, AutoCloseable {

    /** The most customers whose budget gauges carry their id. */
    public static final int MAX_TAGGED_CUSTOMERS = 100;
    /** The most distinct tiers; customers of further tiers are tagged {@code other}. */
    public static final int MAX_TIERS = 20;

    static final String UNKNOWN = "unknown";
    private static final String CALLS = "calls";

    private final GlobalCallingManager manager;
    private final Options options;
    private final Currency currency;
    private final String currencyUnit;
    private final Set<String> providers;
    private final Set<String> tiers = ConcurrentHashMap.newKeySet();
    private final List<MeterRegistry> registries = new CopyOnWriteArrayList<>();
    private final Map<MeterRegistry, List<Meter>> gauges = new ConcurrentHashMap<>();
    private final List<Subscription> subscriptions = new ArrayList<>();
    private volatile boolean closed;

    /** Meters with default {@link Options}: no customer ids as tags, one tier, the manager's reporting currency. */
    public CallingMetrics(GlobalCallingManager manager) {
        this(manager, Options.defaults());
    }

    public CallingMetrics(GlobalCallingManager manager, Options options) {
        this.manager = Objects.requireNonNull(manager, "manager");
        this.options = Objects.requireNonNull(options, "options");
        this.currency = options.reportingCurrency != null ? options.reportingCurrency : manager.limits().currency();
        this.currencyUnit = currency.getCurrencyCode().toLowerCase(Locale.ROOT);
        this.providers = Set.copyOf(manager.providerIds());
        subscriptions.add(manager.observe(new Observer()));
        subscriptions.add(manager.onStatusChange(this::statusChanged));
        subscriptions.add(manager.onSettled(this::settled));
        subscriptions.add(manager.limits().onEvent(this::limitEvent));
    }

    /**
     * Registers the gauges on {@code registry}; counters and timers appear there as events come. May be
     * bound to several registries; binding one twice does nothing more.
     *
     * @throws IllegalStateException after {@link #close()}
     */
    @Override
    public synchronized void bindTo(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        if (closed) throw new IllegalStateException("these calling metrics are closed; create new ones to bind");
        if (gauges.containsKey(registry)) return;   // else every event would be counted twice there
        List<Meter> bound = new ArrayList<>();
        bound.add(gauge(registry, "calling.calls.unresolved", "calls whose placement outcome awaits reconciliation",
                CALLS, Tags.empty(),
                m -> m.manager.calls().countNeedingReconciliation()));
        for (String provider : providers) {
            for (CircuitState state : CircuitState.values()) {
                bound.add(gauge(registry, "calling.provider.circuit", "1 when the provider's circuit is in this state",
                        null, Tags.of("provider", provider, "state", state.name().toLowerCase(Locale.ROOT)),
                        m -> m.manager.providerHealth(provider).state() == state ? 1 : 0));
            }
        }
        // every period, not only those budgeted now: setCustomerBudgets may add one later (NaN while there is none)
        for (String customer : options.customers) {
            for (BudgetPeriod budgetPeriod : BudgetPeriod.values()) {
                String period = budgetPeriod.wireName();
                Tags tags = Tags.of("customer", customer, "period", period);
                bound.add(gauge(registry, "calling.budget.used", "settled plus held in the budget period now",
                        currencyUnit, tags, m -> m.budget(customer, period, PeriodUsage::used)));
                bound.add(gauge(registry, "calling.budget.cap", "the budget period's cap", currencyUnit, tags,
                        m -> m.budget(customer, period, PeriodUsage::cap)));
            }
        }
        gauges.put(registry, List.copyOf(bound));
        registries.add(registry);
    }

    /** Stops listening to the manager and removes the gauges from every registry; counters keep their counts. */
    @Override
    public synchronized void close() {
        closed = true;
        subscriptions.forEach(Subscription::close);
        gauges.forEach((registry, meters) -> meters.forEach(registry::remove));
        gauges.clear();
        registries.clear();
    }

    // ---------------------------------------------------------------- events

    /** What the manager does inside placements and callbacks. */
    private final class Observer implements CallingObserver {
        @Override
        public void placed(CallRecord record, Duration took) {
            Tags tags = Tags.of("provider", provider(record.providerId()), "category", record.category().wireName(),
                    "outcome", outcome(record));
            count("calling.calls.placed", "calls recorded and placed", CALLS, tags, 1);
            time("calling.placement", "from call(..) to a provider's answer, failovers and pacing included", tags, took);
            Tags money = money(record);
            countMoney("calling.cost.estimated", "expected cost of calls placed", money, record.estimatedCost());
            countMoney("calling.cost.held", "amounts reserved against budgets", money, record.heldAmount());
        }

        @Override
        public void failedOver(String providerId, CallCategory category, ErrorReason reason) {
            count("calling.failovers", "placements passed on to the next provider", null, Tags.of("provider",
                    provider(providerId), "category", category.wireName(), "reason", lower(reason.name())), 1);
        }

        @Override
        public void callbackHandled(String providerId, CallbackOutcome outcome, Duration took) {
            String provider = provider(providerId);
            String tag = lower(outcome.name());
            time("calling.callbacks", "provider callbacks handled or refused", Tags.of("provider", provider,
                    "outcome", tag), took);
            if (outcome != CallbackOutcome.HANDLED && outcome != CallbackOutcome.NOT_APPLIED) {
                count("calling.callbacks.refused", "callbacks refused, by reason", null,
                        Tags.of("provider", provider, "reason", tag), 1);
            }
        }

        @Override
        public void pacingWaited(String providerId, Duration waited) {
            time("calling.pacing.wait", "waits for a turn at a provider's pace", Tags.of("provider",
                    provider(providerId)), waited);
        }

        @Override
        public void pacingTimedOut(String providerId) {
            count("calling.pacing.timeouts", "placements that got no turn at a provider within the maximum wait",
                    null, Tags.of("provider", provider(providerId)), 1);
        }
    }

    private void statusChanged(CallStatusChanged change) {
        CallRecord record = change.record();
        if (!record.status().isTerminal()) return;
        count("calling.calls.ended", "calls that reached a final status", CALLS,
                Tags.of("provider", provider(record.providerId()), "category", record.category().wireName(),
                        "status", record.status().wireName()), 1);
    }

    // Not on the end's status change: a settlement that failed there is finished later, with no move to tell of it.
    private void settled(CallRecord record) {
        countMoney("calling.cost.settled", "settled cost of ended calls", money(record), record.cost());
    }

    private void limitEvent(LimitEvent event) {
        if (event instanceof CallRejected rejected) {
            String limit = switch (rejected.cause().reason()) {
                case RATE_WINDOW -> "window";
                case SPEND_LIMIT -> "budget";
                default -> lower(rejected.cause().reason().name());
            };
            count("calling.limits.refused", "calls refused by a customer's rate window or budget", CALLS,
                    Tags.of("limit", limit, "name", rejected.cause().window().orElse(UNKNOWN)), 1);
        } else if (event instanceof EmergencyBypass bypass) {
            count("calling.limits.bypassed", "emergency calls let past the caps (still counted)", CALLS,
                    Tags.of("category", bypass.category().wireName()), 1);
        } else if (event instanceof BudgetAlert alert) {
            count("calling.budget.alerts", "budget thresholds crossed", null, Tags.of("period", alert.period(),
                    "threshold", Integer.toString(alert.thresholdPercent())), 1);
        }
    }

    // ---------------------------------------------------------------- meters

    private void count(String name, String description, @Nullable String unit, Tags tags, double amount) {
        eachRegistry(r -> Counter.builder(name).description(description).baseUnit(unit).tags(tags).register(r)
                .increment(amount));
    }

    private void countMoney(String name, String description, Tags tags, @Nullable Money amount) {
        if (amount == null) return;
        double value = inReportingCurrency(amount);
        if (!Double.isNaN(value)) count(name, description, currencyUnit, tags, value);
    }

    private void time(String name, String description, Tags tags, Duration took) {
        eachRegistry(r -> Timer.builder(name).description(description).tags(tags)
                .publishPercentiles(options.percentiles).register(r).record(took));
    }

    private void eachRegistry(Consumer<MeterRegistry> action) {
        for (MeterRegistry r : registries) action.accept(r);
    }

    private Meter gauge(MeterRegistry registry, String name, String description, @Nullable String unit, Tags tags,
                        ToDoubleFunction<CallingMetrics> value) {
        // a strong reference: the registry keeps the binder alive until close() removes the gauge
        return Gauge.builder(name, this, value).description(description).baseUnit(unit).tags(tags)
                .strongReference(true).register(registry);
    }

    // ---------------------------------------------------------------- tags and values

    /** A provider id the manager has; anything else (a callback's path, say) would be unbounded. */
    private String provider(@Nullable String providerId) {
        if (providerId == null) return "none";
        return providers.contains(providerId) ? providerId : UNKNOWN;
    }

    private static String outcome(CallRecord record) {
        if (record.needsReconciliation()) return "unknown";
        return record.status() == CallStatus.FAILED ? "failed" : "accepted";
    }

    private Tags money(CallRecord record) {
        return Tags.of("tier", tier(record.customerId()), "category", record.category().wireName());
    }

    /** The host's tier of a customer, bounded: blank is {@code unknown}, tiers past {@link #MAX_TIERS} {@code other}. */
    private String tier(String customerId) {
        String tier = options.customerTier.apply(customerId);
        if (tier == null || tier.isBlank()) return UNKNOWN;
        if (tiers.contains(tier)) return tier;
        synchronized (tiers) {
            if (!tiers.contains(tier) && tiers.size() >= MAX_TIERS) return "other";
            tiers.add(tier);
        }
        return tier;
    }

    private double budget(String customer, String period, Function<PeriodUsage, Money> part) {
        return manager.limits().budgetUsage(customer).stream().filter(u -> u.period().equals(period)).findFirst()
                .map(u -> inReportingCurrency(part.apply(u))).orElse(Double.NaN);
    }

    /** NaN when the amount's currency cannot be converted to the reporting currency. */
    private double inReportingCurrency(Money amount) {
        if (amount.currency().equals(currency)) return amount.amount().doubleValue();
        if (!options.fx.canConvert(amount.currency(), currency)) return Double.NaN;
        return options.fx.convert(amount, currency).amount().doubleValue();
    }

    private static String lower(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    // ---------------------------------------------------------------- options

    /** What the host decides about its metrics: which customers are tags, their tiers, the currency, percentiles. */
    public static final class Options {
        private final Set<String> customers;
        private final Function<String, String> customerTier;
        private final @Nullable Currency reportingCurrency;
        private final FxTable fx;
        private final double[] percentiles;

        private Options(Builder b) {
            this.customers = Set.copyOf(b.customers);
            this.customerTier = b.customerTier;
            this.reportingCurrency = b.reportingCurrency;
            this.fx = b.fx;
            this.percentiles = b.percentiles.clone();
        }

        /** No customer ids as tags, every customer in tier {@code default}, the manager's currency, p50/p95/p99. */
        public static Options defaults() {
            return builder().build();
        }

        public static Builder builder() {
            return new Builder();
        }

        /** Builds {@link Options}; every setting has a default. */
        public static final class Builder {
            private final Set<String> customers = new LinkedHashSet<>();
            private Function<String, String> customerTier = id -> "default";
            private @Nullable Currency reportingCurrency;
            private FxTable fx = FxTable.defaults();
            private double[] percentiles = {0.5, 0.95, 0.99};

            private Builder() {
            }

            /**
             * The customers whose budget use is a gauge tagged with their id, say the biggest ones; at most
             * {@value CallingMetrics#MAX_TAGGED_CUSTOMERS}. Each is read from the limit ledger when scraped.
             *
             * @throws IllegalArgumentException when an id is blank or there are too many
             */
            public Builder customers(Collection<String> customerIds) {
                Objects.requireNonNull(customerIds, "customers");
                Set<String> ids = new LinkedHashSet<>();
                for (String id : customerIds) {
                    if (id == null || id.isBlank()) {
                        throw new IllegalArgumentException("customers contains a blank customer id: '" + id + "'");
                    }
                    ids.add(id);
                }
                if (ids.size() > MAX_TAGGED_CUSTOMERS) {
                    throw new IllegalArgumentException("customers has " + ids.size() + " ids; at most "
                            + MAX_TAGGED_CUSTOMERS + " may be tags (each is its own time series)");
                }
                customers.clear();
                customers.addAll(ids);
                return this;
            }

            /** @see #customers(Collection) */
            public Builder customers(String... customerIds) {
                return customers(Arrays.asList(Objects.requireNonNull(customerIds, "customers")));
            }

            /**
             * The tier of a customer id (e.g. {@code enterprise}, {@code free}) for the cost meters' {@code tier}
             * tag. Keep the names few: after {@value CallingMetrics#MAX_TIERS} distinct ones, further tiers count as {@code other}.
             */
            public Builder customerTier(Function<String, String> tierOfCustomer) {
                this.customerTier = Objects.requireNonNull(tierOfCustomer, "customerTier");
                return this;
            }

            /** The currency money meters count in; default the manager's reporting currency. */
            public Builder reportingCurrency(Currency currency) {
                this.reportingCurrency = Objects.requireNonNull(currency, "reportingCurrency");
                return this;
            }

            /**
             * Converts amounts into a {@link #reportingCurrency} other than the manager's; default
             * {@link FxTable#defaults()}. An amount it cannot convert is not counted.
             */
            public Builder fx(FxTable fx) {
                this.fx = Objects.requireNonNull(fx, "fx");
                return this;
            }

            /**
             * The percentiles the timers publish, each within 0..1; none publishes none.
             *
             * @throws IllegalArgumentException when one is outside 0..1
             */
            public Builder percentiles(double... percentiles) {
                Objects.requireNonNull(percentiles, "percentiles");
                for (double p : percentiles) {
                    if (!(p >= 0 && p <= 1)) {
                        throw new IllegalArgumentException("percentiles contains " + p + "; each must be within 0..1");
                    }
                }
                this.percentiles = percentiles.clone();
                return this;
            }

            public Options build() {
                return new Options(this);
            }
        }
    }
}
