package io.globalcalling.core.cost;

import io.globalcalling.CallCategory;
import io.globalcalling.Money;
import io.globalcalling.PhoneNumber;
import io.globalcalling.spi.Rate;
import io.globalcalling.SatelliteTerminal;
import io.globalcalling.SipUri;
import io.globalcalling.WebhookUrl;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import static io.globalcalling.CallCategory.INTERNET_VOIP;
import static io.globalcalling.CallCategory.SATELLITE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RateDeckTest {

    private static Rate voip(String prefix, String inr) {
        return Rate.perMinute(INTERNET_VOIP, prefix, Money.inr(inr));
    }

    private final RateDeck deck = RateDeck.of(List.of(
            voip("", "1.00"), voip("91", "0.80"), voip("9198", "0.60"), voip("1", "0.70"),
            Rate.perMinute(SATELLITE, "8816", Money.inr("100"))));

    private Optional<String> prefixFor(CallCategory category, String number) {
        return deck.find(category, PhoneNumber.of(number)).map(Rate::prefix);
    }

    @Test
    void picksTheLongestPrefixThatBeginsTheNumber() {
        assertThat(prefixFor(INTERNET_VOIP, "+919876543210")).contains("9198");
        assertThat(prefixFor(INTERNET_VOIP, "+918012345678")).contains("91");
        assertThat(prefixFor(INTERNET_VOIP, "+14155550100")).contains("1");
    }

    @Test
    void fallsBackToTheCatchAllWhenNoPrefixMatches() {
        assertThat(prefixFor(INTERNET_VOIP, "+447700900123")).contains("");
    }

    @Test
    void matchesNothingWithoutACatchAllOrInAnotherCategory() {
        assertThat(prefixFor(SATELLITE, "+447700900123")).isEmpty();
        assertThat(prefixFor(SATELLITE, "+881612345678")).contains("8816");
        assertThat(deck.find(CallCategory.HUMAN_AGENT, PhoneNumber.of("+919876543210"))).isEmpty();
    }

    @Test
    void nonPhoneEndpointsMatchOnlyTheCatchAll() {
        assertThat(deck.find(INTERNET_VOIP, new SipUri("sip:alice@example.com"))).map(Rate::prefix).contains("");
        assertThat(deck.find(INTERNET_VOIP, WebhookUrl.of("https://ops.example.com/hook"))).map(Rate::prefix).contains("");
        assertThat(deck.find(SATELLITE, new SatelliteTerminal("300234010753370"))).isEmpty();
    }

    @Test
    void aPrefixLongerThanTheNumberDoesNotMatch() {
        RateDeck d = RateDeck.of(List.of(voip("9198765432101", "0.10"), voip("91", "0.80")));
        assertThat(d.find(INTERNET_VOIP, PhoneNumber.of("+9198765"))).map(Rate::prefix).contains("91");
    }

    @Test
    void refusesTwoRatesForOneCategoryAndPrefixNamingThem() {
        assertThatThrownBy(() -> RateDeck.of(List.of(voip("44", "1"), voip("91", "1"), voip("44", "2"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("internet_voip")
                .hasMessageContaining("'44'");
    }

    @Test
    void allowsOnePrefixInSeveralCategories() {
        RateDeck d = RateDeck.of(List.of(voip("44", "1"), Rate.perMinute(SATELLITE, "44", Money.inr("90"))));
        assertThat(d.size()).isEqualTo(2);
    }

    @Test
    void reportsItsSize() {
        assertThat(deck.size()).isEqualTo(5);
        assertThat(RateDeck.of(List.of()).isEmpty()).isTrue();
    }

    @Test
    void indexesTwoHundredThousandPrefixesAndStillFindsTheLongest() {
        Random random = new Random(42);
        List<Rate> rates = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        while (rates.size() < 200_000) {
            int length = 1 + random.nextInt(9);
            StringBuilder p = new StringBuilder().append(1 + random.nextInt(9));
            for (int i = 1; i < length; i++) p.append(random.nextInt(10));
            if (seen.add(p.toString())) rates.add(voip(p.toString(), "1"));
        }
        RateDeck big = RateDeck.of(rates);
        assertThat(big.size()).isEqualTo(200_000);
        for (int n = 0; n < 200; n++) {
            StringBuilder number = new StringBuilder().append(1 + random.nextInt(9));
            for (int i = 0; i < 11; i++) number.append(random.nextInt(10));
            String digits = number.toString();
            Optional<String> expected = seen.stream().filter(digits::startsWith)
                    .max(java.util.Comparator.comparingInt(String::length));
            assertThat(big.find(INTERNET_VOIP, PhoneNumber.of("+" + digits)).map(Rate::prefix)).isEqualTo(expected);
        }
    }
}
