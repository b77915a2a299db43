package io.globalcalling.core.coverage;

import io.globalcalling.CallCategory;
import io.globalcalling.Skill;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What a set of providers reaches, per call category and overall, as computed by
 * {@link CoverageCalculator}. Countries are counted against the {@link Countries 195} (codes of
 * territories are not counted); the surface share is of the whole Earth, oceans included. Figures
 * that involve a simulated provider name it ({@code simulatedProviders}), and {@link #render()} marks
 * them, so no display passes simulated reach off as real.
 *
 * @param categories      one entry per {@link CallCategory}, in the enum's order (categories with no provider included)
 * @param overall         what any category reaches
 * @param countriesListed how many countries shares are counted against (195)
 */
public record CoverageReport(List<CategoryCoverage> categories, Overall overall, int countriesListed) {

    public CoverageReport {
        categories = List.copyOf(Objects.requireNonNull(categories, "categories"));
        Objects.requireNonNull(overall, "overall");
        if (countriesListed < 1) throw new IllegalArgumentException("countriesListed " + countriesListed + " must be positive");
    }

    /**
     * Coverage of one call category.
     *
     * @param category         the category
     * @param providers        ids of the providers that serve it, sorted
     * @param countries        alpha-2 codes of the listed countries they reach, sorted
     * @param countryPercent   countries reached as a percentage of the listed countries
     * @param surfacePercent   percentage of the Earth's surface reached: 100 when a provider is global,
     *                         else the land area of every country and territory they list
     * @param global           whether a provider reaches every point on Earth
     * @param aiLanguages      for ai_automated: the text-to-speech languages, sorted (empty otherwise)
     * @param agents           for human_agent: agents across its providers (0 otherwise)
     * @param agentsBySkill    for human_agent: agents per skill across its providers (empty otherwise)
     * @param simulatedProviders ids of its providers that are simulated, sorted: its figures count what they
     *                         reach, although they place no real call
     */
    public record CategoryCoverage(CallCategory category, List<String> providers, List<String> countries,
                                   double countryPercent, double surfacePercent, boolean global,
                                   List<String> aiLanguages, int agents, Map<Skill, Integer> agentsBySkill,
                                   List<String> simulatedProviders) {

        public CategoryCoverage {
            Objects.requireNonNull(category, "category");
            providers = List.copyOf(Objects.requireNonNull(providers, "providers"));
            countries = List.copyOf(Objects.requireNonNull(countries, "countries"));
            aiLanguages = List.copyOf(Objects.requireNonNull(aiLanguages, "aiLanguages"));
            simulatedProviders = List.copyOf(Objects.requireNonNull(simulatedProviders, "simulatedProviders"));
            Objects.requireNonNull(agentsBySkill, "agentsBySkill");
            agentsBySkill = agentsBySkill.isEmpty() ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(agentsBySkill));
            requirePercent("countryPercent", countryPercent);
            requirePercent("surfacePercent", surfacePercent);
            if (agents < 0) throw new IllegalArgumentException("agents " + agents + " must not be negative");
        }

        public int countryCount() {
            return countries.size();
        }

        /** Whether any of its figures comes from a simulated provider. */
        public boolean simulated() {
            return !simulatedProviders.isEmpty();
        }
    }

    /**
     * What any category reaches.
     *
     * @param providers       ids of every provider, sorted
     * @param countries       alpha-2 codes of the listed countries any provider reaches, sorted
     * @param countryPercent  those countries as a percentage of the listed countries
     * @param surfacePercent  percentage of the Earth's surface any provider reaches
     * @param simulatedProviders ids of the providers that are simulated, sorted
     */
    public record Overall(List<String> providers, List<String> countries, double countryPercent,
                          double surfacePercent, List<String> simulatedProviders) {

        public Overall {
            providers = List.copyOf(Objects.requireNonNull(providers, "providers"));
            simulatedProviders = List.copyOf(Objects.requireNonNull(simulatedProviders, "simulatedProviders"));
            countries = List.copyOf(Objects.requireNonNull(countries, "countries"));
            requirePercent("countryPercent", countryPercent);
            requirePercent("surfacePercent", surfacePercent);
        }

        public int countryCount() {
            return countries.size();
        }

        /** Whether any provider is simulated. */
        public boolean simulated() {
            return !simulatedProviders.isEmpty();
        }
    }

    private static void requirePercent(String field, double value) {
        if (!(value >= 0 && value <= 100)) throw new IllegalArgumentException(field + " " + value + " is outside 0..100");
    }

    /** The coverage of one category. */
    public CategoryCoverage category(CallCategory category) {
        Objects.requireNonNull(category, "category");
        Optional<CategoryCoverage> found = categories.stream().filter(c -> c.category() == category).findFirst();
        return found.orElseThrow(() -> new IllegalArgumentException("category " + category.wireName() + " is not in this report"));
    }

    /** A multi-line text for a terminal. */
    public String render() {
        List<String> lines = new ArrayList<>();
        lines.add("Coverage by call category (countries of " + countriesListed + ": UN members and observer states)"
                + (overall.simulated() ? "; * = figures include a simulated provider, which places no real call" : ""));
        for (CategoryCoverage c : categories) {
            lines.add("");
            lines.add(c.category().wireName() + (c.simulated() ? " *" : ""));
            if (c.providers().isEmpty()) {
                lines.add("  no provider");
                continue;
            }
            lines.add(row("providers", c.providers().stream()
                    .map(id -> c.simulatedProviders().contains(id) ? id + " (simulated)" : id)
                    .collect(Collectors.joining(", "))));
            lines.add(row("countries", c.countryCount() + " of " + countriesListed + " (" + percent(c.countryPercent()) + ")"));
            lines.add(row("Earth surface", percent(c.surfacePercent()) + (c.global() ? " (global)" : " (land of the places reached)")));
            if (c.category() == CallCategory.AI_AUTOMATED) {
                lines.add(row("AI languages", c.aiLanguages().size()
                        + (c.aiLanguages().isEmpty() ? "" : ": " + String.join(", ", c.aiLanguages()))));
            }
            if (c.category() == CallCategory.HUMAN_AGENT) {
                String skills = c.agentsBySkill().entrySet().stream()
                        .map(e -> e.getKey().wireName() + " " + e.getValue())
                        .collect(Collectors.joining(", "));
                lines.add(row("agents", c.agents() + (skills.isEmpty() ? "" : " (" + skills + ")")));
            }
        }
        lines.add("");
        lines.add("Any category" + (overall.simulated() ? " *" : "") + ": " + overall.countryCount() + " of " + countriesListed
                + " countries (" + percent(overall.countryPercent()) + "), " + percent(overall.surfacePercent())
                + " of the Earth's surface, " + overall.providers().size() + " provider" + (overall.providers().size() == 1 ? "" : "s")
                + (overall.simulated() ? " (simulated: " + String.join(", ", overall.simulatedProviders()) + ")" : ""));
        return String.join(System.lineSeparator(), lines) + System.lineSeparator();
    }

    private static String row(String label, String value) {
        return String.format(Locale.ROOT, "  %-14s %s", label, value);
    }

    private static String percent(double value) {
        return String.format(Locale.ROOT, "%.1f%%", value);
    }
}
