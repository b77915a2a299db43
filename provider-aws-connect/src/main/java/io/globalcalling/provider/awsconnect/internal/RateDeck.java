package io.globalcalling.provider.awsconnect.internal;

import io.globalcalling.CallCategory;
import io.globalcalling.Money;
import io.globalcalling.spi.Rate;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Objects;
import java.util.Properties;

/**
 * Connect's deck: per prefix, Connect's per-minute voice service price plus the outbound telephony price of the
 * destination, read from a properties resource that names the source and the date of its figures. Connect reports
 * no price per call, so a call's cost is its duration priced with this deck.
 *
 * @param source where the figures come from
 * @param date   when they were recorded
 * @param rates  one human_agent rate per prefix
 */
public record RateDeck(String source, String date, List<Rate> rates) {

    public static final String RESOURCE = "/io/globalcalling/provider/awsconnect/connect-rates.properties";

    public RateDeck {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(date, "date");
        rates = List.copyOf(rates);
    }

    /** The deck shipped with this module. */
    public static RateDeck load() {
        try (InputStream in = RateDeck.class.getResourceAsStream(RESOURCE)) {
            if (in == null) throw new IllegalStateException("rate deck resource " + RESOURCE + " is missing");
            Properties p = new Properties();
            p.load(in);
            return of(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read rate deck resource " + RESOURCE, e);
        }
    }

    /**
     * @throws IllegalArgumentException naming the entry that is missing or malformed
     */
    static RateDeck of(Properties p) {
        Currency currency = Currency.getInstance(required(p, "currency"));
        BigDecimal service = new BigDecimal(required(p, "service-per-minute"));
        int increment = Integer.parseInt(required(p, "increment-seconds"));
        List<Rate> rates = new ArrayList<>();
        p.stringPropertyNames().stream().filter(k -> k.startsWith("telephony.")).sorted().forEach(key -> {
            String prefix = key.substring("telephony.".length());
            BigDecimal telephony = new BigDecimal(p.getProperty(key).strip());
            rates.add(Rate.builder(CallCategory.HUMAN_AGENT, prefix)
                    .perMinute(Money.of(service.add(telephony), currency)).incrementSeconds(increment).build());
        });
        if (rates.isEmpty()) throw new IllegalArgumentException("rate deck has no telephony.<prefix> entry");
        return new RateDeck(required(p, "source"), required(p, "date"), rates);
    }

    private static String required(Properties p, String key) {
        String v = p.getProperty(key);
        if (v == null || v.isBlank()) throw new IllegalArgumentException("rate deck entry '" + key + "' is missing");
        return v.strip();
    }
}
