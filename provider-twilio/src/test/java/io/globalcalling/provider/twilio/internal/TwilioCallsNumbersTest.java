package io.globalcalling.provider.twilio.internal;

import io.globalcalling.Money;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** Amounts read from Twilio's call records: what is kept, and what is refused before it costs memory. */
class TwilioCallsNumbersTest {

    @Test
    void anOrdinaryChargeIsKeptAsWhatWasPaid() {
        assertThat(TwilioCalls.price("-0.01300", "USD")).contains(Money.of("0.013", "USD"));
    }

    @Test
    void aChargeWithAHugeExponentIsUnreadableNotAGigabyteOfDigits() {
        // eleven characters that BigDecimal reads at once, and whose plain form is a billion digits long
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            assertThat(TwilioCalls.price("-1E+999999999", "USD")).isEmpty();
            assertThat(TwilioCalls.price("-1E-999999999", "USD")).isEmpty();
        });
    }
}
