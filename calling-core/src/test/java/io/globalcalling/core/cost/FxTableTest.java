package io.globalcalling.core.cost;

import io.globalcalling.Money;
import org.junit.jupiter.api.Test;

import java.util.Currency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FxTableTest {

    private static final Currency USD = Currency.getInstance("USD");
    private static final Currency EUR = Currency.getInstance("EUR");
    private static final Currency INR = Currency.getInstance("INR");

    private final FxTable fx = FxTable.builder().reportingCurrency("INR")
            .rate("USD", "INR", "88.50").rate("EUR", "INR", "104").build();

    @Test
    void convertsExactlyWithAConfiguredRate() {
        assertThat(fx.convert(Money.of("10.25", "USD"), INR)).isEqualTo(Money.inr("907.125"));
    }

    @Test
    void derivesTheInverseRate() {
        Money usd = fx.convert(Money.inr("885"), USD);
        assertThat(usd.currency()).isEqualTo(USD);
        assertThat(usd.rounded()).isEqualTo(Money.of("10.00", "USD"));
    }

    @Test
    void convertsBetweenTwoForeignCurrenciesThroughTheReportingCurrency() {
        // 100 EUR = 10400 INR = 117.514... USD
        assertThat(fx.convert(Money.of("100", "EUR"), USD).rounded()).isEqualTo(Money.of("117.51", "USD"));
    }

    @Test
    void leavesAmountsInTheirOwnCurrencyUnchanged() {
        assertThat(fx.convert(Money.of("1.005", "EUR"), EUR)).isEqualTo(Money.of("1.005", "EUR"));
    }

    @Test
    void aMissingPairNamesBothCurrencies() {
        assertThatThrownBy(() -> fx.convert(Money.of("1", "JPY"), INR))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("JPY").hasMessageContaining("INR");
        assertThat(fx.canConvert(Currency.getInstance("JPY"), INR)).isFalse();
        assertThat(fx.canConvert(EUR, USD)).isTrue();
    }

    @Test
    void reportsInInrByDefault() {
        assertThat(FxTable.builder().build().reportingCurrency()).isEqualTo(INR);
        assertThat(FxTable.builder().reportingCurrency("usd").build().reportingCurrency()).isEqualTo(USD);
    }

    @Test
    void defaultsConvertUsdEurAndGbpToInr() {
        FxTable defaults = FxTable.defaults();
        assertThat(defaults.reportingCurrency()).isEqualTo(INR);
        assertThat(defaults.toReporting(Money.of("1", "USD"))).isEqualTo(Money.inr("88.75"));
        assertThat(defaults.toReporting(Money.of("1", "EUR"))).isEqualTo(Money.inr("104"));
        assertThat(defaults.toReporting(Money.of("1", "GBP"))).isEqualTo(Money.inr("119.5"));
    }

    @Test
    void refusesBadRates() {
        assertThatThrownBy(() -> FxTable.builder().rate("USD", "INR", "-1"))
                .hasMessageContaining("-1").hasMessageContaining("positive");
        assertThatThrownBy(() -> FxTable.builder().rate("USD", "INR", "abc")).hasMessageContaining("'abc'");
        assertThatThrownBy(() -> FxTable.builder().rate("USD", "USD", "1")).hasMessageContaining("itself");
        assertThatThrownBy(() -> FxTable.builder().rate("XXY", "INR", "1")).hasMessageContaining("'XXY'");
        assertThatThrownBy(() -> FxTable.builder().reportingCurrency("rupee")).hasMessageContaining("'rupee'");
    }

    @Test
    void refusesAPairConfiguredInBothDirections() {
        assertThatThrownBy(() -> FxTable.builder().rate("USD", "INR", "88.5").rate("INR", "USD", "0.0113"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("INR").hasMessageContaining("USD").hasMessageContaining("twice");
    }
}
