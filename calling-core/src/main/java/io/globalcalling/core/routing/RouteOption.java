package io.globalcalling.core.routing;

import io.globalcalling.spi.CallCategory;
import io.globalcalling.spi.Money;
import io.globalcalling.spi.Rate;

import java.util.List;
import java.util.Objects;

/**
 * One provider that can carry a planned call, with its price and why it sits where it does. A simulated
 * option says so in {@link #simulated()} and in its first reason.
 *
 * @param providerId  the provider
 * @param simulated   whether the provider is simulated (the sandbox): it places no real call
 * @param category    the category it would carry the call as
 * @param rate        the rate that prices the call, in the provider's currency (from its deck or a live quote)
 * @param perMinute   the rate's per-minute price in the reporting currency
 * @param perCall     the rate's per-call price in the reporting currency
 * @param score       the blended score in [0, 1] that ordered the options (higher is better)
 * @param reasons     human-readable reasons: its place in the order, price, observed quality, health
 */
public record RouteOption(String providerId, boolean simulated, CallCategory category, Rate rate, Money perMinute, Money perCall,
                          double score, List<String> reasons) {

    public RouteOption {
        Objects.requireNonNull(providerId, "providerId");
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(rate, "rate");
        Objects.requireNonNull(perMinute, "perMinute");
        Objects.requireNonNull(perCall, "perCall");
        reasons = List.copyOf(Objects.requireNonNull(reasons, "reasons"));
        if (!perMinute.currency().equals(perCall.currency())) {
            throw new IllegalArgumentException("perMinute " + perMinute + " and perCall " + perCall + " differ in currency");
        }
        if (Double.isNaN(score) || score < 0 || score > 1) {
            throw new IllegalArgumentException("score " + score + " must be within 0..1");
        }
    }
}
