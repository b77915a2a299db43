package io.globalcalling.core.store;

import io.globalcalling.Money;
import io.globalcalling.spi.store.LimitLedger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Currency;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The {@link LimitLedger} of a single application node: counters and holds in memory, each customer's
 * behind its own lock, so every operation is atomic and no cap is overshot whatever the concurrency.
 * Several nodes sharing limits need a database-backed ledger instead.
 *
 * <p>Memory stays bounded: per customer only the {@value #KEPT_WINDOWS} newest windows of each name,
 * the {@value #KEPT_PERIODS} newest keys of each period and those keys' alert marks are kept; and a
 * closed hold's id is remembered for the closed-hold horizon (a day by default), so that a repeated id
 * is refused, and then forgotten. Forgetting never counts money twice: a settle or release of a
 * forgotten hold, like that of any unknown hold, changes nothing. Open holds are never forgotten.
 * Forgetting happens as holds are reserved and settled; {@link #purgeExpired()} does it at once.
 */
public final class InMemoryLimitLedger implements LimitLedger {

    static final int KEPT_WINDOWS = 4;
    static final int KEPT_PERIODS = 8;
    /** How long a closed hold's id is remembered unless the constructor says otherwise. */
    public static final Duration DEFAULT_CLOSED_HOLD_HORIZON = Duration.ofDays(1);

    /** One customer's counters; guarded by its own monitor. */
    private static final class Counters {
        final Map<String, TreeMap<Instant, Long>> windows = new HashMap<>();
        final Map<String, LinkedHashMap<String, Money>> periods = new HashMap<>();
        /** The alerts marked; those of a forgotten period key are forgotten with it. */
        final Set<AlertKey> alerts = new HashSet<>();

        LinkedHashMap<String, Money> periodsOf(String period) {
            return periods.computeIfAbsent(period, name -> new LinkedHashMap<>() {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Money> eldest) {
                    if (size() <= KEPT_PERIODS) return false;
                    alerts.removeIf(a -> a.period().equals(name) && a.periodKey().equals(eldest.getKey()));
                    return true;
                }
            });
        }
    }

    /**
     * An open hold; identity matters, so that exactly one settle replaces it by {@link #CLOSED}. Its
     * amount and periods are usually those of many other holds, and shared with them.
     */
    private static final class Hold {
        final Counters counters;
        final Money amount;
        final List<PeriodCap> periods;

        Hold(Counters counters, Money amount, List<PeriodCap> periods) {
            this.counters = counters;
            this.amount = amount;
            this.periods = periods;
        }
    }

    private static final Hold CLOSED = new Hold(new Counters(), Money.zero(Money.INR), List.of());

    private record AlertKey(String period, String periodKey, int thresholdPercent) {
    }

    /** A hold id closed at {@code at}, to forget once the horizon has passed. */
    private record ClosedHold(String holdId, Instant at) {
    }

    private final Clock clock;
    private final Duration closedHoldHorizon;
    private final ConcurrentHashMap<String, Counters> customers = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Hold> holds = new ConcurrentHashMap<>();
    /** Closed holds in the order they closed; one thread at a time forgets from its head. */
    private final Queue<ClosedHold> closed = new ConcurrentLinkedQueue<>();
    private final ReentrantLock forgetting = new ReentrantLock();
    private final RecentValues<Money> amounts = new RecentValues<>(256);
    private final RecentValues<List<PeriodCap>> periodLists = new RecentValues<>(256);

    /** A ledger on the system clock that remembers closed holds for {@link #DEFAULT_CLOSED_HOLD_HORIZON}. */
    public InMemoryLimitLedger() {
        this(Clock.systemUTC(), DEFAULT_CLOSED_HOLD_HORIZON);
    }

    /**
     * @param clock              tells when a hold closed and when its id may be forgotten
     * @param closedHoldHorizon  how long a closed hold's id is remembered (and a reuse of it refused);
     *                           longer than any delay after which the same id could be reserved again
     */
    public InMemoryLimitLedger(Clock clock, Duration closedHoldHorizon) {
        this.clock = Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(closedHoldHorizon, "closedHoldHorizon");
        if (closedHoldHorizon.isNegative()) {
            throw new IllegalArgumentException("closedHoldHorizon " + closedHoldHorizon + " must not be negative");
        }
        this.closedHoldHorizon = closedHoldHorizon;
    }

    @Override
    public WindowResult count(String customerId, List<WindowCap> windows, boolean bypass) {
        Objects.requireNonNull(customerId, "customerId");
        List<WindowCap> caps = List.copyOf(Objects.requireNonNull(windows, "windows"));
        Counters c = counters(customerId);
        synchronized (c) {
            if (!bypass) {
                for (WindowCap w : caps) {
                    long current = windowCount(c, w);
                    if (current >= w.cap()) return new WindowResult(false, Optional.of(w), current);
                }
            }
            long first = 0;
            for (int i = 0; i < caps.size(); i++) {
                long counted = increment(c, caps.get(i));
                if (i == 0) first = counted;
            }
            return new WindowResult(true, Optional.empty(), first);
        }
    }

    @Override
    public HoldResult reserve(String holdId, String customerId, Money amount, List<PeriodCap> periods, boolean bypass) {
        Objects.requireNonNull(holdId, "holdId");
        Objects.requireNonNull(customerId, "customerId");
        Objects.requireNonNull(amount, "amount");
        List<PeriodCap> caps = List.copyOf(Objects.requireNonNull(periods, "periods"));
        if (amount.isNegative()) throw new IllegalArgumentException("amount " + amount + " must not be negative");
        for (PeriodCap p : caps) {
            if (!p.cap().currency().equals(amount.currency())) {
                throw new IllegalArgumentException("period " + p.period() + " cap " + p.cap()
                        + " is not in the currency of amount " + amount);
            }
        }
        forgetExpired();
        if (holds.containsKey(holdId)) throw duplicate(holdId);
        Counters c = counters(customerId);
        synchronized (c) {
            for (PeriodCap p : caps) {
                Currency counted = used(c, p).currency();
                if (!counted.equals(amount.currency())) throw otherCurrency(customerId, p, counted, amount);
            }
            if (!bypass) {
                for (PeriodCap p : caps) {
                    if (used(c, p).plus(amount).isGreaterThan(p.cap())) {
                        return new HoldResult(false, Optional.of(p), usage(c, caps));
                    }
                }
            }
            Hold hold = new Hold(c, amounts.shared(amount), periodLists.shared(caps));
            if (holds.putIfAbsent(holdId, hold) != null) throw duplicate(holdId);
            for (PeriodCap p : caps) {
                c.periodsOf(p.period()).put(p.periodKey(), used(c, p).plus(amount));
            }
            return new HoldResult(true, Optional.empty(), usage(c, caps));
        }
    }

    @Override
    public List<PeriodUsage> settle(String holdId, Money actual) {
        Objects.requireNonNull(holdId, "holdId");
        Objects.requireNonNull(actual, "actual");
        if (actual.isNegative()) throw new IllegalArgumentException("actual " + actual + " must not be negative");
        Hold hold = holds.get(holdId);
        if (hold == null || hold == CLOSED) return List.of();
        // Refused before the hold closes, so that it stays open, as in the database ledger.
        if (!actual.currency().equals(hold.amount.currency())) {
            throw new IllegalArgumentException("actual " + actual + " is not in "
                    + hold.amount.currency().getCurrencyCode() + ", the currency of hold '" + holdId + "'");
        }
        Counters c = hold.counters;
        synchronized (c) {
            if (!holds.replace(holdId, hold, CLOSED)) return List.of();
            closed.add(new ClosedHold(holdId, clock.instant()));
            for (PeriodCap p : hold.periods) {
                Map<String, Money> keys = c.periodsOf(p.period());
                Money used = keys.get(p.periodKey());
                // A period forgotten as too old has nothing left to correct.
                if (used != null) keys.put(p.periodKey(), used.minus(hold.amount).plus(actual));
            }
            return usage(c, hold.periods);
        }
    }

    @Override
    public List<PeriodUsage> usage(String customerId, List<PeriodCap> periods) {
        Objects.requireNonNull(customerId, "customerId");
        List<PeriodCap> caps = List.copyOf(Objects.requireNonNull(periods, "periods"));
        Counters c = counters(customerId);
        synchronized (c) {
            return usage(c, caps);
        }
    }

    @Override
    public boolean markAlert(String customerId, String period, String periodKey, int thresholdPercent) {
        Objects.requireNonNull(customerId, "customerId");
        AlertKey alert = new AlertKey(Objects.requireNonNull(period, "period"),
                Objects.requireNonNull(periodKey, "periodKey"), thresholdPercent);
        Counters c = counters(customerId);
        synchronized (c) {
            return c.alerts.add(alert);
        }
    }

    /**
     * Forgets now the closed holds whose horizon has passed, instead of as holds come and go.
     *
     * @return how many hold ids were forgotten
     */
    public int purgeExpired() {
        forgetting.lock();
        try {
            return forget();
        } finally {
            forgetting.unlock();
        }
    }

    /** Forgets expired closed holds unless another thread is doing it already. */
    private void forgetExpired() {
        if (!forgetting.tryLock()) return;
        try {
            forget();
        } finally {
            forgetting.unlock();
        }
    }

    private int forget() {
        Instant before = clock.instant().minus(closedHoldHorizon);
        int forgotten = 0;
        for (ClosedHold head = closed.peek(); head != null && !head.at().isAfter(before); head = closed.peek()) {
            closed.poll();
            if (holds.remove(head.holdId(), CLOSED)) forgotten++;
        }
        return forgotten;
    }

    /** Hold ids remembered, open and closed; for tests of the memory bound. */
    int retainedHolds() {
        return holds.size();
    }

    /** Alert marks remembered over all customers; for tests of the memory bound. */
    int retainedAlerts() {
        int n = 0;
        for (Counters c : customers.values()) {
            synchronized (c) {
                n += c.alerts.size();
            }
        }
        return n;
    }

    private Counters counters(String customerId) {
        return customers.computeIfAbsent(customerId, id -> new Counters());
    }

    private static long windowCount(Counters c, WindowCap w) {
        TreeMap<Instant, Long> starts = c.windows.get(w.window());
        return starts == null ? 0 : starts.getOrDefault(w.start(), 0L);
    }

    private static long increment(Counters c, WindowCap w) {
        TreeMap<Instant, Long> starts = c.windows.computeIfAbsent(w.window(), name -> new TreeMap<>());
        long counted = starts.merge(w.start(), 1L, Long::sum);
        while (starts.size() > KEPT_WINDOWS) starts.pollFirstEntry();
        return counted;
    }

    private static Money used(Counters c, PeriodCap p) {
        Map<String, Money> keys = c.periods.get(p.period());
        Money used = keys == null ? null : keys.get(p.periodKey());
        return used == null ? Money.zero(p.cap().currency()) : used;
    }

    private static List<PeriodUsage> usage(Counters c, List<PeriodCap> caps) {
        List<PeriodUsage> usage = new ArrayList<>(caps.size());
        for (PeriodCap p : caps) {
            usage.add(new PeriodUsage(p.period(), p.periodKey(), used(c, p), p.cap()));
        }
        return List.copyOf(usage);
    }

    private static IllegalArgumentException otherCurrency(String customerId, PeriodCap p, Currency counted, Money amount) {
        return new IllegalArgumentException("period " + p.period() + " " + p.periodKey() + " of customer '" + customerId
                + "' is counted in " + counted.getCurrencyCode() + "; a hold of " + amount + " cannot be added to it");
    }

    private static IllegalArgumentException duplicate(String holdId) {
        return new IllegalArgumentException("hold '" + holdId + "' already exists; a hold id is used once");
    }

    @Override
    public String toString() {
        return "InMemoryLimitLedger{customers=" + customers.size() + ", holds=" + holds.size() + "}";
    }
}
