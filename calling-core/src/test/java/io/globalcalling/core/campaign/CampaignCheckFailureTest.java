package io.globalcalling.core.campaign;

import io.globalcalling.CallCategory;
import io.globalcalling.CallRecord;
import io.globalcalling.CallStatus;
import io.globalcalling.ErrorReason;
import io.globalcalling.Money;
import io.globalcalling.core.GlobalCallingManager;
import io.globalcalling.core.limits.Budget;
import io.globalcalling.core.placement.CallPlacer;
import io.globalcalling.core.store.InMemoryCallStore;
import io.globalcalling.core.store.InMemoryLimitLedger;
import io.globalcalling.spi.ProviderConfig;
import io.globalcalling.spi.store.CallStore;
import io.globalcalling.spi.store.StoreException;
import io.globalcalling.spi.store.StoredEvent;
import io.globalcalling.testkit.MutableClock;
import io.globalcalling.testkit.RecordingLedger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A campaign's call asks, once it has its provider's turn, whether its campaign still runs; that re-read can fail
 * (the store briefly unreachable). No provider was asked yet, so the call is never sent on it, and its hold is
 * released exactly once rather than left for a reconciliation that a provider which cannot search never ends.
 */
class CampaignCheckFailureTest {

    private static final String INDIA = "+919876543210";
    private static final Duration LEASE = Duration.ofSeconds(30);

    private final MutableClock clock = MutableClock.at(Instant.parse("2026-01-14T09:00:00Z"));
    private final InMemoryCallStore memory = new InMemoryCallStore(clock, CallStore.DEFAULT_RETENTION);
    /** Armed, fails the campaign's re-read made once a recorded call has its provider named: the placer's check. */
    private final AtomicBoolean failCheck = new AtomicBoolean(true);
    private final CallStore store = (CallStore) Proxy.newProxyInstance(CallStore.class.getClassLoader(),
            new Class<?>[] {CallStore.class}, (proxy, method, args) -> {
                if (method.getName().equals("findCampaign") && namedButUnsent() && failCheck.compareAndSet(true, false)) {
                    throw new StoreException("the database is unreachable");
                }
                try {
                    return method.invoke(memory, args);
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
            });
    private final RecordingLedger ledger = new RecordingLedger(new InMemoryLimitLedger(), memory);
    /** Cannot search for a call it gave no id for: reconciliation can never tell it was not placed. */
    private final OutcomeProvider provider = new OutcomeProvider("op");
    private GlobalCallingManager manager;

    @AfterEach
    void close() {
        if (manager != null) manager.close();
    }

    private boolean namedButUnsent() {
        return memory.findUnendedBefore(clock.instant().plusSeconds(1), null, 10).stream()
                .anyMatch(r -> r.providerId() != null && r.providerCallId() == null);
    }

    @Test
    @DisplayName("a failing still-wanted check ends the unsent call and releases its hold once; the target is called later")
    void aFailingCheckEndsTheUnsentCallAndReleasesItsHoldOnce() {
        manager = GlobalCallingManager.builder().discoverProviders(false).config(ProviderConfig.empty()).store(store)
                .ledger(ledger).clock(clock).provider(provider).callTimeout(Duration.ofMinutes(10))
                .limits(l -> l.budgets(Budget.daily(Money.inr("1000"))))
                .campaignNode("node-a", LEASE, Duration.ZERO, 2).build();
        String id = manager.campaigns().create(NewCampaign.named("Renewals").customerId("cust-1")
                .category(CallCategory.AI_AUTOMATED).script("Hello, your plan renews soon.")
                .policy(CampaignPolicy.builder().callsPerSecond(10).maxInFlight(10).windows(CallingWindows.always())
                        .build()).build());
        manager.campaigns().addTargets(id, List.of(Target.of(INDIA)));
        manager.campaigns().start(id);

        manager.campaigns().runOnce();   // the check fails as the call waits to be sent
        assertThat(failCheck).as("the placer's check was made and failed").isFalse();
        // the lease lapses, the store is back: the target is taken up, the call timeout and any grace pass
        for (int i = 0; i < 4; i++) {
            clock.advance(LEASE.plusSeconds(1));
            manager.campaigns().runOnce();
        }
        clock.advance(Duration.ofHours(1));
        manager.reconcile();
        manager.campaigns().runOnce();

        List<CallRecord> calls = memory.findByCustomer("cust-1", null, null, 10).stream()
                .sorted(Comparator.comparing(CallRecord::createdAt)).toList();
        CallRecord unsent = calls.get(0);
        assertThat(unsent.status()).isEqualTo(CallStatus.FAILED);
        assertThat(unsent.errorReason()).isEqualTo(ErrorReason.NOT_PLACED.name());
        assertThat(unsent.providerCallId()).isNull();
        assertThat(memory.events(unsent.callId())).extracting(StoredEvent::type).contains(CallPlacer.WITHDRAWN);
        RecordingLedger.Hold hold = ledger.holds().get(unsent.callId());
        assertThat(hold.closed()).as("its hold is released").isTrue();
        assertThat(hold.closedAt().amount().signum()).isZero();
        assertThat(hold.closeRequests()).isEqualTo(1);
        assertThat(provider.received()).as("the target is called once, by a later attempt")
                .singleElement().satisfies(c -> assertThat(c.callId()).isNotEqualTo(unsent.callId()));
        assertThat(ledger.violations()).isEmpty();
    }
}
