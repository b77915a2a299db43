package io.globalcalling.core.limits;

import io.github.bucket4j.TimeMeter;

import java.time.Clock;
import java.time.Instant;

/** Bucket4j time read from a test's clock, so pacing never waits in real time: it moves when the clock is moved. */
public final class ClockTimeMeter implements TimeMeter {

    private final Clock clock;

    public ClockTimeMeter(Clock clock) {
        this.clock = clock;
    }

    @Override
    public long currentTimeNanos() {
        Instant now = clock.instant();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    @Override
    public boolean isWallClockBased() {
        return false;
    }
}
