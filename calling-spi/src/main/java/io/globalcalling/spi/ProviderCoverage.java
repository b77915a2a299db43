package io.globalcalling.spi;

import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Where a provider reaches. Create it with {@link #countries}, {@link #globalCoverage} or {@link #of}.
 *
 * @param countries  ISO 3166-1 alpha-2 codes of the countries it can call
 * @param global     true when its satellite category reaches every point on Earth, oceans and poles included;
 *                   its other categories still reach only the declared countries
 */
public record ProviderCoverage(Set<String> countries, boolean global) {

    public ProviderCoverage {
        Objects.requireNonNull(countries, "countries");
        countries = countries.stream().map(c -> {
            if (c == null || !c.matches("[A-Za-z]{2}")) {
                throw new IllegalArgumentException("country '" + c + "' is not an ISO 3166-1 alpha-2 code");
            }
            return c.toUpperCase(Locale.ROOT);
        }).collect(Collectors.toUnmodifiableSet());
    }

    /** The countries it can call, and whether its satellite category reaches everywhere. */
    public static ProviderCoverage of(Set<String> countries, boolean global) {
        return new ProviderCoverage(countries, global);
    }

    public static ProviderCoverage countries(Set<String> countries) {
        return new ProviderCoverage(countries, false);
    }

    public static ProviderCoverage globalCoverage(Set<String> countries) {
        return new ProviderCoverage(countries, true);
    }
}
