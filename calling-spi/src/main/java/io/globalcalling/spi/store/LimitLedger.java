package io.globalcalling.spi.store;

import io.globalcalling.Money;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The counters behind per-customer limits: call-rate windows and spending holds. Every operation is
 * atomic, across application nodes too when the ledger lives in a shared database, so that a cap is
 * never overshot whatever the concurrency. The core decides the windows, periods and caps; the ledger
 * only counts. Amounts are in one currency (the manager's reporting currency).
 *
 * <p>A ledger may forget what can no longer change, so that it does not grow without bound: a closed
 * hold after a horizon the implementation documents, and past windows and periods. It never forgets an
 * open hold, and forgetting never counts money twice: a settle or release of a forgotten hold changes
 * nothing, like that of an unknown one.
 *
 * <p>Every implementation must pass {@code io.globalcalling.testkit.LimitLedgerContract}.
 */
public interface LimitLedger {

    /**
     * A fixed window to count a call in.
     *
     * @param window  its name, e.g. {@code minute}
     * @param start   the window's start; (customer, window, start) names one counter
     * @param cap     the most calls the window may hold
     */
    record WindowCap(String window, Instant start, long cap) {
        public WindowCap {
            Objects.requireNonNull(window, "window");
            Objects.requireNonNull(start, "start");
            if (cap < 0) throw new IllegalArgumentException("cap " + cap + " must not be negative");
        }
    }

    /**
     * @param allowed  whether the call was counted (in every window)
     * @param refused  the first full window, when not allowed
     * @param count    the refused window's count, or after counting the count of the first window
     */
    record WindowResult(boolean allowed, Optional<WindowCap> refused, long count) {
    }

    /**
     * Counts one call in every window, or in none when any is full. With {@code bypass} (emergencies)
     * the call is counted even past a cap.
     */
    WindowResult count(String customerId, List<WindowCap> windows, boolean bypass);

    /**
     * A spending period to charge a hold to.
     *
     * @param period     its name, e.g. {@code day}
     * @param periodKey  which one, e.g. {@code 2026-11-24}; (customer, period, key) names one counter
     * @param cap        the most it may hold, settled and reserved together; not negative
     */
    record PeriodCap(String period, String periodKey, Money cap) {
        public PeriodCap {
            Objects.requireNonNull(period, "period");
            Objects.requireNonNull(periodKey, "periodKey");
            Objects.requireNonNull(cap, "cap");
            if (cap.isNegative()) throw new IllegalArgumentException("cap " + cap + " of period " + period + " must not be negative");
        }
    }

    /** A period's counter after an operation: {@code used} is settled plus still reserved. */
    record PeriodUsage(String period, String periodKey, Money used, Money cap) {
    }

    /**
     * @param accepted  whether the hold was taken
     * @param refused   the period it would have overshot, when not accepted
     * @param usage     every period's counter after the operation (before it, when refused)
     */
    record HoldResult(boolean accepted, Optional<PeriodCap> refused, List<PeriodUsage> usage) {
    }

    /**
     * Reserves {@code amount} in every period, or in none when any would pass its cap. With
     * {@code bypass} (emergencies) it is reserved even past a cap. A hold id already known (open, or
     * closed and not yet forgotten) is refused with an {@link IllegalArgumentException}.
     */
    HoldResult reserve(String holdId, String customerId, Money amount, List<PeriodCap> periods, boolean bypass);

    /**
     * Replaces the hold's reserved amount with the actual cost in the periods it was charged to, and
     * closes it. Settling a closed, forgotten or unknown hold changes nothing and returns an empty list.
     *
     * @return the periods' counters after settling
     */
    List<PeriodUsage> settle(String holdId, Money actual);

    /** Closes the hold without cost; the same as settling it at zero. */
    default List<PeriodUsage> release(String holdId, Money zero) {
        return settle(holdId, zero);
    }

    /** The current counters of the given periods (zero for periods never charged). */
    List<PeriodUsage> usage(String customerId, List<PeriodCap> periods);

    /**
     * Marks that the alert for (customer, period, key, threshold) was fired. True only for the first
     * caller, across nodes too, so each alert fires exactly once.
     */
    boolean markAlert(String customerId, String period, String periodKey, int thresholdPercent);
}
