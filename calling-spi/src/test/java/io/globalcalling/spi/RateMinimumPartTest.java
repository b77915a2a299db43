package io.globalcalling.spi;

import io.globalcalling.CallCategory;
import io.globalcalling.Money;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** A minimum that applies to one part of the per-minute price only (a carrier's telephony, not the platform's service). */
class RateMinimumPartTest {

    /** 0.038 service (no minimum) + 0.012 telephony (at least 60 s), both per second. */
    private static final Rate TWO_PARTS = Rate.builder(CallCategory.HUMAN_AGENT, "1").perMinute(Money.of("0.050", "USD"))
            .minimumPerMinute(Money.of("0.012", "USD")).minimumSeconds(60).incrementSeconds(1).build();

    @Test
    void aShortCallPaysTheServiceForItsSecondsAndTheTelephonyForTheMinimum() {
        // 30 s: service 0.038 / 2 = 0.019; telephony a full minute 0.012
        assertThat(TWO_PARTS.priceFor(Duration.ofSeconds(30))).isEqualTo(Money.of("0.031", "USD"));
    }

    @Test
    void aCallPastTheMinimumPaysBothPartsPerSecond() {
        // 61 s: (0.038 + 0.012) * 61 / 60
        assertThat(TWO_PARTS.priceFor(Duration.ofSeconds(61)).amount()).isCloseTo(new BigDecimal("0.0508333"), within(new BigDecimal("0.0000001")));
    }

    @Test
    void anUnconnectedCallPaysNothing() {
        assertThat(TWO_PARTS.priceFor(Duration.ZERO).isZero()).isTrue();
    }

    @Test
    void withoutAPartTheMinimumAppliesToTheWholePrice() {
        Rate whole = Rate.builder(CallCategory.HUMAN_AGENT, "1").perMinute(Money.of("0.050", "USD")).minimumSeconds(60)
                .incrementSeconds(1).build();

        assertThat(whole.minimumPerMinute()).isEqualTo(whole.perMinute());
        assertThat(whole.priceFor(Duration.ofSeconds(30))).isEqualTo(Money.of("0.050", "USD"));
    }

    @Test
    void thePartMayNotExceedThePrice() {
        assertThatThrownBy(() -> Rate.builder(CallCategory.HUMAN_AGENT, "1").perMinute(Money.of("0.01", "USD"))
                .minimumPerMinute(Money.of("0.02", "USD")).build())
                .hasMessageContaining("minimumPerMinute").hasMessageContaining("0.02");
    }
}
