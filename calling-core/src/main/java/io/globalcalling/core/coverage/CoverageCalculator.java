package io.globalcalling.core.coverage;

import io.globalcalling.CallCategory;
import io.globalcalling.spi.CallingProvider;
import io.globalcalling.spi.ProviderCapabilities;
import io.globalcalling.spi.ProviderCoverage;
import io.globalcalling.Skill;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Computes a {@link CoverageReport} from what providers declare: their categories, their
 * {@link ProviderCoverage} and their {@link ProviderCapabilities}. Countries are counted against
 * {@link Countries#all()}; surface shares come from {@link NaturalEarthGeography#landShare(Set)},
 * or 100% when a global provider serves the satellite category (only satellite reaches oceans and poles:
 * a provider that also offers VoIP reaches by VoIP only the land of the countries it declares).
 * Nothing is typed in. Thread-safe.
 */
public final class CoverageCalculator {

    private final NaturalEarthGeography geography;

    public CoverageCalculator() {
        this(new NaturalEarthGeography());
    }

    public CoverageCalculator(NaturalEarthGeography geography) {
        this.geography = Objects.requireNonNull(geography, "geography");
    }

    /** The coverage of these providers, each serving the categories it declares. */
    public CoverageReport compute(Collection<? extends CallingProvider> providers) {
        return compute(providers, CallingProvider::categories);
    }

    /**
     * The coverage of these providers, each serving the categories {@code categoriesOf} gives (those the host
     * configured); each provider's coverage and capabilities are read once.
     */
    public CoverageReport compute(Collection<? extends CallingProvider> providers,
                                  Function<CallingProvider, Set<CallCategory>> categoriesOf) {
        Objects.requireNonNull(providers, "providers");
        Objects.requireNonNull(categoriesOf, "categoriesOf");
        List<Declared> declared = providers.stream()
                .map(p -> new Declared(p.id(), Set.copyOf(categoriesOf.apply(p)), p.coverage(), p.capabilities()))
                .toList();
        List<CoverageReport.CategoryCoverage> categories = new ArrayList<>();
        for (CallCategory category : CallCategory.values()) {
            categories.add(category(category, declared.stream().filter(d -> d.categories().contains(category)).toList()));
        }
        Reach all = reach(declared, null);
        CoverageReport.Overall overall = new CoverageReport.Overall(all.providers(), all.countries(),
                all.countryPercent(), all.surfacePercent(), simulatedIds(declared));
        return new CoverageReport(categories, overall, Countries.all().size());
    }

    private CoverageReport.CategoryCoverage category(CallCategory category, List<Declared> serving) {
        Reach reach = reach(serving, category);
        List<String> languages = category != CallCategory.AI_AUTOMATED ? List.of() : serving.stream()
                .flatMap(d -> d.capabilities().ttsLanguages().stream())
                .collect(Collectors.toCollection(TreeSet::new)).stream().toList();
        int agents = 0;
        Map<Skill, Integer> bySkill = new TreeMap<>();
        if (category == CallCategory.HUMAN_AGENT) {
            for (Declared d : serving) {
                agents += d.capabilities().totalAgents();
                d.capabilities().agentsBySkill().forEach((skill, count) -> bySkill.merge(skill, count, Integer::sum));
            }
        }
        return new CoverageReport.CategoryCoverage(category, reach.providers(), reach.countries(),
                reach.countryPercent(), reach.surfacePercent(), reach.global(), languages, agents, bySkill,
                simulatedIds(serving));
    }

    private static List<String> simulatedIds(List<Declared> providers) {
        return providers.stream().filter(d -> d.capabilities().simulated()).map(Declared::id).sorted().distinct().toList();
    }

    /** @param category the category reached, or null for any */
    private Reach reach(List<Declared> providers, CallCategory category) {
        List<String> ids = providers.stream().map(Declared::id).sorted().distinct().toList();
        Set<String> declaredCodes = providers.stream()
                .flatMap(d -> d.coverage().countries().stream())
                .collect(Collectors.toSet());
        List<String> countries = declaredCodes.stream()
                .filter(code -> Countries.byAlpha2(code).isPresent())
                .sorted()
                .toList();
        boolean satellite = category == null || category == CallCategory.SATELLITE;
        boolean global = satellite && providers.stream()
                .anyMatch(d -> d.coverage().global() && d.categories().contains(CallCategory.SATELLITE));
        double countryPercent = 100.0 * countries.size() / Countries.all().size();
        double surfacePercent = global ? 100.0 : Math.min(100.0, 100.0 * geography.landShare(declaredCodes));
        return new Reach(ids, countries, countryPercent, surfacePercent, global);
    }

    private record Declared(String id, Set<CallCategory> categories, ProviderCoverage coverage,
                            ProviderCapabilities capabilities) {
    }

    private record Reach(List<String> providers, List<String> countries, double countryPercent,
                         double surfacePercent, boolean global) {
    }
}
