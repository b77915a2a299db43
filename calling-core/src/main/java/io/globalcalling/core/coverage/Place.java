package io.globalcalling.core.coverage;

import java.util.Objects;
import java.util.Optional;

/**
 * What is at a point on Earth, from offline data.
 *
 * @param land     true on land (Antarctica included), false at sea
 * @param country  the ISO 3166-1 alpha-2 code of the country the point lies in, if any
 * @param polar    true inside the Arctic or Antarctic circle; a fact about the point, not about its networks
 * @param settled  true when people live within the reach of a terrestrial network's mast (a populated place
 *                 lies near enough; the {@link Geography} decides how near)
 */
public record Place(boolean land, Optional<String> country, boolean polar, boolean settled) {

    public Place {
        Objects.requireNonNull(country, "country");
    }

    /**
     * Whether terrestrial networks (internet, PSTN, cellular) can be expected there: land near a settlement,
     * inside a polar circle or not. Open sea and uninhabited land (ice sheets, deep desert) have none.
     */
    public boolean terrestrial() {
        return land && settled;
    }
}
