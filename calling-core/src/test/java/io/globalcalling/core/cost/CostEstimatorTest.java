package io.globalcalling.core.cost;

import io.globalcalling.CallCategory;
import io.globalcalling.Money;
import io.globalcalling.spi.Rate;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CostEstimatorTest {

    private final CostEstimator estimator = new CostEstimator(
            FxTable.builder().rate("USD", "INR", "88.50").build());

    @Test
    void billsWholeMinutesForAPerMinuteRate() {
        Rate voip = Rate.perMinute(CallCategory.INTERNET_VOIP, "91", Money.inr("1"));
        CostEstimate e = estimator.estimate("twilio", voip, Duration.ofSeconds(61));
        assertThat(e.total()).isEqualTo(Money.inr("2.00"));
        assertThat(e.perMinute()).isEqualTo(Money.inr("1"));
        assertThat(e.providerId()).isEqualTo("twilio");
        assertThat(e.category()).isEqualTo(CallCategory.INTERNET_VOIP);
        assertThat(e.duration()).isEqualTo(Duration.ofSeconds(61));
    }

    @Test
    void convertsAForeignRateAndRoundsTheTotalToPaise() {
        // 90 s at 0.014 USD/min per second, plus 0.001 USD per call = 0.022 USD = 1.947 INR
        Rate rate = Rate.builder(CallCategory.INTERNET_VOIP, "1").perMinute(Money.of("0.014", "USD"))
                .perCall(Money.of("0.001", "USD")).incrementSeconds(1).build();
        CostEstimate e = estimator.estimate("vonage", rate, Duration.ofSeconds(90));
        assertThat(e.total()).isEqualTo(Money.inr("1.95"));
        assertThat(e.perMinute()).isEqualTo(Money.inr("1.239"));
        assertThat(e.perCall()).isEqualTo(Money.inr("0.0885"));
        assertThat(e.rate()).isSameAs(rate);
    }

    @Test
    void chargesSystemApiCallsPerCall() {
        Rate webhook = Rate.perCall(CallCategory.SYSTEM_API, "", Money.inr("0.01"));
        assertThat(estimator.estimate("webhook", webhook, Duration.ZERO).total()).isEqualTo(Money.inr("0.01"));
    }

    @Test
    void refusesANegativeDuration() {
        Rate voip = Rate.perMinute(CallCategory.INTERNET_VOIP, "", Money.inr("1"));
        assertThatThrownBy(() -> estimator.estimate("twilio", voip, Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT-1S");
    }
}
