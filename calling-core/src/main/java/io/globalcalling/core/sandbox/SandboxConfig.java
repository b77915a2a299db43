package io.globalcalling.core.sandbox;

import io.globalcalling.ConfigurationException;
import io.globalcalling.spi.ConfigValidation;
import io.globalcalling.spi.ProviderConfig;
import io.globalcalling.Skill;

import java.math.BigDecimal;
import java.util.TreeMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The sandbox's settings.
 *
 * <table>
 * <caption>Configuration keys</caption>
 * <tr><th>key</th><th>default</th><th>meaning</th></tr>
 * <tr><td>{@code sandbox.enabled}</td><td>(unset)</td><td>unset: the sandbox is active only when no real provider is;
 *     {@code true}: active beside real providers too (it then serves only the categories no real provider serves);
 *     {@code false}: never active; any other value is a configuration error</td></tr>
 * <tr><td>{@code sandbox.seed}</td><td>{@value #DEFAULT_SEED}</td><td>seed of the random outcomes; the same seed and
 *     the same calls in the same order give the same outcomes</td></tr>
 * <tr><td>{@code sandbox.time-scale}</td><td>{@value #DEFAULT_TIME_SCALE}</td><td>real seconds per simulated second:
 *     1 plays calls in real time, 0.001 plays a five-minute call in 0.3 s</td></tr>
 * <tr><td>{@code sandbox.agents.<skill>}</td><td>general 2000, sales 1200, technical 1000, billing 500, vip 300
 *     (5,000 in all)</td><td>simulated agents per skill for human_agent calls, for the five seeded skills
 *     ({@link Skill#seeded()}); a program may give agents of any other skill to the constructor</td></tr>
 * </table>
 *
 * @param seed          seed of the random outcomes
 * @param timeScale     real seconds per simulated second, above 0 and at most 1
 * @param agentsBySkill simulated agents per skill; each agent has one skill, and a skill not listed has none
 */
public record SandboxConfig(long seed, double timeScale, Map<Skill, Integer> agentsBySkill) {

    public static final long DEFAULT_SEED = 20260114L;
    public static final double DEFAULT_TIME_SCALE = 0.001;
    private static final Map<Skill, Integer> DEFAULT_AGENTS = Map.of(Skill.GENERAL, 2000, Skill.SALES, 1200,
            Skill.TECHNICAL, 1000, Skill.BILLING, 500, Skill.VIP, 300);

    public SandboxConfig {
        Objects.requireNonNull(agentsBySkill, "agentsBySkill");
        if (!(timeScale > 0 && timeScale <= 1)) {
            throw new IllegalArgumentException("timeScale " + timeScale + " must be above 0 and at most 1");
        }
        agentsBySkill.forEach((skill, n) -> {
            Objects.requireNonNull(skill, "skill");
            if (n == null || n < 0) {
                throw new IllegalArgumentException("agents for skill " + skill.wireName() + " " + n + " must not be negative");
            }
        });
        agentsBySkill = Map.copyOf(agentsBySkill);
    }

    public static SandboxConfig defaults() {
        return new SandboxConfig(DEFAULT_SEED, DEFAULT_TIME_SCALE, DEFAULT_AGENTS);
    }

    /** The key that switches the sandbox on or off explicitly. */
    public static final String ENABLED_KEY = "sandbox.enabled";

    /**
     * The explicit {@value #ENABLED_KEY} switch: empty when unset.
     *
     * @throws ConfigurationException when it is set to anything but {@code true} or {@code false}
     */
    public static Optional<Boolean> enabled(ProviderConfig config) {
        ConfigValidation v = ConfigValidation.of(config, "sandbox provider");
        Boolean enabled = v.take(v.bool(ENABLED_KEY));
        v.orThrow();
        return Optional.ofNullable(enabled);
    }

    /** @throws ConfigurationException listing every malformed {@code sandbox.*} key at once */
    public static SandboxConfig from(ProviderConfig config) {
        ConfigValidation v = ConfigValidation.of(config, "sandbox provider");
        Long seed = v.take(v.longValue("sandbox.seed", Long.MIN_VALUE, Long.MAX_VALUE).orElse(DEFAULT_SEED));
        BigDecimal timeScale = v.take(v.decimal("sandbox.time-scale")
                .check(t -> t.signum() > 0 && t.compareTo(BigDecimal.ONE) <= 0, "must be above 0 and at most 1"));
        Map<Skill, Integer> agents = new TreeMap<>(DEFAULT_AGENTS);
        for (Skill skill : Skill.seeded()) {
            Integer n = v.take(v.integer("sandbox.agents." + skill.wireName(), 0, Integer.MAX_VALUE));
            if (n != null) agents.put(skill, n);
        }
        v.orThrow();
        return new SandboxConfig(seed, timeScale == null ? DEFAULT_TIME_SCALE : timeScale.doubleValue(), agents);
    }

    /** All simulated agents. */
    public int totalAgents() {
        return agentsBySkill.values().stream().mapToInt(Integer::intValue).sum();
    }
}
