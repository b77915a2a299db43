package io.globalcalling.spi;

import io.globalcalling.Skill;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProviderCapabilitiesTest {

    @Test
    void undeclaredFactsHaveTheirDefaults() {
        ProviderCapabilities none = ProviderCapabilities.none();

        assertThat(none.recording()).isFalse();
        assertThat(none.simulated()).isFalse();
        assertThat(none.pace()).isEqualTo(ProviderPace.UNLIMITED);
        assertThat(none.pace().isUnlimited()).isTrue();
        assertThat(none.reconcileGrace()).isEqualTo(Duration.ofMinutes(2));
        assertThat(none.idempotentPlacement()).isFalse();
        assertThat(none.billingUnits()).containsExactlyInAnyOrder(BillingUnit.PER_MINUTE, BillingUnit.PER_CALL);
        assertThat(none.maxPayloadBytes()).isZero();
    }

    @Test
    void theBuilderSetsEveryFactAndToBuilderKeepsThem() {
        ProviderCapabilities c = ProviderCapabilities.builder()
                .recording(true).machineDetection(true).transcription(true)
                .ttsLanguages(Set.of("en-US"))
                .agents(Map.of(Skill.SALES, 2), 2)
                .simulated(true)
                .pace(ProviderPace.of(0.5, 3))
                .reconcileGrace(Duration.ofSeconds(30))
                .idempotentPlacement(true)
                .billingUnits(Set.of(BillingUnit.PER_MESSAGE, BillingUnit.PER_BYTE))
                .maxPayloadBytes(1890)
                .build();

        assertThat(c.toBuilder().build()).isEqualTo(c);
        assertThat(c.pace()).isEqualTo(new ProviderPace(0.5, 3));
        assertThat(c.agentsBySkill()).containsEntry(Skill.SALES, 2);
        assertThat(c.toBuilder().recording(false).build().recording()).isFalse();
        assertThat(c.toBuilder().recording(false).build().maxPayloadBytes()).isEqualTo(1890);
    }

    @Test
    void badFactsAreRefusedNamingTheValue() {
        assertThatThrownBy(() -> ProviderCapabilities.builder().reconcileGrace(Duration.ZERO).build())
                .hasMessageContaining("reconcileGrace PT0S");
        assertThatThrownBy(() -> ProviderCapabilities.builder().billingUnits(Set.of()).build())
                .hasMessageContaining("billingUnits");
        assertThatThrownBy(() -> ProviderCapabilities.builder().maxPayloadBytes(-1).build())
                .hasMessageContaining("maxPayloadBytes -1");
        assertThatThrownBy(() -> ProviderPace.of(0, 1)).hasMessageContaining("callsPerSecond 0.0");
        assertThatThrownBy(() -> ProviderPace.of(Double.NaN, 1)).hasMessageContaining("callsPerSecond NaN");
        assertThatThrownBy(() -> ProviderPace.of(1, 0)).hasMessageContaining("burst 0");
    }
}
