package io.globalcalling.store.jdbi;

import io.globalcalling.testkit.Race;
import io.globalcalling.Money;
import io.globalcalling.spi.store.LimitLedger;
import io.globalcalling.spi.store.LimitLedger.HoldResult;
import io.globalcalling.spi.store.LimitLedger.PeriodCap;
import io.globalcalling.spi.store.LimitLedger.PeriodUsage;
import io.globalcalling.spi.store.LimitLedger.WindowCap;
import io.globalcalling.spi.store.LimitLedger.WindowResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The JDBI ledger's own tests, run on H2 and on PostgreSQL by the subclasses. */
abstract class LimitLedgerSuite {

    static final Instant MINUTE = Instant.parse("2026-03-01T09:15:00Z");
    static final Instant HOUR = Instant.parse("2026-03-01T09:00:00Z");

    /** The database under test; emptied after each test. */
    abstract JdbiCallingDatabase database();

    LimitLedger ledger() {
        return database().limitLedger();
    }

    @AfterEach
    void empty() {
        Tables.clear(database().jdbi());
    }

    static List<WindowCap> windows(long perMinute, long perHour) {
        return List.of(new WindowCap("minute", MINUTE, perMinute), new WindowCap("hour", HOUR, perHour));
    }

    static List<PeriodCap> budget(String perDay, String perMonth) {
        return List.of(new PeriodCap("day", "2026-03-01", Money.inr(perDay)),
                new PeriodCap("month", "2026-03", Money.inr(perMonth)));
    }

    static <T> List<T> race(int threads, Callable<T> task) throws Exception {
        return Race.run(threads, i -> task.call());
    }

    @Nested
    @DisplayName("rate windows")
    class Windows {

        @Test
        @DisplayName("a call is counted in every window, and in none once one is full")
        void countsInEveryWindowOrNone() {
            WindowResult first = ledger().count("cust-1", windows(2, 5), false);
            WindowResult second = ledger().count("cust-1", windows(2, 5), false);
            WindowResult third = ledger().count("cust-1", windows(2, 5), false);

            assertThat(first.allowed()).isTrue();
            assertThat(first.count()).isEqualTo(1);
            assertThat(second.count()).isEqualTo(2);
            assertThat(third.allowed()).isFalse();
            assertThat(third.refused()).contains(new WindowCap("minute", MINUTE, 2));
            assertThat(third.count()).isEqualTo(2);
            // The hour window was not charged for the refused call.
            WindowResult nextMinute = ledger().count("cust-1",
                    List.of(new WindowCap("minute", MINUTE.plusSeconds(60), 2), new WindowCap("hour", HOUR, 5)), false);
            assertThat(nextMinute.allowed()).isTrue();
            assertThat(ledger().count("cust-1", List.of(new WindowCap("hour", HOUR, 3)), false).allowed()).isFalse();
        }

        @Test
        @DisplayName("the refusal names the first full window in the caller's order")
        void refusalNamesFirstFullWindow() {
            ledger().count("cust-1", windows(1, 1), false);

            WindowResult refused = ledger().count("cust-1", List.of(new WindowCap("hour", HOUR, 1),
                    new WindowCap("minute", MINUTE, 1)), false);

            assertThat(refused.refused()).map(WindowCap::window).contains("hour");
        }

        @Test
        @DisplayName("an emergency call is counted past the cap")
        void bypassCountsPastCap() {
            ledger().count("cust-1", windows(1, 1), false);

            WindowResult emergency = ledger().count("cust-1", windows(1, 1), true);

            assertThat(emergency.allowed()).isTrue();
            assertThat(emergency.count()).isEqualTo(2);
            assertThat(ledger().count("cust-1", windows(1, 1), false).allowed()).isFalse();
        }

        @Test
        @DisplayName("customers have separate windows")
        void customersAreSeparate() {
            ledger().count("cust-1", windows(1, 1), false);

            assertThat(ledger().count("cust-2", windows(1, 1), false).allowed()).isTrue();
        }

        @Test
        @DisplayName("16 threads racing for 50 slots get exactly 50 and the windows never pass their caps")
        void concurrentCountsNeverOvershoot() throws Exception {
            List<Integer> allowed = race(16, () -> {
                int n = 0;
                for (int i = 0; i < 10; i++) {
                    if (ledger().count("cust-1", windows(50, 120), false).allowed()) n++;
                }
                return n;
            });

            assertThat(allowed.stream().mapToInt(Integer::intValue).sum()).isEqualTo(50);
            assertThat(ledger().count("cust-1", windows(50, 120), false).count()).isEqualTo(50);
            assertThat(ledger().count("cust-1", List.of(new WindowCap("hour", HOUR, 120)), false).count())
                    .isEqualTo(51);
        }
    }

    @Nested
    @DisplayName("spending holds")
    class Holds {

        @Test
        @DisplayName("a hold is taken in every period, and in none when one would pass its cap")
        void reservesInEveryPeriodOrNone() {
            HoldResult first = ledger().reserve("h1", "cust-1", Money.inr("60"), budget("100", "150"), false);
            HoldResult second = ledger().reserve("h2", "cust-1", Money.inr("50"), budget("100", "150"), false);

            assertThat(first.accepted()).isTrue();
            assertThat(first.usage()).extracting(PeriodUsage::used).containsExactly(Money.inr("60"), Money.inr("60"));
            assertThat(second.accepted()).isFalse();
            assertThat(second.refused()).map(PeriodCap::period).contains("day");
            assertThat(ledger().usage("cust-1", budget("100", "150"))).extracting(PeriodUsage::used)
                    .containsExactly(Money.inr("60"), Money.inr("60"));
        }

