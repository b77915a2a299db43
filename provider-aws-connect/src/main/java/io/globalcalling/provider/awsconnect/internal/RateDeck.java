package io.globalcalling.provider.awsconnect.internal;

import io.globalcalling.CallCategory;
import io.globalcalling.Money;
import io.globalcalling.spi.Rate;
import org.jspecify.annotations.Nullable;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * Connect's deck: per prefix, Connect's per-minute voice service price plus the outbound telephony price of the
 * destination, read from a properties resource that names the source and the date of its figures. Both parts are
 * billed per second; the telephony part at least {@code telephony-minimum-seconds} (60) once the call connects, the
 * service part for the connected seconds alone ({@link Rate#minimumPerMinute}). Connect reports no price per call,
 * so a call's cost is its duration priced with this deck, the same way for estimates, holds and settlement.
 *
 * @param source            where the figures come from
 * @param date              when they were recorded
 * @param servicePerMinute  the service price in use (the resource's, or the configured one)
 * @param rates             one human_agent rate per prefix
 */
public record RateDeck(String source, String date, BigDecimal servicePerMinute, List<Rate> rates) {

    public static final String RESOURCE = "/io/globalcalling/provider/awsconnect/connect-rates.properties";

    public RateDeck {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(date, "date");
        Objects.requireNonNull(servicePerMinute, "servicePerMinute");
        rates = List.copyOf(rates);
    }

    /** The deck shipped with this module. */
    public static RateDeck load() {
        return load(null, Map.of());
    }

    /**
     * The deck shipped with this module, with the configured service price (when not null) and telephony prices by
     * prefix replacing or adding to the resource's.
     */
    public static RateDeck load(@Nullable BigDecimal servicePerMinute, Map<String, BigDecimal> telephonyPerMinute) {
        try (InputStream in = RateDeck.class.getResourceAsStream(RESOURCE)) {
            if (in == null) throw new IllegalStateException("rate deck resource " + RESOURCE + " is missing");
            Properties p = new Properties();
            p.load(in);
            if (servicePerMinute != null) p.setProperty("service-per-minute", servicePerMinute.toPlainString());
            telephonyPerMinute.forEach((prefix, price) -> p.setProperty("telephony." + prefix, price.toPlainString()));
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
        int telephonyMinimum = Integer.parseInt(required(p, "telephony-minimum-seconds"));
        List<Rate> rates = new ArrayList<>();
        p.stringPropertyNames().stream().filter(k -> k.startsWith("telephony.")).sorted().forEach(key -> {
            String prefix = key.substring("telephony.".length());
            BigDecimal telephony = new BigDecimal(p.getProperty(key).strip());
            rates.add(Rate.builder(CallCategory.HUMAN_AGENT, prefix)
                    .perMinute(Money.of(service.add(telephony), currency))
                    .minimumPerMinute(Money.of(telephony, currency)).minimumSeconds(telephonyMinimum)
                    .incrementSeconds(increment).build());
        });
        if (rates.isEmpty()) throw new IllegalArgumentException("rate deck has no telephony.<prefix> entry");
        return new RateDeck(required(p, "source"), required(p, "date"), service, rates);
    }

    private static String required(Properties p, String key) {
        String v = p.getProperty(key);
        if (v == null || v.isBlank()) throw new IllegalArgumentException("rate deck entry '" + key + "' is missing");
        return v.strip();
    }
}
