package io.globalcalling.core.coverage;

import io.globalcalling.core.coverage.internal.CountryGrid;
import io.globalcalling.GeoPoint;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The {@link Geography} of Natural Earth's 1:10m country boundaries (public domain), offline. The
 * polygons are rasterised into 1 arc-minute cells by {@code calling-core/tools/geogrid}; the grid
 * ships as a resource, is read once per JVM on first use (about 2 MB of memory) and answers a lookup
 * with one binary search. A point's country is the ISO 3166-1 alpha-2 code of the ground it stands on:
 * a dependent territory keeps its own code ({@code GL}, {@code PR}, {@code HK}); Antarctica and disputed
 * ground are land without a country. Borders and coasts are exact to about a cell (1.85 km
 * north-south); a point at sea in a cell next to the shore reads as that shore, since the coastline is
 * known only to a cell and such a point is within reach of the shore's networks. Thread-safe.
 */
public final class NaturalEarthGeography implements Geography {

    /** Latitude of the Arctic and Antarctic circles, in degrees. */
    public static final double POLAR_CIRCLE_LATITUDE = 66.5622;

    @Override
    public Place locate(GeoPoint point) {
        Objects.requireNonNull(point, "point");
        Optional<String> code = grid().codeNear(point.latitude(), point.longitude());
        boolean polar = Math.abs(point.latitude()) >= POLAR_CIRCLE_LATITUDE;
        return new Place(code.isPresent(), code.filter(c -> !c.equals(CountryGrid.NO_COUNTRY)), polar);
    }

    /** Land area of a country or territory (ISO 3166-1 alpha-2, either case) in km², as the grid draws it; 0 when it has none. */
    public double areaKm2(String country) {
        Objects.requireNonNull(country, "country");
        return grid().areaKm2(country.toUpperCase(Locale.ROOT));
    }

    /**
     * The fraction (0 to 1) of the Earth's whole surface, oceans included, that the land of these
     * countries covers. Codes are ISO 3166-1 alpha-2, either case; unknown codes add nothing.
     */
    public double landShare(Set<String> countries) {
        Objects.requireNonNull(countries, "countries");
        double area = countries.stream()
                .map(c -> c.toUpperCase(Locale.ROOT))
                .distinct()
                .mapToDouble(grid()::areaKm2)
                .sum();
        return area / CountryGrid.earthAreaKm2();
    }

    private static CountryGrid grid() {
        return CountryGrid.shared();
    }
}
