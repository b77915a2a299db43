package io.globalcalling.core.routing;

import io.globalcalling.spi.Money;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Amounts as reasons and explanations print them: at least two decimals, at most four. */
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
}
