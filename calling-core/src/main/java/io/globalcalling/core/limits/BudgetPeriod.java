package io.globalcalling.core.limits;

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
        public String key(LocalDate date) {
            return date.toString();
        }

        @Override
        LocalDate next(LocalDate date) {
            return date.plusDays(1);
        }
    },
    WEEK {
        @Override
        public String key(LocalDate date) {
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
        public String key(LocalDate date) {
            int month = date.getMonthValue();
            return date.getYear() + (month < 10 ? "-0" : "-") + month;
        }

        @Override
        LocalDate next(LocalDate date) {
            return date.with(TemporalAdjusters.firstDayOfNextMonth());
        }
    };

    /** The name used in the ledger, exceptions and events: {@code day}, {@code week} or {@code month}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The key of the period that holds {@code date}. */
    public abstract String key(LocalDate date);

    abstract LocalDate next(LocalDate date);

    /** When the period holding {@code date} ends: the next period's first midnight in {@code zone}. */
    public Instant end(LocalDate date, ZoneId zone) {
        return next(date).atStartOfDay(zone).toInstant();
    }
}
