package io.globalcalling.core.limits.event;

import io.globalcalling.Money;

import java.time.Instant;
import java.util.Objects;

/**
 * A customer's budget period reached a threshold (50, 80 or 100 % by default). Fired exactly once
 * per customer, period and threshold, across application nodes too. What counts is settled cost plus
 * the holds of calls still running, so 100 % is also the point where calls start being refused.
 *
 * @param customerId        whose budget
 * @param period            {@code day}, {@code week} or {@code month}
 * @param periodKey         which one, e.g. {@code 2026-11-24}
 * @param thresholdPercent  the threshold crossed
 * @param spent             settled plus held in the period when the threshold was seen crossed
 * @param cap               the period's cap
 * @param at                when
 */
public record BudgetAlert(String customerId, String period, String periodKey, int thresholdPercent,
                          Money spent, Money cap, Instant at) implements LimitEvent {

    public BudgetAlert {
        Objects.requireNonNull(customerId, "customerId");
        Objects.requireNonNull(period, "period");
        Objects.requireNonNull(periodKey, "periodKey");
        Objects.requireNonNull(spent, "spent");
        Objects.requireNonNull(cap, "cap");
        Objects.requireNonNull(at, "at");
        if (thresholdPercent <= 0) {
            throw new IllegalArgumentException("thresholdPercent " + thresholdPercent + " must be positive");
        }
    }
}
