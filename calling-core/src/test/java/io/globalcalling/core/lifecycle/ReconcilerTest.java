package io.globalcalling.core.lifecycle;

import io.globalcalling.CallCategory;
import io.globalcalling.CallRecord;
import io.globalcalling.CallStatus;
import io.globalcalling.Money;
import io.globalcalling.Priority;
import io.globalcalling.core.store.InMemoryCallStore;
import io.globalcalling.spi.CallingProvider;
import io.globalcalling.spi.store.CallUpdate;
import io.globalcalling.testkit.FakeCallProvider;
import io.globalcalling.testkit.MutableClock;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** Reconciliation of calls whose placement outcome is unknown: it asks, never guesses, and speaks up once. */
class ReconcilerTest {

    private final MutableClock clock = MutableClock.create();
    private final Instant t0 = clock.instant();
    private final InMemoryCallStore store = new InMemoryCallStore();
    private final FakeCallProvider carrier = FakeCallProvider.builder().id("p").clock(clock).build();
    private final CallLifecycle lifecycle = new CallLifecycle(store, clock, (record, event) -> Money.inr("0"));
    private final List<UnresolvedCall> unresolved = new CopyOnWriteArrayList<>();

    private Reconciler reconciler(Optional<CallingProvider> active) {
        Reconciler r = new Reconciler(store, lifecycle, id -> active.filter(p -> p.id().equals(id)), (p, c) ->
                URI.create("https://hooks.example/" + p + "/" + c), clock);
        r.onUnresolved(unresolved::add);
        return r;
    }

    /** A call whose placement answer was lost, at {@code providerId} (null: none was asked), with the provider's id when known. */
    private void unknown(String callId, String providerId, String providerCallId) {
        store.create(CallRecord.initiated(callId, "acme", CallCategory.INTERNET_VOIP, null, "+919876543210", null,
                Priority.NORMAL, null, null, Money.inr("10"), Money.inr("2"), List.of(), false, t0, Map.of()));
        CallUpdate update = CallUpdate.of(callId, t0).needsReconciliation(true);
        if (providerId != null) update = update.provider(providerId, providerCallId);
        store.update(update);
    }

    @Test
    void aCallWhoseProviderIdIsKnownIsFetchedAndSettled() {
        carrier.acceptNext("P-9");
        var placed = carrier.place(io.globalcalling.spi.OutboundCall.builder("c1", CallCategory.INTERNET_VOIP,
                io.globalcalling.CallRequest.to("+919876543210").build()).build());
        unknown("c1", "p", placed.providerCallId());
        carrier.callback(placed.providerCallId(), CallStatus.BUSY);   // the call went on at the provider

        assertThat(reconciler(Optional.of(carrier)).reconcile()).isEqualTo(1);

        CallRecord after = store.find("c1").orElseThrow();
        assertThat(after.status()).isEqualTo(CallStatus.BUSY);
        assertThat(after.needsReconciliation()).isFalse();
    }

    @Test
    void aCallNoActiveProviderCanLookUpIsReportedOnceAfterTheGraceNamingWhy() {
        unknown("gone", "retired", "R-1");
        unknown("unsent", null, null);
        Reconciler r = reconciler(Optional.of(carrier));

        clock.advance(Duration.ofMinutes(2));   // exactly the default grace: not yet overdue
        r.reconcile();
        assertThat(unresolved).isEmpty();

        clock.advance(Duration.ofSeconds(1));
        r.reconcile();
        r.reconcile();

        assertThat(unresolved).extracting(u -> u.record().callId() + ": " + u.reason()).containsExactlyInAnyOrder(
                "gone: provider 'retired' is not active", "unsent: no provider was asked");
        assertThat(store.find("gone").orElseThrow().needsReconciliation()).isTrue();
        assertThat(store.events("gone")).filteredOn(e -> e.type().equals("unresolved")).hasSize(1);
    }
}
