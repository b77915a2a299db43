package io.globalcalling.core.lifecycle;

import io.globalcalling.CallCategory;
import io.globalcalling.CallRecord;
import io.globalcalling.CallStatus;
import io.globalcalling.Money;
import io.globalcalling.Priority;
import io.globalcalling.core.cost.FxTable;
import io.globalcalling.core.limits.CallLimits;
import io.globalcalling.core.placement.CallPlacer;
import io.globalcalling.core.routing.ProviderCatalog;
import io.globalcalling.core.routing.QualityTracker;
import io.globalcalling.core.store.InMemoryCallStore;
import io.globalcalling.spi.CallingProvider;
import io.globalcalling.spi.store.CallUpdate;
import io.globalcalling.testkit.FakeCallProvider;
import io.globalcalling.testkit.MutableClock;
import io.globalcalling.testkit.ScriptedProvider;
import io.globalcalling.testkit.ScriptedProvider.Outcome;
import io.globalcalling.CallRequest;
import io.globalcalling.ErrorReason;
import io.globalcalling.spi.OutboundCall;
import io.globalcalling.spi.PlacementSearch;
import io.globalcalling.spi.ProviderException;
import io.globalcalling.spi.CallEvent;
import io.globalcalling.spi.store.StoreException;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Reconciliation of calls whose placement outcome is unknown: it asks, never guesses, and speaks up once. */
class ReconcilerTest {

    private static final Duration CALL_TIMEOUT = Duration.ofHours(6);

    private final MutableClock clock = MutableClock.create();
    private final Instant t0 = clock.instant();
    private final InMemoryCallStore store = new InMemoryCallStore();
    private final FakeCallProvider carrier = FakeCallProvider.builder().id("p").clock(clock).build();
    /** Each end the lifecycle settled: "callId event=..., providerCallId=..."; no event and no provider id is a release. */
    private final List<String> settled = new CopyOnWriteArrayList<>();
    private final CallLifecycle lifecycle = new CallLifecycle(store, clock, (record, event) -> {
        settled.add(record.callId() + " event=" + (event == null ? null : event.status())
                + ", providerCallId=" + record.providerCallId());
        return Money.inr("0");
    });
    /** Declares a search lag of 5 minutes. */
    private final ScriptedProvider lagging = ScriptedProvider.builder().id("s").clock(clock)
            .reconcileGrace(Duration.ofMinutes(5)).build();
    private final List<UnresolvedCall> unresolved = new CopyOnWriteArrayList<>();

    private Reconciler reconciler(Optional<CallingProvider> active) {
        return reconciler(lifecycle, active);
    }

