package io.globalcalling.provider.vonage.internal;

import io.globalcalling.Money;
import io.globalcalling.PhoneNumber;
import io.globalcalling.spi.ProviderException;
import okhttp3.HttpUrl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * Live voice prices from Vonage's Pricing API ({@code GET /account/get-pricing/outbound/voice?country=XX}, HTTP
 * Basic with the API key and secret), cached per country for the TTL on the provider's clock. A country's price
 * is the dearest of its default and network prices: the API does not say which network a number is on, and a
 * budget had better reserve too much than too little. The country is the main region of the number's calling
 * code (shipped data), so a number of a shared code such as +1 is priced as the code's main country.
 *
 * <p>Prices past their TTL stay while the Pricing API fails (an error or no answer): the account's price when last
 * fetched is nearer the price billed than the shipped deck, which prices only what was never fetched.
 *
 * <p>A satellite phone has no country: {@link #prefixQuote} asks {@code GET /account/get-prefix-pricing/outbound/voice}
 * for its range instead; the range's entries are cached per range for the TTL, and each number is priced from them
 * by its own longest prefix.
 */
public final class VonagePricing {

    private static final Logger log = LoggerFactory.getLogger(VonagePricing.class);

    /** The per-minute price of one country, under its calling code. */
    public record Quote(String country, String callingCode, Money perMinute) {
    }

    private record Cached(Optional<Quote> quote, Instant fetchedAt) {
    }

    /** A range's entries as Vonage gave them: each number of the range is priced from them by its own prefix. */
    private record CachedRange(Optional<PrefixPricing> pricing, Instant fetchedAt) {
    }

    private final VonageHttp http;
    private final HttpUrl base;
    private final Clock clock;
    private final Duration ttl;
    private final Map<String, Cached> byCountry = new ConcurrentHashMap<>();
    private final Map<String, CachedRange> byRange = new ConcurrentHashMap<>();
    private final AtomicBoolean staleWarned = new AtomicBoolean();

    public VonagePricing(VonageHttp http, HttpUrl base, Clock clock, Duration ttl) {
        this.http = Objects.requireNonNull(http, "http");
        this.base = Objects.requireNonNull(base, "base");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.ttl = Objects.requireNonNull(ttl, "ttl");
    }

    /**
     * The per-minute price of calling {@code number}; empty when Vonage prices no country for it.
     *
     * @throws io.globalcalling.spi.ProviderException when the Pricing API fails
     */
    public Optional<Quote> quote(PhoneNumber number) {
        Objects.requireNonNull(number, "number");
        ShippedData data = ShippedData.get();
        Optional<String> country = data.regionOf(number.digits());
        Optional<String> code = data.callingCodeOf(number.digits());
        if (country.isEmpty() || code.isEmpty()) return Optional.empty();
        Instant now = clock.instant();
        Cached cached = byCountry.get(country.get());
        if (cached != null && now.isBefore(cached.fetchedAt().plus(ttl))) return cached.quote();
        HttpUrl url = base.newBuilder().addPathSegments("account/get-pricing/outbound/voice")
                .addQueryParameter("country", country.get()).build();
        Optional<Quote> quote;
        try {
            quote = http.get(url, CountryPricing.class).flatMap(p -> dearest(p, country.get(), code.get()));
        } catch (ProviderException e) {
            if (cached == null) throw e;
            warnStale(e);
            return cached.quote();
        }
        byCountry.put(country.get(), new Cached(quote, now));
        return quote;
    }

    /**
     * The per-minute price of calling {@code number} in the satellite range {@code range}: of the entries Vonage
     * gives for the range, those with the longest dialling prefix the number starts with, at the dearest of their
     * default and network prices (Vonage does not say which network a number is on); empty when none matches.
     *
     * @throws io.globalcalling.spi.ProviderException when the Pricing API fails
     */
    public Optional<Quote> prefixQuote(String range, PhoneNumber number) {
        Objects.requireNonNull(range, "range");
        Objects.requireNonNull(number, "number");
        if (!number.digits().startsWith(range)) {
            throw new IllegalArgumentException("number " + number + " is not in range +" + range);
        }
        Instant now = clock.instant();
        CachedRange cached = byRange.get(range);
        if (cached == null || !now.isBefore(cached.fetchedAt().plus(ttl))) {
            HttpUrl url = base.newBuilder().addPathSegments("account/get-prefix-pricing/outbound/voice")
                    .addQueryParameter("prefix", range).build();
            try {
                cached = new CachedRange(http.get(url, PrefixPricing.class), now);
                byRange.put(range, cached);
            } catch (ProviderException e) {
                if (cached == null) throw e;
                warnStale(e);
            }
        }
        return cached.pricing().flatMap(p -> longestPrefix(p, number.digits()));
    }

    /** Says, once a run and then at debug, that prices past their TTL stand in while the Pricing API fails. */
    private void warnStale(ProviderException e) {
        if (staleWarned.compareAndSet(false, true)) {
            log.warn("Vonage Pricing API failed, pricing from the prices last fetched until it answers: {}", e.getMessage());
        } else {
            log.debug("Vonage Pricing API failed, pricing from the prices last fetched: {}", e.getMessage());
        }
    }

    private static Optional<Quote> longestPrefix(PrefixPricing pricing, String digits) {
        List<CountryPricing> matching = pricing.countries().stream()
                .filter(c -> c.dialingPrefix() != null && c.dialingPrefix().matches("\\d{1,15}")
                        && digits.startsWith(c.dialingPrefix()))
                .toList();
        int longest = matching.stream().mapToInt(c -> c.dialingPrefix().length()).max().orElse(0);
        return matching.stream().filter(c -> c.dialingPrefix().length() == longest)
                .flatMap(c -> dearest(c, c.countryCode() == null ? "" : c.countryCode(), c.dialingPrefix()).stream())
                .max(Comparator.comparing(q -> q.perMinute().amount()));
    }

    private static Optional<Quote> dearest(CountryPricing pricing, String country, String code) {
        if (pricing.currency() == null) return Optional.empty();
        Optional<BigDecimal> price = Stream.concat(Stream.ofNullable(pricing.defaultPrice()),
                        pricing.networks().stream().map(CountryPricing.Network::price).filter(Objects::nonNull))
                .filter(p -> p.signum() >= 0 && p.precision() - p.scale() <= 18 && p.scale() <= 18) // see VonageCalls.plausible
                .max(BigDecimal::compareTo);
        try {
            return price.map(p -> new Quote(country, code, Money.of(p.toPlainString(), pricing.currency())));
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // an unknown currency code
        }
    }
}
