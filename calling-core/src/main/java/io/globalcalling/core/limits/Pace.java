package io.globalcalling.core.limits;

import io.globalcalling.spi.ProviderPace;

/**
 * How fast calls may be started at one provider account: {@code callsPerSecond} on average, with at
 * most {@code burst} started back to back after a quiet spell (a token bucket of {@code burst} tokens
 * refilled at {@code callsPerSecond}). A burst of 1 spaces calls evenly, so no one-second window ever
 * holds more than {@code callsPerSecond} placements.
 *
 * <p>Each provider declares its account's default ({@link io.globalcalling.spi.ProviderCapabilities#pace()});
 * a host sets a {@code Pace} to override it, e.g. when the provider raised the account's limit.
 *
 * @param callsPerSecond  the sustained rate, above 0 and finite (0.5 is one call every two seconds)
 * @param burst           the most calls started together, at least 1
 */
public record Pace(double callsPerSecond, long burst) {

    public Pace {
        if (!(callsPerSecond > 0) || Double.isInfinite(callsPerSecond)) {
            throw new IllegalArgumentException("callsPerSecond " + callsPerSecond + " must be above 0 and finite");
        }
        if (burst < 1) throw new IllegalArgumentException("burst " + burst + " must be at least 1");
    }

    public static Pace of(double callsPerSecond, long burst) {
        return new Pace(callsPerSecond, burst);
    }

    /** The pace a provider declares; empty when it declares none ({@link ProviderPace#UNLIMITED}). */
    public static java.util.Optional<Pace> declared(ProviderPace declared) {
        return declared.isUnlimited() ? java.util.Optional.empty()
                : java.util.Optional.of(new Pace(declared.callsPerSecond(), declared.burst()));
    }
}
