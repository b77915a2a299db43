package io.globalcalling.spi;

import io.globalcalling.CallCategory;
import io.globalcalling.Money;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A talk time measured from timestamps (an Amazon Connect contact's answered and ended times) has a fraction of a
 * second; a started second is billed like a started increment, never dropped.
 */
class RateStartedSecondsTest {

    @Test
    void aCallLongerThanAWholeMinuteByHalfASecondIsBilledItsSecondMinute() {
        Rate perMinute = Rate.perMinute(CallCategory.INTERNET_VOIP, "", Money.inr("1"));

        assertThat(perMinute.priceFor(Duration.ofMillis(60_500))).isEqualTo(Money.inr("2"));
        assertThat(perMinute.priceFor(Duration.ofSeconds(60))).isEqualTo(Money.inr("1"));
    }

    @Test
    void aPerSecondRateBillsTheStartedSecond() {
        Rate perSecond = Rate.builder(CallCategory.HUMAN_AGENT, "").perMinute(Money.inr("6")).incrementSeconds(1).build();

        assertThat(perSecond.priceFor(Duration.ofMillis(125_700))).isEqualTo(Money.inr("12.6")); // 126 s
    }

    @Test
    void aConnectedCallOfLessThanASecondPaysTheMinimum() {
        Rate minimum = Rate.builder(CallCategory.HUMAN_AGENT, "").perMinute(Money.inr("6")).incrementSeconds(1)
                .minimumSeconds(60).build();

        assertThat(minimum.priceFor(Duration.ofMillis(400))).isEqualTo(Money.inr("6"));
        assertThat(minimum.priceFor(Duration.ZERO)).isEqualTo(Money.inr("0"));
    }
}
