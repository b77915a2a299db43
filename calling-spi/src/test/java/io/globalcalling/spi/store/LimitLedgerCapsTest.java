package io.globalcalling.spi.store;

import io.globalcalling.Money;
import io.globalcalling.spi.store.LimitLedger.PeriodCap;
import io.globalcalling.spi.store.LimitLedger.WindowCap;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A cap handed to a ledger is never negative, for calls and for money alike; zero refuses everything. */
class LimitLedgerCapsTest {

    @Test
    void aNegativePeriodCapIsRefusedLikeANegativeWindowCap() {
        assertThatThrownBy(() -> new WindowCap("minute", Instant.EPOCH, -1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cap -1");
        assertThatThrownBy(() -> new PeriodCap("day", "2026-11-24", Money.inr("-0.01")))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("cap -0.01 INR of period day must not be negative");
        assertThat(new PeriodCap("day", "2026-11-24", Money.inr("0")).cap()).isEqualTo(Money.inr("0"));
    }
}
