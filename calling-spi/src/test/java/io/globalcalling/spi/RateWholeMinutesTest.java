package io.globalcalling.spi;

import io.globalcalling.CallCategory;
import io.globalcalling.Money;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A talk time billed in whole minutes (every estimate, every call on a per-minute increment) is priced without dividing
 * by 60; the price must be the one the division gives, to the last digit.
 */
class RateWholeMinutesTest {

    @Test
    void wholeMinutesPriceAsPriceTimesSecondsOverSixty() {
        Random random = new Random(20261203);
        for (int i = 0; i < 20_000; i++) {
            Money perMinute = Money.inr(BigDecimal.valueOf(random.nextInt(1_000_000), random.nextInt(7)).toPlainString());
            Money minimumPart = Money.inr(perMinute.amount().multiply(BigDecimal.valueOf(random.nextInt(101), 2))
                    .toPlainString());
            int increment = new int[]{1, 6, 15, 30, 60, 120}[random.nextInt(6)];
            int minimumSeconds = random.nextInt(4) * 30;
            Rate rate = Rate.builder(CallCategory.INTERNET_VOIP, "").perMinute(perMinute).minimumPerMinute(minimumPart)
                    .incrementSeconds(increment).minimumSeconds(minimumSeconds).build();
            long seconds = random.nextBoolean() ? 60L * random.nextInt(30) : random.nextInt(1_800);

            assertThat(rate.priceFor(Duration.ofSeconds(seconds)))
                    .as("%s a minute (%s of it from the minimum), increment %d s, minimum %d s, %d s",
                            perMinute, minimumPart, increment, minimumSeconds, seconds)
                    .isEqualTo(byDivision(perMinute, minimumPart, increment, minimumSeconds, seconds));
        }
    }

    /** Price times billed seconds, divided by 60: the rule as written, for any talk time. */
    private static Money byDivision(Money perMinute, Money minimumPart, int increment, int minimumSeconds, long seconds) {
        long floored = seconds > 0 ? Math.max(seconds, minimumSeconds) : 0;
        BigDecimal secondsPrice = minimumPart.amount().multiply(BigDecimal.valueOf(billed(floored, increment)))
                .add(perMinute.amount().subtract(minimumPart.amount()).multiply(BigDecimal.valueOf(billed(seconds, increment))));
        return Money.of(secondsPrice.divide(BigDecimal.valueOf(60), MathContext.DECIMAL128), perMinute.currency());
    }

    private static long billed(long seconds, int increment) {
        return (seconds + increment - 1) / increment * increment;
    }
}
