package io.globalcalling.core.internal;

import io.globalcalling.CallCategory;
import io.globalcalling.ConfigurationException;
import io.globalcalling.spi.CallingProvider;
import io.globalcalling.spi.ProviderConfig;
import io.globalcalling.testkit.FakeCallProvider;
import io.globalcalling.testkit.TestProviderContext;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** {@code <id>.categories} narrows or widens what a provider serves, within what it can serve. */
class ConfiguredCategoriesTest {

    private final FakeCallProvider carrier = FakeCallProvider.builder().id("carrier")
            .categories(CallCategory.INTERNET_VOIP, CallCategory.AI_AUTOMATED).alsoSupports(CallCategory.SATELLITE)
            .build();

    private CallingProvider active(Map<String, String> config) {
        ProviderRegistry r = ProviderRegistry.create(ProviderConfig.of(config), List.of(carrier), List.of(),
                getClass().getClassLoader(), id -> TestProviderContext.create());
        return r.find("carrier").orElseThrow();
    }

    @Test
    void withoutTheSettingAProviderServesItsOwnCategories() {
        assertThat(active(Map.of()).categories()).containsExactlyInAnyOrder(CallCategory.INTERNET_VOIP,
                CallCategory.AI_AUTOMATED);
    }

    @Test
    void anAccountAllowedToDialSatelliteRangesWidensTheCategories() {
        CallingProvider p = active(Map.of("carrier.categories", "internet_voip, ai_automated,satellite"));

        assertThat(p.categories()).containsExactlyInAnyOrder(CallCategory.INTERNET_VOIP, CallCategory.AI_AUTOMATED,
                CallCategory.SATELLITE);
        assertThat(p.id()).isEqualTo("carrier");
        assertThat(p.rates()).isEqualTo(carrier.rates());
    }

    @Test
    void theSettingNarrowsTheCategories() {
        assertThat(active(Map.of("carrier.categories", "ai_automated")).categories())
                .containsExactly(CallCategory.AI_AUTOMATED);
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