    private Reconciler reconciler(CallLifecycle lifecycle, Optional<CallingProvider> active) {
        Reconciler r = new Reconciler(store, lifecycle, id -> active.filter(p -> p.id().equals(id)), (p, c) ->
                URI.create("https://hooks.example/" + p + "/" + c), clock, CALL_TIMEOUT);
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

    /** A call the provider took, whose callbacks never came: the record still says queued, not flagged. */
    private String takenButNeverReported(CallStatus truth) {
        carrier.acceptNext("P-7");
        var placed = carrier.place(io.globalcalling.spi.OutboundCall.builder("c7", CallCategory.INTERNET_VOIP,
                io.globalcalling.CallRequest.to("+919876543210").build()).build());
        store.create(CallRecord.initiated("c7", "acme", CallCategory.INTERNET_VOIP, null, "+919876543210", null,
                Priority.NORMAL, null, null, Money.inr("10"), Money.inr("2"), List.of(), false, t0, Map.of()));
        store.update(CallUpdate.of("c7", t0).status(CallStatus.QUEUED).provider("p", placed.providerCallId()));
        carrier.callback(placed.providerCallId(), truth);
        return "c7";
    }

    @Test
    void aCallWhoseEndWasNeverReportedIsAskedOfItsProviderOnceTheCallTimeoutHasPassed() {
        String callId = takenButNeverReported(CallStatus.COMPLETED);
        Reconciler r = reconciler(Optional.of(carrier));

        clock.advance(CALL_TIMEOUT);   // exactly the timeout: not yet
        assertThat(r.reconcile()).isZero();
        assertThat(store.find(callId).orElseThrow().status()).isEqualTo(CallStatus.QUEUED);

        clock.advance(Duration.ofSeconds(1));
        assertThat(r.reconcile()).isEqualTo(1);

        CallRecord after = store.find(callId).orElseThrow();
        assertThat(after.status()).isEqualTo(CallStatus.COMPLETED);
        assertThat(after.needsReconciliation()).isFalse();
        assertThat(settled).containsExactly("c7 event=COMPLETED, providerCallId=P-7");
    }

    /**
     * A provider that keeps what it sent only while it runs (Iridium) tells what became of a call from when it was
     * handed over: the time its answer was recorded, not the record's last change, which the pass that flags the
     * overdue call moves on by the call timeout or more.
     */
    @Test
    void aProviderIsToldWhenTheCallWasHandedOverNotWhenItWasLastFlagged() {
        lagging.next(Outcome.accept(CallStatus.QUEUED));
        String providerCallId = lagging.place(OutboundCall.builder("q1", CallCategory.INTERNET_VOIP,
                CallRequest.to("+919876543210").build()).build()).providerCallId();
        store.create(CallRecord.initiated("q1", "acme", CallCategory.INTERNET_VOIP, null, "+919876543210", null,
                Priority.NORMAL, null, null, Money.inr("10"), Money.inr("2"), List.of(), false, t0, Map.of()));
        Instant answered = t0.plusSeconds(3);
        store.appendEvent(new io.globalcalling.spi.store.StoredEvent("q1", "core", CallPlacer.PLACED, CallStatus.QUEUED,
                answered, Map.of("provider", "s", "providerCallId", providerCallId)));
        store.update(CallUpdate.of("q1", answered).status(CallStatus.QUEUED).provider("s", providerCallId));
        List<Instant> told = new CopyOnWriteArrayList<>();
        CallingProvider forgetful = new ScriptedProviderView(lagging) {
            @Override
            public Optional<CallEvent> fetch(String id, Instant sentUntil) {
                told.add(sentUntil);
                return Optional.empty();   // a restarted provider knows nothing of it
            }
        };
        Reconciler r = reconciler(Optional.of(forgetful));

        clock.advance(CALL_TIMEOUT.plusHours(1));
        r.reconcile();
        clock.advance(Duration.ofHours(1));
        r.reconcile();

        assertThat(told).hasSize(2).containsOnly(answered);
    }

    @Test
    void anEndReconciliationFoundWhoseSettlementFailedIsSettledByTheNextPass() {
        AtomicInteger attempts = new AtomicInteger();
        CallLifecycle flaky = new CallLifecycle(store, clock, (record, event) -> {
            if (attempts.incrementAndGet() == 1) throw new StoreException("ledger unreachable");
            settled.add(record.callId() + " event=" + (event == null ? null : event.status()));
            return Money.inr("4");
        });
        String callId = takenButNeverReported(CallStatus.COMPLETED);
        Reconciler r = new Reconciler(store, flaky, id -> Optional.<CallingProvider>of(carrier).filter(p -> p.id().equals(id)),
                (p, c) -> URI.create("https://hooks.example/" + p + "/" + c), clock, CALL_TIMEOUT);
        clock.advance(CALL_TIMEOUT.plusSeconds(1));

        // the provider says the call ended, but its hold could not be settled: no callback will come to retry it
        assertThatThrownBy(r::reconcile).hasMessageContaining("ledger unreachable");
        assertThat(store.find(callId).orElseThrow().cost()).isNull();

        r.reconcile();

        CallRecord after = store.find(callId).orElseThrow();
        assertThat(after.status()).isEqualTo(CallStatus.COMPLETED);
        assertThat(after.cost()).isEqualTo(Money.inr("4"));
        assertThat(after.needsReconciliation()).isFalse();
        assertThat(settled).containsExactly("c7 event=COMPLETED");
    }

    /**
     * The provider's callback ended the call (completed, 60 s, 7 INR) while the ledger was down; asked again, the
     * provider now says failed. The stored end stands, so the fetched one settles nothing: the pass must settle the
     * stored end, once, at what its report said, rather than clear the flag and leave the hold held for good.
     */
    @Test
    void aProvidersEndWhoseSettlementFailedIsSettledOnceAsStoredWhenItsFetchReportsAnotherEnd() {
        List<String> settledAs = new CopyOnWriteArrayList<>();
        AtomicInteger attempts = new AtomicInteger();
        CallLifecycle ledgerDown = new CallLifecycle(store, clock, (record, event) -> {
            if (attempts.incrementAndGet() == 1) throw new StoreException("ledger unreachable");
            settledAs.add(record.callId() + " " + record.status() + " event=" + (event == null ? null
                    : event.status() + " " + event.duration() + " " + event.price()));
            return Money.inr("7");
        });
        String callId = takenButNeverReported(CallStatus.FAILED);   // what a fetch of the call says now
        CallEvent completed = CallEvent.builder("p", t0.plusSeconds(90)).providerCallId("P-7").callId(callId)
                .status(CallStatus.COMPLETED).duration(Duration.ofSeconds(60)).price(Money.inr("7")).build();
        assertThatThrownBy(() -> ledgerDown.apply(completed)).hasMessageContaining("ledger unreachable");
        Reconciler r = reconciler(ledgerDown, Optional.of(carrier));

        assertThat(r.reconcile()).isEqualTo(1);
        r.reconcile();

        CallRecord after = store.find(callId).orElseThrow();
        assertThat(after.status()).isEqualTo(CallStatus.COMPLETED);
        assertThat(after.durationSeconds()).isEqualTo(60);
        assertThat(after.cost()).isEqualTo(Money.inr("7"));
        assertThat(after.needsReconciliation()).isFalse();
        assertThat(settledAs).containsExactly("c7 COMPLETED event=COMPLETED PT1M 7 INR");
    }

    /**
     * The provider's callback ended the call with its price (7 INR) while the ledger was down; asked again, the
     * provider reports the same end without a price (its fetch has none yet, or none at all). The price the callback
     * reported must still be what settles it, not the deck.
     */
    @Test
    void aProvidersEndWhoseSettlementFailedKeepsItsReportedPriceWhenItsFetchHasNone() {
        List<String> settledAs = new CopyOnWriteArrayList<>();
        AtomicInteger attempts = new AtomicInteger();
        CallLifecycle ledgerDown = new CallLifecycle(store, clock, (record, event) -> {
            if (attempts.incrementAndGet() == 1) throw new StoreException("ledger unreachable");
            settledAs.add(record.callId() + " " + record.status() + " price=" + (event == null ? null : event.price()));
            return event != null && event.price() != null ? event.price() : Money.inr("1");
        });
        String callId = takenButNeverReported(CallStatus.COMPLETED);   // the carrier's fetch reports no price
        CallEvent completed = CallEvent.builder("p", t0.plusSeconds(90)).providerCallId("P-7").callId(callId)
                .status(CallStatus.COMPLETED).duration(Duration.ofSeconds(60)).price(Money.inr("7")).build();
        assertThatThrownBy(() -> ledgerDown.apply(completed)).hasMessageContaining("ledger unreachable");

        assertThat(reconciler(ledgerDown, Optional.of(carrier)).reconcile()).isEqualTo(1);

        CallRecord after = store.find(callId).orElseThrow();
        assertThat(after.cost()).isEqualTo(Money.inr("7"));
        assertThat(after.needsReconciliation()).isFalse();
        assertThat(settledAs).containsExactly("c7 COMPLETED price=7 INR");
    }

    /** A call the lagging provider took, recorded as queued, that has ended there at {@code price}; its end was never reported. */
    private void endedAtTheLaggingProvider(String callId, Money price) {
        lagging.next(Outcome.accept(CallStatus.QUEUED));
        String providerCallId = lagging.place(OutboundCall.builder(callId, CallCategory.INTERNET_VOIP,
                CallRequest.to("+919876543210").build()).build()).providerCallId();
        store.create(CallRecord.initiated(callId, "acme", CallCategory.INTERNET_VOIP, null, "+919876543210", null,
                Priority.NORMAL, null, null, Money.inr("10"), Money.inr("2"), List.of(), false, t0, Map.of()));
        store.update(CallUpdate.of(callId, t0).status(CallStatus.QUEUED).provider("s", providerCallId));
        lagging.advance(providerCallId, CallStatus.COMPLETED, Duration.ofSeconds(60), price);
    }

    /**
     * The oldest call's settlement fails every time for a reason of its own (its rate is in a currency the FX table
     * has no rate for, which the table was configured without after routing chose it). That must not end the pass:
     * the calls behind it would never be settled.
     */
    @Test
    void aSettlementThatFailsForOneCallDoesNotKeepThePassFromTheCallsBehindIt() {
        Settlement settlement = new Settlement(CallLimits.builder().build(), FxTable.defaults(),
                QualityTracker.ofDefaults(clock), id -> Optional.<CallingProvider>of(lagging).filter(p -> p.id().equals(id)),
                ProviderCatalog.of(List.of(lagging)), store);
        CallLifecycle.TerminalHandler oneCallFails = (record, event) -> {
            if (record.callId().equals("a-aud")) throw new IllegalArgumentException("no exchange rate from AUD to INR");
            return settlement.settle(record, event);
        };
        endedAtTheLaggingProvider("a-aud", Money.inr("1"));
        endedAtTheLaggingProvider("b-inr", Money.inr("5"));
        Reconciler r = reconciler(new CallLifecycle(store, clock, oneCallFails), Optional.of(lagging));
        clock.advance(CALL_TIMEOUT.plusSeconds(1));

        assertThatCode(r::reconcile).doesNotThrowAnyException();
        assertThatCode(r::reconcile).doesNotThrowAnyException();

        CallRecord settledOne = store.find("b-inr").orElseThrow();
        assertThat(settledOne.status()).isEqualTo(CallStatus.COMPLETED);
        assertThat(settledOne.cost()).isEqualTo(Money.inr("5"));
        assertThat(settledOne.needsReconciliation()).isFalse();
        CallRecord failing = store.find("a-aud").orElseThrow();
        assertThat(failing.cost()).isNull();
        assertThat(failing.needsReconciliation()).as("left for a later pass, once an AUD rate is configured").isTrue();
    }

    /**
     * A call whose settlement fails in every pass for a reason of its own is left flagged, its hold held, for a later
     * pass: a person must be told once it is overdue, as of any other call the reconciler cannot resolve, not only
     * read a log line each pass.
     */
    @Test
    void aCallWhoseSettlementFailsInEveryPassIsReportedOnceItIsOverdue() {
        CallLifecycle.TerminalHandler alwaysFails = (record, event) -> {
            throw new IllegalArgumentException("no exchange rate from AUD to INR");
        };
        endedAtTheLaggingProvider("stuck", Money.inr("1"));
        Reconciler r = reconciler(new CallLifecycle(store, clock, alwaysFails), Optional.of(lagging));
        clock.advance(CALL_TIMEOUT.plusSeconds(1));

        r.reconcile();   // the end is applied; settling it fails
        assertThat(unresolved).as("within the provider's grace of the end").isEmpty();

        clock.advance(Duration.ofMinutes(5).plusSeconds(1));
        r.reconcile();
        r.reconcile();

        CallRecord after = store.find("stuck").orElseThrow();
        assertThat(after.needsReconciliation()).isTrue();
        assertThat(after.cost()).isNull();
        assertThat(unresolved).singleElement().satisfies(u -> {
            assertThat(u.record().callId()).isEqualTo("stuck");
            assertThat(u.reason()).contains("no exchange rate from AUD to INR");
        });
        assertThat(store.events("stuck")).filteredOn(e -> e.type().equals("unresolved")).hasSize(1);
    }

    /**
     * A call reported unresolved while its outcome was unknown, whose provider then reports its end, which cannot be
     * settled in any pass: its hold stays held, a second problem a host chasing held money through onUnresolved must
     * hear of. It is reported once more, naming why, and not again after that.
     */
    @Test
    void aCallReportedUnknownWhoseEndThenCannotBeSettledIsReportedAgainOnce() {
        CallLifecycle alwaysFails = new CallLifecycle(store, clock, (record, event) -> {
            throw new IllegalArgumentException("no exchange rate from AUD to INR");
        });
        unknown("twice", "p", null);   // the carrier cannot search: its outcome stays unknown
        Reconciler r = reconciler(alwaysFails, Optional.of(carrier));
        clock.advance(Duration.ofHours(1));
        r.reconcile();
        assertThat(unresolved).singleElement().satisfies(u -> assertThat(u.reason()).contains("cannot search"));

        // the provider's callback ends the call after all; settling it fails, now and in every pass
        CallEvent end = CallEvent.builder("p", clock.instant()).callId("twice").providerCallId("P-2")
                .status(CallStatus.COMPLETED).duration(Duration.ofSeconds(60)).build();
        assertThatThrownBy(() -> alwaysFails.apply(end)).hasMessageContaining("no exchange rate");
        clock.advance(Duration.ofMinutes(2).plusSeconds(1));
        r.reconcile();
        r.reconcile();

        CallRecord after = store.find("twice").orElseThrow();
        assertThat(after.status()).isEqualTo(CallStatus.COMPLETED);
        assertThat(after.cost()).isNull();
        assertThat(after.needsReconciliation()).isTrue();
        assertThat(unresolved).hasSize(2);
        assertThat(unresolved.get(1).reason()).contains("no exchange rate from AUD to INR");
        assertThat(unresolved.get(1).record().status()).isEqualTo(CallStatus.COMPLETED);
        assertThat(store.events("twice")).filteredOn(e -> e.type().equals("unresolved")).hasSize(2);
    }

    /**
     * The provider, asked about a call whose outcome was unknown, says it is ringing; meanwhile the call's end comes
     * by callback and its settlement fails (the callback is answered 500, and the provider may never send it again).
     * The provider's answer must not unflag the call: the flag is all that leaves its settlement to a later pass.
     */
    @Test
    void aCallThatEndsWhileItsProviderIsAskedStaysFlaggedUntilItsSettlementIsDone() {
        CallLifecycle ledgerDown = ledgerDownOnce(Money.inr("1"));
        lagging.next(Outcome.accept(CallStatus.QUEUED));
        String providerCallId = lagging.place(OutboundCall.builder("mid", CallCategory.INTERNET_VOIP,
                CallRequest.to("+919876543210").build()).build()).providerCallId();
        lagging.advance(providerCallId, CallStatus.RINGING);
        unknown("mid", "s", providerCallId);
        CallEvent end = CallEvent.builder("s", t0.plusSeconds(90)).callId("mid").providerCallId(providerCallId)
                .status(CallStatus.COMPLETED).duration(Duration.ofSeconds(60)).build();
        AtomicInteger asked = new AtomicInteger();
        CallingProvider endsWhileAsked = new ScriptedProviderView(lagging) {
            @Override
            public Optional<CallEvent> fetch(String id) {
                Optional<CallEvent> ringing = super.fetch(id);   // its answer, before the call ended
                if (asked.incrementAndGet() == 1) {
                    assertThatThrownBy(() -> ledgerDown.apply(end)).hasMessageContaining("ledger unreachable");
                }
                return ringing;
            }
        };
        Reconciler r = reconciler(ledgerDown, Optional.of(endsWhileAsked));

        r.reconcile();

        CallRecord ended = store.find("mid").orElseThrow();
        assertThat(ended.status()).isEqualTo(CallStatus.COMPLETED);
        assertThat(ended.cost()).isNull();
        assertThat(ended.needsReconciliation()).as("its settlement is not done").isTrue();
        r.reconcile();
        assertThat(store.find("mid").orElseThrow().cost()).isEqualTo(Money.inr("1"));
        assertThat(settled).containsExactly("mid event=COMPLETED");
    }

    /**
     * Every node runs reconciliation. Passes on two nodes that find the same overdue call at once (each reads its log
     * before either reports it) must report it once between them, not once each.
     */
    @Test
    void twoNodesFindingTheSameOverdueCallAtOnceReportItOnce() throws Exception {
        unknown("shared", "p", null);   // the carrier cannot search
        clock.advance(Duration.ofHours(1));
        java.util.concurrent.CountDownLatch bothRead = new java.util.concurrent.CountDownLatch(2);
        io.globalcalling.spi.store.CallStore readingTogether = (io.globalcalling.spi.store.CallStore)
                java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                        new Class<?>[] {io.globalcalling.spi.store.CallStore.class}, (proxy, method, args) -> {
                            Object result;
                            try {
                                result = method.invoke(store, args);
                            } catch (java.lang.reflect.InvocationTargetException e) {
                                throw e.getCause();
                            }
                            if (method.getName().equals("events")) {
                                bothRead.countDown();
                                assertThat(bothRead.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
                            }
                            return result;
                        });
        List<Reconciler> nodes = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 2; i++) {
            Reconciler node = new Reconciler(readingTogether, lifecycle, id -> Optional.<CallingProvider>of(carrier)
                    .filter(p -> p.id().equals(id)), (p, c) -> URI.create("https://hooks.example/" + p + "/" + c), clock,
                    CALL_TIMEOUT);
            node.onUnresolved(unresolved::add);
            nodes.add(node);
        }
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            var first = pool.submit(() -> nodes.get(0).reconcile());
            var second = pool.submit(() -> nodes.get(1).reconcile());
            first.get(20, java.util.concurrent.TimeUnit.SECONDS);
            second.get(20, java.util.concurrent.TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }

        assertThat(unresolved).hasSize(1);
        assertThat(store.events("shared")).filteredOn(e -> e.type().equals("unresolved")).hasSize(1);
    }

