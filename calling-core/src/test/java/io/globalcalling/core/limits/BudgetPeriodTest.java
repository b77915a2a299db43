package io.globalcalling.core.limits;

import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class BudgetPeriodTest {

    @Test
    void keysNameTheDayTheIsoWeekAndTheMonth() {
        LocalDate date = LocalDate.of(2026, 1, 1); // a Thursday: ISO week 1 of 2026
        assertThat(BudgetPeriod.DAY.key(date)).isEqualTo("2026-01-01");
        assertThat(BudgetPeriod.WEEK.key(date)).isEqualTo("2026-W01");
        assertThat(BudgetPeriod.MONTH.key(date)).isEqualTo("2026-01");
        // 2027-01-01 is a Friday of the last ISO week of 2026
        assertThat(BudgetPeriod.WEEK.key(LocalDate.of(2027, 1, 1))).isEqualTo("2026-W53");
        assertThat(BudgetPeriod.WEEK.key(LocalDate.of(2026, 11, 24))).isEqualTo("2026-W48");
        assertThat(BudgetPeriod.MONTH.key(LocalDate.of(2026, 11, 24))).isEqualTo("2026-11");
        assertThat(BudgetPeriod.WEEK.key(LocalDate.of(2026, 3, 1))).isEqualTo("2026-W09");
        assertThat(BudgetPeriod.WEEK.key(LocalDate.of(2026, 3, 2))).isEqualTo("2026-W10");
        assertThat(BudgetPeriod.MONTH.key(LocalDate.of(2026, 9, 30))).isEqualTo("2026-09");
        assertThat(BudgetPeriod.MONTH.key(LocalDate.of(2026, 10, 1))).isEqualTo("2026-10");
    }

    @Test
    void aDayAskedForAgainReusesItsKeyAndANewDayGetsItsOwn() {
        LocalDate monday = LocalDate.of(2026, 11, 23);
        for (BudgetPeriod p : BudgetPeriod.values()) {
            String first = p.key(monday);
            // every call admitted on one day asks for the same key: it is worked out once, not per call
            assertThat(p.key(LocalDate.of(2026, 11, 23))).isSameAs(first);
        }
        LocalDate nextMonday = monday.plusWeeks(1);
        assertThat(BudgetPeriod.DAY.key(nextMonday)).isEqualTo("2026-11-30");
        assertThat(BudgetPeriod.WEEK.key(nextMonday)).isEqualTo("2026-W49");
        assertThat(BudgetPeriod.DAY.key(monday)).isEqualTo("2026-11-23");
        assertThat(BudgetPeriod.WEEK.key(monday)).isEqualTo("2026-W48");
    }

    @Test
    void threadsAskingForDifferentDaysEachGetTheirOwnDaysKey() throws InterruptedException {
        int threads = 4;
        ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
        CountDownLatch done = new CountDownLatch(threads);
        for (int t = 0; t < threads; t++) {
            LocalDate date = LocalDate.of(2026, 3, 1 + t);
            String expected = date.toString();
            new Thread(() -> {
                for (int i = 0; i < 20_000; i++) {
                    String key = BudgetPeriod.DAY.key(date);
                    if (!key.equals(expected)) wrong.add(key + " for " + expected);
                }
                done.countDown();
            }).start();
        }
        assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(wrong).isEmpty();
    }

    @Test
    void wireNamesAreLowerCase() {
        assertThat(BudgetPeriod.DAY.wireName()).isEqualTo("day");
        assertThat(BudgetPeriod.WEEK.wireName()).isEqualTo("week");
        assertThat(BudgetPeriod.MONTH.wireName()).isEqualTo("month");
    }
}
