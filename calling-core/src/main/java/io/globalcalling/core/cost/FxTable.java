package io.globalcalling.core.cost;

import io.globalcalling.Money;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Currency;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Exchange rates, and the reporting currency every estimate, cap and budget is compared in (INR
 * unless configured). Immutable and thread-safe.
 *
 * <p>Conversion is exact {@link BigDecimal} arithmetic. A configured rate is used as given. An
 * inverse rate (INR to USD when USD to INR is configured) is derived as {@code 1 / rate} to
 * {@value #DERIVED_DIGITS} significant digits, half-even. A pair with neither a direct nor an
 * inverse rate converts through the reporting currency, when both legs exist. {@link #convert}
 * never rounds to the currency's minor unit: callers round once, at the end, with
 * {@link Money#rounded()} (half-up to paise for INR), so sums of converted amounts do not
 * accumulate rounding errors.
 */
public final class FxTable {

    /** Significant digits of a derived (inverse or cross) rate. */
    public static final int DERIVED_DIGITS = 20;
    private static final MathContext DERIVED = new MathContext(DERIVED_DIGITS, RoundingMode.HALF_EVEN);

    private final Currency reportingCurrency;
    private final Map<Pair, BigDecimal> rates;
    /**
     * Every rate {@link #rate} can give, from one currency to another, derived once here: each placed call converts
     * its prices and its hold, and a derived rate is a 20-digit division.
     */
    private final Map<Currency, Map<Currency, BigDecimal>> derived;

    private FxTable(Currency reportingCurrency, Map<Pair, BigDecimal> rates) {
        this.reportingCurrency = reportingCurrency;
        this.rates = Map.copyOf(rates);
        Set<Currency> currencies = new HashSet<>(Set.of(reportingCurrency));
        for (Pair pair : rates.keySet()) {
            currencies.add(pair.from());
            currencies.add(pair.to());
        }
        Map<Currency, Map<Currency, BigDecimal>> all = new HashMap<>();
        for (Currency from : currencies) {
            Map<Currency, BigDecimal> to = new HashMap<>();
            for (Currency target : currencies) {
                if (!from.equals(target)) derive(from, target).ifPresent(rate -> to.put(target, rate));
            }
            all.put(from, Map.copyOf(to));
        }
        this.derived = Map.copyOf(all);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Reporting currency INR with approximate rupee reference rates of early October 2025:
     * 1 USD = 88.75 INR, 1 EUR = 104.00 INR, 1 GBP = 119.50 INR. These are configuration defaults
     * so that a new installation reports sensible figures; override them in production with the
     * rates your finance team books at ({@link #builder()}).
     */
    public static FxTable defaults() {
        return builder().reportingCurrency("INR")
                .rate("USD", "INR", "88.75")
                .rate("EUR", "INR", "104.00")
                .rate("GBP", "INR", "119.50")
                .build();
    }

    public Currency reportingCurrency() {
        return reportingCurrency;
    }

    /**
     * The amount in {@code target}, unrounded (see the class comment).
     *
     * @throws IllegalArgumentException naming both currencies when no rate links them
     */
    public Money convert(Money amount, Currency target) {
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(target, "target");
        BigDecimal rate = rate(amount.currency(), target).orElseThrow(() -> new IllegalArgumentException(
                "no exchange rate from " + amount.currency().getCurrencyCode() + " to " + target.getCurrencyCode()
                        + "; configure one with FxTable.builder().rate(\"" + amount.currency().getCurrencyCode()
                        + "\", \"" + target.getCurrencyCode() + "\", ...)"));
        return Money.of(amount.amount().multiply(rate), target);
    }

    /** The amount in the reporting currency, unrounded. */
    public Money toReporting(Money amount) {
        return convert(amount, reportingCurrency);
    }

    /** Whether {@link #convert} can convert from one currency to the other. */
    public boolean canConvert(Currency from, Currency to) {
        return rate(from, to).isPresent();
    }

    /** How many units of {@code to} one unit of {@code from} buys: direct, inverse or through the reporting currency. */
    public Optional<BigDecimal> rate(Currency from, Currency to) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (from.equals(to)) return Optional.of(BigDecimal.ONE);
        return Optional.ofNullable(derived.getOrDefault(from, Map.of()).get(to));
    }

    private Optional<BigDecimal> derive(Currency from, Currency to) {
        Optional<BigDecimal> direct = directOrInverse(from, to);
        if (direct.isPresent() || from.equals(reportingCurrency) || to.equals(reportingCurrency)) return direct;
        Optional<BigDecimal> in = directOrInverse(from, reportingCurrency);
        Optional<BigDecimal> out = directOrInverse(reportingCurrency, to);
        return in.isPresent() && out.isPresent() ? Optional.of(in.get().multiply(out.get(), DERIVED)) : Optional.empty();
    }

    private Optional<BigDecimal> directOrInverse(Currency from, Currency to) {
        BigDecimal direct = rates.get(new Pair(from, to));
        if (direct != null) return Optional.of(direct);
        BigDecimal inverse = rates.get(new Pair(to, from));
        return inverse == null ? Optional.empty() : Optional.of(BigDecimal.ONE.divide(inverse, DERIVED));
    }

    /** A configured rate's currencies, written {@code USD/INR}. */
    private record Pair(Currency from, Currency to) {
        @Override
        public String toString() {
            return from.getCurrencyCode() + "/" + to.getCurrencyCode();
        }
    }

    @Override
    public String toString() {
        return "FxTable[reporting " + reportingCurrency.getCurrencyCode() + ", " + rates + "]";
    }

    /** Collects rates; every setter checks its arguments at once. */
    public static final class Builder {
        private Currency reportingCurrency = Money.INR;
        private final Map<Pair, BigDecimal> rates = new LinkedHashMap<>();

        private Builder() {
        }

        public Builder reportingCurrency(String code) {
            this.reportingCurrency = currency(code, "reportingCurrency");
            return this;
        }

        /** One unit of {@code from} buys {@code rate} units of {@code to}, e.g. {@code rate("USD", "INR", "88.50")}. */
        public Builder rate(String from, String to, String rate) {
            Objects.requireNonNull(rate, "rate");
            BigDecimal value;
            try {
                value = new BigDecimal(rate.strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("rate '" + rate + "' from " + from + " to " + to + " is not a decimal number");
            }
            return rate(currency(from, "from"), currency(to, "to"), value);
        }

        public Builder rate(Currency from, Currency to, BigDecimal rate) {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
            Objects.requireNonNull(rate, "rate");
            if (from.equals(to)) {
                throw new IllegalArgumentException("rate from " + from + " to itself is always 1; do not configure it");
            }
            if (rate.signum() <= 0) {
                throw new IllegalArgumentException("rate " + rate.toPlainString() + " from " + from + " to " + to + " must be positive");
            }
            if (rates.containsKey(new Pair(from, to)) || rates.containsKey(new Pair(to, from))) {
                throw new IllegalArgumentException("rate between " + from + " and " + to
                        + " is configured twice; give one direction only (the inverse is derived)");
            }
            rates.put(new Pair(from, to), rate);
            return this;
        }

        public FxTable build() {
            return new FxTable(reportingCurrency, rates);
        }

        private static Currency currency(String code, String field) {
            Objects.requireNonNull(code, field);
            try {
                return Currency.getInstance(code.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(field + " '" + code + "' is not an ISO 4217 currency code");
            }
        }
    }
}