        @Test
        @DisplayName("a hold that fills a period exactly to its cap is taken")
        void reservesUpToCap() {
            assertThat(ledger().reserve("h1", "cust-1", Money.inr("99.5"), budget("100", "150"), false).accepted()).isTrue();
            assertThat(ledger().reserve("h2", "cust-1", Money.inr("0.5"), budget("100", "150"), false).accepted()).isTrue();
            assertThat(ledger().reserve("h3", "cust-1", Money.inr("0.01"), budget("100", "150"), false).accepted()).isFalse();
        }

        @Test
        @DisplayName("an emergency hold is taken past the cap")
        void bypassReservesPastCap() {
            HoldResult emergency = ledger().reserve("h1", "cust-1", Money.inr("500"), budget("100", "150"), true);

            assertThat(emergency.accepted()).isTrue();
            assertThat(emergency.usage()).extracting(PeriodUsage::used).containsOnly(Money.inr("500"));
        }

        @Test
        @DisplayName("a hold id already known is refused")
        void refusesKnownHoldId() {
            ledger().reserve("h1", "cust-1", Money.inr("1"), budget("100", "150"), false);

            assertThatThrownBy(() -> ledger().reserve("h1", "cust-1", Money.inr("1"), budget("100", "150"), false))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("h1");
            assertThat(ledger().usage("cust-1", budget("100", "150"))).extracting(PeriodUsage::used)
                    .containsOnly(Money.inr("1"));
        }

        @Test
        @DisplayName("settling replaces the hold with the actual cost, once")
        void settlesOnce() {
            ledger().reserve("h1", "cust-1", Money.inr("40"), budget("100", "150"), false);
            ledger().reserve("h2", "cust-1", Money.inr("10"), List.of(budget("100", "150").get(1)), false);

            List<PeriodUsage> settled = ledger().settle("h1", Money.inr("25.5"));
            List<PeriodUsage> again = ledger().settle("h1", Money.inr("99"));

            assertThat(settled).extracting(PeriodUsage::period).containsExactlyInAnyOrder("day", "month");
            assertThat(settled).filteredOn(u -> u.period().equals("day")).singleElement()
                    .satisfies(u -> {
                        assertThat(u.used()).isEqualTo(Money.inr("25.5"));
                        assertThat(u.cap()).isEqualTo(Money.inr("100"));
                    });
            assertThat(again).isEmpty();
            assertThat(ledger().usage("cust-1", budget("100", "150"))).extracting(PeriodUsage::used)
                    .containsExactly(Money.inr("25.5"), Money.inr("35.5"));
        }

        @Test
        @DisplayName("releasing a hold frees what it held")
        void releaseFreesHold() {
            ledger().reserve("h1", "cust-1", Money.inr("90"), budget("100", "150"), false);

            ledger().release("h1", Money.zero(Money.INR));

            assertThat(ledger().reserve("h2", "cust-1", Money.inr("100"), budget("100", "150"), false).accepted())
                    .isTrue();
        }

        @Test
        @DisplayName("settling an unknown hold changes nothing")
        void settlingUnknownHoldChangesNothing() {
            assertThat(ledger().settle("nope", Money.inr("5"))).isEmpty();
            assertThat(ledger().usage("cust-1", budget("100", "150"))).extracting(PeriodUsage::used)
                    .containsOnly(Money.inr("0"));
        }

        @Test
        @DisplayName("amounts in another currency than the caps are refused")
        void refusesMixedCurrencies() {
            assertThatThrownBy(() -> ledger().reserve("h1", "cust-1", Money.of("1", "USD"), budget("100", "150"), false))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("USD");
            ledger().reserve("h2", "cust-1", Money.inr("1"), budget("100", "150"), false);
            assertThatThrownBy(() -> ledger().settle("h2", Money.of("1", "USD")))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(ledger().settle("h2", Money.inr("1"))).hasSize(2);
        }

        @Test
        @DisplayName("16 threads reserving against one budget take exactly what fits")
        void concurrentReservesNeverOvershoot() throws Exception {
            List<Integer> accepted = race(16, () -> {
                int n = 0;
                for (int i = 0; i < 10; i++) {
                    String holdId = Thread.currentThread().getName() + "-" + i;
                    if (ledger().reserve(holdId, "cust-1", Money.inr("7"), budget("500", "10000"), false).accepted()) n++;
                }
                return n;
            });

            int total = accepted.stream().mapToInt(Integer::intValue).sum();
            assertThat(total).isEqualTo(71);
            assertThat(ledger().usage("cust-1", budget("500", "10000"))).extracting(PeriodUsage::used)
                    .containsOnly(Money.inr("497"));
        }
    }

    @Nested
    @DisplayName("alerts")
    class Alerts {

        @Test
        @DisplayName("an alert is marked once per customer, period and threshold")
        void marksOnce() {
            assertThat(ledger().markAlert("cust-1", "day", "2026-03-01", 80)).isTrue();
            assertThat(ledger().markAlert("cust-1", "day", "2026-03-01", 80)).isFalse();
            assertThat(ledger().markAlert("cust-1", "day", "2026-03-01", 100)).isTrue();
            assertThat(ledger().markAlert("cust-1", "day", "2026-03-02", 80)).isTrue();
            assertThat(ledger().markAlert("cust-2", "day", "2026-03-01", 80)).isTrue();
        }

        @Test
        @DisplayName("of 16 racing threads exactly one marks the alert")
        void concurrentMarksFireOnce() throws Exception {
            List<Boolean> marked = race(16, () -> ledger().markAlert("cust-1", "month", "2026-03", 50));

            assertThat(marked).containsOnlyOnce(true);
        }
    }
}
