package io.globalcalling.store.jdbi;

import io.globalcalling.Money;
import io.globalcalling.spi.store.LimitLedger.PeriodCap;
import io.globalcalling.spi.store.LimitLedger.WindowCap;
import io.globalcalling.testkit.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The ledger's retention purge, run on H2 and PostgreSQL by the subclasses. */
abstract class LedgerRetentionSuite {

    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    static final MutableClock CLOCK = MutableClock.at(T0);

    static final PeriodCap MARCH_1 = new PeriodCap("day", "2026-03-01", Money.inr("1000"));
    static final PeriodCap MARCH = new PeriodCap("month", "2026-03", Money.inr("10000"));
    static final PeriodCap APRIL_10 = new PeriodCap("day", "2026-04-10", Money.inr("1000"));
    static final PeriodCap APRIL = new PeriodCap("month", "2026-04", Money.inr("10000"));

    /** Settings every subclass opens its database with: 30 days' retention, chunks of 2, the shared clock. */
    static StoreSettings settings() {
        return StoreSettings.builder().retention(Duration.ofDays(30)).chunkSize(2).clock(CLOCK).build();
    }

    abstract JdbiCallingDatabase database();

    JdbiLimitLedger ledger() {
        return database().limitLedger();
    }

    @AfterEach
    void empty() {
        Tables.clear(database().jdbi());
        CLOCK.setInstant(T0);
    }

    private Money used(PeriodCap period) {
        return ledger().usage("c1", List.of(period)).get(0).used();
    }

    @Test
    void purgesClosedHoldsPastWindowsAndPeriodsAndTheirAlertsButNothingStillInUse() {
        for (int i = 1; i <= 5; i++) {
            ledger().reserve("closed-" + i, "c1", Money.inr("10"), List.of(MARCH_1, MARCH), false);
            ledger().settle("closed-" + i, Money.inr("4"));
        }
        ledger().reserve("open", "c1", Money.inr("50"), List.of(MARCH_1), false);
        ledger().count("c1", List.of(new WindowCap("minute", T0, 10)), false);
        ledger().markAlert("c1", "day", "2026-03-01", 50);
        ledger().markAlert("c1", "month", "2026-03", 50);

        CLOCK.advance(Duration.ofDays(40));
        Instant later = CLOCK.instant();
        ledger().reserve("april", "c1", Money.inr("10"), List.of(APRIL_10, APRIL), false);
        ledger().settle("april", Money.inr("3"));
        ledger().count("c1", List.of(new WindowCap("minute", later, 10)), false);

        // Forgotten: the five closed March holds, March's minute window, the month of March and its alert.
        // Kept: the open hold, the March day it is charged to and that day's alert, and everything of April.
        assertThat(ledger().purgeExpired()).isEqualTo(new LedgerPurgeResult(5, 1, 1, 1));
        assertThat(Tables.count(database().jdbi(), "calling_spend_hold_period")).isEqualTo(3);
        assertThat(used(MARCH_1)).isEqualTo(Money.inr("70"));
        assertThat(used(APRIL_10)).isEqualTo(Money.inr("3"));
        assertThat(ledger().purgeExpired()).isEqualTo(new LedgerPurgeResult(0, 0, 0, 0));

        // A late duplicate settle of a forgotten hold changes nothing; the open hold still settles once.
        assertThat(ledger().settle("closed-1", Money.inr("9"))).isEmpty();
        assertThat(used(MARCH_1)).isEqualTo(Money.inr("70"));
        assertThat(ledger().settle("open", Money.inr("5")).get(0).used()).isEqualTo(Money.inr("25"));

        // Once that hold has closed and the retention has passed again, March goes too.
        CLOCK.advance(Duration.ofDays(40));
        assertThat(ledger().purgeExpired()).isEqualTo(new LedgerPurgeResult(2, 0, 1, 1));
        assertThat(used(APRIL_10)).isEqualTo(Money.inr("3"));
        assertThat(Tables.count(database().jdbi(), "calling_spend_period")).isEqualTo(2);
        assertThat(Tables.count(database().jdbi(), "calling_limit_window")).isEqualTo(1);
    }

    @Test
    void theDatabasesRetentionJobPurgesTheLedgerToo() {
        ledger().reserve("closed", "c1", Money.inr("10"), List.of(MARCH_1), false);
        ledger().settle("closed", Money.inr("4"));
        ledger().reserve("newer", "c1", Money.inr("10"), List.of(APRIL_10), false);
        CLOCK.advance(Duration.ofDays(40));

        RetentionResult removed = database().purgeExpired();

        assertThat(removed.ledger().holds()).isEqualTo(1);
        assertThat(removed.calls()).isEqualTo(new PurgeResult(0, 0, 0, 0, 0));
        assertThat(Tables.count(database().jdbi(), "calling_spend_hold")).isEqualTo(1);
    }

    @Test
    void theNewestWindowAndPeriodOfEachNameAreKeptHoweverOld() {
        ledger().reserve("h1", "c1", Money.inr("10"), List.of(MARCH_1), false);
        ledger().settle("h1", Money.inr("10"));
        ledger().count("c1", List.of(new WindowCap("minute", T0, 10)), false);

        CLOCK.advance(Duration.ofDays(400));

        assertThat(ledger().purgeExpired()).isEqualTo(new LedgerPurgeResult(1, 0, 0, 0));
        assertThat(used(MARCH_1)).isEqualTo(Money.inr("10"));
        assertThat(ledger().count("c1", List.of(new WindowCap("minute", T0, 10)), false).count()).isEqualTo(2);
    }
}
