package io.globalcalling.core.limits;

import io.globalcalling.core.limits.internal.Pacer;
import io.globalcalling.spi.ProviderPace;
import io.github.bucket4j.BandwidthBuilder.BandwidthBuilderBuildStage;
import io.github.bucket4j.BandwidthBuilder.BandwidthBuilderRefillStage;
import io.github.bucket4j.BlockingStrategy;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.TimeMeter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps call placements at each provider account within its calls-per-second limit and burst.
 * Placements wait for their turn instead of failing, up to a maximum wait (10 s by default); a
 * provider's 429 with Retry-After pauses that provider's placements via {@link #slowDown}.
 *
 * <p>A provider's pace, first found: the host's {@link Builder#pace} for its id (when the provider
 * raised the account's limit, say); the pace the provider declares ({@link
 * io.globalcalling.spi.ProviderCapabilities#pace()}, given by the manager through {@link Builder#declared});
 * the host's {@link Builder#defaultPace}; else unlimited. A 429 pauses a provider all the same.
 *
 * <p>Pacing is per process: when several nodes place calls through one provider account, give each
 * node its share of the account's rate.
 */
public final class ProviderPacing {

    private static final Logger LOG = LoggerFactory.getLogger(ProviderPacing.class);

    public static final Duration DEFAULT_MAX_WAIT = Duration.ofSeconds(10);

    private final Map<String, Pace> paces;
    private final Map<String, Pace> declared;
    private final Pace defaultPace;
    private final Duration maxWait;
    private final TimeMeter meter;
    private final BlockingStrategy blocking;
    private final Clock clock;
    private final ConcurrentHashMap<String, Pacer> pacers = new ConcurrentHashMap<>();

    private ProviderPacing(Builder b) {
        this.paces = Map.copyOf(b.paces);
        this.declared = Map.copyOf(b.declared);
        this.defaultPace = b.defaultPace;
        this.maxWait = b.maxWait;
        this.meter = b.meter;
        this.blocking = b.blocking;
        this.clock = b.clock;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** No pace known: every provider unlimited (a 429 still pauses it), a 10 s maximum wait. */
    public static ProviderPacing ofDefaults() {
        return builder().build();
    }

    /**
     * Waits for the provider's next free turn, up to the maximum wait.
     *
     * @return how long it waited, by the pacing's time meter (zero when a turn was free)
     * @throws LimitExceededException with reason PACING_TIMEOUT when no turn comes within the maximum
     *                                wait (nothing is taken from later callers) or the thread is interrupted
     */
    public Duration acquire(String providerId) {
        Objects.requireNonNull(providerId, "providerId");
        long started = meter.currentTimeNanos();
        Pacer.Turn turn;
        try {
            turn = pacer(providerId).acquire(maxWait.toNanos());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw LimitExceededException.pacingTimeout(providerId, maxWait, clock.instant(),
                    "interrupted while waiting for a turn");
        }
        if (!turn.taken()) {
            Instant retryAt = clock.instant().plusNanos(turn.nanosToWait());
            String why = turn.paused() ? "the provider asked to retry later (429)"
                    : "the pace " + paceOf(providerId).map(Pace::toString).orElse("unlimited") + " is taken";
            throw LimitExceededException.pacingTimeout(providerId, maxWait, retryAt, why);
        }
        return Duration.ofNanos(Math.max(0, meter.currentTimeNanos() - started));
    }

    /** Takes a turn at the provider only if one is free now; never waits. */
    public boolean tryAcquire(String providerId) {
        Objects.requireNonNull(providerId, "providerId");
        return pacer(providerId).tryAcquire();
    }

    /**
     * The provider answered 429 with Retry-After: no placement at it gets a turn before {@code retryAfter}
     * has passed, including those already waiting.
     */
    public void slowDown(String providerId, Duration retryAfter) {
        Objects.requireNonNull(providerId, "providerId");
        Objects.requireNonNull(retryAfter, "retryAfter");
        if (retryAfter.isNegative()) {
            throw new IllegalArgumentException("retryAfter " + retryAfter + " must not be negative");
        }
        LOG.info("provider '{}' asked to slow down: no placement for {}", providerId, retryAfter);
        pacer(providerId).pause(retryAfter);
    }

    /** The pace a provider gets: the host's for it, else the one it declares, else the default; empty when unlimited. */
    public Optional<Pace> paceOf(String providerId) {
        Objects.requireNonNull(providerId, "providerId");
        return Optional.ofNullable(paces.getOrDefault(providerId, declared.getOrDefault(providerId, defaultPace)));
    }

    public Duration maxWait() {
        return maxWait;
    }

    private Pacer pacer(String providerId) {
        return pacers.computeIfAbsent(providerId, id -> new Pacer(paceOf(id).map(this::bucket).orElse(null), meter, blocking));
    }

    /*
     * Provider pacing uses Bucket4j: a provider's CPS limit is a token bucket (AWS documents Connect's
     * limit as one: 2 RPS, burst 5), and Bucket4j's blocking consume reserves each waiter's turn in
     * order and refuses, without taking a token, a turn further away than the maximum wait. It is
     * local to this process on purpose: customer windows and budgets must agree across nodes and so are
     * counters in the LimitLedger SPI, which a Bucket4j bucket cannot be stored through.
     */
    private Bucket bucket(Pace pace) {
        return Bucket.builder()
                .addLimit(limit -> refill(limit.capacity(pace.burst()), pace.callsPerSecond()))
                .withCustomTimePrecision(meter)
                .build();
    }

    /** Whole calls per second refill exactly per second; a fractional rate refills one call per period. */
    private static BandwidthBuilderBuildStage refill(BandwidthBuilderRefillStage limit, double callsPerSecond) {
        if (callsPerSecond >= 1 && callsPerSecond == Math.rint(callsPerSecond)) {
            return limit.refillGreedy((long) callsPerSecond, Duration.ofSeconds(1));
        }
        return limit.refillGreedy(1, Duration.ofNanos(Math.max(1, Math.round(1_000_000_000d / callsPerSecond))));
    }

    /** Builds {@link ProviderPacing}; every setting has a default. */
    public static final class Builder {
        private final Map<String, Pace> paces = new HashMap<>();
        private final Map<String, Pace> declared = new HashMap<>();
        private Pace defaultPace;
        private Duration maxWait = DEFAULT_MAX_WAIT;
        private TimeMeter meter = TimeMeter.SYSTEM_NANOTIME;
        private BlockingStrategy blocking = BlockingStrategy.PARKING;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /** The pace of one provider account, by provider id; overrides the pace the provider declares. */
        public Builder pace(String providerId, Pace pace) {
            paces.put(Objects.requireNonNull(providerId, "providerId"), Objects.requireNonNull(pace, "pace"));
            return this;
        }

        /**
         * The pace a provider declares ({@link io.globalcalling.spi.ProviderCapabilities#pace()}); the
         * manager sets it for each of its providers. An unlimited declaration leaves the default pace.
         */
        public Builder declared(String providerId, ProviderPace pace) {
            Objects.requireNonNull(providerId, "providerId");
            Pace.declared(Objects.requireNonNull(pace, "pace")).ifPresentOrElse(
                    p -> declared.put(providerId, p), () -> declared.remove(providerId));
            return this;
        }

        /** The pace of providers without one of their own; unset means unlimited. */
        public Builder defaultPace(Pace pace) {
            this.defaultPace = Objects.requireNonNull(pace, "pace");
            return this;
        }

        /** How long a placement may wait for its turn before it fails with PACING_TIMEOUT. */
        public Builder maxWait(Duration maxWait) {
            Objects.requireNonNull(maxWait, "maxWait");
            if (maxWait.isNegative()) throw new IllegalArgumentException("maxWait " + maxWait + " must not be negative");
            this.maxWait = maxWait;
            return this;
        }

        /** The time source of the buckets (tests pass a simulated one); the system nano time by default. */
        public Builder timeMeter(TimeMeter meter) {
            this.meter = Objects.requireNonNull(meter, "meter");
            return this;
        }

        /** How a waiting placement waits (tests pass one that advances a simulated time); parking by default. */
        public Builder blockingStrategy(BlockingStrategy blocking) {
            this.blocking = Objects.requireNonNull(blocking, "blocking");
            return this;
        }

        /** The clock {@link LimitExceededException#retryAt()} is given in. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public ProviderPacing build() {
            return new ProviderPacing(this);
        }
    }
}
