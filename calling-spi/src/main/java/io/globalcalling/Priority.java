package io.globalcalling;

import java.util.Locale;
import java.util.Objects;

/** How urgently a call is placed and queued; EMERGENCY bypasses cost caps and limits. */
public enum Priority {
    LOW, NORMAL, HIGH, EMERGENCY;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException naming the value and the accepted names */
    public static Priority fromWireName(String name) {
        Objects.requireNonNull(name, "priority");
        for (Priority v : values()) {
            if (v.wireName().equalsIgnoreCase(name.strip())) return v;
        }
        throw new IllegalArgumentException("priority '" + name + "' is unknown; expected one of "
                + java.util.Arrays.toString(values()).toLowerCase(Locale.ROOT));
    }
}
