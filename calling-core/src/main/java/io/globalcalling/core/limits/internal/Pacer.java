package io.globalcalling.core.limits.internal;

import io.github.bucket4j.BlockingStrategy;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.TimeMeter;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One provider account's pacing: a Bucket4j token bucket (absent when unlimited) plus a pause deadline
 * set by the provider's 429 Retry-After. Times are nanoseconds of the injected {@link TimeMeter}.
 */
public final class Pacer {

    /** What {@link #acquire} did: took a turn, or the nanoseconds from now until a turn could come. */
    public record Turn(boolean taken, long nanosToWait, boolean paused) {
    }

    /** About 73 years: a later deadline, or the time left until it, would not fit in a long of nanoseconds. */
    private static final Duration LONGEST_PAUSE = Duration.ofNanos(Long.MAX_VALUE / 4);

    private final Bucket bucket;
    private final TimeMeter meter;
    private final BlockingStrategy blocking;
    private final AtomicLong pausedUntil;

    public Pacer(Bucket bucket, TimeMeter meter, BlockingStrategy blocking) {
        this.bucket = bucket;
        this.meter = meter;
        this.blocking = blocking;
        this.pausedUntil = new AtomicLong(meter.currentTimeNanos());
    }

    /**
     * Waits for a turn until {@code maxWaitNanos} have passed. Bucket4j reserves the turn and parks the
     * thread only when the turn comes within the wait, so waiters are served in order and a refused
     * caller takes nothing from those behind it.
     */
    public Turn acquire(long maxWaitNanos) throws InterruptedException {
        long deadline = meter.currentTimeNanos() + maxWaitNanos;
        while (true) {
            long now = meter.currentTimeNanos();
            long pause = pausedUntil.get() - now;
            if (pause > 0) {
                if (now + pause > deadline) return new Turn(false, pause, true);
                blocking.park(pause);
                continue;
            }
            if (bucket == null) return new Turn(true, 0, false);
            long wait = deadline - now;
            // Bucket4j refuses a wait of 0: a maximum wait of zero means take a free turn or none.
            boolean taken = wait > 0 ? bucket.asBlocking().tryConsume(1, wait, blocking) : bucket.tryConsume(1);
            if (!taken) {
                return new Turn(false, bucket.estimateAbilityToConsume(1).getNanosToWaitForRefill(), false);
            }
            // A 429 that arrived while this caller waited voids its turn: the provider asked for quiet.
            if (meter.currentTimeNanos() >= pausedUntil.get()) return new Turn(true, 0, false);
        }
    }

    /** Takes a turn only if one is free right now. */
    public boolean tryAcquire() {
        if (pausedUntil.get() > meter.currentTimeNanos()) return false;
        return bucket == null || bucket.tryConsume(1);
    }

    /** No turn is given before {@code retryAfter} from now (a later pause already set is kept). */
    public void pause(Duration retryAfter) {
        // Retry-After is the provider's answer, read as it is: centuries would overflow the nanoseconds
        Duration pause = retryAfter.compareTo(LONGEST_PAUSE) > 0 ? LONGEST_PAUSE : retryAfter;
        long until = meter.currentTimeNanos() + pause.toNanos();
        pausedUntil.accumulateAndGet(until, Math::max);
    }
}
