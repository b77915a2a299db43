package io.globalcalling.core.store;

import io.globalcalling.Money;
import io.globalcalling.spi.store.LimitLedger.PeriodCap;
import io.globalcalling.testkit.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.LocalDate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The in-memory ledger's memory bound: what it remembers after many calls and the passing of time. */
class InMemoryLimitLedgerTest {

    private static final Duration HORIZON = Duration.ofHours(1);
    private static final PeriodCap DAY = new PeriodCap("day", "2026-01-14", Money.inr("1000000"));

    private final MutableClock clock = MutableClock.create();
    private final InMemoryLimitLedger ledger = new InMemoryLimitLedger(clock, HORIZON);

    @Test
    void closedHoldsAreRememberedForTheHorizonAndThenForgotten() {
        for (int i = 0; i < 20_000; i++) {
            ledger.reserve("call-" + i, "c" + (i % 10), Money.inr("2"), List.of(DAY), false);
            ledger.settle("call-" + i, Money.inr("1"));
        }
        assertThat(ledger.retainedHolds()).isEqualTo(20_000);

        clock.advance(HORIZON.plusSeconds(1));
        ledger.reserve("next", "c0", Money.inr("2"), List.of(DAY), false);

        assertThat(ledger.retainedHolds()).isEqualTo(1);
        assertThat(ledger.usage("c0", List.of(DAY)).get(0).used()).isEqualTo(Money.inr("2002"));
    }

    @Test
    void aForgottenHoldStillCannotBeSettledTwice() {
        ledger.reserve("h1", "c1", Money.inr("50"), List.of(DAY), false);
        ledger.settle("h1", Money.inr("10"));
        clock.advance(HORIZON.plusSeconds(1));

        assertThat(ledger.purgeExpired()).isEqualTo(1);
        assertThat(ledger.settle("h1", Money.inr("40"))).isEmpty();
        assertThat(ledger.release("h1", Money.inr("0"))).isEmpty();
        assertThat(ledger.usage("c1", List.of(DAY)).get(0).used()).isEqualTo(Money.inr("10"));
    }

    @Test
    void anOpenHoldIsNeverForgotten() {
        ledger.reserve("open", "c1", Money.inr("50"), List.of(DAY), false);
        clock.advance(Duration.ofDays(30));

        assertThat(ledger.purgeExpired()).isZero();
        assertThat(ledger.settle("open", Money.inr("20")).get(0).used()).isEqualTo(Money.inr("20"));
    }

    @Test
    void aCostInAnotherCurrencyIsRefusedAndLeavesTheHoldOpenAsTheDatabaseLedgerDoes() {
        ledger.reserve("h1", "c1", Money.inr("50"), List.of(DAY), false);

        assertThatThrownBy(() -> ledger.settle("h1", Money.of("1", "USD")))
                .isInstanceOf(IllegalArgumentException.class);

        assertThat(ledger.usage("c1", List.of(DAY)).get(0).used()).isEqualTo(Money.inr("50"));
        assertThat(ledger.settle("h1", Money.inr("20"))).singleElement()
                .satisfies(u -> assertThat(u.used()).isEqualTo(Money.inr("20")));
    }

    @Test
    void alertMarksAreKeptOnlyForTheNewestPeriodKeys() {
        LocalDate day = LocalDate.of(2026, 1, 1);
        for (int d = 0; d < 100; d++) {
            PeriodCap cap = new PeriodCap("day", day.plusDays(d).toString(), Money.inr("100"));
            ledger.reserve("h" + d, "c1", Money.inr("90"), List.of(cap), false);
            for (int threshold : new int[] {50, 80}) {
                assertThat(ledger.markAlert("c1", "day", cap.periodKey(), threshold)).isTrue();
                assertThat(ledger.markAlert("c1", "day", cap.periodKey(), threshold)).isFalse();
            }
        }

        assertThat(ledger.retainedAlerts()).isEqualTo(InMemoryLimitLedger.KEPT_PERIODS * 2);
    }
}
