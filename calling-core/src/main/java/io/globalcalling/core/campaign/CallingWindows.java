package io.globalcalling.core.campaign;

import org.jspecify.annotations.Nullable;

import java.time.DayOfWeek;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.time.zone.ZoneOffsetTransition;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * When recipients may be called, in their own local time: one window (from inclusive, until exclusive)
 * per weekday, or none for a day without calls. The default is 08:00–21:00 every day (the US
 * telephone-solicitation hours). A target outside its window waits for the next opening.
 */
public final class CallingWindows {

    /** A day's window, from inclusive, until exclusive. */
    public record Window(LocalTime from, LocalTime until) {
        public Window {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(until, "until");
            if (!from.isBefore(until)) {
                throw new IllegalArgumentException("calling window " + from + "–" + until + " never opens: from must be"
                        + " before until");
            }
        }

        boolean contains(LocalTime t) {
            return !t.isBefore(from) && t.isBefore(until);
        }
    }

    private static final Window DEFAULT = new Window(LocalTime.of(8, 0), LocalTime.of(21, 0));

    private final Map<DayOfWeek, Window> days;

    private CallingWindows(Map<DayOfWeek, Window> days) {
        if (days.isEmpty()) {
            throw new IllegalArgumentException("calling windows " + days + " never open: give at least one day a window");
        }
        this.days = Collections.unmodifiableMap(new EnumMap<>(days));
    }

    /** 08:00–21:00 every day. */
    public static CallingWindows defaults() {
        return everyDay(DEFAULT.from(), DEFAULT.until());
    }

    /** The same window every day. */
    public static CallingWindows everyDay(LocalTime from, LocalTime until) {
        Window w = new Window(from, until);
        Map<DayOfWeek, Window> days = new EnumMap<>(DayOfWeek.class);
        for (DayOfWeek d : DayOfWeek.values()) days.put(d, w);
        return new CallingWindows(days);
    }

    /** Always open (for system alerts and tests): midnight to the last nanosecond every day. */
    public static CallingWindows always() {
        return everyDay(LocalTime.MIDNIGHT, LocalTime.MAX);
    }

    /** Per weekday; a day missing from {@code days} has no calls. */
    public static CallingWindows of(Map<DayOfWeek, Window> days) {
        Objects.requireNonNull(days, "days");
        return new CallingWindows(days.isEmpty() ? Map.of() : new EnumMap<>(days));
    }

    /** These windows with {@code day} given its own window (null: no calls that day). */
    public CallingWindows with(DayOfWeek day, @Nullable Window window) {
        Objects.requireNonNull(day, "day");
        Map<DayOfWeek, Window> copy = new EnumMap<>(DayOfWeek.class);
        copy.putAll(days);
        if (window == null) copy.remove(day);
        else copy.put(day, window);
        return new CallingWindows(copy);
    }

    public Map<DayOfWeek, Window> days() {
        return days;
    }

    /** Whether {@code localTime} (the recipient's) is within its day's window. */
    public boolean isOpen(ZonedDateTime localTime) {
        Window w = days.get(localTime.getDayOfWeek());
        return w != null && w.contains(localTime.toLocalTime());
    }

    /** The first moment at or after {@code localTime} at which the windows are open. */
    public ZonedDateTime nextOpening(ZonedDateTime localTime) {
        if (isOpen(localTime)) return localTime;
        ZonedDateTime day = localTime;
        for (int i = 0; i < 8; i++) {
            Window w = days.get(day.getDayOfWeek());
            if (w != null) {
                ZonedDateTime opens = opening(day, w.from());
                // a window the day's gap swallows whole (clocks set forward over it) does not open that day
                if (!opens.isBefore(localTime) && isOpen(opens)) return opens;
                if (day.toLocalDate().equals(localTime.toLocalDate()) && w.contains(localTime.toLocalTime())) {
                    return localTime;
                }
            }
            day = day.plusDays(1).with(LocalTime.MIDNIGHT);
        }
        throw new IllegalStateException("calling windows " + days + " never open");   // the constructor prevents it
    }

    /**
     * When the window open at {@code localTime} closes: its end that day (midnight for one open to the day's last
     * nanosecond); {@code localTime} itself when none is open.
     */
    ZonedDateTime closing(ZonedDateTime localTime) {
        Window w = days.get(localTime.getDayOfWeek());
        if (w == null || !w.contains(localTime.toLocalTime())) return localTime;
        return w.until().equals(LocalTime.MAX) ? localTime.toLocalDate().plusDays(1).atStartOfDay(localTime.getZone())
                : localTime.with(w.until());
    }

    /**
     * {@code from} on {@code day}'s date; when clocks skip it (set forward), the moment they skip to, at which the
     * window is open already ({@link ZonedDateTime#with} would move it on by the whole gap).
     */
    private static ZonedDateTime opening(ZonedDateTime day, LocalTime from) {
        LocalDateTime local = day.toLocalDate().atTime(from);
        ZoneOffsetTransition gap = day.getZone().getRules().getTransition(local);
        return gap != null && gap.isGap() ? gap.getDateTimeAfter().atZone(day.getZone()) : day.with(from);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CallingWindows other && days.equals(other.days);
    }

    @Override
    public int hashCode() {
        return days.hashCode();
    }

    @Override
    public String toString() {
        return days.toString();
    }
}
