package io.globalcalling.core.campaign;

import java.time.Duration;
import java.util.Objects;

/**
 * When an outcome is retried: after {@code delay}, while the target has had fewer than
 * {@code maxAttempts} attempts in all.
 */
public record RetryRule(Duration delay, int maxAttempts) {

    public RetryRule {
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative()) throw new IllegalArgumentException("retry delay " + delay + " must not be negative");
        if (maxAttempts < 1) throw new IllegalArgumentException("retry maxAttempts " + maxAttempts + " must be at least 1");
    }
}
