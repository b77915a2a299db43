package io.globalcalling.provider.vonage.internal;

import io.globalcalling.CallCategory;
import io.globalcalling.Money;
import io.globalcalling.spi.Rate;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The data this module ships, read once from its resources: the default rate deck ({@code vonage-rates.tsv},
 * EUR, with its source and date in the file), the satellite deck ({@code satellite-rates.tsv}, an estimate in EUR,
 * with its source and date in the file), the country calling codes ({@code calling-codes.tsv}) and
 * Vonage's TTS languages ({@code tts-languages.txt}). Nothing here is typed into code.
 */
public final class ShippedData {

    private static final ShippedData INSTANCE = new ShippedData();

    private final List<Rate> rates;
    private final List<Rate> satelliteRates;
    /** Calling code → its regions, main region first. */
    private final Map<String, List<String>> regionsByCode;
    /** Vonage's language codes as Vonage spells them, in its order. */
    private final List<String> languages;
    /** Region → the language its destinations hear when a request names none. */
    private final Map<String, String> languageByRegion;

    private ShippedData() {
        rates = readRates();
        satelliteRates = readSatelliteRates();
        regionsByCode = readCallingCodes();
        List<String> langs = new ArrayList<>();
        Map<String, List<String>> byRegion = new LinkedHashMap<>();
        Map<String, String> preferred = new LinkedHashMap<>();
        for (String line : lines("tts-languages.txt")) {
            boolean primary = line.endsWith("*");
            String code = primary ? line.substring(0, line.length() - 1) : line;
            langs.add(code);
            region(code).ifPresent(r -> {
                byRegion.computeIfAbsent(r, k -> new ArrayList<>()).add(code);
                if (primary) preferred.put(r, code);
            });
        }
        byRegion.forEach((region, codes) -> {
            if (codes.size() == 1) preferred.putIfAbsent(region, codes.get(0));
        });
        languages = List.copyOf(langs);
        languageByRegion = Map.copyOf(preferred);
    }

    public static ShippedData get() {
        return INSTANCE;
    }

    /** The default deck, one line per category. */
    public List<Rate> rates() {
        return rates;
    }

    /** The satellite deck: one {@code satellite} line per satellite network's prefix (Iridium, Inmarsat, Thuraya). */
    public List<Rate> satelliteRates() {
        return satelliteRates;
    }

    /** Every region with a calling code, e.g. {@code GB}, {@code IN}. */
    public Set<String> regions() {
        Set<String> all = new LinkedHashSet<>();
        regionsByCode.values().forEach(all::addAll);
        return all;
    }

    /**
     * The main region of the number's calling code ({@code 447700900000} → {@code GB}); a code several regions
     * share answers its main one ({@code 1} → {@code US}).
     */
    public Optional<String> regionOf(String e164Digits) {
        for (int len = 1; len <= 3 && len <= e164Digits.length(); len++) {
            List<String> regions = regionsByCode.get(e164Digits.substring(0, len));
            if (regions != null) return Optional.of(regions.get(0));
        }
        return Optional.empty();
    }

    /** Every region of the number's calling code, main region first ({@code 14165550123} → {@code US, ..., CA, ...}). */
    public List<String> regionsOf(String e164Digits) {
        return callingCodeOf(e164Digits).map(regionsByCode::get).orElse(List.of());
    }

    /** The calling code of the number, e.g. {@code 44}. */
    public Optional<String> callingCodeOf(String e164Digits) {
        for (int len = 1; len <= 3 && len <= e164Digits.length(); len++) {
            String code = e164Digits.substring(0, len);
            if (regionsByCode.containsKey(code)) return Optional.of(code);
        }
        return Optional.empty();
    }

    /** Vonage's TTS language codes, as Vonage spells them ({@code en-GB-WLS} included). */
    public List<String> languages() {
        return languages;
    }

    /** The language the destinations of {@code region} hear by default, when Vonage speaks one there. */
    public Optional<String> languageFor(String region) {
        return Optional.ofNullable(languageByRegion.get(region.toUpperCase(Locale.ROOT)));
    }

    private static Optional<String> region(String code) {
        String[] parts = code.split("-");
        return parts.length >= 2 && parts[1].matches("[A-Z]{2}") ? Optional.of(parts[1]) : Optional.empty();
    }

    private static List<Rate> readRates() {
        List<Rate> out = new ArrayList<>();
        for (String line : lines("vonage-rates.tsv")) {
            String[] f = line.split("\t", -1);
            if (f.length != 4) throw new IllegalStateException("vonage-rates.tsv: bad line '" + line + "'");
            out.add(Rate.builder(CallCategory.valueOf(f[0].toUpperCase(Locale.ROOT)), f[1])
                    .perMinute(Money.of(f[2], "EUR")).incrementSeconds(Integer.parseInt(f[3])).build());
        }
        return List.copyOf(out);
    }

    private static List<Rate> readSatelliteRates() {
        List<Rate> out = new ArrayList<>();
        for (String line : lines("satellite-rates.tsv")) {
            String[] f = line.split("\t", -1);
            if (f.length != 4) throw new IllegalStateException("satellite-rates.tsv: bad line '" + line + "'");
            out.add(Rate.builder(CallCategory.SATELLITE, f[0])
                    .perMinute(Money.of(f[2], "EUR")).incrementSeconds(Integer.parseInt(f[3])).build());
        }
        return List.copyOf(out);
    }

    private static Map<String, List<String>> readCallingCodes() {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String line : lines("calling-codes.tsv")) {
            String[] f = line.split("\t");
            out.put(f[0], List.of(f[1].split(",")));
        }
        return Map.copyOf(out);
    }

    /** The resource's lines, without comments and blank lines. */
    private static List<String> lines(String resource) {
        try (InputStream in = Objects.requireNonNull(ShippedData.class.getResourceAsStream(resource), resource);
             BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            return reader.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }
}
