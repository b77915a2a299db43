package io.globalcalling.spi;

/**
 * How fast a provider account accepts new calls, as the provider declares it: {@code callsPerSecond}
 * on average, with at most {@code burst} started back to back after a quiet spell (a token bucket).
 * The host may override it per provider.
 *
 * @param callsPerSecond  the sustained rate, above 0 (0.5 is one call every two seconds); infinite when unlimited
 * @param burst           the most calls started together, at least 1
 */
public record ProviderPace(double callsPerSecond, int burst) {

    /** No limit declared: the host's default pace applies, or none. */
    public static final ProviderPace UNLIMITED = new ProviderPace(Double.POSITIVE_INFINITY, Integer.MAX_VALUE);

    public ProviderPace {
        if (Double.isNaN(callsPerSecond) || callsPerSecond <= 0) {
            throw new IllegalArgumentException("callsPerSecond " + callsPerSecond + " must be above 0");
        }
        if (burst < 1) throw new IllegalArgumentException("burst " + burst + " must be at least 1");
    }

    public static ProviderPace of(double callsPerSecond, int burst) {
        return new ProviderPace(callsPerSecond, burst);
    }

    /** True when the provider declares no limit. */
    public boolean isUnlimited() {
        return Double.isInfinite(callsPerSecond);
    }
}
