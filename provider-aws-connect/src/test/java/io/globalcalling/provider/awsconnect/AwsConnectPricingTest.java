package io.globalcalling.provider.awsconnect;

import io.globalcalling.CallCategory;
import io.globalcalling.ConfigurationException;
import io.globalcalling.Money;
import io.globalcalling.PhoneNumber;
import io.globalcalling.spi.Rate;
import io.globalcalling.testkit.TestProviderContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.connect.ConnectClient;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * Connect's price of a call: its service per second (0.038 USD a minute on the current pricing page) plus the
 * destination's telephony per second, at least 60 s once connected. Estimates, holds and settlement all price a
 * duration with {@link Rate#priceFor}, so checking the deck's rates checks all three.
 */
class AwsConnectPricingTest {

    private static final BigDecimal SERVICE = new BigDecimal("0.038");
    private static final BigDecimal US_TELEPHONY = new BigDecimal("0.0088");

    private final TestProviderContext context = Fixtures.context();
    private final ConnectClient connect = Fixtures.connect("http://127.0.0.1:9");   // never called here
    private AwsConnectProvider provider;

    @AfterEach
    void close() {
        if (provider != null) provider.close();
        connect.close();
        context.close();
    }

    private Rate rateFor(Map<String, String> extra, String number) {
        Map<String, String> values = new HashMap<>(Fixtures.baseConfig());
        values.putAll(extra);
        provider = Fixtures.provider(values, context, connect);
        String digits = PhoneNumber.of(number).digits();
        return provider.rates().stream().filter(r -> digits.startsWith(r.prefix()))
                .max(Comparator.comparingInt(r -> r.prefix().length())).orElseThrow();
    }

    private static BigDecimal usd(Rate rate, int seconds) {
        Money price = rate.priceFor(Duration.ofSeconds(seconds));
        assertThat(price.currency()).isEqualTo(Money.USD);
        return price.amount();
    }

    private static BigDecimal minutes(int seconds) {
        return BigDecimal.valueOf(seconds).divide(BigDecimal.valueOf(60), 10, java.math.RoundingMode.HALF_UP);
    }

    @Test
    void aThirtySecondCallPaysThirtySecondsOfServiceAndAMinuteOfTelephony() {
        Rate us = rateFor(Map.of(), "+14155551212");

        assertThat(us.category()).isEqualTo(CallCategory.HUMAN_AGENT);
        BigDecimal service = SERVICE.multiply(minutes(30));   // 0.019
        BigDecimal telephony = US_TELEPHONY;                  // the 60 s minimum
        assertThat(usd(us, 30)).isEqualByComparingTo(service.add(telephony)).isEqualByComparingTo("0.0278");
    }

    @Test
    void aSixtyOneSecondCallPaysBothPartsPerSecond() {
        Rate us = rateFor(Map.of(), "+14155551212");

        BigDecimal service = SERVICE.multiply(minutes(61));
        BigDecimal telephony = US_TELEPHONY.multiply(minutes(61));
        // (0.038 + 0.0088) * 61 / 60 = 0.04758, up to the 10-digit minutes the rate divides into
        assertThat(usd(us, 61)).isCloseTo(service.add(telephony), within(new BigDecimal("0.000000001")))
                .isCloseTo(new BigDecimal("0.04758"), within(new BigDecimal("0.000000001")));
    }

    @Test
    void anUnansweredCallCostsNothingOnEitherPart() {
        Rate us = rateFor(Map.of(), "+14155551212");

        assertThat(usd(us, 0)).isZero();
        assertThat(us.perCall().isZero()).as("an unanswered call is settled at the per-call fee").isTrue();
    }

    @Test
    void theServicePriceCanBeSetToThePerFeatureModelsAndTelephonyByPrefix() {
        Rate uk = rateFor(Map.of("aws-connect.service-per-minute", "0.018",
                "aws-connect.telephony-per-minute", "+44=0.0200, 1=0.0100"), "+442071838750");

        // 30 s: 0.018 / 2 service + a minute of 0.0200 telephony
        assertThat(usd(uk, 30)).isEqualByComparingTo("0.029");
        assertThat(provider.ratesSource()).contains("service 0.018 USD/min");
    }

    @Test
    void theDeckNamesItsSourceDateAndCurrentServicePrice() {
        rateFor(Map.of(), "+14155551212");

        assertThat(provider.ratesSource()).contains("aws.amazon.com/connect/pricing").contains("2026-10-07")
                .contains("estimates").contains("service 0.038 USD/min");
    }

    @Test
    void aBadPriceIsRefusedByKeyAndValue() {
        Map<String, String> values = new HashMap<>(Fixtures.baseConfig());
        values.put("aws-connect.service-per-minute", "-0.01");
        values.put("aws-connect.telephony-per-minute", "44=cheap");

        assertThatThrownBy(() -> Fixtures.config(values)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("aws-connect.service-per-minute").hasMessageContaining("-0.01")
                .hasMessageContaining("aws-connect.telephony-per-minute").hasMessageContaining("44=cheap");
    }
}
