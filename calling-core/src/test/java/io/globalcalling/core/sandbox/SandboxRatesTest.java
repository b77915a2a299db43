package io.globalcalling.core.sandbox;

import io.globalcalling.CallCategory;
import io.globalcalling.Endpoint;
import io.globalcalling.Money;
import io.globalcalling.spi.Rate;
import io.globalcalling.testkit.TestProviderContext;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SandboxRatesTest {

    /** The seed's price ranges: per minute, except system_api per call. */
    private static final Map<CallCategory, Money[]> SEED_RANGES = Map.of(
            CallCategory.INTERNET_VOIP, new Money[]{Money.inr("0.50"), Money.inr("2")},
            CallCategory.AI_AUTOMATED, new Money[]{Money.inr("1"), Money.inr("3")},
            CallCategory.HUMAN_AGENT, new Money[]{Money.inr("5"), Money.inr("10")},
            CallCategory.SATELLITE, new Money[]{Money.inr("50"), Money.inr("200")},
            CallCategory.SYSTEM_API, new Money[]{Money.inr("0.01"), Money.inr("0.01")});

    private final List<Rate> rates = SandboxResources.rates();

    @Test
    void everyRateLiesInsideTheSeedRangeOfItsCategory() {
        assertThat(rates).allSatisfy(r -> {
            Money price = r.category() == CallCategory.SYSTEM_API ? r.perCall() : r.perMinute();
            Money[] range = SEED_RANGES.get(r.category());
            assertThat(price).as(r.category().wireName() + " " + r.prefix()).isBetween(range[0], range[1]);
        });
    }

    @Test
    void catchAllRatesAreTheSeedsPayAsYouGoPrices() {
        assertThat(catchAll(CallCategory.INTERNET_VOIP).perMinute()).isEqualTo(Money.inr("1"));
        assertThat(catchAll(CallCategory.AI_AUTOMATED).perMinute()).isEqualTo(Money.inr("2"));
        assertThat(catchAll(CallCategory.HUMAN_AGENT).perMinute()).isEqualTo(Money.inr("7.5"));
        assertThat(catchAll(CallCategory.SATELLITE).perMinute()).isEqualTo(Money.inr("100"));
        assertThat(catchAll(CallCategory.SYSTEM_API).perCall()).isEqualTo(Money.inr("0.01"));
    }

    @Test
    void theLongestPrefixWinsSoIndiaIsCheaper() {
        try (TestProviderContext context = TestProviderContext.create()) {
            SandboxProvider sandbox = new SandboxProvider(SandboxConfig.defaults(), context);
            assertThat(sandbox.rateFor(CallCategory.INTERNET_VOIP, Endpoint.parse("+919876543210")).perMinute())
                    .isEqualTo(Money.inr("0.5"));
            assertThat(sandbox.rateFor(CallCategory.INTERNET_VOIP, Endpoint.parse("+33142685300")).perMinute())
                    .isEqualTo(Money.inr("1"));
            assertThat(sandbox.rateFor(CallCategory.SATELLITE, Endpoint.parse("+881631234567")).perMinute())
                    .isEqualTo(Money.inr("120"));
        }
    }

    private Rate catchAll(CallCategory category) {
        return rates.stream().filter(r -> r.category() == category && r.prefix().isEmpty()).findFirst().orElseThrow();
    }
}
