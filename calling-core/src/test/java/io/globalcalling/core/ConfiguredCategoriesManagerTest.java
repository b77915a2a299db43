package io.globalcalling.core;

import io.globalcalling.CallCategory;
import io.globalcalling.CallRequest;
import io.globalcalling.core.routing.NoRouteException;
import io.globalcalling.core.routing.RouteOption;
import io.globalcalling.spi.ProviderConfig;
import io.globalcalling.testkit.FakeCallProvider;
import io.globalcalling.testkit.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code <id>.categories} decides what routing and coverage use a provider for, and the provider stays itself. */
class ConfiguredCategoriesManagerTest {

    private final MutableClock clock = MutableClock.create();
    private final FakeCallProvider carrier = FakeCallProvider.builder().id("carrier").clock(clock)
            .categories(CallCategory.INTERNET_VOIP, CallCategory.AI_AUTOMATED).alsoSupports(CallCategory.SATELLITE)
            .build();
    private final List<GlobalCallingManager> managers = new ArrayList<>();

    @AfterEach
    void close() {
        managers.forEach(GlobalCallingManager::close);
    }

    private GlobalCallingManager manager(Map<String, String> config) {
        GlobalCallingManager m = GlobalCallingManager.builder().discoverProviders(false)
                .config(ProviderConfig.of(config)).clock(clock).provider(carrier).build();
        managers.add(m);
        return m;
    }

    @Test
    void aNarrowedProviderIsNotRoutedTheCategoriesItWasTakenOff() {
        GlobalCallingManager m = manager(Map.of("carrier.categories", "ai_automated"));

        assertThatThrownBy(() -> m.plan(CallRequest.to("+919876543210").category(CallCategory.INTERNET_VOIP).build()))
                .isInstanceOf(NoRouteException.class);
        assertThat(m.plan(CallRequest.to("+919876543210").category(CallCategory.AI_AUTOMATED)
                .script("Hello, this is a reminder.").build()).options())
                .extracting(RouteOption::providerId).containsExactly("carrier");
    }

    @Test
    void coverageCountsAProviderUnderItsConfiguredCategories() {
        GlobalCallingManager widened = manager(Map.of("carrier.categories", "internet_voip,ai_automated,satellite"));
        GlobalCallingManager narrowed = manager(Map.of("carrier.categories", "ai_automated"));

        assertThat(widened.coverage().category(CallCategory.SATELLITE).providers()).containsExactly("carrier");
        assertThat(narrowed.coverage().category(CallCategory.INTERNET_VOIP).providers()).isEmpty();
        assertThat(narrowed.coverage().category(CallCategory.AI_AUTOMATED).providers()).containsExactly("carrier");
    }

    @Test
    void withoutTheSettingTheProviderServesWhatItDeclares() {
        GlobalCallingManager m = manager(Map.of());

        assertThat(m.coverage().category(CallCategory.SATELLITE).providers()).isEmpty();
        assertThat(m.plan(CallRequest.to("+919876543210").category(CallCategory.INTERNET_VOIP).build()).options())
                .extracting(RouteOption::providerId).containsExactly("carrier");
    }
}
