package io.globalcalling.core.sandbox;

import io.globalcalling.CallCategory;
import io.globalcalling.Money;
import io.globalcalling.spi.Rate;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Currency;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Reads the sandbox's rate deck ({@code rates.csv}) and TTS languages ({@code tts-languages.txt}). */
final class SandboxResources {

    static final String RATES = "rates.csv";
    static final String LANGUAGES = "tts-languages.txt";
    private static final String HEADER = "category,prefix,per_minute,per_call,currency,increment_seconds,minimum_seconds";

    private SandboxResources() {
    }

    static List<Rate> rates() {
        List<String> lines = read(RATES);
        if (lines.isEmpty() || !lines.get(0).equals(HEADER)) {
            throw new IllegalStateException(RATES + ": the first line must be the header '" + HEADER + "'");
        }
        List<Rate> rates = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            String[] f = lines.get(i).split(",", -1);
            try {
                if (f.length != 7) throw new IllegalArgumentException("expected 7 fields, found " + f.length);
                Currency currency = Currency.getInstance(f[4].strip());
                rates.add(Rate.builder(CallCategory.fromWireName(f[0]), f[1].strip())
                        .perMinute(Money.of(new BigDecimal(f[2].strip()), currency))
                        .perCall(Money.of(new BigDecimal(f[3].strip()), currency))
                        .incrementSeconds(Integer.parseInt(f[5].strip()))
                        .minimumSeconds(Integer.parseInt(f[6].strip())).build());
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(RATES + ": line '" + lines.get(i) + "' is malformed: " + e.getMessage(), e);
            }
        }
        return List.copyOf(rates);
    }

    static Set<String> languages() {
        Set<String> tags = new LinkedHashSet<>();
        for (String line : read(LANGUAGES)) {
            String canonical = Locale.forLanguageTag(line).toLanguageTag();
            if (!canonical.equalsIgnoreCase(line)) {
                throw new IllegalStateException(LANGUAGES + ": '" + line + "' is not a well-formed BCP-47 tag");
            }
            tags.add(line);
        }
        return Set.copyOf(tags);
    }

    /** The resource's lines, stripped, without blanks and '#' comments. */
    private static List<String> read(String name) {
        try (InputStream in = SandboxResources.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("resource " + name + " is missing from the sandbox package");
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            return reader.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read sandbox resource " + name, e);
        }
    }
}
