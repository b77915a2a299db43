package io.globalcalling;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The skill a live agent needs for a human_agent call: an open name, such as a contact centre's
 * queue or proficiency ({@code spanish}, {@code claims-tier2}). A name matches {@value #PATTERN}: a
 * lower-case letter, then up to 63 lower-case letters, digits, {@code _} or {@code -}. The five skills
 * every deployment starts with are constants. Two skills are equal when their names are.
 */
public final class Skill implements Comparable<Skill> {

    /** What a skill name must match. */
    public static final String PATTERN = "[a-z][a-z0-9_-]{0,63}";
    private static final Pattern NAME = Pattern.compile(PATTERN);

    public static final Skill GENERAL = new Skill("general");
    public static final Skill SALES = new Skill("sales");
    public static final Skill TECHNICAL = new Skill("technical");
    public static final Skill BILLING = new Skill("billing");
    public static final Skill VIP = new Skill("vip");

    private static final List<Skill> SEEDED = List.of(GENERAL, SALES, TECHNICAL, BILLING, VIP);

    private final String name;

    private Skill(String name) {
        this.name = name;
    }

    /**
     * The skill of this name.
     *
     * @throws IllegalArgumentException naming the value and the rule when it does not match {@value #PATTERN}
     */
    public static Skill of(String name) {
        Objects.requireNonNull(name, "skill");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("skill '" + name + "' must match " + PATTERN
                    + ": a lower-case letter, then up to 63 lower-case letters, digits, _ or -");
        }
        for (Skill s : SEEDED) {
            if (s.name.equals(name)) return s;
        }
        return new Skill(name);
    }

    /** The five skills every deployment starts with: general, sales, technical, billing, vip. */
    public static List<Skill> seeded() {
        return SEEDED;
    }

    /** The name, as stores, configuration keys and events carry it. */
    public String wireName() {
        return name;
    }

    @Override
    public int compareTo(Skill other) {
        return name.compareTo(other.name);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Skill other && name.equals(other.name);
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }

    @Override
    public String toString() {
        return name;
    }
}
