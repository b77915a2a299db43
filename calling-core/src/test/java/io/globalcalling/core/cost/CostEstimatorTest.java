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
    void chargesAMessagePerMessageAndPerByteOfItsPayload() {
        // issue 11: 1.50 USD + 100 bytes x 0.01 USD = 2.50 USD = 221.25 INR
        Rate sbd = Rate.perMessage(CallCategory.SATELLITE, "", Money.of("1.50", "USD"), Money.of("0.01", "USD"),
                Money.of("0", "USD"));
        assertThat(estimator.estimate("iridium", sbd, Duration.ZERO, 100).total()).isEqualTo(Money.inr("221.25"));
        assertThat(estimator.estimate("iridium", sbd, Duration.ZERO).total()).isEqualTo(Money.inr("132.75"));
    }

    @Test
    void chargesAtLeastTheMinimumForAMessage() {
        Rate sbd = Rate.perMessage(CallCategory.SATELLITE, "", Money.inr("0.10"), Money.inr("0.001"), Money.inr("1"));
        assertThat(estimator.estimate("iridium", sbd, Duration.ZERO, 10).total()).isEqualTo(Money.inr("1.00"));
        assertThat(estimator.estimate("iridium", sbd, Duration.ZERO, 2000).total()).isEqualTo(Money.inr("2.10"));
        assertThatThrownBy(() -> estimator.estimate("iridium", sbd, Duration.ZERO, -1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("payloadBytes -1");
    }

    @Test
    void refusesANegativeDuration() {
        Rate voip = Rate.perMinute(CallCategory.INTERNET_VOIP, "", Money.inr("1"));
        assertThatThrownBy(() -> estimator.estimate("twilio", voip, Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT-1S");
    }
}
