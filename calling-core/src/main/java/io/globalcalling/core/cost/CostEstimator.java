package io.globalcalling.core.cost;

import io.globalcalling.core.routing.RouteOption;
import io.globalcalling.CallCategory;
import io.globalcalling.Money;
import io.globalcalling.spi.Rate;

import java.time.Duration;
import java.util.Objects;

/**
 * Prices a call before it is placed: the rate's own billing rules ({@link Rate#priceFor}: minimum,
 * increment, connection fee, per message and per byte with a minimum charge) in the rate's
 * currency, then converted with the {@link FxTable} to the reporting currency and rounded once,
 * half-up, to its minor unit. Thread-safe.
 */
public final class CostEstimator {

    private final FxTable fx;

    public CostEstimator(FxTable fx) {
        this.fx = Objects.requireNonNull(fx, "fx");
    }

    /** The cost of {@code talkTime} on a planned route option, for a call carrying no payload. */
    public CostEstimate estimate(RouteOption option, Duration talkTime) {
        return estimate(option, talkTime, 0);
    }

    /** The cost of {@code talkTime} and a message of {@code payloadBytes} on a planned route option. */
    public CostEstimate estimate(RouteOption option, Duration talkTime, long payloadBytes) {
        Objects.requireNonNull(option, "option");
        return estimate(option.providerId(), option.rate(), talkTime, payloadBytes);
    }

    /** The cost of {@code talkTime} at {@code rate} with the provider {@code providerId}, for a call carrying no payload. */
    public CostEstimate estimate(String providerId, Rate rate, Duration talkTime) {
        return estimate(providerId, rate, talkTime, 0);
    }

    /**
     * The cost of {@code talkTime} and a message of {@code payloadBytes} at {@code rate} with the provider
     * {@code providerId}: every unit the rate charges (per minute, per call, per message, per byte, minimum).
     */
    public CostEstimate estimate(String providerId, Rate rate, Duration talkTime, long payloadBytes) {
        Objects.requireNonNull(providerId, "providerId");
        Objects.requireNonNull(rate, "rate");
        Objects.requireNonNull(talkTime, "talkTime");
        if (talkTime.isNegative()) throw new IllegalArgumentException("talkTime " + talkTime + " must not be negative");
        if (payloadBytes < 0) throw new IllegalArgumentException("payloadBytes " + payloadBytes + " must not be negative");
        CallCategory category = rate.category();
        Money total = fx.toReporting(rate.priceFor(talkTime, payloadBytes)).rounded();
        return new CostEstimate(providerId, category, rate, fx.toReporting(rate.perMinute()),
                fx.toReporting(rate.perCall()), talkTime, total);
    }

    public FxTable fx() {
        return fx;
    }
}
