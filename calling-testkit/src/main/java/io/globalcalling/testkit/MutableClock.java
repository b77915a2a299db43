package io.globalcalling.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link Clock} that stands still until a test moves it, so time-dependent code (spend windows,
 * replay windows, timestamps) is tested without sleeping. Thread-safe: {@link #setInstant} and
 * {@link #advance} may be called while other threads read the time. A clock made by
 * {@link #withZone} shares this clock's instant, so moving one moves both.
 */
public final class MutableClock extends Clock {

    /** The instant {@link #create()} starts at: 2026-01-14T09:00:00Z, a fixed, readable point in time. */
    public static final Instant DEFAULT_START = Instant.parse("2026-01-14T09:00:00Z");

    private final AtomicReference<Instant> now;
    private final ZoneId zone;

    private MutableClock(AtomicReference<Instant> now, ZoneId zone) {
        this.now = now;
        this.zone = zone;
    }

    /** A clock at {@link #DEFAULT_START} in UTC. */
    public static MutableClock create() {
        return at(DEFAULT_START);
    }

    /** A clock at {@code instant} in UTC. */
    public static MutableClock at(Instant instant) {
        return at(instant, ZoneOffset.UTC);
    }

    /** A clock at {@code instant} in {@code zone}. */
    public static MutableClock at(Instant instant, ZoneId zone) {
        Objects.requireNonNull(instant, "instant");
        Objects.requireNonNull(zone, "zone");
        return new MutableClock(new AtomicReference<>(instant), zone);
    }

    @Override
    public Instant instant() {
        return now.get();
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    /** A clock in another zone that shares this clock's instant. */
    @Override
    public MutableClock withZone(ZoneId zone) {
        Objects.requireNonNull(zone, "zone");
        return new MutableClock(now, zone);
    }

    /** Sets the current instant; it may move backwards, as a real wall clock can. */
    public void setInstant(Instant instant) {
        Objects.requireNonNull(instant, "instant");
        now.set(instant);
    }

    /** Moves the clock by {@code amount} (negative moves it back) and returns the new instant. */
    public Instant advance(Duration amount) {
        Objects.requireNonNull(amount, "amount");
        return now.updateAndGet(i -> i.plus(amount));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MutableClock other && other.now == now && other.zone.equals(zone);
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(now) * 31 + zone.hashCode();
    }

    @Override
    public String toString() {
        return "MutableClock[" + now.get() + ", " + zone + "]";
    }
}
