package io.globalcalling.spi;

import io.globalcalling.CallCategory;
import io.globalcalling.Money;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One line of a provider's rate deck: what a call of a category to numbers starting with
 * {@code prefix} costs.
 *
 * @param category          the category this rate prices
 * @param prefix            leading E.164 digits without '+'; empty matches every destination
 * @param perMinute         price per minute of talk time
 * @param perCall           fixed price per call (connection fee; the whole price for system_api)
 * @param incrementSeconds  billing increment: 60 bills whole minutes, 1 bills per second
 * @param minimumSeconds    the least duration billed once a call connects
 */
public record Rate(CallCategory category, String prefix, Money perMinute, Money perCall,
                   int incrementSeconds, int minimumSeconds) {

    private static final Pattern DIGITS = Pattern.compile("\\d{0,15}");

    public Rate {
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(perMinute, "perMinute");
        Objects.requireNonNull(perCall, "perCall");
        if (!DIGITS.matcher(prefix).matches()) {
            throw new IllegalArgumentException("prefix '" + prefix + "' must be 0 to 15 digits");
        }
        if (perMinute.isNegative()) throw new IllegalArgumentException("perMinute " + perMinute + " must not be negative");
        if (perCall.isNegative()) throw new IllegalArgumentException("perCall " + perCall + " must not be negative");
        if (!perMinute.currency().equals(perCall.currency())) {
            throw new IllegalArgumentException("perMinute " + perMinute + " and perCall " + perCall + " differ in currency");
        }
        if (incrementSeconds < 1) throw new IllegalArgumentException("incrementSeconds " + incrementSeconds + " must be at least 1");
        if (minimumSeconds < 0) throw new IllegalArgumentException("minimumSeconds " + minimumSeconds + " must not be negative");
    }

    /** A per-minute rate billed per minute with no connection fee. */
    public static Rate perMinute(CallCategory category, String prefix, Money perMinute) {
        return new Rate(category, prefix, perMinute, Money.zero(perMinute.currency()), 60, 0);
    }

    /** A flat price per call, as system_api is billed. */
    public static Rate perCall(CallCategory category, String prefix, Money perCall) {
        return new Rate(category, prefix, Money.zero(perCall.currency()), perCall, 1, 0);
    }

    /** The price of a call that lasted {@code talkTime}; a call that never connected costs nothing per minute. */
    public Money priceFor(Duration talkTime) {
        Objects.requireNonNull(talkTime, "talkTime");
        long seconds = Math.max(talkTime.toSeconds(), 0);
        if (seconds > 0) {
            seconds = Math.max(seconds, minimumSeconds);
            seconds = ((seconds + incrementSeconds - 1) / incrementSeconds) * incrementSeconds;
        }
        BigDecimal minutes = BigDecimal.valueOf(seconds).divide(BigDecimal.valueOf(60), 10, RoundingMode.HALF_UP);
        return perCall.plus(perMinute.times(minutes));
    }

    public String currencyCode() {
        return perMinute.currency().getCurrencyCode();
    }
}
