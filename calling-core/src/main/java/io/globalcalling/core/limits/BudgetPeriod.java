package io.globalcalling.core.limits;

import org.jspecify.annotations.Nullable;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.IsoFields;
import java.time.temporal.TemporalAdjusters;
import java.util.Locale;

/**
 * A calendar period a spending budget covers, in the limits' time zone. Weeks start on Monday
 * (ISO 8601); each period is named in the ledger by a key such as {@code 2026-11-24},
 * {@code 2026-W48} or {@code 2026-11}.
 */
public enum BudgetPeriod {
    DAY {
        @Override
        String keyOf(LocalDate date) {
            return date.toString();
        }

        @Override
        LocalDate next(LocalDate date) {
            return date.plusDays(1);
        }
    },
    WEEK {
        @Override
        String keyOf(LocalDate date) {
            int week = date.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR);
            return date.get(IsoFields.WEEK_BASED_YEAR) + (week < 10 ? "-W0" : "-W") + week;
        }

        @Override
        LocalDate next(LocalDate date) {
            return date.with(TemporalAdjusters.next(DayOfWeek.MONDAY));
        }
    },
    MONTH {
        @Override
        String keyOf(LocalDate date) {
            int month = date.getMonthValue();
            return date.getYear() + (month < 10 ? "-0" : "-") + month;
        }

        @Override
        LocalDate next(LocalDate date) {
            return date.with(TemporalAdjusters.firstDayOfNextMonth());
        }
    };

    private record Keyed(LocalDate date, String key) {
    }

    private final String wireName = name().toLowerCase(Locale.ROOT);
    /** The last date asked for and its key: every call admitted on one day asks for the same key. */
    private volatile @Nullable Keyed last;

    /** The name used in the ledger, exceptions and events: {@code day}, {@code week} or {@code month}. */
    public String wireName() {
        return wireName;
    }

    /** The key of the period that holds {@code date}. */
    public String key(LocalDate date) {
        Keyed known = last;
        if (known != null && known.date().equals(date)) return known.key();
        String key = keyOf(date);
        last = new Keyed(date, key);
        return key;
    }

    abstract String keyOf(LocalDate date);

    abstract LocalDate next(LocalDate date);

    /** When the period holding {@code date} ends: the next period's first midnight in {@code zone}. */
    public Instant end(LocalDate date, ZoneId zone) {
        return next(date).atStartOfDay(zone).toInstant();
    }
}
