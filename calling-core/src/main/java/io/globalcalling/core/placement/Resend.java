package io.globalcalling.core.placement;

import java.time.Duration;
import java.util.Objects;

/**
 * How often, and how far apart, a placement whose outcome is unknown is sent again to a provider
 * that deduplicates by our call id ({@code capabilities().idempotentPlacement()}). Other providers
 * are never sent a call twice.
 *
 * @param maxTries     sends in all, the first included; 1 turns re-sending off
 * @param firstBackoff the wait before the first re-send; each later wait doubles it
 * @param sleeper      how to wait (tests pass one that moves a clock instead of sleeping)
 */
public record Resend(int maxTries, Duration firstBackoff, Sleeper sleeper) {

    /** Three sends in all, 250 ms then 500 ms apart: short enough for a caller waiting on {@code call()}. */
    public static final Resend DEFAULT = new Resend(3, Duration.ofMillis(250), Sleeper.THREAD);

    /** Waits between sends. */
    @FunctionalInterface
    public interface Sleeper {
        /** The calling thread sleeps. */
        Sleeper THREAD = d -> Thread.sleep(d.toMillis(), d.toNanosPart() % 1_000_000);

        void sleep(Duration duration) throws InterruptedException;
    }

    public Resend {
        if (maxTries < 1) throw new IllegalArgumentException("maxTries " + maxTries + " must be at least 1");
        Objects.requireNonNull(firstBackoff, "firstBackoff");
        if (firstBackoff.isNegative()) {
            throw new IllegalArgumentException("firstBackoff " + firstBackoff + " must not be negative");
        }
        Objects.requireNonNull(sleeper, "sleeper");
    }

    /** The wait before send number {@code tryNumber} (2 for the first re-send). */
    Duration backoffBefore(int tryNumber) {
        return firstBackoff.multipliedBy(1L << Math.min(tryNumber - 2, 20));
    }
}
