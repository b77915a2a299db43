package io.globalcalling.core.coverage;

import io.globalcalling.GeoPoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class NaturalEarthGeographyTest {

    private final NaturalEarthGeography geography = new NaturalEarthGeography();

    private Place at(double latitude, double longitude) {
        return geography.locate(GeoPoint.of(latitude, longitude));
    }

    @ParameterizedTest(name = "{0} is in {3}")
    @CsvSource({
            "Mumbai,        19.0760,   72.8777, IN",
            "Delhi,         28.6139,   77.2090, IN",
            "New York,      40.7128,  -74.0060, US",
            "London,        51.5074,   -0.1278, GB",
            "Strasbourg,    48.5734,    7.7521, FR",
            "Kehl,          48.5729,    7.8150, DE",
            "Geneva,        46.2044,    6.1432, CH",
            "Annemasse,     46.1934,    6.2342, FR",
            "Tokyo,         35.6762,  139.6503, JP",
            "Sao Paulo,    -23.5505,  -46.6333, BR",
            "Nairobi,       -1.2921,   36.8219, KE",
            "Sydney,       -33.8688,  151.2093, AU",
            "Anadyr,        64.7337,  177.4968, RU",
            "Chukotka east of the antimeridian, 65.8, -178.0, RU",
            "Taveuni,      -16.8000, -179.9900, FJ",
            "Tromso,        69.6492,   18.9553, NO",
            "Suva,         -18.1248,  178.4501, FJ",
            "Nuuk,          64.1814,  -51.6941, GL",
            "San Juan,      18.4655,  -66.1057, PR",
            "Maseru,       -29.3151,   27.4869, LS",
            "Johannesburg, -26.2041,   28.0473, ZA"})
    void findsTheCountryOfAKnownPlace(String name, double latitude, double longitude, String country) {
        Place place = at(latitude, longitude);

        assertThat(place.land()).as(name).isTrue();
        assertThat(place.country()).as(name).contains(country);
        assertThat(place.polar()).as(name).isEqualTo(latitude >= 66.5622);
    }

    @Test
    void theOpenOceanIsSea() {
        assertThat(at(0, -160)).isEqualTo(new Place(false, Optional.empty(), false, false));
        assertThat(at(-48.8767, -123.3933)).as("Point Nemo").isEqualTo(new Place(false, Optional.empty(), false, false));
        assertThat(at(30, -40)).as("mid Atlantic").extracting(Place::land).isEqualTo(false);
    }

    @Test
    void theSouthPoleIsPolarLandOfNoCountry() {
        Place pole = at(-90, 0);

        assertThat(pole).isEqualTo(new Place(true, Optional.empty(), true, false));
        assertThat(pole.terrestrial()).isFalse();
        assertThat(at(-75, 0).land()).as("Queen Maud Land").isTrue();
        assertThat(at(-86, 179.99).land()).as("Antarctica at the antimeridian").isTrue();
        assertThat(at(-80, 180).land()).as("the Ross Ice Shelf floats").isFalse();
    }

    @Test
    void theNorthPoleIsPolarSea() {
        Place pole = at(90, 0);

        assertThat(pole).isEqualTo(new Place(false, Optional.empty(), true, false));
        assertThat(pole.terrestrial()).isFalse();
    }

    @Test
    void polarStartsAtThePolarCircles() {
        assertThat(at(66.5622, 25).polar()).isTrue();
        assertThat(at(66.56, 25).polar()).isFalse();
        assertThat(at(-66.5622, 0).polar()).isTrue();
        assertThat(at(67.8558, 20.2253)).as("Kiruna: Sweden, inside the Arctic circle")
                .isEqualTo(new Place(true, Optional.of("SE"), true, true));
    }

    @Test
    void landOutsideEveryCountryIsStillLand() {
        assertThat(at(24.0, -13.0)).as("Western Sahara, its own ISO code").isEqualTo(new Place(true, Optional.of("EH"), false, true));
        assertThat(at(42.6629, 21.1655)).as("Pristina").isEqualTo(new Place(true, Optional.of("XK"), false, true));
    }

    @Test
    void smallIslandStatesAreLand() {
        assertThat(at(-8.5211, 179.1983).country()).as("Funafuti, Tuvalu").contains("TV");
        assertThat(at(-0.5228, 166.9315).country()).as("Nauru").contains("NR");
        assertThat(geography.areaKm2("TV")).isPositive();
    }

    @Test
    void aPointJustOffTheShoreReadsAsTheShore() {
        assertThat(at(18.4655, -66.1057).country()).as("San Juan, on its bay").contains("PR");
        assertThat(at(18.60, -66.10).land()).as("20 km out at sea").isFalse();
    }

    @Test
    void areasMatchTheKnownSizeOfCountries() {
        assertThat(geography.areaKm2("RU")).isCloseTo(17_100_000, within(500_000.0));
        assertThat(geography.areaKm2("in")).isCloseTo(3_200_000, within(200_000.0));
        assertThat(geography.areaKm2("FR")).as("with French Guiana and the overseas departments")
                .isCloseTo(640_000, within(30_000.0));
        assertThat(geography.areaKm2("ZZ")).isZero();
    }

    @Test
    void landCoversAboutAThirdOfTheEarth() {
        Set<String> everyCode = Countries.all().stream().map(Country::alpha2).collect(Collectors.toSet());

        double countries = geography.landShare(everyCode);

        assertThat(countries).isBetween(0.24, 0.27);
        assertThat(geography.landShare(Set.of())).isZero();
        assertThat(geography.landShare(Set.of("IN", "in"))).isEqualTo(geography.landShare(Set.of("IN")))
                .isCloseTo(geography.areaKm2("IN") / (4 * Math.PI * 6371.0072 * 6371.0072), within(1e-12));
    }
}
