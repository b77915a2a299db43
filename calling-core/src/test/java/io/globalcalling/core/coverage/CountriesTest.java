package io.globalcalling.core.coverage;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CountriesTest {

    @Test
    void listsTheUnitedNationsMembersAndObserverStates() {
        List<Country> all = Countries.all();

        assertThat(all).hasSize(195);
        assertThat(all).filteredOn(c -> c.status() == Country.Status.MEMBER).hasSize(193);
        assertThat(all).filteredOn(c -> c.status() == Country.Status.OBSERVER)
                .extracting(Country::alpha2).containsExactlyInAnyOrder("VA", "PS");
    }

    @Test
    void everyCodeIsUnique() {
        List<Country> all = Countries.all();

        assertThat(all).extracting(Country::alpha2).doesNotHaveDuplicates();
        assertThat(all).extracting(Country::alpha3).doesNotHaveDuplicates();
        assertThat(all).extracting(Country::numeric).doesNotHaveDuplicates();
    }

    @Test
    void knowsIndiaTheUnitedStatesAndTheHolySee() {
        assertThat(Countries.byAlpha2("IN")).contains(new Country("IN", "IND", "356", "India", Country.Status.MEMBER));
        assertThat(Countries.byAlpha2("us")).get().satisfies(us -> {
            assertThat(us.alpha3()).isEqualTo("USA");
            assertThat(us.numeric()).isEqualTo("840");
        });
        assertThat(Countries.byAlpha2("VA")).get().satisfies(va -> {
            assertThat(va.alpha3()).isEqualTo("VAT");
            assertThat(va.numeric()).isEqualTo("336");
            assertThat(va.status()).isEqualTo(Country.Status.OBSERVER);
        });
        assertThat(Countries.byAlpha2("FM")).get().extracting(Country::name).asString().contains("Micronesia");
        assertThat(Countries.byAlpha2("AF")).get().extracting(Country::numeric).isEqualTo("004");
    }

    @Test
    void territoriesAndNonMembersAreNotListed() {
        assertThat(Countries.byAlpha2("TW")).isEmpty();
        assertThat(Countries.byAlpha2("GL")).isEmpty();
        assertThat(Countries.byAlpha2("XK")).isEmpty();
        assertThat(Countries.byAlpha2("AQ")).isEmpty();
    }

    @Test
    void refusesAMalformedCountry() {
        assertThatThrownBy(() -> new Country("IND", "IND", "356", "India", Country.Status.MEMBER))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("alpha2 'IND'");
        assertThatThrownBy(() -> new Country("IN", "IND", "35", "India", Country.Status.MEMBER))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("numeric '35'");
    }
}
