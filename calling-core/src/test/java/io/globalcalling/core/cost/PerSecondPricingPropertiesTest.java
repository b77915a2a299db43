package io.globalcalling.core.cost;

import io.globalcalling.CallCategory;
import io.globalcalling.Money;
import io.globalcalling.spi.Rate;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A call billed in increments shorter than a minute costs exactly its billed seconds at the per-minute price, so
 * its estimate, rounded half-up once, is that exact figure rounded: no paisa is lost or invented at a half paisa.
 */
class PerSecondPricingPropertiesTest {

    private static final BigDecimal SIXTY = BigDecimal.valueOf(60);
    private final CostEstimator estimator = new CostEstimator(FxTable.defaults());

    @Example
    void fiveSecondsAtSixPaiseAMinuteIsHalfAPaisaAndRoundsUp() {
        Rate rate = Rate.builder(CallCategory.INTERNET_VOIP, "").perMinute(Money.inr("0.06")).incrementSeconds(1).build();

        assertThat(rate.priceFor(Duration.ofSeconds(5))).isEqualTo(Money.inr("0.005"));
        assertThat(estimator.estimate("p", rate, Duration.ofSeconds(5)).total()).isEqualTo(Money.inr("0.01"));
    }

    @Property(tries = 2000)
    void theEstimateIsTheExactPriceOfTheBilledSecondsRoundedOnce(@ForAll @IntRange(min = 1, max = 100_000) int paise,
                                                                 @ForAll @IntRange(min = 1, max = 59) int increment,
                                                                 @ForAll @IntRange(min = 0, max = 120) int minimum,
                                                                 @ForAll @IntRange(min = 1, max = 7_200) int seconds) {
        BigDecimal perMinute = BigDecimal.valueOf(paise, 2);
        Rate rate = Rate.builder(CallCategory.INTERNET_VOIP, "").perMinute(new Money(perMinute, Money.INR))
                .incrementSeconds(increment).minimumSeconds(minimum).build();
        long billed = -Math.floorDiv(-Math.max(seconds, minimum), increment) * (long) increment;
        BigDecimal exact = perMinute.multiply(BigDecimal.valueOf(billed)).divide(SIXTY, 2, RoundingMode.HALF_UP);

        assertThat(estimator.estimate("p", rate, Duration.ofSeconds(seconds)).total())
                .isEqualTo(new Money(exact, Money.INR));
    }
}
