package io.globalcalling.core.limits;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Set;

/**
 * A cap on how many calls a customer may start in one fixed window. Windows are calendar-aligned in
 * the limits' time zone: the {@code minute} window runs from :00 to :59 seconds, the {@code day} window
 * from local midnight to midnight.
 *
 * @param name  how the window is named in counters, exceptions and events, e.g. {@code minute}
 * @param unit  the window's length: {@code SECONDS}, {@code MINUTES}, {@code HOURS} or {@code DAYS}
 * @param cap   the most calls one window may hold; zero refuses every call
 */
public record RateWindow(String name, ChronoUnit unit, long cap) {

    private static final Set<ChronoUnit> UNITS = Set.of(ChronoUnit.SECONDS, ChronoUnit.MINUTES,
            ChronoUnit.HOURS, ChronoUnit.DAYS);

    public RateWindow {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(unit, "unit");
        if (name.isBlank()) throw new IllegalArgumentException("name '" + name + "' must not be blank");
        if (!UNITS.contains(unit)) {
            throw new IllegalArgumentException("unit " + unit + " is not supported; use SECONDS, MINUTES, HOURS or DAYS");
        }
        if (cap < 0) throw new IllegalArgumentException("cap " + cap + " must not be negative");
    }

    public static RateWindow perMinute(long cap) {
        return new RateWindow("minute", ChronoUnit.MINUTES, cap);
    }

    public static RateWindow perHour(long cap) {
        return new RateWindow("hour", ChronoUnit.HOURS, cap);
    }

    public static RateWindow perDay(long cap) {
        return new RateWindow("day", ChronoUnit.DAYS, cap);
    }

    /** The start of the window that holds {@code now}. */
    public Instant start(ZonedDateTime now) {
        return now.truncatedTo(unit).toInstant();
    }

    /** The start of the next window, when a full window frees up. */
    public Instant end(ZonedDateTime now) {
        return now.truncatedTo(unit).plus(1, unit).toInstant();
    }
}
