package io.globalcalling.provider.vonage.internal;

import io.globalcalling.Money;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** Amounts and durations read from Vonage's events: what is kept, and what is refused before it costs memory. */
class VonageCallsNumbersTest {

    @Test
    void ordinaryAmountsAndDurationsAreRead() {
        assertThat(VonageCalls.price("0.00166667", "EUR")).contains(Money.of("0.00166667", "EUR"));
        assertThat(VonageCalls.seconds("60")).contains(Duration.ofSeconds(60));
    }

    @Test
    void anAmountWithAHugeExponentIsUnreadableNotAGigabyteOfDigits() {
        assertThat(VonageCalls.price("1E+999999999", "EUR")).isEmpty();
        assertThat(VonageCalls.price("1E-999999999", "EUR")).isEmpty();
        assertThat(VonageCalls.seconds("1E+999999999")).isEmpty();
    }
}
