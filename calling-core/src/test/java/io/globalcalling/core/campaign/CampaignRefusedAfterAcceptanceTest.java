package io.globalcalling.core.campaign;

import io.globalcalling.CallCategory;
import io.globalcalling.CallRecord;
import io.globalcalling.CallStatus;
import io.globalcalling.ErrorReason;
import io.globalcalling.Money;
import io.globalcalling.core.GlobalCallingManager;
import io.globalcalling.core.store.InMemoryCallStore;
import io.globalcalling.spi.CallEvent;
import io.globalcalling.spi.ProviderConfig;
import io.globalcalling.spi.store.CampaignTarget;
import io.globalcalling.testkit.MutableClock;
import io.globalcalling.testkit.ScriptedProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A number the provider accepted a call to, and the network then refused (Vonage's {@code detail: invalid_number},
 * a SIP 404 at Twilio): the failed end carries the reason, the record keeps it, and the campaign, whose rules retry a
 * failed call, never dials that number again.
 */
class CampaignRefusedAfterAcceptanceTest {

    private static final String INDIA = "+919876543210";

    private final MutableClock clock = MutableClock.at(Instant.parse("2026-01-14T09:00:00Z"));
    private final InMemoryCallStore store = new InMemoryCallStore();
    private final ScriptedProvider provider = ScriptedProvider.builder().id("sp").clock(clock)
            .categories(CallCategory.AI_AUTOMATED).perMinute(Money.inr("2.00")).build();
    private final GlobalCallingManager manager = GlobalCallingManager.builder().discoverProviders(false)
            .config(ProviderConfig.empty()).store(store).clock(clock).provider(provider)
            .campaignNode("node-a", Duration.ofSeconds(30), Duration.ZERO, 2).build();

    @AfterEach
    void close() {
        manager.close();
    }

    @ParameterizedTest
    @EnumSource(value = ErrorReason.class, names = {"INVALID_DESTINATION", "NOT_PERMITTED"})
    @DisplayName("a number refused by the network after the provider accepted the call is refused, not retried")
    void aNumberRefusedAfterAcceptanceIsNotDialledAgain(ErrorReason reason) {
        String id = manager.campaigns().create(NewCampaign.named("Renewals").customerId("cust-1")
                .category(CallCategory.AI_AUTOMATED).script("Hello {{name}}.")
                .policy(CampaignPolicy.builder().callsPerSecond(10).maxInFlight(10).windows(CallingWindows.always())
                        .retry(Outcome.FAILED, Duration.ZERO, 3).build())
                .build());
        manager.campaigns().addTargets(id, List.of(Target.of(INDIA, Map.of("name", "Asha"))));
        manager.campaigns().start(id);

        manager.campaigns().runOnce();
        assertThat(provider.attempts()).hasSize(1);
        String callId = provider.attempts().get(0).callId();
        String providerCallId = provider.providerCallIdOf(callId).orElseThrow();
        provider.advance(providerCallId, CallStatus.FAILED);
        manager.webhooks().handle("sp", provider.callback(CallEvent.builder("sp", clock.instant())
                .providerCallId(providerCallId).status(CallStatus.FAILED).errorReason(reason).build()));

        CallRecord call = store.find(callId).orElseThrow();
        assertThat(call.status()).isEqualTo(CallStatus.FAILED);
        assertThat(call.errorReason()).as("the reason the provider reported with the failed end")
                .isEqualTo(reason.name());

        clock.advance(Duration.ofHours(1));
        manager.campaigns().runOnce();
        manager.campaigns().runOnce();

        assertThat(provider.attempts()).as("calls placed to the refused number").hasSize(1);
        CampaignTarget t = store.findTarget(id, INDIA).orElseThrow();
        assertThat(t.state()).isEqualTo(CampaignTarget.State.FAILED);
        assertThat(t.lastOutcome()).isEqualTo(Outcome.REFUSED.wireName());
    }
}
