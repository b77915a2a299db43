package io.globalcalling.core.coverage;

import java.util.Objects;
import java.util.Optional;

/**
 * What is at a point on Earth, from offline boundary data.
 *
 * @param land     true on land (Antarctica included), false at sea
 * @param country  the ISO 3166-1 alpha-2 code of the country the point lies in, if any
 * @param polar    true inside the Arctic or Antarctic circle
 */
public record Place(boolean land, Optional<String> country, boolean polar) {

    public Place {
        Objects.requireNonNull(country, "country");
    }

    /** Whether terrestrial networks (internet, PSTN, cellular) can be expected there: a country's land, outside the polar circles. */
    public boolean terrestrial() {
        return land && country.isPresent() && !polar;
    }
}
