package io.globalcalling.core.coverage;

import io.globalcalling.CallCategory;
import io.globalcalling.spi.CallEvent;
import io.globalcalling.spi.CallingProvider;
import io.globalcalling.spi.OutboundCall;
import io.globalcalling.spi.PlacedCall;
import io.globalcalling.spi.ProviderCapabilities;
import io.globalcalling.spi.ProviderCoverage;
import io.globalcalling.spi.Rate;
import io.globalcalling.Skill;
import io.globalcalling.spi.WebhookHandler;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import static io.globalcalling.CallCategory.AI_AUTOMATED;
import static io.globalcalling.CallCategory.HUMAN_AGENT;
import static io.globalcalling.CallCategory.INTERNET_VOIP;
import static io.globalcalling.CallCategory.SATELLITE;
import static io.globalcalling.CallCategory.SYSTEM_API;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class CoverageCalculatorTest {

    /** A provider that only declares what it reaches; it places no call. */
    private record FakeProvider(String id, Set<CallCategory> categories, ProviderCoverage coverage,
                                ProviderCapabilities capabilities) implements CallingProvider {

        @Override
        public List<Rate> rates() {
            return List.of();
        }

        @Override
        public PlacedCall place(OutboundCall call) {
            throw new UnsupportedOperationException("coverage tests place no call");
        }

        @Override
        public Optional<CallEvent> fetch(String providerCallId) {
            return Optional.empty();
        }

        @Override
        public void hangUp(String providerCallId) {
        }

        @Override
        public WebhookHandler webhooks() {
            return WebhookHandler.none(id);
        }
    }

    private static ProviderCapabilities tts(String... languages) {
        return ProviderCapabilities.builder().recording(true).machineDetection(true)
                .ttsLanguages(Set.of(languages)).build();
    }

    private static ProviderCapabilities agents(int total, Map<Skill, Integer> bySkill) {
        return ProviderCapabilities.builder().recording(true).agents(bySkill, total).build();
    }

    private final NaturalEarthGeography geography = new NaturalEarthGeography();
    private final CoverageCalculator calculator = new CoverageCalculator(geography);

    private final FakeProvider voipA = new FakeProvider("voip-a", Set.of(INTERNET_VOIP, AI_AUTOMATED),
            ProviderCoverage.countries(Set.of("IN", "US", "GB", "PR")), tts("en-US", "hi-IN", "en-GB"));
    private final FakeProvider voipB = new FakeProvider("voip-b", Set.of(INTERNET_VOIP, AI_AUTOMATED),
            ProviderCoverage.countries(Set.of("IN", "DE", "FR")), tts("de-DE", "en-US", "fr-FR"));
    private final FakeProvider contactCentre = new FakeProvider("centre", Set.of(HUMAN_AGENT),
            ProviderCoverage.countries(Set.of("IN")), agents(12, Map.of(Skill.GENERAL, 10, Skill.SALES, 4)));
    private final FakeProvider secondCentre = new FakeProvider("centre-2", Set.of(HUMAN_AGENT),
            ProviderCoverage.countries(Set.of("US")), agents(5, Map.of(Skill.SALES, 2, Skill.VIP, 3)));
    private final FakeProvider satellite = new FakeProvider("sat", Set.of(SATELLITE),
            ProviderCoverage.globalCoverage(Set.of("IN", "US", "AQ")), ProviderCapabilities.none());

    @Test
    void countsTheListedCountriesEachCategoryReaches() {
        CoverageReport report = calculator.compute(List.of(voipA, voipB, contactCentre, secondCentre, satellite));

        CoverageReport.CategoryCoverage voip = report.category(INTERNET_VOIP);
        assertThat(voip.providers()).containsExactly("voip-a", "voip-b");
        assertThat(voip.countries()).as("PR is a territory, not one of the 195").containsExactly("DE", "FR", "GB", "IN", "US");
        assertThat(voip.countryCount()).isEqualTo(5);
        assertThat(voip.countryPercent()).isCloseTo(100.0 * 5 / 195, within(1e-9));
        assertThat(report.countriesListed()).isEqualTo(195);
    }

    @Test
    void theSurfaceShareIsTheLandOfTheCountriesReached() {
        CoverageReport report = calculator.compute(List.of(voipA, voipB));

        double expected = 100 * geography.landShare(Set.of("DE", "FR", "GB", "IN", "US", "PR"));
        assertThat(report.category(INTERNET_VOIP).surfacePercent()).isCloseTo(expected, within(1e-9)).isBetween(2.5, 3.0);
        assertThat(report.category(INTERNET_VOIP).global()).isFalse();
    }

    @Test
    void aGlobalSatelliteProviderReachesTheWholeSurface() {
        CoverageReport report = calculator.compute(List.of(voipA, satellite));

        CoverageReport.CategoryCoverage sat = report.category(SATELLITE);
        assertThat(sat.global()).isTrue();
        assertThat(sat.surfacePercent()).isEqualTo(100.0);
        assertThat(sat.countries()).containsExactly("IN", "US");
        assertThat(report.overall().surfacePercent()).isEqualTo(100.0);
    }

    @Test
    void aGlobalProviderReachesOnlyLandByItsTerrestrialCategories() {
        FakeProvider everything = new FakeProvider("everything", Set.of(INTERNET_VOIP, SATELLITE),
                ProviderCoverage.globalCoverage(Set.of("IN", "US")), ProviderCapabilities.none());
        CoverageReport report = calculator.compute(List.of(everything));

        assertThat(report.category(SATELLITE).surfacePercent()).isEqualTo(100.0);
        assertThat(report.category(INTERNET_VOIP).global()).isFalse();
        assertThat(report.category(INTERNET_VOIP).surfacePercent())
                .isCloseTo(100 * geography.landShare(Set.of("IN", "US")), within(1e-9));
    }

    @Test
    void aiLanguagesAreTheUnionOfTheAiProvidersCatalogues() {
        FakeProvider voipOnly = new FakeProvider("voip-only", Set.of(INTERNET_VOIP),
                ProviderCoverage.countries(Set.of("JP")), tts("ja-JP"));

        CoverageReport report = calculator.compute(List.of(voipA, voipB, voipOnly));

        assertThat(report.category(AI_AUTOMATED).aiLanguages()).containsExactly("de-DE", "en-GB", "en-US", "fr-FR", "hi-IN");
        assertThat(report.category(INTERNET_VOIP).aiLanguages()).isEmpty();
    }

    @Test
    void agentsAndSkillsAreSummedOverHumanAgentProviders() {
        CoverageReport report = calculator.compute(List.of(contactCentre, secondCentre, voipA));

        CoverageReport.CategoryCoverage human = report.category(HUMAN_AGENT);
        assertThat(human.agents()).isEqualTo(17);
        assertThat(human.agentsBySkill()).containsExactly(
                Map.entry(Skill.GENERAL, 10), Map.entry(Skill.SALES, 6), Map.entry(Skill.VIP, 3));
        assertThat(report.category(INTERNET_VOIP).agents()).isZero();
    }

    @Test
    void aCategoryWithoutProvidersReachesNothing() {
        CoverageReport report = calculator.compute(List.of(voipA));

        CoverageReport.CategoryCoverage system = report.category(SYSTEM_API);
        assertThat(system.providers()).isEmpty();
        assertThat(system.countryCount()).isZero();
        assertThat(system.surfacePercent()).isZero();
        assertThat(report.categories()).extracting(CoverageReport.CategoryCoverage::category)
                .containsExactly(CallCategory.values());
    }

    @Test
    void theOverallFigureIsWhatAnyCategoryReaches() {
        CoverageReport report = calculator.compute(List.of(voipA, contactCentre, secondCentre));

        assertThat(report.overall().providers()).containsExactly("centre", "centre-2", "voip-a");
        assertThat(report.overall().countries()).containsExactly("GB", "IN", "US");
        assertThat(report.overall().simulated()).isFalse();
    }

    @Test
    void everyListedCountryMakesOneHundredPercent() {
        Set<String> all = Countries.all().stream().map(Country::alpha2).collect(Collectors.toSet());
        FakeProvider everywhere = new FakeProvider("everywhere", Set.of(INTERNET_VOIP),
                ProviderCoverage.countries(all), ProviderCapabilities.none());

        CoverageReport report = calculator.compute(List.of(everywhere));

        assertThat(report.category(INTERNET_VOIP).countryPercent()).isEqualTo(100.0);
        assertThat(report.category(INTERNET_VOIP).surfacePercent()).isBetween(24.0, 27.0);
    }

    @Test
    void flagsFiguresFromSimulatedProviders() {
        FakeProvider sandbox = new FakeProvider("sandbox", Set.of(AI_AUTOMATED),
                ProviderCoverage.countries(Set.of("IN")),
                ProviderCapabilities.builder().ttsLanguages(Set.of("en-IN")).simulated(true).build());

        CoverageReport report = calculator.compute(List.of(voipA, sandbox));

        assertThat(report.category(AI_AUTOMATED).simulated()).isTrue();
        assertThat(report.category(INTERNET_VOIP).simulated()).isFalse();
        assertThat(report.overall().simulated()).isTrue();
        assertThat(report.render()).contains("ai_automated *").contains("internet_voip" + System.lineSeparator())
                .contains("simulated provider");
    }

    @Test
    void issue9_namesWhichProvidersOfACategoryAreSimulated() {
        FakeProvider sandbox = new FakeProvider("sandbox", Set.of(INTERNET_VOIP, AI_AUTOMATED),
                ProviderCoverage.countries(Set.of("IN", "FR")),
                ProviderCapabilities.builder().ttsLanguages(Set.of("en-IN")).simulated(true).build());

        CoverageReport report = calculator.compute(List.of(voipA, sandbox));

        assertThat(report.category(INTERNET_VOIP).simulatedProviders()).containsExactly("sandbox");
        assertThat(report.category(SATELLITE).simulatedProviders()).isEmpty();
        assertThat(report.overall().simulatedProviders()).containsExactly("sandbox");
        String nl = System.lineSeparator();
        assertThat(report.render())
                .contains("internet_voip *" + nl + "  providers      sandbox (simulated), voip-a" + nl)
                .contains("satellite" + nl + "  no provider")
                .contains("2 providers (simulated: sandbox)");
    }

    @Test
    void rendersAReadableReport() {
        CoverageReport report = calculator.compute(List.of(voipA, voipB, contactCentre, secondCentre, satellite));

        String text = report.render();

        assertThat(text).contains("internet_voip")
                .contains("providers      voip-a, voip-b")
                .contains("countries      5 of 195 (2.6%)")
                .contains("AI languages   5: de-DE, en-GB, en-US, fr-FR, hi-IN")
                .contains("agents         17 (general 10, sales 6, vip 3)")
                .contains("Earth surface  100.0% (global)")
                .contains("system_api" + System.lineSeparator() + "  no provider")
                .contains("Any category: 5 of 195 countries (2.6%), 100.0% of the Earth's surface, 5 providers")
                .doesNotContain("*");
    }
}
