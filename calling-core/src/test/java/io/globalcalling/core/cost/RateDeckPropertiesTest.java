package io.globalcalling.core.cost;

import io.globalcalling.CallCategory;
import io.globalcalling.Money;
import io.globalcalling.PhoneNumber;
import io.globalcalling.spi.Rate;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class RateDeckPropertiesTest {

    @Property(tries = 500)
    void longestPrefixEqualsABruteForceScan(@ForAll("prefixes") List<String> voipPrefixes,
                                            @ForAll("prefixes") List<String> aiPrefixes,
                                            @ForAll("numbers") List<String> numbers) {
        List<Rate> rates = new ArrayList<>();
        for (int i = 0; i < voipPrefixes.size(); i++) {
            rates.add(Rate.perMinute(CallCategory.INTERNET_VOIP, voipPrefixes.get(i), Money.inr(Integer.toString(i))));
        }
        for (String p : aiPrefixes) rates.add(Rate.perMinute(CallCategory.AI_AUTOMATED, p, Money.inr("2")));
        RateDeck deck = RateDeck.of(rates);

        for (String digits : numbers) {
            Optional<Rate> expected = rates.stream()
                    .filter(r -> r.category() == CallCategory.INTERNET_VOIP && digits.startsWith(r.prefix()))
                    .max(Comparator.comparingInt(r -> r.prefix().length()));
            assertThat(deck.find(CallCategory.INTERNET_VOIP, PhoneNumber.of("+" + digits))).isEqualTo(expected);
        }
    }

    /** Short prefixes over few digits, so that decks nest and numbers often match several. */
    @Provide
    Arbitrary<List<String>> prefixes() {
        Arbitrary<String> prefix = Arbitraries.oneOf(Arbitraries.just(""),
                Combinators.combine(Arbitraries.of("1", "2"), Arbitraries.strings().withChars("012").ofMaxLength(14))
                        .as(String::concat));
        return prefix.list().ofMaxSize(80).uniqueElements();
    }

    @Provide
    Arbitrary<List<String>> numbers() {
        return Combinators.combine(Arbitraries.of("1", "2", "3"), Arbitraries.strings().withChars("012").ofMinLength(1).ofMaxLength(14))
                .as(String::concat).list().ofMinSize(1).ofMaxSize(40);
    }
}
