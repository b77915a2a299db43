package io.globalcalling.core.cost;

import io.globalcalling.core.routing.RouteOption;
import io.globalcalling.CallCategory;
import io.globalcalling.Money;
import io.globalcalling.spi.Rate;

import java.time.Duration;
import java.util.Objects;

/**
 * Prices a call before it is placed: the rate's own billing rules ({@link Rate#priceFor}: minimum,
 * increment, connection fee) in the rate's currency, then converted with the {@link FxTable} to
 * the reporting currency and rounded once, half-up, to its minor unit. Thread-safe.
 */
public final class CostEstimator {

    private final FxTable fx;

    public CostEstimator(FxTable fx) {
        this.fx = Objects.requireNonNull(fx, "fx");
    }

    /** The cost of {@code talkTime} on a planned route option. */
    public CostEstimate estimate(RouteOption option, Duration talkTime) {
        Objects.requireNonNull(option, "option");
        return estimate(option.providerId(), option.rate(), talkTime);
    }

    /** The cost of {@code talkTime} at {@code rate} with the provider {@code providerId}. */
    public CostEstimate estimate(String providerId, Rate rate, Duration talkTime) {
        Objects.requireNonNull(providerId, "providerId");
        Objects.requireNonNull(rate, "rate");
        Objects.requireNonNull(talkTime, "talkTime");
        if (talkTime.isNegative()) throw new IllegalArgumentException("talkTime " + talkTime + " must not be negative");
        CallCategory category = rate.category();
        Money total = fx.toReporting(rate.priceFor(talkTime)).rounded();
        return new CostEstimate(providerId, category, rate, fx.toReporting(rate.perMinute()),
                fx.toReporting(rate.perCall()), talkTime, total);
    }

    public FxTable fx() {
        return fx;
    }
}