    /**
     * The same when the provider's look-up failed on each node with an error of its own (a timeout on one, a reset
     * connection on the other): the reasons differ, and the call is still reported once between the two nodes.
     */
    @Test
    void twoNodesWhoseLookUpsFailDifferentlyStillReportTheOverdueCallOnce() throws Exception {
        unknown("apart", "w", null);
        clock.advance(Duration.ofHours(1));
        java.util.concurrent.CyclicBarrier bothRead = new java.util.concurrent.CyclicBarrier(2);
        io.globalcalling.spi.store.CallStore readingTogether = (io.globalcalling.spi.store.CallStore)
                java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                        new Class<?>[] {io.globalcalling.spi.store.CallStore.class}, (proxy, method, args) -> {
                            Object result;
                            try {
                                result = method.invoke(store, args);
                            } catch (java.lang.reflect.InvocationTargetException e) {
                                throw e.getCause();
                            }
                            if (method.getName().equals("events")) bothRead.await(10, java.util.concurrent.TimeUnit.SECONDS);
                            return result;
                        });
        List<Reconciler> nodes = new CopyOnWriteArrayList<>();
        for (String error : List.of("connect timed out", "connection reset")) {
            CallingProvider failing = new ScriptedProviderView(ScriptedProvider.builder().id("w").clock(clock).build()) {
                @Override
                public PlacementSearch findPlaced(OutboundCall call, Instant sentFrom, Instant sentUntil) {
                    throw ProviderException.of("w", ErrorReason.UNAVAILABLE, error);
                }
            };
            Reconciler node = new Reconciler(readingTogether, lifecycle, id -> Optional.of(failing)
                    .filter(p -> p.id().equals(id)), (p, c) -> URI.create("https://hooks.example/" + p + "/" + c), clock,
                    CALL_TIMEOUT);
            node.onUnresolved(unresolved::add);
            nodes.add(node);
        }
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            var first = pool.submit(() -> nodes.get(0).reconcile());
            var second = pool.submit(() -> nodes.get(1).reconcile());
            first.get(20, java.util.concurrent.TimeUnit.SECONDS);
            second.get(20, java.util.concurrent.TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }

