package io.globalcalling.spi;

import io.globalcalling.CallCategory;
import io.globalcalling.Money;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One line of a provider's rate deck: what a call of a category to numbers starting with
 * {@code prefix} costs. A rate may charge in any mix of units: per minute of talk (in billing
 * increments), per call (a connection fee), and per message plus per byte of its payload, with a
 * minimum charge per message. Every amount is in one currency. Create it with {@link #builder},
 * {@link #perMinute}, {@link #perCall} or {@link #perMessage}.
 *
 * @param category          the category this rate prices
 * @param prefix            leading E.164 digits without '+'; empty matches every destination
 * @param perMinute         price per minute of talk time
 * @param perCall           fixed price per call (connection fee; the whole price for a webhook)
 * @param incrementSeconds  billing increment: 60 bills whole minutes, 1 bills per second
 * @param minimumSeconds    the least duration billed once a call connects
 * @param perMessage        price of each delivered message (a satellite terminal's SBD message, say)
 * @param perByte           price of each byte of a delivered message's payload
 * @param minimumCharge     the least a delivered message costs (per message plus per byte)
 * @param minimumPerMinute  the part of {@code perMinute} that {@code minimumSeconds} applies to (all of it unless
 *                          set); the rest is billed for the talk time alone, as when a carrier's telephony has a
 *                          minimum and the platform's own per-minute service has none
 */
public record Rate(CallCategory category, String prefix, Money perMinute, Money perCall,
                   int incrementSeconds, int minimumSeconds, Money perMessage, Money perByte, Money minimumCharge,
                   Money minimumPerMinute) {

    private static final Pattern DIGITS = Pattern.compile("\\d{0,15}");
    private static final BigDecimal SIXTY = BigDecimal.valueOf(60);

    public Rate {
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(prefix, "prefix");
        if (!DIGITS.matcher(prefix).matches()) {
            throw new IllegalArgumentException("prefix '" + prefix + "' must be 0 to 15 digits");
        }
        requireAmount(perMinute, "perMinute", perMinute);
        requireAmount(perCall, "perCall", perMinute);
        requireAmount(perMessage, "perMessage", perMinute);
        requireAmount(perByte, "perByte", perMinute);
        requireAmount(minimumCharge, "minimumCharge", perMinute);
        requireAmount(minimumPerMinute, "minimumPerMinute", perMinute);
        if (minimumPerMinute.isGreaterThan(perMinute)) {
            throw new IllegalArgumentException("minimumPerMinute " + minimumPerMinute + " must not exceed perMinute " + perMinute);
        }
        if (incrementSeconds < 1) throw new IllegalArgumentException("incrementSeconds " + incrementSeconds + " must be at least 1");
        if (minimumSeconds < 0) throw new IllegalArgumentException("minimumSeconds " + minimumSeconds + " must not be negative");
    }

    /** A rate whose minimum, if any, applies to the whole per-minute price. */
    public Rate(CallCategory category, String prefix, Money perMinute, Money perCall, int incrementSeconds,
                int minimumSeconds, Money perMessage, Money perByte, Money minimumCharge) {
        this(category, prefix, perMinute, perCall, incrementSeconds, minimumSeconds, perMessage, perByte,
                minimumCharge, perMinute);
    }

    /** A rate charging per minute and per call only, as voice calls are billed. */
    public Rate(CallCategory category, String prefix, Money perMinute, Money perCall, int incrementSeconds,
                int minimumSeconds) {
        this(category, prefix, perMinute, perCall, incrementSeconds, minimumSeconds,
                zeroLike(perMinute), zeroLike(perMinute), zeroLike(perMinute));
    }

    private static Money zeroLike(Money amount) {
        return Money.zero(Objects.requireNonNull(amount, "perMinute").currency());
    }

    private static void requireAmount(Money amount, String name, Money perMinute) {
        Objects.requireNonNull(amount, name);
        if (amount.isNegative()) throw new IllegalArgumentException(name + " " + amount + " must not be negative");
        if (amount != perMinute && !amount.currency().equals(Objects.requireNonNull(perMinute, "perMinute").currency())) {
            throw new IllegalArgumentException(name + " " + amount + " and perMinute " + perMinute + " differ in currency");
        }
    }

    /** A per-minute rate billed per minute with no connection fee. */
    public static Rate perMinute(CallCategory category, String prefix, Money perMinute) {
        return new Rate(category, prefix, perMinute, Money.zero(perMinute.currency()), 60, 0);
    }

    /** A flat price per call, as system_api is billed. */
    public static Rate perCall(CallCategory category, String prefix, Money perCall) {
        return new Rate(category, prefix, Money.zero(perCall.currency()), perCall, 1, 0);
    }

    /**
     * A price per message and per byte of its payload, at least {@code minimumCharge} a message, as
     * satellite messaging (Iridium SBD) is billed.
     */
    public static Rate perMessage(CallCategory category, String prefix, Money perMessage, Money perByte,
                                  Money minimumCharge) {
        Money zero = Money.zero(Objects.requireNonNull(perMessage, "perMessage").currency());
        return new Rate(category, prefix, zero, zero, 1, 0, perMessage, perByte, minimumCharge);
    }

    /** A rate for {@code category} at {@code prefix}; free, billed per whole minute, unless set. */
    public static Builder builder(CallCategory category, String prefix) {
        return new Builder(category, prefix);
    }

    /**
     * The price of a call that lasted {@code talkTime} and carried no payload; a call that never
     * connected costs nothing per minute.
     */
    public Money priceFor(Duration talkTime) {
        return priceFor(talkTime, 0);
    }

    /**
     * The price of a delivered call that lasted {@code talkTime} (zero for a message) and carried a
     * payload of {@code payloadBytes}: per call, plus per minute in billing increments (a started second
     * and a started increment are billed whole), plus the message's price ({@link #messagePrice}).
     */
    public Money priceFor(Duration talkTime, long payloadBytes) {
        Objects.requireNonNull(talkTime, "talkTime");
        // A started second counts, as a started increment does: 60.5 s at whole minutes is two minutes.
        long seconds = Math.max(talkTime.toSeconds() + (talkTime.toNanosPart() > 0 ? 1 : 0), 0);
        long floored = seconds > 0 ? Math.max(seconds, minimumSeconds) : 0;
        long minimumBilled = billed(floored);
        long restBilled = billed(seconds);
        BigDecimal minimumPart = minimumPerMinute.amount();
        BigDecimal rest = perMinute.amount().subtract(minimumPart);
        BigDecimal talkPrice;
        if (minimumBilled % 60 == 0 && restBilled % 60 == 0) {
            // Whole minutes (every estimate, and calls billed by the minute): the same figure and scale as the
            // division below, without a 34-digit division.
            talkPrice = minimumPart.multiply(BigDecimal.valueOf(minimumBilled / 60))
                    .add(rest.multiply(BigDecimal.valueOf(restBilled / 60)));
        } else {
            // Price times seconds first, then one division by 60: a price ending in a fraction of the minor unit
            // (5 s at 0.06 a minute is 0.005) stays exact, so rounding it later neither loses nor invents a cent.
            talkPrice = minimumPart.multiply(BigDecimal.valueOf(minimumBilled))
                    .add(rest.multiply(BigDecimal.valueOf(restBilled)))
                    .divide(SIXTY, MathContext.DECIMAL128);
        }
        return perCall.plus(new Money(talkPrice, perMinute.currency())).plus(messagePrice(payloadBytes));
    }

    /** {@code seconds} rounded up to whole billing increments. */
    private long billed(long seconds) {
        return ((seconds + incrementSeconds - 1) / incrementSeconds) * incrementSeconds;
    }

    /** Per message plus per byte of {@code payloadBytes}, at least the minimum charge. */
    public Money messagePrice(long payloadBytes) {
        if (payloadBytes < 0) throw new IllegalArgumentException("payloadBytes " + payloadBytes + " must not be negative");
        Money price = perMessage.plus(perByte.times(BigDecimal.valueOf(payloadBytes)));
        return price.isGreaterThan(minimumCharge) ? price : minimumCharge;
    }

    /** True when it charges by message or byte at all. */
    public boolean chargesMessages() {
        return !perMessage.isZero() || !perByte.isZero() || !minimumCharge.isZero();
    }

    public String currencyCode() {
        return perMinute.currency().getCurrencyCode();
    }

    /** Builds a {@link Rate}; prices default to zero in the currency of the ones set. */
    public static final class Builder {
        private final CallCategory category;
        private final String prefix;
        private Money perMinute;
        private Money perCall;
        private Money perMessage;
        private Money perByte;
        private Money minimumCharge;
        private Money minimumPerMinute;
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

        /** The price of each delivered message. */
        public Builder perMessage(Money perMessage) {
            this.perMessage = Objects.requireNonNull(perMessage, "perMessage");
            return this;
        }

        /** The price of each byte of a delivered message's payload. */
        public Builder perByte(Money perByte) {
            this.perByte = Objects.requireNonNull(perByte, "perByte");
            return this;
        }

        /** The least a delivered message costs. */
        public Builder minimumCharge(Money minimumCharge) {
            this.minimumCharge = Objects.requireNonNull(minimumCharge, "minimumCharge");
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

        /** The part of {@code perMinute} that the minimum applies to (all of it unless set). */
        public Builder minimumPerMinute(Money minimumPerMinute) {
            this.minimumPerMinute = Objects.requireNonNull(minimumPerMinute, "minimumPerMinute");
            return this;
        }

        /** @throws IllegalArgumentException when no price is set, or a value is out of range */
        public Rate build() {
            Money any = java.util.stream.Stream.of(perMinute, perCall, perMessage, perByte, minimumCharge)
                    .filter(Objects::nonNull).findFirst().orElseThrow(() -> new IllegalArgumentException("rate "
                            + category + "/" + prefix + " needs perMinute, perCall, perMessage, perByte or minimumCharge"));
            Money zero = Money.zero(any.currency());
            Money minute = or(perMinute, zero);
            return new Rate(category, prefix, minute, or(perCall, zero), incrementSeconds, minimumSeconds,
                    or(perMessage, zero), or(perByte, zero), or(minimumCharge, zero), or(minimumPerMinute, minute));
        }

        private static Money or(Money value, Money zero) {
            return value != null ? value : zero;
        }
    }
}
