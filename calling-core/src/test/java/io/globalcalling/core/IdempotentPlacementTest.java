package io.globalcalling.core;

import io.globalcalling.CallCategory;
import io.globalcalling.CallRecord;
import io.globalcalling.CallRequest;
import io.globalcalling.CallStatus;
import io.globalcalling.ErrorReason;
import io.globalcalling.Money;
import io.globalcalling.core.GlobalCallingManagerTest.DelegatingProvider;
import io.globalcalling.core.placement.Resend;
import io.globalcalling.core.store.InMemoryCallStore;
import io.globalcalling.spi.CallingProvider;
import io.globalcalling.spi.OutboundCall;
import io.globalcalling.spi.PlacedCall;
import io.globalcalling.spi.ProviderCapabilities;
import io.globalcalling.spi.ProviderConfig;
import io.globalcalling.spi.ProviderException;
import io.globalcalling.spi.Rate;
import io.globalcalling.spi.store.StoredEvent;
import io.globalcalling.testkit.FakeCallProvider;
import io.globalcalling.testkit.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** A provider that deduplicates by our call id gets an unknown outcome sent again; no other provider ever does. */
class IdempotentPlacementTest {

    private static final String INDIA = "+919876543210";

    private final MutableClock clock = MutableClock.create();
    private final InMemoryCallStore store = new InMemoryCallStore();
    private final List<Duration> waits = new CopyOnWriteArrayList<>();
    private final List<GlobalCallingManager> managers = new ArrayList<>();
    private final FakeCallProvider cheap = fake("cheap", "1.00");
    private final FakeCallProvider dear = fake("dear", "1.50");

    @AfterEach
    void close() {
        managers.forEach(GlobalCallingManager::close);
    }

    private FakeCallProvider fake(String id, String perMinute) {
        return FakeCallProvider.builder().id(id).clock(clock).categories(CallCategory.INTERNET_VOIP)
                .rate(Rate.perMinute(CallCategory.INTERNET_VOIP, "", Money.inr(perMinute))).build();
    }

    /** The manager waits by moving the test clock: no real sleeping. */
    private GlobalCallingManager manager(CallingProvider... providers) {
        GlobalCallingManager.Builder b = GlobalCallingManager.builder().discoverProviders(false)
                .config(ProviderConfig.empty()).store(store).clock(clock)
                .resend(new Resend(3, Duration.ofMillis(250), d -> {
                    waits.add(d);
                    clock.advance(d);
                }));
        for (CallingProvider p : providers) b.provider(p);
        GlobalCallingManager m = b.build();
        managers.add(m);
        return m;
    }

    /** Answers the first {@code unanswered} sends with OUTCOME_UNKNOWN (or all, when negative), then places the call. */
    private static final class Scripted extends DelegatingProvider {
        private final boolean idempotent;
        private final int unanswered;
        private final List<OutboundCall> sends = new CopyOnWriteArrayList<>();
        private final AtomicInteger count = new AtomicInteger();

        Scripted(CallingProvider delegate, boolean idempotent, int unanswered) {
            super(delegate);
            this.idempotent = idempotent;
            this.unanswered = unanswered;
        }

        @Override
        public ProviderCapabilities capabilities() {
            return super.capabilities().toBuilder().idempotentPlacement(idempotent).build();
        }

        @Override
        public PlacedCall place(OutboundCall call) {
            sends.add(call);
            if (unanswered < 0 || count.incrementAndGet() <= unanswered) {
                throw ProviderException.of(id(), ErrorReason.OUTCOME_UNKNOWN, "read timed out after sending");
            }
            return super.place(call);
        }
    }

    @Test
    void anIdempotentProviderThatTimesOutTwiceIsSentTheSameCallAgainAndTakesIt() {
        Scripted deduplicating = new Scripted(cheap, true, 2);
        CallRecord record = manager(deduplicating, dear).call(CallRequest.to(INDIA).build());

        assertThat(deduplicating.sends).hasSize(3).allSatisfy(sent -> {
            assertThat(sent.callId()).isEqualTo(record.callId());
            assertThat(sent.attempt()).isEqualTo(1);
        });
        assertThat(record.status()).isEqualTo(CallStatus.QUEUED);
        assertThat(record.providerId()).isEqualTo("cheap");
        assertThat(record.providerCallId()).startsWith("FAKE-");
        assertThat(record.needsReconciliation()).isFalse();
        assertThat(dear.receivedCalls()).isEmpty();
        assertThat(waits).containsExactly(Duration.ofMillis(250), Duration.ofMillis(500));
        assertThat(store.events(record.callId())).extracting(StoredEvent::type)
                .contains("placed").doesNotContain("failover", "outcome_unknown");
        assertThat(store.events(record.callId())).filteredOn(e -> e.type().equals("placed"))
                .singleElement().satisfies(e -> assertThat(e.data()).containsEntry("tries", "3"));
    }

    @Test
    void anIdempotentProviderThatNeverAnswersIsTriedABoundedNumberOfTimesThenReconciled() {
        Scripted deduplicating = new Scripted(cheap, true, -1);
        CallRecord record = manager(deduplicating, dear).call(CallRequest.to(INDIA).build());

        assertThat(deduplicating.sends).hasSize(3).extracting(OutboundCall::callId).containsOnly(record.callId());
        assertThat(record.needsReconciliation()).isTrue();
        assertThat(record.status()).isEqualTo(CallStatus.INITIATED);
        assertThat(record.errorReason()).isEqualTo(ErrorReason.OUTCOME_UNKNOWN.name());
        assertThat(dear.receivedCalls()).isEmpty();
        assertThat(store.events(record.callId())).extracting(StoredEvent::type).doesNotContain("failover");
    }

    @Test
    void aProviderThatDoesNotDeduplicateIsSentACallOnceOnly() {
        Scripted plain = new Scripted(cheap, false, 2);
        CallRecord record = manager(plain, dear).call(CallRequest.to(INDIA).build());

        assertThat(plain.sends).hasSize(1);
        assertThat(record.needsReconciliation()).isTrue();
        assertThat(dear.receivedCalls()).isEmpty();
        assertThat(waits).isEmpty();
    }

    @Test
    void aDefiniteRefusalOfASecondSendStillLeavesTheCallToReconciliationNotToAnotherProvider() {
        AtomicInteger sends = new AtomicInteger();
        CallingProvider deduplicating = new DelegatingProvider(cheap) {
            @Override
            public ProviderCapabilities capabilities() {
                return super.capabilities().toBuilder().idempotentPlacement(true).build();
            }

            @Override
            public PlacedCall place(OutboundCall call) {
                throw sends.incrementAndGet() == 1
                        ? ProviderException.of(id(), ErrorReason.OUTCOME_UNKNOWN, "read timed out after sending")
                        : ProviderException.of(id(), ErrorReason.AUTHENTICATION, "token expired");
            }
        };
        CallRecord record = manager(deduplicating, dear).call(CallRequest.to(INDIA).build());

        assertThat(sends).hasValue(2);                        // the refusal ends the re-sending
        assertThat(record.needsReconciliation()).isTrue();    // the first send may still have been taken
        assertThat(dear.receivedCalls()).isEmpty();
    }
}
