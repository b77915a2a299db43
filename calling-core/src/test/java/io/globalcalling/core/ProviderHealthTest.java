package io.globalcalling.core;

import io.globalcalling.CallCategory;
import io.globalcalling.CallRequest;
import io.globalcalling.Money;
import io.globalcalling.core.routing.QualityTracker.CircuitState;
import io.globalcalling.spi.ProviderConfig;
import io.globalcalling.testkit.MutableClock;
import io.globalcalling.testkit.ScriptedProvider;
import io.globalcalling.testkit.ScriptedProvider.Outcome;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The manager reports each active provider's circuit, for a host's health checks (issue 16). */
class ProviderHealthTest {

    private final MutableClock clock = MutableClock.create();

    @Test
    void providerHealthShowsACircuitOpeningAfterConsecutiveUnavailableFailures() {
        ScriptedProvider flaky = ScriptedProvider.builder().id("flaky").categories(CallCategory.INTERNET_VOIP)
                .perMinute(Money.inr("1.00")).clock(clock).build();
        ScriptedProvider steady = ScriptedProvider.builder().id("steady").categories(CallCategory.SYSTEM_API)
                .perMinute(Money.inr("0.01")).clock(clock).build();
        try (GlobalCallingManager m = GlobalCallingManager.builder().discoverProviders(false)
                .config(ProviderConfig.empty()).clock(clock).provider(flaky).provider(steady).build()) {
            assertThat(m.providerHealth()).containsOnlyKeys("flaky", "steady");
            assertThat(m.providerHealth().get("flaky").state()).isEqualTo(CircuitState.CLOSED);

            for (int i = 0; i < 5; i++) {
                flaky.next(Outcome.unavailable());
                assertThatThrownBy(() -> m.call(CallRequest.to("+919876543210")
                        .category(CallCategory.INTERNET_VOIP).build())).isInstanceOf(CallFailedException.class);
            }

            assertThat(m.providerHealth().get("flaky").state()).isEqualTo(CircuitState.OPEN);
            assertThat(m.providerHealth().get("flaky").consecutiveFailures()).isEqualTo(5);
            assertThat(m.providerHealth().get("steady").state()).isEqualTo(CircuitState.CLOSED);
            assertThat(m.providerHealth().keySet()).containsExactlyElementsOf(m.providerIds());
        }
    }
}
