package io.globalcalling.core.limits;

import io.globalcalling.core.Subscription;
import io.globalcalling.core.limits.event.BudgetAlert;
import io.globalcalling.core.limits.event.CallRejected;
import io.globalcalling.core.limits.event.EmergencyBypass;
import io.globalcalling.core.limits.event.LimitEvent;
import io.globalcalling.core.limits.internal.LimitEventDispatcher;
import io.globalcalling.core.store.InMemoryLimitLedger;
import io.globalcalling.CallCategory;
import io.globalcalling.CallRequest;
import io.globalcalling.Money;
import io.globalcalling.spi.store.LimitLedger;
import io.globalcalling.spi.store.LimitLedger.HoldResult;
import io.globalcalling.spi.store.LimitLedger.PeriodCap;
import io.globalcalling.spi.store.LimitLedger.PeriodUsage;
import io.globalcalling.spi.store.LimitLedger.WindowCap;
import io.globalcalling.spi.store.LimitLedger.WindowResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Currency;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Per-customer call limits: rate windows (100 calls a minute, 1,000 an hour, 10,000 a day by default)
 * and spending budgets (₹10,000 a day, ₹50,000 a week, ₹200,000 a month by default, over calendar
 * periods in Asia/Kolkata) that work like a card authorisation: {@link #admit} reserves a call's
 * estimated cost before anything is sent, {@link #settle} replaces it with the actual cost, and
 * {@link #release} frees it when the call never connected. Budget alerts fire once per period and
 * threshold. Emergency calls pass every cap but are still counted, held and reported.
 *
 * <p>Every counter lives in a {@link LimitLedger}, so that several application nodes sharing one
 * database enforce one set of limits; the default {@link InMemoryLimitLedger} serves a single node.
 * Share one instance; it is thread-safe.
 */
public final class CallLimits {

    private static final Logger LOG = LoggerFactory.getLogger(CallLimits.class);

    public static final ZoneId DEFAULT_ZONE = ZoneId.of("Asia/Kolkata");
    public static final List<RateWindow> DEFAULT_RATE_WINDOWS = List.of(
            RateWindow.perMinute(100), RateWindow.perHour(1_000), RateWindow.perDay(10_000));
    public static final List<Budget> DEFAULT_BUDGETS = List.of(
            Budget.daily(Money.inr("10000")), Budget.weekly(Money.inr("50000")), Budget.monthly(Money.inr("200000")));
    public static final List<Integer> DEFAULT_ALERT_THRESHOLDS = List.of(50, 80, 100);
    /**
     * How long a call of each category is assumed to last when its hold is sized: long enough for most
     * calls, so that a settled cost rarely exceeds its hold. A request's own maxDuration lowers it.
     */
    public static final Map<CallCategory, Duration> DEFAULT_HOLD_DURATIONS = Map.of(
            CallCategory.INTERNET_VOIP, Duration.ofMinutes(10),
            CallCategory.AI_AUTOMATED, Duration.ofMinutes(5),
            CallCategory.HUMAN_AGENT, Duration.ofMinutes(30),
            CallCategory.SYSTEM_API, Duration.ofMinutes(1),
            CallCategory.SATELLITE, Duration.ofMinutes(10));

    private static final Duration MINUTE = Duration.ofMinutes(1);
    private static final int ALERT_CACHE_LIMIT = 100_000;
    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    /**
     * A customer's windows and budgets, with the caps of the windows and periods now current kept until the
     * first of them ends: nearly every call falls in the same minute and day as the one before it.
     */
    private static final class Policy {
        private final List<RateWindow> windows;
        private final List<Budget> budgets;
        private volatile CurrentCaps<WindowCap> windowCaps;
        private volatile CurrentCaps<PeriodCap> periodCaps;

        Policy(List<RateWindow> windows, List<Budget> budgets) {
            this.windows = windows;
            this.budgets = budgets;
        }

        List<RateWindow> windows() {
            return windows;
        }

        List<Budget> budgets() {
            return budgets;
        }
    }

    /** Caps that hold for every instant from {@code from} (inclusive) until {@code until}. */
    private record CurrentCaps<T>(Instant from, Instant until, List<T> caps) {
        boolean hold(Instant now) {
            return !now.isBefore(from) && now.isBefore(until);
        }
    }

    private final LimitLedger ledger;
    private final Clock clock;
    private final ZoneId zone;
    private final Currency currency;
    private final Money zero;
    private final Policy defaults;
    private final Map<String, Policy> customers;
    private final Map<CallCategory, Duration> holdDurations;
    private final List<Integer> alertThresholds;
    private final LimitEventDispatcher events = new LimitEventDispatcher();
    /** Alerts known to be marked in the ledger already, so most admissions skip the ledger round trip. */
    private final Set<String> markedAlerts = ConcurrentHashMap.newKeySet();

    private CallLimits(Builder b) {
        this.ledger = b.ledger != null ? b.ledger : new InMemoryLimitLedger();
        this.clock = b.clock;
        this.zone = b.zone;
        this.currency = b.currency;
        this.zero = Money.zero(currency);
        this.defaults = policy(b.rateWindows, b.budgets, "default");
        Map<String, Policy> perCustomer = new HashMap<>();
        for (String customer : union(b.customerWindows.keySet(), b.customerBudgets.keySet())) {
            perCustomer.put(customer, policy(b.customerWindows.getOrDefault(customer, b.rateWindows),
                    b.customerBudgets.getOrDefault(customer, b.budgets), "customer '" + customer + "'"));
        }
        this.customers = new ConcurrentHashMap<>(perCustomer);
        this.holdDurations = Map.copyOf(b.holdDurations);
        this.alertThresholds = List.copyOf(b.alertThresholds);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder whose ledger, clock and currency are the manager's, given once on
     * {@code GlobalCallingManager.builder()} ({@code ledger(..)}, {@code clock(..)}, its FX table's
     * reporting currency). Setting any of them on this builder throws, so that neither setting
     * silently wins over the other; every other setting is the host's.
     */
    public static Builder managedBuilder(LimitLedger ledger, Clock clock, Currency currency) {
        Builder b = new Builder().ledger(ledger).clock(clock).currency(currency);
        b.managed = true;
        return b;
    }

    /** Limits that count nothing and refuse nothing: no rate windows, no budgets. */
    public static CallLimits unlimited() {
        return builder().rateWindows().budgets().build();
    }

    /**
     * Lets a call through the customer's limits or refuses it before anything is sent. The call is
     * counted in every rate window and its hold ({@code perCall + perMinute ×} the category's hold
     * duration, or the request's shorter maxDuration, in whole minutes) is reserved in every budget
     * period. An emergency request passes every cap and window but is still counted and held, and an
     * {@link EmergencyBypass} event is published.
     *
     * @param callId     the call's id, also its hold id: use it to settle or release; one admission per id
     * @param perMinute  the chosen route's per-minute rate, in this instance's currency
     * @param perCall    the route's fixed cost per call (connection fee), in this instance's currency
     * @throws LimitExceededException with reason RATE_WINDOW or SPEND_LIMIT when a limit refuses
     * @throws IllegalArgumentException on a rate in another currency, a negative rate, or a call id already held
     */
    public Admission admit(String callId, CallRequest request, CallCategory category, Money perMinute, Money perCall) {
        Objects.requireNonNull(callId, "callId");
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(category, "category");
        Money hold = holdFor(request, category, perMinute, perCall);
        String customer = request.customerId();
        boolean emergency = request.isEmergency();
        Policy policy = policyFor(customer);
        ZonedDateTime now = ZonedDateTime.ofInstant(clock.instant(), zone);

        // The hold goes first: a call refused by a rate window gives its hold straight back, while a call
        // refused by its budget after being counted would use up a rate slot for good.
        List<PeriodUsage> usage = List.of();
        Money held = zero;
        boolean reserved = !policy.budgets().isEmpty();
        if (reserved) {
            List<PeriodCap> periods = periodCaps(policy, now);
            HoldResult result = ledger.reserve(callId, customer, hold, periods, emergency);
            if (!result.accepted()) {
                checkAlerts(customer, result.usage(), now.toInstant());
                throw refuse(callId, customer, spendLimit(customer, hold, result, now), now.toInstant());
            }
            usage = result.usage();
            held = hold;
        }
        if (!policy.windows().isEmpty()) {
            WindowResult counted;
            try {
                counted = ledger.count(customer, windowCaps(policy, now), emergency);
            } catch (RuntimeException e) {
                if (reserved) releaseAfter(callId, e);
                throw e;
            }
            if (!counted.allowed()) {
                if (reserved) ledger.release(callId, zero);
                throw refuse(callId, customer, rateWindow(customer, policy, counted, now), now.toInstant());
            }
        }
        checkAlerts(customer, usage, now.toInstant());
        if (emergency) {
            LOG.info("emergency call {} of customer '{}' bypassed the customer limits (held {})", callId, customer, held);
            events.publish(new EmergencyBypass(callId, customer, category, held, usage, now.toInstant()));
        }
        return new Admission(callId, customer, category, held, emergency);
    }

    /**
     * Settles a call's hold at its actual cost: the hold is replaced by {@code actualCost} in the periods
     * it was charged to (those of the day the call was admitted), and any budget alert the cost crosses
     * under the customer's caps now fires now. Settling again, or a call that was released or never held, changes nothing, so a
     * webhook delivered twice or on another node is harmless.
     */
    public void settle(String callId, String customerId, Money actualCost) {
        Objects.requireNonNull(callId, "callId");
        Objects.requireNonNull(customerId, "customerId");
        requireAmount(actualCost, "actualCost");
        List<PeriodUsage> usage = ledger.settle(callId, actualCost);
        if (usage.isEmpty()) {
            LOG.debug("settle of call {}: no open hold (settled, released or never held)", callId);
            return;
        }
        checkAlerts(customerId, withCurrentCaps(customerId, usage), clock.instant());
    }

    /**
     * The usage measured against the customer's caps now, not those the hold was taken under: a cap changed while
     * the call ran ({@link #setCustomerBudgets}) decides its alerts. A period the customer no longer has a budget
     * for fires none.
     */
    private List<PeriodUsage> withCurrentCaps(String customerId, List<PeriodUsage> usage) {
        List<Budget> budgets = policyFor(customerId).budgets();
        List<PeriodUsage> current = new ArrayList<>(usage.size());
        for (PeriodUsage u : usage) {
            budgets.stream().filter(b -> b.period().wireName().equals(u.period())).findFirst()
                    .ifPresent(b -> current.add(new PeriodUsage(u.period(), u.periodKey(), u.used(), b.cap())));
        }
        return current;
    }

    /** Frees a call's whole hold: for a call that failed before connecting. Idempotent, like {@link #settle}. */
    public void release(String callId) {
        Objects.requireNonNull(callId, "callId");
        ledger.release(callId, zero);
    }

    /**
     * What {@link #admit} would reserve for the call: {@code perCall + perMinute ×} the hold duration in
     * whole minutes, rounded up to the currency's minor unit. A dry run: nothing is counted or held.
     */
    public Money holdFor(CallRequest request, CallCategory category, Money perMinute, Money perCall) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(category, "category");
        requireAmount(perMinute, "perMinute");
        requireAmount(perCall, "perCall");
        Duration duration = holdDurations.get(category);
        if (request.maxDuration() != null && request.maxDuration().compareTo(duration) < 0) {
            duration = request.maxDuration();
        }
        // Providers bill started minutes at most, so whole minutes rounded up bound the cost.
        long minutes = duration.plus(MINUTE).minusNanos(1).toMinutes();
        BigDecimal amount = perCall.amount().add(perMinute.amount().multiply(BigDecimal.valueOf(minutes)));
        int digits = Math.max(currency.getDefaultFractionDigits(), 0);
        return Money.of(amount.setScale(digits, RoundingMode.CEILING), currency);
    }

    /** The customer's budget periods now: settled plus held, and the cap, for each. */
    public List<PeriodUsage> budgetUsage(String customerId) {
        Objects.requireNonNull(customerId, "customerId");
        Policy policy = policyFor(customerId);
        if (policy.budgets().isEmpty()) return List.of();
        return ledger.usage(customerId, periodCaps(policy, ZonedDateTime.ofInstant(clock.instant(), zone)));
    }

    /** Registers a listener for budget alerts (50, 80 and 100 % by default), e.g. to send an e-mail; closing the result removes it. */
    public Subscription onAlert(Consumer<? super BudgetAlert> listener) {
        return events.register(BudgetAlert.class, listener);
    }

    /** Registers a listener for calls refused by a rate window or a budget; closing the result removes it. */
    public Subscription onRejected(Consumer<? super CallRejected> listener) {
        return events.register(CallRejected.class, listener);
    }

    /** Registers a listener for emergency calls that bypassed the caps; closing the result removes it. */
    public Subscription onBypass(Consumer<? super EmergencyBypass> listener) {
        return events.register(EmergencyBypass.class, listener);
    }

    /** Registers a listener for every limit event (alerts, refusals, bypasses) in one stream; closing the result removes it. */
    public Subscription onEvent(Consumer<? super LimitEvent> listener) {
        return events.register(LimitEvent.class, listener);
    }

    public ZoneId zone() {
        return zone;
    }

    public Currency currency() {
        return currency;
    }

    /**
     * Replaces a customer's budgets from now on (e.g. the host raised a cap); its rate windows stay. A
     * campaign paused by a budget resumes once the budget has room again.
     *
     * @throws IllegalArgumentException for a budget in another currency or two budgets of one period
     */
    public void setCustomerBudgets(String customerId, Budget... budgets) {
        Objects.requireNonNull(customerId, "customerId");
        Objects.requireNonNull(budgets, "budgets");
        customers.compute(customerId, (id, old) -> policy((old != null ? old : defaults).windows(), List.of(budgets),
                "customer '" + customerId + "'"));
    }

    private Policy policyFor(String customerId) {
        return customers.getOrDefault(customerId, defaults);
    }

    /** The budgets' periods holding {@code now}: the same all day, so worked out once a day. */
    private List<PeriodCap> periodCaps(Policy policy, ZonedDateTime now) {
        CurrentCaps<PeriodCap> known = policy.periodCaps;
        if (known != null && known.hold(now.toInstant())) return known.caps();
        LocalDate date = now.toLocalDate();
        List<PeriodCap> caps = new ArrayList<>(policy.budgets().size());
        for (Budget b : policy.budgets()) {
            caps.add(new PeriodCap(b.period().wireName(), b.period().key(date), b.cap()));
        }
        CurrentCaps<PeriodCap> current = new CurrentCaps<>(date.atStartOfDay(zone).toInstant(),
                date.plusDays(1).atStartOfDay(zone).toInstant(), List.copyOf(caps));
        policy.periodCaps = current;
        return current.caps();
    }

    /** The windows holding {@code now}: the same until the shortest of them ends, so worked out once per window. */
    private List<WindowCap> windowCaps(Policy policy, ZonedDateTime now) {
        CurrentCaps<WindowCap> known = policy.windowCaps;
        if (known != null && known.hold(now.toInstant())) return known.caps();
        List<WindowCap> caps = new ArrayList<>(policy.windows().size());
        Instant from = Instant.MIN;
        Instant until = Instant.MAX;
        for (RateWindow w : policy.windows()) {
            Instant start = w.start(now);
            caps.add(new WindowCap(w.name(), start, w.cap()));
            if (start.isAfter(from)) from = start;
            Instant end = w.end(now);
            if (end.isBefore(until)) until = end;
        }
        CurrentCaps<WindowCap> current = new CurrentCaps<>(from, until, List.copyOf(caps));
        policy.windowCaps = current;
        return current.caps();
    }

    private LimitExceededException rateWindow(String customer, Policy policy, WindowResult counted, ZonedDateTime now) {
        WindowCap full = counted.refused().orElseThrow(() -> new IllegalStateException(
                "ledger refused a call without naming the full window"));
        RateWindow window = policy.windows().stream().filter(w -> w.name().equals(full.window())).findFirst()
                .orElseThrow(() -> new IllegalStateException("ledger named unknown window '" + full.window() + "'"));
        // Windows are ordered longest first and nest, so the first full one also frees up last.
        return LimitExceededException.rateWindow(customer, full.window(), full.start(), counted.count(), full.cap(),
                window.end(now));
    }

    private LimitExceededException spendLimit(String customer, Money hold, HoldResult result, ZonedDateTime now) {
        PeriodCap refused = result.refused().orElseThrow(() -> new IllegalStateException(
                "ledger refused a hold without naming the period"));
        Money spent = zero;
        Instant retryAt = null;
        for (PeriodUsage u : result.usage()) {
            if (u.period().equals(refused.period()) && u.periodKey().equals(refused.periodKey())) spent = u.used();
            // The call fits again only once every period it would overshoot has renewed.
            if (u.used().plus(hold).isGreaterThan(u.cap())) {
                Instant end = BudgetPeriod.valueOf(u.period().toUpperCase(Locale.ROOT))
                        .end(now.toLocalDate(), zone);
                if (retryAt == null || end.isAfter(retryAt)) retryAt = end;
            }
        }
        if (retryAt == null) {
            retryAt = BudgetPeriod.valueOf(refused.period().toUpperCase(Locale.ROOT)).end(now.toLocalDate(), zone);
        }
        return LimitExceededException.spendLimit(customer, refused.period(), refused.periodKey(), spent, hold,
                refused.cap(), retryAt);
    }

    private LimitExceededException refuse(String callId, String customer, LimitExceededException e, Instant at) {
        LOG.debug("call {} refused: {}", callId, e.getMessage());
        events.publish(new CallRejected(callId, customer, e, at));
        return e;
    }

    private void releaseAfter(String callId, RuntimeException failure) {
        try {
            ledger.release(callId, zero);
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    /** Fires each threshold the usage has reached, once: the ledger's mark decides which node fires it. */
    private void checkAlerts(String customer, List<PeriodUsage> usage, Instant at) {
        for (PeriodUsage u : usage) {
            if (u.used().amount().signum() <= 0) continue;
            BigDecimal usedPercent = u.used().amount().multiply(HUNDRED);
            for (int threshold : alertThresholds) {
                if (usedPercent.compareTo(u.cap().amount().multiply(BigDecimal.valueOf(threshold))) < 0) break;
                String key = customer + '\u0000' + u.period() + '\u0000' + u.periodKey() + '\u0000' + threshold;
                if (markedAlerts.contains(key)) continue;
                boolean first;
                try {
                    first = ledger.markAlert(customer, u.period(), u.periodKey(), threshold);
                } catch (RuntimeException e) {
                    // Alerts come after the hold: failing here would refuse a call whose hold nothing then releases.
                    // Not remembered as marked, so the next check of this period tries it again.
                    LOG.warn("could not mark the {} % alert of customer '{}' for {} {}; it is tried again at the next"
                            + " check", threshold, customer, u.period(), u.periodKey(), e);
                    continue;
                }
                if (markedAlerts.size() >= ALERT_CACHE_LIMIT) markedAlerts.clear();
                markedAlerts.add(key);
                if (first) {
                    LOG.info("customer '{}' reached {} % of its {} budget {}: {} of {}", customer, threshold,
                            u.period(), u.periodKey(), u.used(), u.cap());
                    events.publish(new BudgetAlert(customer, u.period(), u.periodKey(), threshold, u.used(), u.cap(), at));
                }
            }
        }
    }

    private Policy policy(List<RateWindow> windows, List<Budget> budgets, String owner) {
        Set<String> names = new TreeSet<>();
        for (RateWindow w : windows) {
            if (!names.add(w.name())) {
                throw new IllegalArgumentException("rateWindows of " + owner + " name '" + w.name() + "' twice");
            }
        }
        Set<BudgetPeriod> periods = new TreeSet<>();
        for (Budget b : budgets) {
            if (!periods.add(b.period())) {
                throw new IllegalArgumentException("budgets of " + owner + " cover " + b.period().wireName() + " twice");
            }
            if (!b.cap().currency().equals(currency)) {
                throw new IllegalArgumentException("budget " + b.period().wireName() + " of " + owner + " is " + b.cap()
                        + " but the limits' currency is " + currency.getCurrencyCode()
                        + "; give budgets(...) in " + currency.getCurrencyCode());
            }
        }
        // Longest first: the ledger names the first full window or period, and a longer one renews last.
        List<RateWindow> sortedWindows = windows.stream()
                .sorted(Comparator.comparing((RateWindow w) -> w.unit().getDuration()).reversed()).toList();
        List<Budget> sortedBudgets = budgets.stream()
                .sorted(Comparator.comparing(Budget::period).reversed()).toList();
        return new Policy(sortedWindows, sortedBudgets);
    }

    private void requireAmount(Money amount, String name) {
        Objects.requireNonNull(amount, name);
        if (!amount.currency().equals(currency)) {
            throw new IllegalArgumentException(name + " " + amount + " is not in the limits' currency "
                    + currency.getCurrencyCode() + "; convert it first");
        }
        if (amount.isNegative()) throw new IllegalArgumentException(name + " " + amount + " must not be negative");
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new TreeSet<>(a);
        all.addAll(b);
        return all;
    }

    /**
     * Builds {@link CallLimits}. Every setting has a default: an {@link InMemoryLimitLedger}, the system
     * UTC clock, Asia/Kolkata, INR, {@link #DEFAULT_RATE_WINDOWS}, {@link #DEFAULT_BUDGETS},
     * {@link #DEFAULT_HOLD_DURATIONS} and alerts at {@link #DEFAULT_ALERT_THRESHOLDS}.
     */
    public static final class Builder {
        private LimitLedger ledger;
        private Clock clock = Clock.systemUTC();
        private ZoneId zone = DEFAULT_ZONE;
        private Currency currency = Money.INR;
        private List<RateWindow> rateWindows = DEFAULT_RATE_WINDOWS;
        private List<Budget> budgets = DEFAULT_BUDGETS;
        private final Map<String, List<RateWindow>> customerWindows = new HashMap<>();
        private final Map<String, List<Budget>> customerBudgets = new HashMap<>();
        private final Map<CallCategory, Duration> holdDurations = new EnumMap<>(DEFAULT_HOLD_DURATIONS);
        private List<Integer> alertThresholds = DEFAULT_ALERT_THRESHOLDS;
        /** Ledger, clock and currency are the manager's: see {@link #managedBuilder}. */
        private boolean managed;

        private Builder() {
        }

        /**
         * Where counters and holds live; share one database-backed ledger across nodes. Inside the
         * manager's {@code limits(..)} this throws: the manager's builder takes the ledger.
         */
        public Builder ledger(LimitLedger ledger) {
            refuseIfManaged("ledger", "ledger(..)");
            this.ledger = Objects.requireNonNull(ledger, "ledger");
            return this;
        }

        /** The clock that decides which window and period a call falls in; inside the manager's {@code limits(..)} it throws. */
        public Builder clock(Clock clock) {
            refuseIfManaged("clock", "clock(..)");
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The time zone of the calendar windows and periods (midnight, Monday, month start). */
        public Builder zone(ZoneId zone) {
            this.zone = Objects.requireNonNull(zone, "zone");
            return this;
        }

        /** The currency of budgets, rates and costs; inside the manager's {@code limits(..)} it throws (its FX table's reporting currency). */
        public Builder currency(Currency currency) {
            refuseIfManaged("currency", "fx(..), whose reporting currency it is");
            this.currency = Objects.requireNonNull(currency, "currency");
            return this;
        }

        /** Every customer's rate windows, replacing the defaults; none means no rate limit. */
        public Builder rateWindows(RateWindow... windows) {
            this.rateWindows = List.of(windows);
            return this;
        }

        /** Every customer's budgets, replacing the defaults; none means no spending cap. */
        public Builder budgets(Budget... budgets) {
            this.budgets = List.of(budgets);
            return this;
        }

        /** One customer's rate windows, in place of the global ones. */
        public Builder customerRateWindows(String customerId, RateWindow... windows) {
            customerWindows.put(Objects.requireNonNull(customerId, "customerId"), List.of(windows));
            return this;
        }

        /** One customer's budgets, in place of the global ones. */
        public Builder customerBudgets(String customerId, Budget... budgets) {
            customerBudgets.put(Objects.requireNonNull(customerId, "customerId"), List.of(budgets));
            return this;
        }

        /** How long a call of this category is assumed to last when its hold is sized. */
        public Builder holdDuration(CallCategory category, Duration duration) {
            Objects.requireNonNull(category, "category");
            Objects.requireNonNull(duration, "duration");
            if (duration.isNegative()) {
                throw new IllegalArgumentException("holdDuration " + duration + " of " + category.wireName()
                        + " must not be negative");
            }
            holdDurations.put(category, duration);
            return this;
        }

        /** The budget percentages that fire an alert; each fires once per customer and period. */
        public Builder alertThresholds(int... percents) {
            List<Integer> list = new ArrayList<>();
            for (int p : percents) {
                if (p <= 0) throw new IllegalArgumentException("alert threshold " + p + " must be positive");
                list.add(p);
            }
            this.alertThresholds = List.copyOf(new TreeSet<>(list));
            return this;
        }

        private void refuseIfManaged(String setting, String managerSetter) {
            if (managed) {
                throw new IllegalStateException("the limits' " + setting + " is the manager's: set it with "
                        + "GlobalCallingManager.builder()." + managerSetter + ", not inside limits(..)");
            }
        }

        /** @throws IllegalArgumentException when a budget is not in the currency or a name repeats */
        public CallLimits build() {
            return new CallLimits(this);
        }
    }

    @Override
    public String toString() {
        return "CallLimits{zone=" + zone + ", currency=" + currency.getCurrencyCode() + ", windows=" + defaults.windows()
                + ", budgets=" + defaults.budgets() + ", customers with own limits=" + customers.size()
                + ", thresholds=" + Arrays.toString(alertThresholds.toArray()) + "}";
    }
}
