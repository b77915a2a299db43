package io.globalcalling.core.routing;

import io.globalcalling.Money;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;

/** Amounts as reasons and explanations print them: at least two decimals, at most four; and fixed-point figures. */
final class Amounts {

    private Amounts() {
    }

    static String amount(Money m) {
        BigDecimal a = m.amount();
        int scale = Math.min(Math.max(a.scale(), 2), 4);
        return a.setScale(scale, RoundingMode.HALF_UP).toPlainString() + " " + m.currency().getCurrencyCode();
    }

    static String perMinute(Money m) {
        return amount(m) + "/min";
    }

    /**
     * The same text as {@code String.format(Locale.ROOT, "%.<places>f", value)} (the double's shortest decimal
     * form, rounded half up), at a fraction of its cost: routing writes several such figures per option.
     */
    static String fixed(double value, int places) {
        // Routing's figures are finite and not negative; anything else keeps the formatter's text (e.g. "-0.0").
        if (Double.isFinite(value) && Double.doubleToRawLongBits(value) >= 0) {
            return BigDecimal.valueOf(value).setScale(places, RoundingMode.HALF_UP).toPlainString();
        }
        return String.format(Locale.ROOT, "%." + places + "f", value);
    }
}
