package io.globalcalling;

import java.util.Locale;
import java.util.Objects;

/** What routing weighs most among providers of one category. */
public enum QualityPreference {
    LOWEST_COST, BALANCED, BEST_QUALITY;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException naming the value and the accepted names */
    public static QualityPreference fromWireName(String name) {
        Objects.requireNonNull(name, "qualityPreference");
        for (QualityPreference v : values()) {
            if (v.wireName().equalsIgnoreCase(name.strip())) return v;
        }
        throw new IllegalArgumentException("qualityPreference '" + name + "' is unknown; expected one of "
                + java.util.Arrays.toString(values()).toLowerCase(Locale.ROOT));
    }
}
