package io.globalcalling;

import java.util.Locale;
import java.util.Objects;

/** The skill a live agent needs for a human_agent call. */
public enum Skill {
    GENERAL, SALES, TECHNICAL, BILLING, VIP;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException naming the value and the accepted names */
    public static Skill fromWireName(String name) {
        Objects.requireNonNull(name, "skill");
        for (Skill v : values()) {
            if (v.wireName().equalsIgnoreCase(name.strip())) return v;
        }
        throw new IllegalArgumentException("skill '" + name + "' is unknown; expected one of "
                + java.util.Arrays.toString(values()).toLowerCase(Locale.ROOT));
    }
}
