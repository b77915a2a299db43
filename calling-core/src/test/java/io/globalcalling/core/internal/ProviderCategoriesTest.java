package io.globalcalling.core.internal;

import io.globalcalling.CallCategory;
import io.globalcalling.ConfigurationException;
import io.globalcalling.spi.ProviderConfig;
import io.globalcalling.testkit.FakeCallProvider;
import io.globalcalling.testkit.TestProviderContext;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** {@code <id>.categories} narrows or widens what a provider serves, within what it can serve. */
class ProviderCategoriesTest {

    private final FakeCallProvider carrier = FakeCallProvider.builder().id("carrier")
            .categories(CallCategory.INTERNET_VOIP, CallCategory.AI_AUTOMATED).alsoSupports(CallCategory.SATELLITE)
            .build();

    private ProviderRegistry registry(Map<String, String> config) {
        return ProviderRegistry.create(ProviderConfig.of(config), List.of(carrier), List.of(),
                getClass().getClassLoader(), id -> TestProviderContext.create());
    }

    private Set<CallCategory> active(Map<String, String> config) {
        return registry(config).categories(carrier);
    }

    @Test
    void withoutTheSettingAProviderServesItsOwnCategories() {
        assertThat(active(Map.of())).containsExactlyInAnyOrder(CallCategory.INTERNET_VOIP, CallCategory.AI_AUTOMATED);
    }

    @Test
    void anAccountAllowedToDialSatelliteRangesWidensTheCategories() {
        assertThat(active(Map.of("carrier.categories", "internet_voip, ai_automated,satellite")))
                .containsExactlyInAnyOrder(CallCategory.INTERNET_VOIP, CallCategory.AI_AUTOMATED, CallCategory.SATELLITE);
    }

    @Test
    void theSettingNarrowsTheCategories() {
        assertThat(active(Map.of("carrier.categories", "ai_automated"))).containsExactly(CallCategory.AI_AUTOMATED);
    }

    /** The setting is a fact the core consults, not a wrapper: no SPI method can be left unforwarded. */
    @Test
    void theRegistryKeepsTheProviderItselfWhateverItsCategories() {
        ProviderRegistry r = registry(Map.of("carrier.categories", "satellite"));

        assertThat(r.find("carrier")).containsSame(carrier);
        assertThat(r.providers()).containsExactly(carrier);
        assertThat(r.categories(carrier)).containsExactly(CallCategory.SATELLITE);
    }

    @Test
    void aProviderTheRegistryDoesNotHoldIsRefusedByName() {
        FakeCallProvider stranger = FakeCallProvider.builder().id("stranger").build();

        assertThatThrownBy(() -> registry(Map.of()).categories(stranger))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'stranger'");
    }

    @Test
    void aCategoryTheProviderCannotServeIsAConfigurationErrorNamingKeyAndValue() {
        ConfigurationException e = catchThrowableOfType(ConfigurationException.class,
                () -> active(Map.of("carrier.categories", "internet_voip,human_agent")));

        assertThat(e.problems()).singleElement().asString()
                .contains("carrier.categories = 'internet_voip,human_agent'")
                .contains("cannot serve 'human_agent'")
                .contains("ai_automated,internet_voip,satellite");
    }

    @Test
    void anUnknownCategoryOrNoneIsAConfigurationError() {
        ConfigurationException unknown = catchThrowableOfType(ConfigurationException.class,
                () -> active(Map.of("carrier.categories", "internet_voip,carrier_pigeon")));
        assertThat(unknown.problems()).singleElement().asString()
                .contains("carrier.categories = 'internet_voip,carrier_pigeon'").contains("carrier_pigeon");

        ConfigurationException none = catchThrowableOfType(ConfigurationException.class,
                () -> active(Map.of("carrier.categories", " , ")));
        assertThat(none.problems()).singleElement().asString().contains("names no category");
    }
}
