package io.globalcalling;

import java.util.Locale;
import java.util.Objects;

/** The five kinds of call the SDK places. */
public enum CallCategory {
    /** A person-to-person call over the internet or the PSTN. */
    INTERNET_VOIP("internet_voip"),
    /** A machine-voiced call: text-to-speech from a script in the callee's language. */
    AI_AUTOMATED("ai_automated"),
    /** The callee is connected to a live agent chosen by skill, with priority queueing. */
    HUMAN_AGENT("human_agent"),
    /** Machine to machine: a signed HTTP webhook or a terminal message to another system. */
    SYSTEM_API("system_api"),
    /** A call to a place with no terrestrial coverage, over satellite. */
    SATELLITE("satellite");

    private final String wireName;

    CallCategory(String wireName) {
        this.wireName = wireName;
    }

    /** The name used in records, configuration and JSON, e.g. {@code internet_voip}. */
    public String wireName() {
        return wireName;
    }

    /** @throws IllegalArgumentException naming the value and the accepted names */
    public static CallCategory fromWireName(String name) {
        Objects.requireNonNull(name, "category");
        String n = name.strip().toLowerCase(Locale.ROOT);
        for (CallCategory c : values()) {
            if (c.wireName.equals(n)) return c;
        }
        throw new IllegalArgumentException("category '" + name + "' is unknown; expected one of "
                + "internet_voip, ai_automated, human_agent, system_api, satellite");
    }
}
