package io.globalcalling.core.cost;

import io.globalcalling.CallCategory;
import io.globalcalling.Money;
import io.globalcalling.spi.Rate;

import java.time.Duration;
import java.util.Objects;

/**
 * What a call of a given length would cost with one provider, in the reporting currency.
 *
 * @param providerId  the provider whose rate priced it
 * @param category    the category of the call
 * @param rate        the rate used, in the provider's currency
 * @param perMinute   the rate's per-minute price in the reporting currency, unrounded
 * @param perCall     the rate's per-call price in the reporting currency, unrounded
 * @param duration    the talk time estimated
 * @param total       {@link Rate#priceFor} of the duration, converted, rounded half-up to the minor unit (paise)
 */
public record CostEstimate(String providerId, CallCategory category, Rate rate, Money perMinute, Money perCall,
                           Duration duration, Money total) {

    public CostEstimate {
        Objects.requireNonNull(providerId, "providerId");
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(rate, "rate");
        Objects.requireNonNull(perMinute, "perMinute");
        Objects.requireNonNull(perCall, "perCall");
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(total, "total");
        if (duration.isNegative()) throw new IllegalArgumentException("duration " + duration + " must not be negative");
        if (!perMinute.currency().equals(total.currency()) || !perCall.currency().equals(total.currency())) {
            throw new IllegalArgumentException("perMinute " + perMinute + ", perCall " + perCall + " and total " + total
                    + " must be in one currency");
        }
        if (total.isNegative()) throw new IllegalArgumentException("total " + total + " must not be negative");
    }
}
