package io.globalcalling.core;

import io.globalcalling.core.routing.NoRouteException;
import io.globalcalling.core.routing.RoutePlan;
import io.globalcalling.core.store.InMemoryCallStore;
import io.globalcalling.spi.CallCategory;
import io.globalcalling.spi.CallRequest;
import io.globalcalling.spi.CallStatus;
import io.globalcalling.spi.ConfigurationException;
import io.globalcalling.spi.ErrorReason;
import io.globalcalling.spi.Money;
import io.globalcalling.spi.ProviderConfig;
import io.globalcalling.spi.ProviderException;
import io.globalcalling.spi.Rate;
import io.globalcalling.spi.store.CallRecord;
import io.globalcalling.testkit.FakeCallProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Issue 9: a real customer's call is never carried, nor backed up, by the simulated sandbox. */
class SimulatedProviderIsolationTest {

    private static final String INDIA = "+919876543210";

    private final InMemoryCallStore store = new InMemoryCallStore();
    private final List<GlobalCallingManager> managers = new ArrayList<>();
    /** A real provider, dearer than the sandbox's VoIP rate, so that price alone would pick the sandbox. */
    private final FakeCallProvider carrier = FakeCallProvider.builder().id("carrier")
            .categories(CallCategory.INTERNET_VOIP)
            .rate(Rate.perMinute(CallCategory.INTERNET_VOIP, "", Money.inr("9.00")))
            .build();

    @AfterEach
    void close() {
        managers.forEach(GlobalCallingManager::close);
    }

    /** Discovers the sandbox and the webhook provider from the classpath, as a host's manager does. */
    private GlobalCallingManager manager(Map<String, String> config) {
        GlobalCallingManager m = GlobalCallingManager.builder().config(ProviderConfig.of(config)).store(store)
                .provider(carrier).build();
        managers.add(m);
        return m;
    }

    @Test
    void issue9_aRealProviderSwitchesTheDiscoveredSandboxOff() {
        GlobalCallingManager calling = manager(Map.of());

        assertThat(calling.providerIds()).containsExactly("carrier");
        assertThat(calling.coverage().overall().simulated()).isFalse();
        assertThatThrownBy(() -> calling.plan(CallRequest.to("+881631234567").build()))
                .isInstanceOf(NoRouteException.class).hasMessageContaining("no active provider serves satellite");
    }

    @Test
    void issue9_withTheSandboxEnabledBesideARealProviderItIsNeitherCheaperChoiceNorFailover() {
        GlobalCallingManager calling = manager(Map.of("sandbox.enabled", "true"));
        assertThat(calling.providerIds()).containsExactlyInAnyOrder("carrier", "sandbox");

        RoutePlan plan = calling.plan(CallRequest.to(INDIA).build());
        assertThat(plan.options()).extracting(o -> o.providerId()).containsExactly("carrier");
        assertThat(plan.dropped()).anySatisfy(d -> assertThat(d.providerId()).isEqualTo("sandbox"));

        carrier.failNext(ProviderException.of("carrier", ErrorReason.UNAVAILABLE, "connect refused"));
        CallFailedException e = catchThrowableOfType(CallFailedException.class,
                () -> calling.call(CallRequest.to(INDIA).build()));
        assertThat(e).isNotNull();
        CallRecord record = store.find(e.callId()).orElseThrow();
        assertThat(record.status()).isEqualTo(CallStatus.FAILED);
        assertThat(record.providerId()).isNotEqualTo("sandbox");
    }

    @Test
    void issue9_withTheSandboxEnabledItStillServesTheCategoriesNoRealProviderServesAndSaysSo() {
        GlobalCallingManager calling = manager(Map.of("sandbox.enabled", "true"));

        RoutePlan plan = calling.plan(CallRequest.to("+881631234567").build());

        assertThat(plan.category()).isEqualTo(CallCategory.SATELLITE);
        assertThat(plan.simulated()).isTrue();
        assertThat(plan.explain()).contains("SIMULATED", "sandbox (simulated)");
        assertThat(calling.coverage().category(CallCategory.SATELLITE).simulatedProviders()).containsExactly("sandbox");
    }

    @Test
    void issue9_aPartlyConfiguredProviderFailsTheBuild() {
        assertThatThrownBy(() -> manager(Map.of("WEBHOOK_MAX_ATTEMPTS", "3")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("provider 'webhook'")
                .hasMessageContaining("webhook.signing-secret is missing");
        assertThat(carrier.isClosed()).isTrue();
    }
}
