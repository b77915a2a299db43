package io.globalcalling.provider.twilio.internal;

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Live prices from Twilio's Pricing API v2, cached per country.
 *
 * <p>A number's country comes from {@code GET /v2/Voice/Numbers/{Number}} (Twilio's own numbering data, so
 * shared calling codes such as +1 resolve right); a number's country does not change, so it is remembered for
 * the life of the provider (at most {@value #MAX_NUMBERS} numbers). The country's prices come from
 * {@code GET /v2/Voice/Countries/{IsoCountry}} and are kept for the TTL on the provider's clock. The price of a
 * number is that of the longest destination prefix matching it; where several records share that prefix for
 * different origins, the one for {@code ALL} origins wins, else the dearest (a budget reserves too much rather
 * than too little).
 *
 * <p>Prices past their TTL stay while the Pricing API fails (an error or no answer, not a "not priced"): the account's
 * price when last fetched is far nearer the price billed than the fallback deck's one catch-all rate, which prices
 * only a number never priced before.
 *
 * <p>A satellite phone (Iridium, Inmarsat, Thuraya) belongs to no country's deck, so {@link #numberQuote} reads its
 * price from the number's own {@code outbound_call_prices}, kept for the TTL like a country's prices.
 */
public final class TwilioPricing {

    static final int MAX_NUMBERS = 10_000;

    private static final Logger log = LoggerFactory.getLogger(TwilioPricing.class);

    /** The price of one destination prefix. */
    public record PrefixQuote(String isoCountry, String prefix, Money perMinute) {
    }

    private record Deck(VoiceCountry country, Instant fetchedAt) {
    }

    private record NumberPrice(Optional<Money> perMinute, Instant fetchedAt) {
    }

    private final TwilioHttp http;
    private final HttpUrl base;
    private final Clock clock;
    private final Duration ttl;
    private final Map<String, Deck> decks = new ConcurrentHashMap<>();
    private final AtomicBoolean staleWarned = new AtomicBoolean();
    private final Map<String, NumberPrice> numberPrices = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, NumberPrice> eldest) {
            return size() > MAX_NUMBERS;
        }
    };
    private final Map<String, String> countryByNumber = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > MAX_NUMBERS;
        }
    };

    public TwilioPricing(TwilioHttp http, HttpUrl base, Clock clock, Duration ttl) {
        this.http = Objects.requireNonNull(http, "http");
        this.base = Objects.requireNonNull(base, "base");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.ttl = Objects.requireNonNull(ttl, "ttl");
    }

    /**
     * The per-minute price of calling {@code number}; empty when Twilio does not price it.
     *
     * @throws io.globalcalling.spi.ProviderException when the Pricing API fails
     */
    public Optional<PrefixQuote> quote(PhoneNumber number) {
        Objects.requireNonNull(number, "number");
        return countryOf(number).flatMap(this::deck).flatMap(country -> longestPrefix(country, number.digits()));
    }

    /**
     * The per-minute price of calling {@code number} itself, from its {@code outbound_call_prices}: the account's
     * current price for {@code ALL} origins, else the dearest; empty when Twilio gives none.
     *
     * @throws io.globalcalling.spi.ProviderException when the Pricing API fails
     */
    public Optional<Money> numberQuote(PhoneNumber number) {
        Objects.requireNonNull(number, "number");
        Instant now = clock.instant();
        synchronized (numberPrices) {
            NumberPrice cached = numberPrices.get(number.value());
            if (cached != null && now.isBefore(cached.fetchedAt().plus(ttl))) return cached.perMinute();
        }
        HttpUrl url = base.newBuilder().addPathSegments("v2/Voice/Numbers").addPathSegment(number.value()).build();
        Optional<Money> price;
        try {
            price = http.get(url, VoiceNumber.class).flatMap(TwilioPricing::callPrice);
        } catch (ProviderException e) {
            NumberPrice stale;
            synchronized (numberPrices) {
                stale = numberPrices.get(number.value());
            }
            if (stale == null) throw e;
            warnStale(e);
            return stale.perMinute();
        }
        synchronized (numberPrices) {
            numberPrices.put(number.value(), new NumberPrice(price, now));
        }
        return price;
    }

    private static Optional<Money> callPrice(VoiceNumber number) {
        if (number.priceUnit() == null) return Optional.empty();
        List<VoiceNumber.CallPrice> priced = number.outboundCallPrices().stream()
                .filter(p -> p.price() != null && p.price().signum() >= 0).toList();
        Optional<BigDecimal> chosen = priced.stream().filter(p -> p.originationPrefixes().contains("ALL"))
                .map(VoiceNumber.CallPrice::price).findFirst()
                .or(() -> priced.stream().map(VoiceNumber.CallPrice::price).max(Comparator.naturalOrder()));
        try {
            return chosen.map(price -> Money.of(TwilioCalls.plausible(price).toPlainString(), number.priceUnit()));
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // an unknown currency code, or an implausible price
        }
    }

    private Optional<String> countryOf(PhoneNumber number) {
        synchronized (countryByNumber) {
            String known = countryByNumber.get(number.value());
            if (known != null) return Optional.of(known);
        }
        HttpUrl url = base.newBuilder().addPathSegments("v2/Voice/Numbers").addPathSegment(number.value()).build();
        Optional<String> iso = http.get(url, VoiceNumber.class).map(VoiceNumber::isoCountry)
                .filter(c -> c != null && c.matches("[A-Za-z]{2}"))
                .map(c -> c.toUpperCase(Locale.ROOT));
        iso.ifPresent(c -> {
            synchronized (countryByNumber) {
                countryByNumber.put(number.value(), c);
            }
        });
        return iso;
    }

    private Optional<VoiceCountry> deck(String isoCountry) {
        Instant now = clock.instant();
        Deck cached = decks.get(isoCountry);
        if (cached != null && now.isBefore(cached.fetchedAt().plus(ttl))) return Optional.of(cached.country());
        HttpUrl url = base.newBuilder().addPathSegments("v2/Voice/Countries").addPathSegment(isoCountry).build();
        Optional<VoiceCountry> fetched;
        try {
            fetched = http.get(url, VoiceCountry.class);
        } catch (ProviderException e) {
            if (cached == null) throw e;
            warnStale(e);
            return Optional.of(cached.country());
        }
        fetched.ifPresentOrElse(c -> decks.put(isoCountry, new Deck(c, now)), () -> decks.remove(isoCountry));
        return fetched;
    }

    /** Says, once a run and then at debug, that prices past their TTL stand in while the Pricing API fails. */
    private void warnStale(ProviderException e) {
        if (staleWarned.compareAndSet(false, true)) {
            log.warn("Twilio Pricing API failed, pricing from the prices last fetched until it answers: {}", e.getMessage());
        } else {
            log.debug("Twilio Pricing API failed, pricing from the prices last fetched: {}", e.getMessage());
        }
    }

    private static Optional<PrefixQuote> longestPrefix(VoiceCountry country, String digits) {
        if (country.priceUnit() == null) return Optional.empty();
        int best = -1;
        String bestPrefix = null;
        List<VoiceCountry.PrefixPrice> candidates = new java.util.ArrayList<>();
        for (VoiceCountry.PrefixPrice p : country.outboundPrefixPrices()) {
            if (p.price() == null) continue;
            for (String prefix : p.destinationPrefixes()) {
                if (prefix == null || !prefix.matches("\\d{1,15}") || !digits.startsWith(prefix)) continue;
                if (prefix.length() > best) {
                    best = prefix.length();
                    bestPrefix = prefix;
                    candidates.clear();
                }
                if (prefix.length() == best) candidates.add(p);
            }
        }
        if (candidates.isEmpty()) return Optional.empty();
        VoiceCountry.PrefixPrice chosen = candidates.stream()
                .filter(p -> p.originationPrefixes().contains("ALL")).findFirst()
                .orElseGet(() -> candidates.stream().max(Comparator.comparing(VoiceCountry.PrefixPrice::price)).orElseThrow());
        BigDecimal price = chosen.price();
        if (price.signum() < 0) return Optional.empty();
        try {
            return Optional.of(new PrefixQuote(country.isoCountry(), bestPrefix,
                    Money.of(TwilioCalls.plausible(price).toPlainString(), country.priceUnit())));
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // an unknown currency code, or an implausible price
        }
    }
}
