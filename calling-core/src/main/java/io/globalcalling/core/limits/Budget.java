package io.globalcalling.core.limits;

import io.globalcalling.Money;

import java.util.Objects;

/**
 * A cap on what one customer's calls may cost in one calendar period, counting settled costs and the
 * holds of calls still running together.
 *
 * @param period  the calendar period the cap applies to
 * @param cap     the most the period may hold; zero refuses every call that costs anything
 */
public record Budget(BudgetPeriod period, Money cap) {

    public Budget {
        Objects.requireNonNull(period, "period");
        Objects.requireNonNull(cap, "cap");
        if (cap.isNegative()) throw new IllegalArgumentException("cap " + cap + " must not be negative");
    }

    public static Budget daily(Money cap) {
        return new Budget(BudgetPeriod.DAY, cap);
    }

    public static Budget weekly(Money cap) {
        return new Budget(BudgetPeriod.WEEK, cap);
    }

    public static Budget monthly(Money cap) {
        return new Budget(BudgetPeriod.MONTH, cap);
    }
}