        assertThat(unresolved).singleElement().extracting(UnresolvedCall::reason).asString().contains("failed");
        assertThat(store.events("apart")).filteredOn(e -> e.type().equals("unresolved")).singleElement()
                .satisfies(e -> assertThat(e.data().get("reason")).isEqualTo(unresolved.get(0).reason()));
    }

    /** What the day's budget of customer acme has used: its holds and its settled costs. */
    private static Money usedToday(CallLimits limits) {
        return limits.budgetUsage("acme").stream().filter(u -> u.period().equals("day")).findFirst().orElseThrow().used();
    }

    /**
     * The provider priced the call (60 s) at 1.20 AUD, and the FX table has no AUD rate: settling at that price fails
     * in every pass, so the call's 10 INR hold would stay held for good. It is settled once, at the deck's price for
     * its talk time (1 INR), as an end reported without a price is, and the provider's price stays in the call's log.
     */
    @Test
    void aProviderPriceTheFxTableCannotConvertIsSettledOnceAtTheDeckAndKeptInTheLog() {
        CallLimits limits = CallLimits.builder().clock(clock).rateWindows()
                .budgets(io.globalcalling.core.limits.Budget.daily(Money.inr("1000"))).build();
        Settlement settlement = new Settlement(limits, FxTable.defaults(), QualityTracker.ofDefaults(clock),
                id -> Optional.<CallingProvider>of(lagging).filter(p -> p.id().equals(id)),
                ProviderCatalog.of(List.of(lagging)), store);
        limits.admit("a-aud", CallRequest.to("+919876543210").customerId("acme").build(), CallCategory.INTERNET_VOIP,
                Money.inr("0"), Money.inr("10"));
        endedAtTheLaggingProvider("a-aud", Money.of("1.20", "AUD"));
        Reconciler r = reconciler(new CallLifecycle(store, clock, settlement), Optional.of(lagging));
        clock.advance(CALL_TIMEOUT.plusSeconds(1));

        r.reconcile();
        r.reconcile();

        CallRecord after = store.find("a-aud").orElseThrow();
        assertThat(after.status()).isEqualTo(CallStatus.COMPLETED);
        assertThat(after.cost()).isEqualTo(Money.inr("1"));
        assertThat(after.needsReconciliation()).isFalse();
        assertThat(usedToday(limits)).as("the hold settled at the deck's price").isEqualTo(Money.inr("1"));
        assertThat(store.events("a-aud")).filteredOn(e -> "s".equals(e.source()) && e.status() == CallStatus.COMPLETED)
                .first().satisfies(e -> assertThat(e.data()).containsEntry("price", Money.of("1.20", "AUD").toString()));
        assertThat(store.events("a-aud")).filteredOn(e -> e.type().equals(Settlement.PRICE_NOT_CONVERTED)).singleElement()
                .satisfies(e -> assertThat(e.data()).containsEntry("price", Money.of("1.20", "AUD").toString())
                        .containsEntry("cost", after.cost().toString()));
    }

    /**
     * A lifecycle whose first settlement fails as a ledger does when its database is unreachable (a StoreException,
     * which ends a pass); later ones are recorded.
     */
    private CallLifecycle ledgerDownOnce(Money cost) {
        AtomicInteger attempts = new AtomicInteger();
        return new CallLifecycle(store, clock, (record, event) -> {
            if (attempts.incrementAndGet() == 1) throw new StoreException("ledger unreachable");
            settled.add(record.callId() + " event=" + (event == null ? null : event.status()));
            return cost;
        });
    }

    /**
     * A call {@code providerId} took ({@code providerCallId}, null when it gave none) and whose end it reported (60 s,
     * at {@code price} when not null), while the ledger was down: the end is stored and flagged, with no cost.
     */
    private void endedWhileTheLedgerWasDown(CallLifecycle ledgerDown, String callId, String providerId,
                                            String providerCallId, Money price) {
        unknown(callId, providerId, providerCallId);
        CallEvent end = CallEvent.builder(providerId, t0.plusSeconds(90)).callId(callId).providerCallId(providerCallId)
                .status(CallStatus.COMPLETED).duration(Duration.ofSeconds(60)).price(price).build();
        assertThatThrownBy(() -> ledgerDown.apply(end)).hasMessageContaining("ledger unreachable");
        assertThat(store.find(callId).orElseThrow().needsReconciliation()).isTrue();
    }

    /**
     * Its provider reported the end, but asked again it has no such call (it keeps calls for a while only): no later
     * pass can learn more, so once the provider's grace has passed the end is settled, once, as its report said (as
     * the callback would have settled it, at its talk time), rather than left with its hold held for good.
     */
    @Test
    void aProvidersEndItsFetchNoLongerFindsIsSettledAsReportedOnceOverdue() {
        CallLifecycle ledgerDown = ledgerDownOnce(Money.inr("1"));
        endedWhileTheLedgerWasDown(ledgerDown, "purged", "p", "P-404", null);   // the carrier has no call P-404
        Reconciler r = reconciler(ledgerDown, Optional.of(carrier));

        assertThat(r.reconcile()).as("within the provider's grace: it may still be listed").isZero();
        clock.advance(Duration.ofMinutes(2).plusSeconds(1));
        assertThat(r.reconcile()).isEqualTo(1);
        assertThat(r.reconcile()).isZero();

        CallRecord after = store.find("purged").orElseThrow();
        assertThat(after.status()).isEqualTo(CallStatus.COMPLETED);
        assertThat(after.durationSeconds()).isEqualTo(60);
        assertThat(after.cost()).isEqualTo(Money.inr("1"));
        assertThat(after.needsReconciliation()).isFalse();
        assertThat(settled).containsExactly("purged event=COMPLETED");
        assertThat(store.events("purged")).filteredOn(e -> e.type().equals("settled_as_reported")).singleElement()
                .satisfies(e -> assertThat(e.data().get("reason")).contains("P-404"));
    }

    /** The same when the provider that reported the end, with its price, is no longer active: the price is known. */
    @Test
    void aPricedEndOfAProviderNoLongerActiveIsSettledAsReportedOnceOverdue() {
        List<String> prices = new CopyOnWriteArrayList<>();
        AtomicInteger attempts = new AtomicInteger();
        CallLifecycle ledgerDown = new CallLifecycle(store, clock, (record, event) -> {
            if (attempts.incrementAndGet() == 1) throw new StoreException("ledger unreachable");
            prices.add(record.callId() + " " + (event == null ? null : event.price()));
            return event.price();
        });
        endedWhileTheLedgerWasDown(ledgerDown, "orphaned", "retired", "R-1", Money.inr("7"));
        Reconciler r = reconciler(ledgerDown, Optional.of(carrier));

        r.reconcile();
        clock.advance(Duration.ofMinutes(2).plusSeconds(1));
        r.reconcile();
        r.reconcile();

        CallRecord after = store.find("orphaned").orElseThrow();
        assertThat(after.cost()).isEqualTo(Money.inr("7"));
        assertThat(after.needsReconciliation()).isFalse();
        assertThat(prices).containsExactly("orphaned 7 INR");
        assertThat(unresolved).isEmpty();
    }

    /**
     * A provider no longer active took its deck with it: an end it reported without a price has nothing to be priced
     * at (not zero: the call was talked on). It stays flagged with its hold held, and is reported once overdue.
     */
    @Test
    void anUnpricedEndOfAProviderNoLongerActiveIsKeptHeldAndReportedOnce() {
        CallLifecycle ledgerDown = ledgerDownOnce(Money.inr("0"));
        endedWhileTheLedgerWasDown(ledgerDown, "unpriced", "retired", "R-2", null);
        Reconciler r = reconciler(ledgerDown, Optional.of(carrier));
        clock.advance(Duration.ofMinutes(2).plusSeconds(1));

        r.reconcile();
        r.reconcile();

        CallRecord after = store.find("unpriced").orElseThrow();
        assertThat(after.cost()).isNull();
        assertThat(after.needsReconciliation()).isTrue();
        assertThat(settled).isEmpty();
        assertThat(unresolved).singleElement().satisfies(u -> assertThat(u.reason()).contains("'retired' is not active"));
    }

    /**
     * A provider that reported the end took the call, even when it gave no id for it and its search does not list
     * it: the call must not be "ended as not placed" (which an ended call ignores) in every pass, a not_placed event
     * each time and its hold never settled. It is settled as reported once overdue.
     */
    @Test
    void aProvidersEndItsSearchDoesNotListIsNeverTakenForNotPlaced() {
        CallLifecycle ledgerDown = ledgerDownOnce(Money.inr("1"));
        endedWhileTheLedgerWasDown(ledgerDown, "unlisted", "s", null, null);   // the lagging provider lists nothing
        Reconciler r = reconciler(ledgerDown, Optional.of(lagging));
        clock.advance(Duration.ofMinutes(5).plusSeconds(1));

        r.reconcile();
        r.reconcile();
        r.reconcile();

        CallRecord after = store.find("unlisted").orElseThrow();
        assertThat(after.status()).isEqualTo(CallStatus.COMPLETED);
        assertThat(after.errorReason()).isNull();
        assertThat(after.cost()).isEqualTo(Money.inr("1"));
        assertThat(after.needsReconciliation()).isFalse();
        assertThat(settled).containsExactly("unlisted event=COMPLETED");
        assertThat(store.events("unlisted")).noneMatch(e -> e.type().equals("not_placed"));
    }

    @Test
    void aCallEndedAsNotPlacedWhoseReleaseFailedIsReleasedByTheNextPass() {
        sendLost("lost", Outcome.timeoutAfterSending(false));
        Reconciler r = reconciler(ledgerDownOnce(Money.inr("0")), Optional.of(lagging));
        clock.advance(Duration.ofMinutes(5).plusSeconds(1));

        // the manager ends the call itself: there is no provider event that a later pass could fetch again
        assertThatThrownBy(r::reconcile).hasMessageContaining("ledger unreachable");
        assertThat(store.find("lost").orElseThrow().status()).isEqualTo(CallStatus.FAILED);
        assertThat(store.find("lost").orElseThrow().cost()).isNull();

        assertThat(r.reconcile()).isEqualTo(1);
        assertThat(r.reconcile()).isZero();

        CallRecord after = store.find("lost").orElseThrow();
        assertThat(after.status()).isEqualTo(CallStatus.FAILED);
        assertThat(after.errorReason()).isEqualTo("NOT_PLACED");
        assertThat(after.cost()).isEqualTo(Money.inr("0"));
        assertThat(after.needsReconciliation()).isFalse();
        assertThat(settled).containsExactly("lost event=null");
    }

    @Test
    void aCallNeverSentWhoseReleaseFailedIsReleasedByTheNextPass() {
        store.create(CallRecord.initiated("orphan", "acme", CallCategory.INTERNET_VOIP, null, "+919876543210", null,
                Priority.NORMAL, null, null, Money.inr("10"), Money.inr("2"), List.of(), false, t0, Map.of()));
        Reconciler r = reconciler(ledgerDownOnce(Money.inr("0")), Optional.of(carrier));
        clock.advance(CALL_TIMEOUT.plusSeconds(1));

        assertThatThrownBy(r::reconcile).hasMessageContaining("ledger unreachable");
        r.reconcile();
        r.reconcile();

        CallRecord after = store.find("orphan").orElseThrow();
        assertThat(after.status()).isEqualTo(CallStatus.FAILED);
        assertThat(after.cost()).isEqualTo(Money.inr("0"));
        assertThat(after.needsReconciliation()).isFalse();
        assertThat(settled).containsExactly("orphan event=null");
        assertThat(unresolved).isEmpty();
    }

    @Test
    void anEndedCallWithItsCostStoredIsUnflaggedWithoutAskingItsProvider() {
        unknown("done", "retired", "R-1");   // flagged as another end settled it; its provider cannot be asked
        store.update(CallUpdate.of("done", t0).status(CallStatus.COMPLETED).cost(Money.inr("3")));
        Reconciler r = reconciler(Optional.of(carrier));
        clock.advance(Duration.ofHours(1));

        assertThat(r.reconcile()).isEqualTo(1);

        assertThat(store.find("done").orElseThrow().needsReconciliation()).isFalse();
        assertThat(store.find("done").orElseThrow().cost()).isEqualTo(Money.inr("3"));
        assertThat(settled).isEmpty();
        assertThat(unresolved).isEmpty();
    }

    @Test
    void aCallStillGoingAtItsProviderAfterTheCallTimeoutIsLeftGoing() {
        String callId = takenButNeverReported(CallStatus.ANSWERED);
        Reconciler r = reconciler(Optional.of(carrier));
        clock.advance(CALL_TIMEOUT.plusSeconds(1));

        r.reconcile();
        r.reconcile();

        CallRecord after = store.find(callId).orElseThrow();
        assertThat(after.status()).isEqualTo(CallStatus.ANSWERED);
        assertThat(after.needsReconciliation()).isFalse();
        assertThat(settled).isEmpty();
        assertThat(unresolved).isEmpty();
    }

    @Test
    void aCallNoProviderWasNamedForByTheCallTimeoutWasNeverSentAndItsHoldIsReleased() {
        store.create(CallRecord.initiated("orphan", "acme", CallCategory.INTERNET_VOIP, null, "+919876543210", null,
                Priority.NORMAL, null, null, Money.inr("10"), Money.inr("2"), List.of(), false, t0, Map.of()));
        Reconciler r = reconciler(Optional.of(carrier));
        clock.advance(CALL_TIMEOUT.plusSeconds(1));

        assertThat(r.reconcile()).isEqualTo(1);

        CallRecord after = store.find("orphan").orElseThrow();
        assertThat(after.status()).isEqualTo(CallStatus.FAILED);
        assertThat(after.errorReason()).isEqualTo("NOT_PLACED");
        assertThat(settled).containsExactly("orphan event=null, providerCallId=null");
        assertThat(carrier.receivedCalls()).isEmpty();
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

    /** A call {@code providerCallId} the carrier took, now {@code truth} there. */
    private String takenByTheCarrier(String callId, CallStatus truth) {
        carrier.acceptNext("P-" + callId);
        var placed = carrier.place(io.globalcalling.spi.OutboundCall.builder(callId, CallCategory.INTERNET_VOIP,
                io.globalcalling.CallRequest.to("+919876543210").build()).build());
        carrier.callback(placed.providerCallId(), truth);
        return placed.providerCallId();
    }

    /** Five hundred calls no pass can resolve (a page) must not keep the reconciler from the next one. */
    @Test
    void callsThatCannotBeResolvedYetNeverKeepItFromNewerOnes() {
        for (int i = 0; i < 500; i++) unknown(String.format("a-%03d", i), "retired", "R-" + i);
        unknown("b", "p", takenByTheCarrier("b", CallStatus.COMPLETED));
        Reconciler r = reconciler(Optional.of(carrier));

        assertThat(r.reconcile()).as("the first page: the oldest 500, none resolvable").isZero();
        assertThat(r.reconcile()).isEqualTo(1);
        assertThat(store.find("b").orElseThrow().status()).isEqualTo(CallStatus.COMPLETED);
        assertThat(r.reconcile()).as("from the oldest again").isZero();
        assertThat(store.findNeedingReconciliation(1000)).hasSize(500);
    }

    /** The same for calls still going past the call timeout: the newer call whose end was lost is still asked about. */
    @Test
    void callsStillGoingPastTheTimeoutNeverKeepItFromNewerOnes() {
        for (int i = 0; i < 501; i++) {
            String callId = String.format("c-%03d", i);
            String providerCallId = takenByTheCarrier(callId, i < 500 ? CallStatus.ANSWERED : CallStatus.COMPLETED);
            store.create(CallRecord.initiated(callId, "acme", CallCategory.INTERNET_VOIP, null, "+919876543210", null,
                    Priority.NORMAL, null, null, Money.inr("10"), Money.inr("2"), List.of(), false, t0, Map.of()));
            store.update(CallUpdate.of(callId, t0).status(CallStatus.QUEUED).provider("p", providerCallId));
        }
        Reconciler r = reconciler(Optional.of(carrier));
        clock.advance(CALL_TIMEOUT.plusSeconds(1));

        r.reconcile();
        assertThat(store.find("c-500").orElseThrow().status()).isEqualTo(CallStatus.QUEUED);
        r.reconcile();

        assertThat(store.find("c-500").orElseThrow().status()).isEqualTo(CallStatus.COMPLETED);
        assertThat(settled).containsExactly("c-500 event=COMPLETED, providerCallId=P-c-500");
    }

    /** Sends call {@code callId} to the lagging provider, which answers {@code outcome}; its answer is lost. */
    private void sendLost(String callId, Outcome outcome) {
        lagging.next(outcome);
        assertThatThrownBy(() -> lagging.place(OutboundCall.builder(callId, CallCategory.INTERNET_VOIP,
                CallRequest.to("+919876543210").build()).build()))
                .isInstanceOfSatisfying(ProviderException.class,
                        e -> assertThat(e.reason()).isEqualTo(ErrorReason.OUTCOME_UNKNOWN));
        unknown(callId, "s", null);
    }

    @Test
    void aCreateTheProviderNeverGotEndsAsNotPlacedOnceItsSearchLagHasPassedAndItsHoldIsReleasedOnce() {
        sendLost("lost", Outcome.timeoutAfterSending(false));
        Reconciler r = reconciler(Optional.of(lagging));
        clock.advance(Duration.ofMinutes(5).plusSeconds(1));

        assertThat(r.reconcile()).isEqualTo(1);
        assertThat(r.reconcile()).isZero();   // nothing is left to resolve, so nothing is released again

        CallRecord after = store.find("lost").orElseThrow();
        assertThat(after.status()).isEqualTo(CallStatus.FAILED);
        assertThat(after.errorReason()).isEqualTo("NOT_PLACED");
        assertThat(after.errorMessage()).contains("provider 's'", "never reached it");
        assertThat(after.needsReconciliation()).isFalse();
        assertThat(after.endedAt()).isEqualTo(clock.instant());
        assertThat(settled).containsExactly("lost event=null, providerCallId=null");   // the end no provider took: a release
        assertThat(store.events("lost")).filteredOn(e -> e.type().equals("not_placed")).singleElement()
                .satisfies(e -> assertThat(e.data()).containsEntry("provider", "s"));
        assertThat(unresolved).isEmpty();
    }

    @Test
    void aCreateNotListedYetWithinTheProvidersSearchLagStaysUnknownWithItsHoldHeld() {
        sendLost("young", Outcome.timeoutAfterSending(false));
        Reconciler r = reconciler(Optional.of(lagging));
        clock.advance(Duration.ofMinutes(5));   // exactly the declared lag: an empty list proves nothing yet

        assertThat(r.reconcile()).isZero();

        CallRecord after = store.find("young").orElseThrow();
        assertThat(after.status()).isEqualTo(CallStatus.INITIATED);
        assertThat(after.needsReconciliation()).isTrue();
        assertThat(settled).isEmpty();
        assertThat(unresolved).isEmpty();
    }

    @Test
    void aCallTheLaggingProviderTookIsAppliedOnceItShowsNeverFailed() {
        sendLost("late", Outcome.timeoutAfterSending(true).withSearchLag(Duration.ofMinutes(4)));
        Reconciler r = reconciler(Optional.of(lagging));
        clock.advance(Duration.ofMinutes(3));
        assertThat(r.reconcile()).isZero();   // not listed yet, and too young to trust that
        lagging.advance(lagging.providerCallIdOf("late").orElseThrow(), CallStatus.COMPLETED, Duration.ofSeconds(42), null);

        clock.advance(Duration.ofMinutes(2));
        assertThat(r.reconcile()).isEqualTo(1);

        CallRecord after = store.find("late").orElseThrow();
        assertThat(after.status()).isEqualTo(CallStatus.COMPLETED);
        assertThat(after.errorReason()).isNull();
        assertThat(after.durationSeconds()).isEqualTo(42);
        assertThat(after.needsReconciliation()).isFalse();
        assertThat(settled).containsExactly("late event=COMPLETED, providerCallId=" + lagging.providerCallIdOf("late").orElseThrow());
    }

    @Test
    void aCallWithTheProvidersIdIsNeverEndedAsNotPlacedEvenWhenItsFetchFindsNothing() {
        unknown("taken", "p", "P-404");   // the provider gave an id, so it took the call; the fake has no such call
        Reconciler r = reconciler(Optional.of(carrier));
        clock.advance(Duration.ofHours(1));

        assertThat(r.reconcile()).isZero();

        assertThat(store.find("taken").orElseThrow().status()).isEqualTo(CallStatus.INITIATED);
        assertThat(settled).isEmpty();
        assertThat(unresolved).singleElement().satisfies(u -> assertThat(u.reason()).contains("P-404"));
    }

    @Test
    void aProviderThatCannotSearchLeavesTheCallUnknownAndReportsItOnce() {
        unknown("blind", "p", null);   // FakeCallProvider keeps the SPI's default search: unknown
        Reconciler r = reconciler(Optional.of(carrier));
        clock.advance(Duration.ofHours(1));

        r.reconcile();
        r.reconcile();

        assertThat(store.find("blind").orElseThrow().needsReconciliation()).isTrue();
        assertThat(settled).isEmpty();
        assertThat(unresolved).singleElement().satisfies(u -> assertThat(u.reason()).contains("cannot search"));
    }

    @Test
    void theSearchIsForTheCallAsSentFromItsOwnCallerIdOverTheWindowItCanHaveBeenSentIn() {
        store.create(CallRecord.initiated("own-from", "acme", CallCategory.INTERNET_VOIP, "+14155550100",
                "+919876543210", null, Priority.NORMAL, null, null, Money.inr("10"), Money.inr("2"), List.of(), false, t0, Map.of()));
        Instant markedUnknown = t0.plusSeconds(40);   // after pacing and a read timeout
        store.update(CallUpdate.of("own-from", markedUnknown).provider("w", null).needsReconciliation(true));
        List<String> asked = new CopyOnWriteArrayList<>();
        CallingProvider watching = new ScriptedProviderView(ScriptedProvider.builder().id("w").clock(clock).build()) {
            @Override
            public PlacementSearch findPlaced(OutboundCall call, Instant sentFrom, Instant sentUntil) {
                asked.add(call.callId() + " from " + call.request().from().value() + " to " + call.to().value()
                        + " sent " + sentFrom + ".." + sentUntil);
                return PlacementSearch.notPlaced();
            }
        };
        clock.advance(Duration.ofMinutes(2).plusSeconds(40));   // the default grace after t0, not after the mark

        assertThat(reconciler(Optional.of(watching)).reconcile()).isZero();
        clock.advance(Duration.ofSeconds(1));
        assertThat(reconciler(Optional.of(watching)).reconcile()).isEqualTo(1);

        assertThat(asked).first().isEqualTo("own-from from +14155550100 to +919876543210 sent " + t0 + ".." + markedUnknown);
        assertThat(store.find("own-from").orElseThrow().status()).isEqualTo(CallStatus.FAILED);
    }

    @Test
    void aMatchThatIsAlreadyAnotherCallsIsNotTakenForThisOne() {
        unknown("lost", "w", null);
        store.create(CallRecord.initiated("other", "acme", CallCategory.INTERNET_VOIP, null, "+919876543210", null,
                Priority.NORMAL, null, null, Money.inr("10"), Money.inr("2"), List.of(), false, t0, Map.of()));
        store.update(CallUpdate.of("other", t0).provider("w", "CA-other").status(CallStatus.QUEUED));
        CallingProvider listing = new ScriptedProviderView(ScriptedProvider.builder().id("w").clock(clock).build()) {
            @Override
            public PlacementSearch findPlaced(OutboundCall call, Instant sentFrom, Instant sentUntil) {
                // same destination, caller ID and second: the provider's list cannot tell the two apart
                return PlacementSearch.found(new io.globalcalling.spi.CallEvent("w", "CA-other", null, CallStatus.COMPLETED,
                        t0, null, Duration.ofSeconds(30), null, null, null, null, Map.of()));
            }
        };
        clock.advance(Duration.ofMinutes(10));

        assertThat(reconciler(Optional.of(listing)).reconcile()).isZero();

        CallRecord lost = store.find("lost").orElseThrow();
        assertThat(lost.status()).isNotEqualTo(CallStatus.COMPLETED);
        assertThat(lost.needsReconciliation()).isTrue();
        assertThat(lost.providerCallId()).isNull();
        assertThat(settled).isEmpty();
        assertThat(unresolved).singleElement().satisfies(u -> assertThat(u.reason()).contains("CA-other", "another call"));
    }

    @Test
    void theSearchIsToldWhichOfTheProvidersCallsAreAlreadyAnotherCalls() {
        unknown("lost", "w", null);
        store.create(CallRecord.initiated("other", "acme", CallCategory.INTERNET_VOIP, null, "+919876543210", null,
                Priority.NORMAL, null, null, Money.inr("10"), Money.inr("2"), List.of(), false, t0, Map.of()));
        store.update(CallUpdate.of("other", t0).provider("w", "CA-other").status(CallStatus.QUEUED));
        store.create(CallRecord.initiated("elsewhere", "acme", CallCategory.INTERNET_VOIP, null, "+919876543210", null,
                Priority.NORMAL, null, null, Money.inr("10"), Money.inr("2"), List.of(), false, t0, Map.of()));
        store.update(CallUpdate.of("elsewhere", t0).provider("v", "CA-lost").status(CallStatus.QUEUED));
        List<String> told = new CopyOnWriteArrayList<>();
        CallingProvider listing = new ScriptedProviderView(ScriptedProvider.builder().id("w").clock(clock).build()) {
            @Override
            public PlacementSearch findPlaced(OutboundCall call, Instant sentFrom, Instant sentUntil,
                                              java.util.function.Predicate<String> recordedOnAnother) {
                // the list shows two calls to the number: the other call's, and one no record has (another
                // provider's call of that id is no call of this one)
                for (String id : List.of("CA-other", "CA-lost")) {
                    if (!recordedOnAnother.test(id)) told.add(id);
                }
                return PlacementSearch.found(new io.globalcalling.spi.CallEvent("w", "CA-lost", null, CallStatus.COMPLETED,
                        t0, null, Duration.ofSeconds(30), null, null, null, null, Map.of()));
            }
        };
        clock.advance(Duration.ofMinutes(10));

        assertThat(reconciler(Optional.of(listing)).reconcile()).isEqualTo(1);

        assertThat(told).containsExactly("CA-lost");
        CallRecord lost = store.find("lost").orElseThrow();
        assertThat(lost.providerCallId()).isEqualTo("CA-lost");
        assertThat(lost.status()).isEqualTo(CallStatus.COMPLETED);
    }

    /** A provider that is a scripted one in all but what a test overrides. */
    private static class ScriptedProviderView implements CallingProvider {
        private final ScriptedProvider delegate;

        ScriptedProviderView(ScriptedProvider delegate) {
            this.delegate = delegate;
        }

        @Override public String id() { return delegate.id(); }
        @Override public java.util.Set<CallCategory> categories() { return delegate.categories(); }
        @Override public io.globalcalling.spi.ProviderCapabilities capabilities() { return delegate.capabilities(); }
        @Override public io.globalcalling.spi.ProviderCoverage coverage() { return delegate.coverage(); }
        @Override public List<io.globalcalling.spi.Rate> rates() { return delegate.rates(); }
        @Override public io.globalcalling.spi.PlacedCall place(OutboundCall call) { return delegate.place(call); }
        @Override public Optional<io.globalcalling.spi.CallEvent> fetch(String id) { return delegate.fetch(id); }
        @Override public void hangUp(String id) { delegate.hangUp(id); }
        @Override public io.globalcalling.spi.WebhookHandler webhooks() { return delegate.webhooks(); }
    }
}
