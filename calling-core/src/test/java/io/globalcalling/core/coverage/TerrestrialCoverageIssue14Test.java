package io.globalcalling.core.coverage;

import io.globalcalling.GeoPoint;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 14: terrestrial coverage follows where people live, not the polar circles. Each place was checked against
 * the data: the towns are GeoNames populated places (the point is within 2 km of one), and the empty places lie
 * hundreds of kilometres from the nearest one.
 */
class TerrestrialCoverageIssue14Test {

    private final NaturalEarthGeography geography = new NaturalEarthGeography();

    @ParameterizedTest(name = "{0} has terrestrial coverage")
    @CsvSource({
            "Tromsø,                       69.6492,   18.9553",
            "Murmansk,                     68.9585,   33.0827",
            "Utqiaġvik,                    71.2906, -156.7886",
            "Longyearbyen,                 78.2232,   15.6267",
            "Kiruna,                       67.8558,   20.2253",
            "Delhi,                        28.6139,   77.2090",
            "Jaisalmer in the Thar desert, 26.9157,   70.9083"})
    void aTownHasTerrestrialCoverageInsideThePolarCirclesOrNot(String name, double latitude, double longitude) {
        Place place = geography.locate(GeoPoint.of(latitude, longitude));

        assertThat(place.land()).as(name).isTrue();
        assertThat(place.settled()).as(name).isTrue();
        assertThat(place.terrestrial()).as(name).isTrue();
    }

    @ParameterizedTest(name = "{0} has no terrestrial coverage")
    @CsvSource({
            "the North Pole (sea ice on the Arctic Ocean),                    90.0,        0.0, false",
            "Summit Camp on the Greenland ice sheet (522 km from Uummannaq),  72.5796,   -38.4592, true",
            "the centre of the Greenland ice sheet,                          75.0,      -40.0, true",
            "the mid-Pacific (1660 km from Hawaii),                          15.0,     -140.0, false",
            "the Rub' al Khali interior (308 km from the nearest town),       20.2,       51.0, true",
            "Dome A on the Antarctic plateau,                                -80.37,      77.35, true",
            "the South Pole,                                                 -90.0,        0.0, true"})
    void openSeaAndUninhabitedLandHaveNone(String name, double latitude, double longitude, boolean land) {
        Place place = geography.locate(GeoPoint.of(latitude, longitude));

        assertThat(place.land()).as(name).isEqualTo(land);
        assertThat(place.terrestrial()).as(name).isFalse();
    }
}
