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
 * {@code prefix} costs. Create it with {@link #builder}, {@link #perMinute} or {@link #perCall}.
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

    /** A rate for {@code category} at {@code prefix}; free, billed per whole minute, unless set. */
    public static Builder builder(CallCategory category, String prefix) {
        return new Builder(category, prefix);
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

    /** Builds a {@link Rate}; prices default to zero in the currency of the one set. */
    public static final class Builder {
        private final CallCategory category;
        private final String prefix;
        private Money perMinute;
        private Money perCall;
        private int incrementSeconds = 60;
        private int minimumSeconds;

        private Builder(CallCategory category, String prefix) {
            this.category = category;
            this.prefix = prefix;
        }

        public Builder perMinute(Money perMinute) {
            this.perMinute = Objects.requireNonNull(perMinute, "perMinute");
            return this;
        }

        public Builder perCall(Money perCall) {
            this.perCall = Objects.requireNonNull(perCall, "perCall");
            return this;
        }

        /** Billing increment: 60 bills whole minutes, 1 bills per second. */
        public Builder incrementSeconds(int incrementSeconds) {
            this.incrementSeconds = incrementSeconds;
            return this;
        }

        /** The least duration billed once a call connects. */
        public Builder minimumSeconds(int minimumSeconds) {
            this.minimumSeconds = minimumSeconds;
            return this;
        }

        /** @throws IllegalArgumentException when neither price is set, or a value is out of range */
        public Rate build() {
            if (perMinute == null && perCall == null) {
                throw new IllegalArgumentException("rate " + category + "/" + prefix + " needs perMinute or perCall");
            }
            Money minute = perMinute != null ? perMinute : Money.zero(perCall.currency());
            Money call = perCall != null ? perCall : Money.zero(perMinute.currency());
            return new Rate(category, prefix, minute, call, incrementSeconds, minimumSeconds);
        }
    }
}
