package io.globalcalling;

import java.util.Locale;
import java.util.Objects;

/** Why a call is made; routing uses it. */
public enum Purpose {
    SALES, SUPPORT, NOTIFICATION, EMERGENCY, ALERT;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException naming the value and the accepted names */
    public static Purpose fromWireName(String name) {
        Objects.requireNonNull(name, "purpose");
        for (Purpose v : values()) {
            if (v.wireName().equalsIgnoreCase(name.strip())) return v;
        }
        throw new IllegalArgumentException("purpose '" + name + "' is unknown; expected one of "
                + java.util.Arrays.toString(values()).toLowerCase(Locale.ROOT));
    }
}
