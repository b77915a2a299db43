package io.globalcalling.core;

import io.globalcalling.core.limits.Budget;
import io.globalcalling.core.store.InMemoryCallStore;
import io.globalcalling.CallCategory;
import io.globalcalling.CallRequest;
import io.globalcalling.CallStatus;
import io.globalcalling.ErrorReason;
import io.globalcalling.Money;
import io.globalcalling.spi.ProviderCapabilities;
import io.globalcalling.spi.ProviderConfig;
import io.globalcalling.spi.ProviderException;
import io.globalcalling.spi.Rate;
import io.globalcalling.WebhookRequest;
import io.globalcalling.CallRecord;
import io.globalcalling.spi.store.StoredEvent;
import io.globalcalling.testkit.FakeCallProvider;
import io.globalcalling.testkit.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 9: what the manager writes on a call's record, the hold and the estimate apart, and who took it. */
class GlobalCallingManagerRecordTest {

    private static final String INDIA = "+919876543210";

    private final MutableClock clock = MutableClock.create();
    private final InMemoryCallStore store = new InMemoryCallStore();
    private final List<GlobalCallingManager> managers = new ArrayList<>();

    @AfterEach
    void close() {
        managers.forEach(GlobalCallingManager::close);
    }

    private FakeCallProvider fake(String id, String perMinute, boolean simulated) {
        return FakeCallProvider.builder().id(id).clock(clock)
                .categories(CallCategory.INTERNET_VOIP)
                .rate(Rate.perMinute(CallCategory.INTERNET_VOIP, "", Money.inr(perMinute)))
                .capabilities(ProviderCapabilities.builder().simulated(simulated).build())
                .webhookUrl(URI.create("https://host.example/calling/webhooks/" + id))
                .build();
    }

    private GlobalCallingManager manager(FakeCallProvider... providers) {
        GlobalCallingManager.Builder b = GlobalCallingManager.builder().discoverProviders(false)
                .config(ProviderConfig.empty()).store(store).clock(clock)
                .webhookBaseUrl("https://host.example/calling/webhooks")
                .limits(l -> l.budgets(Budget.daily(Money.inr("1000"))));
        for (FakeCallProvider p : providers) b.provider(p);
        GlobalCallingManager m = b.build();
        managers.add(m);
        return m;
    }

    @Test
    @DisplayName("the record keeps the hold (dearest option, hold duration) and the estimate (primary route, expected talk time) apart")
    void recordsTheHoldAndTheEstimateApart() {
        GlobalCallingManager m = manager(fake("cheap", "1.00", false), fake("dear", "1.50", false));
        CallRequest request = CallRequest.to(INDIA).build();

        CallRecord record = m.call(request);

        assertThat(record.heldAmount()).isEqualTo(Money.inr("15"));        // 1.50 INR/min x 10 min
        assertThat(record.estimatedCost()).isEqualTo(Money.inr("2"));      // 1.00 INR/min x 2 min
        assertThat(record.estimatedCost()).isEqualTo(m.estimate(request, GlobalCallingManager.EXPECTED_TALK_TIME).total());
        assertThat(store.find(record.callId()).orElseThrow().estimatedCost()).isEqualTo(Money.inr("2"));
    }

    @Test
    @DisplayName("a maxDuration shorter than the expected talk time prices the estimate for it")
    void aShortMaxDurationShortensTheEstimate() {
        GlobalCallingManager m = manager(fake("cheap", "1.00", false));

        CallRecord record = m.call(CallRequest.to(INDIA).maxDuration(Duration.ofSeconds(60)).build());

        assertThat(record.estimatedCost()).isEqualTo(Money.inr("1"));
        assertThat(record.heldAmount()).isEqualTo(Money.inr("1"));
    }

    @Test
    @DisplayName("a record says whether the provider that took the call is simulated")
    void recordsWhetherASimulatedProviderTookTheCall() {
        CallRecord simulated = manager(fake("sim", "1.00", true)).call(CallRequest.to(INDIA).build());
        CallRecord real = manager(fake("real", "1.00", false)).call(CallRequest.to(INDIA).build());

        assertThat(simulated.simulated()).isTrue();
        assertThat(store.find(simulated.callId()).orElseThrow().simulated()).isTrue();
        assertThat(real.simulated()).isFalse();
    }

    @Test
    @DisplayName("a callback replayed five times is logged once, and a later completed changes nothing billed")
    void replayedCallbackIsLoggedOnceAndALaterOneChangesNothingBilled() {
        FakeCallProvider cheap = fake("cheap", "1.00", false);
        GlobalCallingManager m = manager(cheap);
        CallRecord record = m.call(CallRequest.to(INDIA).build());
        WebhookRequest completed = cheap.callback(record.providerCallId(), CallStatus.COMPLETED, Duration.ofSeconds(125));

        for (int i = 0; i < 5; i++) m.webhooks().handle("cheap", completed);
        CallRecord ended = store.find(record.callId()).orElseThrow();
        clock.advance(Duration.ofMinutes(5));
        m.webhooks().handle("cheap", cheap.callback(record.providerCallId(), CallStatus.COMPLETED, Duration.ofSeconds(900)));

        CallRecord after = store.find(record.callId()).orElseThrow();
        assertThat(store.events(record.callId())).filteredOn(e -> e.source().equals("cheap")).hasSize(2);
        assertThat(after.durationSeconds()).isEqualTo(125);
        assertThat(after.cost()).isEqualTo(Money.inr("3"));
        assertThat(after.endedAt()).isEqualTo(ended.endedAt());
    }

    @Test
    @DisplayName("two failovers within one clock tick are both kept in the call's log")
    void failoversWithinOneTickAreAllKept() {
        FakeCallProvider cheap = fake("cheap", "1.00", false);
        FakeCallProvider dear = fake("dear", "1.50", false);
        cheap.failNext(ProviderException.of("cheap", ErrorReason.UNAVAILABLE, "down"));
        dear.failNext(ProviderException.of("dear", ErrorReason.UNAVAILABLE, "down"));
        GlobalCallingManager m = manager(cheap, dear, fake("spare", "2.00", false));

        CallRecord record = m.call(CallRequest.to(INDIA).build());

        assertThat(record.providerId()).isEqualTo("spare");
        assertThat(store.events(record.callId())).filteredOn(e -> e.type().equals("failover"))
                .extracting(e -> e.data().get(StoredEvent.ATTEMPT)).containsExactly("1", "2");
    }
}
