package io.globalcalling.core;

import io.globalcalling.core.GlobalCallingManagerTest.DelegatingProvider;
import io.globalcalling.core.lifecycle.CallStatusChanged;
import io.globalcalling.core.lifecycle.FreeText;
import io.globalcalling.core.lifecycle.UnresolvedCall;
import io.globalcalling.core.store.InMemoryCallStore;
import io.globalcalling.core.store.InMemoryLimitLedger;
import io.globalcalling.CallCategory;
import io.globalcalling.spi.CallEvent;
import io.globalcalling.CallRequest;
import io.globalcalling.CallStatus;
import io.globalcalling.spi.CallingProvider;
import io.globalcalling.ErrorReason;
import io.globalcalling.Money;
import io.globalcalling.spi.OutboundCall;
import io.globalcalling.spi.PlacementSearch;
import io.globalcalling.spi.PlacedCall;
import io.globalcalling.spi.ProviderConfig;
import io.globalcalling.spi.ProviderException;
import io.globalcalling.Purpose;
import io.globalcalling.spi.Rate;
import io.globalcalling.spi.WebhookHandler;
import io.globalcalling.spi.WebhookResult;
import io.globalcalling.WebhookRequest;
import io.globalcalling.CallRecord;
import io.globalcalling.spi.store.LimitLedger;
import io.globalcalling.spi.store.StoredEvent;
import io.globalcalling.testkit.FakeCallProvider;
import io.globalcalling.testkit.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/** Issue 9: every call ends once, settled once, with facts that do not change afterwards. */
class CallEndingIssue9Test {

    private static final String INDIA = "+919876543210";

    // Not on a whole second: a provider that stamps its callbacks in whole seconds reports times before our start.
    private final MutableClock clock = MutableClock.at(MutableClock.DEFAULT_START.plusMillis(700));
    private final InMemoryCallStore store = new InMemoryCallStore();
    private final CountingLedger ledger = new CountingLedger();
    private final List<GlobalCallingManager> managers = new ArrayList<>();
    private final AtomicReference<CallEvent> relayed = new AtomicReference<>();
    private final FakeCallProvider cheap = FakeCallProvider.builder().id("cheap").clock(clock)
            .categories(CallCategory.INTERNET_VOIP, CallCategory.AI_AUTOMATED)
            .rate(Rate.perMinute(CallCategory.INTERNET_VOIP, "", Money.inr("1.00")))
            .rate(Rate.perMinute(CallCategory.AI_AUTOMATED, "", Money.inr("2.00")))
            .webhookUrl(URI.create("https://host.example/calling/webhooks/cheap"))
            .build();

    @AfterEach
    void close() {
        managers.forEach(GlobalCallingManager::close);
    }

    private GlobalCallingManager manager(CallingProvider... providers) {
        GlobalCallingManager.Builder b = GlobalCallingManager.builder().discoverProviders(false)
                .config(ProviderConfig.empty()).store(store).ledger(ledger).clock(clock)
                .webhookBaseUrl("https://host.example/calling/webhooks");
        for (CallingProvider p : providers) b.provider(p);
        GlobalCallingManager m = b.build();
        managers.add(m);
        return m;
    }

    /** A provider that answers the placement itself with {@code status}, as a synchronous delivery or Twilio's 201 do. */
    private CallingProvider answeringWith(CallStatus status) {
        return new DelegatingProvider(cheap) {
            @Override
            public PlacedCall place(OutboundCall call) {
                return PlacedCall.of(super.place(call).providerCallId(), status);
            }
        };
    }

    // ---- 1. a terminal status at placement ends the call like a callback does

    @Test
    void aCallThatEndsAtPlacementIsSettledOnceWithItsCostAndListenersTold() {
        GlobalCallingManager m = manager(answeringWith(CallStatus.COMPLETED));
        List<CallStatusChanged> changes = new CopyOnWriteArrayList<>();
        m.onStatusChange(changes::add);

        CallRecord record = m.call(CallRequest.to(INDIA).customerId("acme").build());

        assertThat(record.status()).isEqualTo(CallStatus.COMPLETED);
        assertThat(record.cost()).isEqualTo(Money.inr("0"));           // no talk time reported
        assertThat(record.endedAt()).isNotNull();
        assertThat(ledger.closes).containsExactly("settle " + record.callId() + " 0");
        assertThat(changes).extracting(CallStatusChanged::current).containsExactly(CallStatus.COMPLETED);

        // the provider's own completion arriving afterwards changes nothing billed and settles nothing again
        m.webhooks().handle("cheap", cheap.callback(record.providerCallId(), CallStatus.COMPLETED, Duration.ofSeconds(90)));
        CallRecord after = m.calls().find(record.callId()).orElseThrow();
        assertThat(after.cost()).isEqualTo(Money.inr("0"));
        assertThat(after.durationSeconds()).isNull();
        assertThat(ledger.closes).hasSize(1);
    }

    @Test
    void aPlacementAnsweredFailedReleasesNothingTwiceAndIsNotAnException() {
        GlobalCallingManager m = manager(answeringWith(CallStatus.FAILED));
        CallRecord record = m.call(CallRequest.to(INDIA).build());

        assertThat(record.status()).isEqualTo(CallStatus.FAILED);
        assertThat(record.cost()).isEqualTo(Money.inr("0"));
        assertThat(ledger.closes).containsExactly("settle " + record.callId() + " 0");
    }

    @Test
    void aCallNoProviderTookReleasesItsHoldOnceAndRecordsNoCharge() {
        cheap.failNext(ProviderException.of("cheap", ErrorReason.INVALID_DESTINATION, "invalid To"));
        GlobalCallingManager m = manager(cheap);
        List<CallStatusChanged> changes = new CopyOnWriteArrayList<>();
        m.onStatusChange(changes::add);

        assertThatThrownBy(() -> m.call(CallRequest.to(INDIA).build())).isInstanceOf(CallFailedException.class);
        CallRecord failed = m.calls().recent(1).get(0);
        assertThat(failed.status()).isEqualTo(CallStatus.FAILED);
        assertThat(failed.cost()).isEqualTo(Money.inr("0"));
        assertThat(ledger.closes).containsExactly("settle " + failed.callId() + " 0");
        assertThat(changes).extracting(CallStatusChanged::current).containsExactly(CallStatus.FAILED);
    }

    // ---- 2b. an end the manager decided whose settlement failed is finished by the next reconciliation

    @Test
    void aCallEveryProviderRefusedWhoseReleaseFailedIsReleasedOnceByTheNextReconciliation() {
        cheap.failNext(ProviderException.of("cheap", ErrorReason.UNAVAILABLE, "503 Service Unavailable"));
        GlobalCallingManager m = manager(cheap);
        ledger.unreachable.set(1);

        assertThatThrownBy(() -> m.call(CallRequest.to(INDIA).build())).hasMessageContaining("ledger unreachable");
        String callId = m.calls().recent(1).get(0).callId();
        assertThat(store.find(callId).orElseThrow().cost()).isNull();
        assertThat(ledger.closes).isEmpty();

        assertThat(m.reconcile()).isEqualTo(1);
        assertThat(m.reconcile()).isZero();

        CallRecord after = store.find(callId).orElseThrow();
        assertThat(after.status()).isEqualTo(CallStatus.FAILED);
        assertThat(after.errorReason()).isEqualTo(ErrorReason.UNAVAILABLE.name());
        assertThat(after.cost()).isEqualTo(Money.inr("0"));
        assertThat(after.needsReconciliation()).isFalse();
        assertThat(ledger.closes).containsExactly("settle " + callId + " 0");
    }

    @Test
    void aPlacementAnsweredWithItsEndWhoseSettlementFailedIsSettledOnceByTheNextReconciliation() {
        GlobalCallingManager m = manager(answeringWith(CallStatus.COMPLETED));
        ledger.unreachable.set(1);

        catchThrowable(() -> m.call(CallRequest.to(INDIA).build()));   // whatever it answers, the call has ended unsettled
        String callId = m.calls().recent(1).get(0).callId();
        assertThat(store.find(callId).orElseThrow().status()).isEqualTo(CallStatus.COMPLETED);
        assertThat(store.find(callId).orElseThrow().cost()).isNull();
        assertThat(ledger.closes).isEmpty();

        assertThat(m.reconcile()).isEqualTo(1);
        assertThat(m.reconcile()).isZero();

        CallRecord after = store.find(callId).orElseThrow();
        assertThat(after.status()).isEqualTo(CallStatus.COMPLETED);
        assertThat(after.cost()).isEqualTo(Money.inr("0"));   // no talk time reported
        assertThat(after.needsReconciliation()).isFalse();
        assertThat(ledger.closes).containsExactly("settle " + callId + " 0");
    }

    @Test
    void aLedgerFailureSettlingAPlacementAnsweredWithItsEndIsNotCountedAgainstTheProvider() {
        GlobalCallingManager m = manager(answeringWith(CallStatus.COMPLETED));
        ledger.unreachable.set(1);

        catchThrowable(() -> m.call(CallRequest.to(INDIA).build()));

        // the provider took the call and answered it as it should: the failure was the ledger's
        assertThat(m.providerHealth().get("cheap").consecutiveFailures()).isZero();
    }

    /**
     * The provider took the call and answered with its end; settling that end fails with a ProviderException (here
     * its live quote's pricing API, which settlement asks for the price). That is no answer to the placement: the
     * call must never be sent to another provider as if the first had refused it.
     */
    @Test
    void aProviderFailureSettlingAPlacementAnsweredWithItsEndNeverSendsTheCallToAnotherProvider() {
        AtomicInteger quotes = new AtomicInteger();
        CallingProvider quoteFails = new DelegatingProvider(answeringWith(CallStatus.COMPLETED)) {
            @Override
            public Optional<Rate> quote(CallCategory category, io.globalcalling.Endpoint destination) {
                // routing's quote answers; settlement's, the second, fails
                if (quotes.incrementAndGet() == 1) return Optional.empty();
                throw ProviderException.of("cheap", ErrorReason.UNAVAILABLE, "pricing API: 503 Service Unavailable");
            }
        };
        FakeCallProvider dear = FakeCallProvider.builder().id("dear").clock(clock)
                .rate(Rate.perMinute(CallCategory.INTERNET_VOIP, "", Money.inr("9.00"))).build();
        GlobalCallingManager m = manager(quoteFails, dear);

        catchThrowable(() -> m.call(CallRequest.to(INDIA).category(CallCategory.INTERNET_VOIP).build()));

        assertThat(dear.receivedCalls()).isEmpty();
        CallRecord record = m.calls().recent(1).get(0);
        assertThat(record.providerId()).isEqualTo("cheap");
        assertThat(record.status()).isEqualTo(CallStatus.COMPLETED);
        assertThat(m.providerHealth().get("cheap").consecutiveFailures()).isZero();
        // and the end is settled at the deck, as routing priced it when the quote failed
        assertThat(record.cost()).isEqualTo(Money.inr("0"));   // no talk time reported
        assertThat(ledger.closes).containsExactly("settle " + record.callId() + " 0");
    }

    // ---- 3. a callback stamped before our start still ends the call with its cost

    @Test
    void aCallbackStampedBeforeTheCallStartedStillSetsTheCost() {
        GlobalCallingManager m = manager(cheap);
        CallRecord record = m.call(voip());
        String sid = record.providerCallId();

        // The fake stamps callbacks in whole seconds: 09:00:00 is before the call's start at 09:00:00.700.
        assertThat(m.webhooks().handle("cheap", cheap.callback(sid, CallStatus.ANSWERED)).status()).isEqualTo(200);
        WebhookRequest completed = cheap.callback(sid, CallStatus.COMPLETED, Duration.ofSeconds(61));
        assertThat(m.webhooks().handle("cheap", completed).status()).isEqualTo(200);
        assertThat(m.webhooks().handle("cheap", completed).status()).isEqualTo(200);

        CallRecord after = m.calls().find(record.callId()).orElseThrow();
        assertThat(after.status()).isEqualTo(CallStatus.COMPLETED);
        assertThat(after.cost()).isEqualTo(Money.inr("2"));
        assertThat(ledger.closes).containsExactly("settle " + record.callId() + " 2");
    }

    // ---- 5. records do not change after they end

    @Test
    void aLaterCompletionOrFailureRewritesNothingBilled() {
        GlobalCallingManager m = manager(cheap);
        CallRecord record = m.call(voip());
        String sid = record.providerCallId();
        m.webhooks().handle("cheap", cheap.callback(sid, CallStatus.COMPLETED, Duration.ofSeconds(125)));
        CallRecord ended = m.calls().find(record.callId()).orElseThrow();

        clock.advance(Duration.ofMinutes(5));
        m.webhooks().handle("cheap", cheap.callback(sid, CallStatus.COMPLETED, Duration.ofSeconds(900)));
        m.webhooks().handle("cheap", cheap.callback(sid, CallStatus.FAILED, Duration.ofSeconds(1)));

        CallRecord after = m.calls().find(record.callId()).orElseThrow();
        assertThat(after.status()).isEqualTo(CallStatus.COMPLETED);
        assertThat(after.durationSeconds()).isEqualTo(125);
        assertThat(after.endedAt()).isEqualTo(ended.endedAt());
        assertThat(after.cost()).isEqualTo(Money.inr("3"));
        assertThat(after.errorReason()).isNull();
        assertThat(ledger.closes).hasSize(1);
        // each report is still on the call's log
        assertThat(m.calls().events(record.callId())).filteredOn(e -> "cheap".equals(e.source()))
                .extracting(StoredEvent::status).containsExactly(CallStatus.COMPLETED, CallStatus.COMPLETED, CallStatus.FAILED);
    }

    @Test
    void aRecordingThatArrivesAfterTheEndIsStillKept() {
        GlobalCallingManager m = manager(relaying());
        CallRecord record = m.call(voip());
        relay(m, CallEvent.status("cheap", record.providerCallId(), record.callId(), CallStatus.COMPLETED, clock.instant()));

        CallEvent recording = CallEvent.builder("cheap", clock.instant()).providerCallId(record.providerCallId())
                .callId(record.callId()).recordingUrl(URI.create("https://media.example/r/1.mp3")).build();
        assertThat(relay(m, recording)).isEqualTo(200);

        assertThat(m.calls().find(record.callId()).orElseThrow().recordingUrl()).isEqualTo("https://media.example/r/1.mp3");
    }

    // ---- capped free text

    @Test
    void freeTextFromCallbacksIsCappedBeforeItIsStored() {
        GlobalCallingManager m = manager(relaying());
        CallRecord record = m.call(voip());
        String huge = "x".repeat(1_000_000);
        CallEvent event = CallEvent.builder("cheap", clock.instant()).providerCallId(record.providerCallId())
                .callId(record.callId()).status(CallStatus.COMPLETED).duration(Duration.ofSeconds(10))
                .transcript(huge).details(Map.of("note", huge)).build();
        assertThat(relay(m, event)).isEqualTo(200);

        CallRecord after = m.calls().find(record.callId()).orElseThrow();
        assertThat(after.transcript()).hasSizeLessThanOrEqualTo(FreeText.MAX_CHARS).startsWith("xxx")
                .endsWith(FreeText.cutMarker(1_000_000));
        StoredEvent stored = m.calls().events(record.callId()).stream().filter(e -> "cheap".equals(e.source()))
                .findFirst().orElseThrow();
        assertThat(stored.data().get("transcript")).hasSizeLessThanOrEqualTo(FreeText.MAX_CHARS);
        assertThat(stored.data().get("note")).hasSizeLessThanOrEqualTo(FreeText.MAX_CHARS);
    }

    @Test
    void aProviderErrorMessageIsCappedBeforeItIsStored() {
        cheap.failNext(ProviderException.of("cheap", ErrorReason.REJECTED, "no: " + "y".repeat(200_000)));
        GlobalCallingManager m = manager(cheap);

        assertThatThrownBy(() -> m.call(voip())).isInstanceOf(CallFailedException.class);
        assertThat(m.calls().recent(1).get(0).errorMessage()).hasSizeLessThanOrEqualTo(FreeText.MAX_CHARS)
                .startsWith("[cheap] no: y");
    }

    // ---- 4. reconciliation does not invent a failure

    @Test
    void aCallTheProviderCannotLookUpStaysUnknownHeldAndIsSurfacedOnce() {
        cheap.failNext(ProviderException.of("cheap", ErrorReason.OUTCOME_UNKNOWN, "read timed out after sending"));
        GlobalCallingManager m = manager(cheap);
        List<UnresolvedCall> unresolved = new CopyOnWriteArrayList<>();
        m.onUnresolved(unresolved::add);
        CallRecord record = m.call(CallRequest.to(INDIA).customerId("acme").build());

        assertThat(m.reconcile()).isZero();                    // within the grace period: nothing said yet
        assertThat(unresolved).isEmpty();

        clock.advance(Duration.ofMinutes(3));
        assertThat(m.reconcile()).isZero();
        assertThat(m.reconcile()).isZero();                    // a later try does not surface it again

        CallRecord after = m.calls().find(record.callId()).orElseThrow();
        assertThat(after.status()).isEqualTo(CallStatus.INITIATED);
        assertThat(after.needsReconciliation()).isTrue();
        assertThat(ledger.closes).isEmpty();                   // the hold stays held
        assertThat(unresolved).singleElement().satisfies(u -> {
            assertThat(u.record().callId()).isEqualTo(record.callId());
            assertThat(u.reason()).contains("cheap");
        });
        assertThat(m.calls().events(record.callId())).extracting(StoredEvent::type).containsOnlyOnce("unresolved");
        assertThat(m.calls().needingReconciliation(10)).extracting(CallRecord::callId).containsExactly(record.callId());
    }

    @Test
    void aProviderThatThrowsUnexpectedlyLeavesTheCallToReconcileNotInitiatedForever() {
        CallingProvider broken = new DelegatingProvider(cheap) {
            @Override
            public PlacedCall place(OutboundCall call) {
                super.place(call);   // the request left...
                throw new IllegalStateException("bug after sending");
            }
        };
        FakeCallProvider dear = FakeCallProvider.builder().id("dear").clock(clock).categories(CallCategory.INTERNET_VOIP)
                .rate(Rate.perMinute(CallCategory.INTERNET_VOIP, "", Money.inr("5.00"))).build();
        GlobalCallingManager m = manager(broken, dear);

        CallRecord record = m.call(voip());

        assertThat(record.needsReconciliation()).isTrue();
        assertThat(record.errorReason()).isEqualTo("INTERNAL");
        assertThat(record.errorMessage()).contains("bug after sending");
        assertThat(dear.receivedCalls()).as("never re-dialled elsewhere").isEmpty();
        assertThat(m.calls().needingReconciliation(10)).extracting(CallRecord::callId).containsExactly(record.callId());
    }

    @Test
    void aProviderWhoseLookUpFailsLeavesTheCallUnknownToo() {
        CallingProvider broken = new DelegatingProvider(cheap) {
            @Override
            public PlacementSearch findPlaced(OutboundCall call, Instant sentFrom, Instant sentUntil) {
                throw new UnsupportedOperationException("cannot search calls");
            }
        };
        cheap.failNext(ProviderException.of("cheap", ErrorReason.OUTCOME_UNKNOWN, "read timed out after sending"));
        GlobalCallingManager m = manager(broken);
        List<UnresolvedCall> unresolved = new CopyOnWriteArrayList<>();
        m.onUnresolved(unresolved::add);
        CallRecord record = m.call(voip());
        clock.advance(Duration.ofMinutes(3));

        assertThat(m.reconcile()).isZero();
        assertThat(m.calls().find(record.callId()).orElseThrow().status()).isEqualTo(CallStatus.INITIATED);
        assertThat(unresolved).singleElement().extracting(UnresolvedCall::reason).asString().contains("cannot search calls");
    }

    @Test
    void aCallTheProviderFindsIsResolvedWithItsAnswer() {
        String accepted = "FAKE-LATE";
        CallingProvider finding = new DelegatingProvider(cheap) {
            @Override
            public PlacementSearch findPlaced(OutboundCall call, Instant sentFrom, Instant sentUntil) {
                return PlacementSearch.found(CallEvent.builder("cheap", clock.instant()).providerCallId(accepted)
                        .callId(call.callId()).status(CallStatus.COMPLETED).duration(Duration.ofSeconds(60)).build());
            }
        };
        cheap.failNext(ProviderException.of("cheap", ErrorReason.OUTCOME_UNKNOWN, "read timed out after sending"));
        GlobalCallingManager m = manager(finding);
        CallRecord record = m.call(voip());

        assertThat(m.reconcile()).isEqualTo(1);
        CallRecord after = m.calls().find(record.callId()).orElseThrow();
        assertThat(after.status()).isEqualTo(CallStatus.COMPLETED);
        assertThat(after.needsReconciliation()).isFalse();
        assertThat(after.cost()).isEqualTo(Money.inr("1"));
        assertThat(ledger.closes).containsExactly("settle " + record.callId() + " 1");
    }

    // ---- 13. bad input is refused before anything is recorded

    @Test
    void aBlankScriptOrAnEmptyVariableIsRefusedBeforeAnythingIsRecorded() {
        GlobalCallingManager m = manager(cheap);
        assertThatThrownBy(() -> m.ai().call(CallRequest.to(INDIA).script("  \n\t ").build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("script");
        assertThatThrownBy(() -> m.call(CallRequest.to(INDIA).purpose(Purpose.NOTIFICATION)
                .script("Hello {{name}}").variable("name", "").build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("{{name}}");
        assertThatThrownBy(() -> m.call(CallRequest.to(INDIA).purpose(Purpose.NOTIFICATION)
                .script("Hello {{name}}").variable("name", "  ").build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("{{name}}");
        assertThat(m.calls().recent(10)).isEmpty();
        assertThat(cheap.receivedCalls()).isEmpty();
    }

    @Test
    void aPinnedCategoryThatCannotReachTheDestinationIsRefusedBeforeAnythingIsRecorded() {
        // the sandbox serves every category, so routing alone would place these and fail them on record
        GlobalCallingManager m = GlobalCallingManager.builder().config(ProviderConfig.empty()).store(store).clock(clock).build();
        managers.add(m);
        assertThatThrownBy(() -> m.system().call(INDIA))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("system_api").hasMessageContaining(INDIA);
        assertThatThrownBy(() -> m.voip().call("https://ops.example.com/alerts"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("internet_voip")
                .hasMessageContaining("https://ops.example.com/alerts");
        assertThatThrownBy(() -> m.satellite().call("sip:agent@pbx.example.com"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("satellite");
        assertThat(m.calls().recent(10)).isEmpty();
    }

    // ---- 15. waiting for the outcome

    @Test
    void awaitReturnsTheEndedRecordWithItsCost() throws Exception {
        GlobalCallingManager m = manager(cheap);
        CallRecord record = m.call(voip());
        ExecutorService callbacks = Executors.newSingleThreadExecutor();
        try {
            CountDownLatch waiting = new CountDownLatch(1);
            Future<?> later = callbacks.submit(() -> {
                waiting.await();
                return m.webhooks().handle("cheap", cheap.callback(record.providerCallId(), CallStatus.COMPLETED,
                        Duration.ofSeconds(61)));
            });
            CompletableFuture<CallRecord> ended = m.calls().whenEnded(record.callId());
            waiting.countDown();
            CallRecord done = m.calls().await(record.callId(), Duration.ofSeconds(10));
            later.get(10, TimeUnit.SECONDS);

            assertThat(done.status()).isEqualTo(CallStatus.COMPLETED);
            assertThat(done.cost()).isEqualTo(Money.inr("2"));
            assertThat(ended.get(10, TimeUnit.SECONDS)).isEqualTo(done);
        } finally {
            callbacks.shutdownNow();
        }
    }

    @Test
    void awaitOnACallThatHasAlreadyEndedReturnsAtOnce() throws Exception {
        GlobalCallingManager m = manager(answeringWith(CallStatus.COMPLETED));
        CallRecord record = m.call(voip());
        assertThat(m.calls().await(record.callId(), Duration.ZERO)).isEqualTo(m.calls().find(record.callId()).orElseThrow());
    }

    /** A timeout too long to count in nanoseconds (ChronoUnit.FOREVER's, say) waits as long as it can. */
    @Test
    void awaitWithAnEndlessTimeoutReturnsTheEndedCall() throws Exception {
        GlobalCallingManager m = manager(answeringWith(CallStatus.COMPLETED));
        CallRecord record = m.call(voip());

        assertThat(m.calls().await(record.callId(), java.time.temporal.ChronoUnit.FOREVER.getDuration()))
                .isEqualTo(m.calls().find(record.callId()).orElseThrow());
    }

    @Test
    void awaitThatTimesOutSaysWhereTheCallIs() {
        GlobalCallingManager m = manager(cheap);
        CallRecord record = m.call(voip());
        m.webhooks().handle("cheap", cheap.callback(record.providerCallId(), CallStatus.RINGING));

        assertThatThrownBy(() -> m.calls().await(record.callId(), Duration.ofMillis(20)))
                .isInstanceOfSatisfying(CallNotEndedException.class, e -> {
                    assertThat(e.latest().status()).isEqualTo(CallStatus.RINGING);
                    assertThat(e).hasMessageContaining(record.callId()).hasMessageContaining("ringing");
                });
        assertThatThrownBy(() -> m.calls().await("call_nope", Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("call_nope");
    }

    @Test
    void awaitNeverMissesAnEndThatRacesItsRegistration() throws Exception {
        GlobalCallingManager m = manager(cheap);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int i = 0; i < 200; i++) {
                clock.advance(Duration.ofSeconds(1));   // stays within the default 100 calls a minute
                CallRecord record = m.call(voip());
                WebhookRequest completed = cheap.callback(record.providerCallId(), CallStatus.COMPLETED, Duration.ofSeconds(1));
                CountDownLatch go = new CountDownLatch(1);
                Future<?> end = pool.submit(() -> {
                    go.await();
                    return m.webhooks().handle("cheap", completed);
                });
                Future<CallRecord> wait = pool.submit(() -> {
                    go.await();
                    return m.calls().await(record.callId(), Duration.ofSeconds(10));
                });
                go.countDown();
                end.get(10, TimeUnit.SECONDS);
                assertThat(wait.get(10, TimeUnit.SECONDS).cost()).as("call %d", i).isEqualTo(Money.inr("1"));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    // ---- helpers

    private static CallRequest voip() {
        return CallRequest.to(INDIA).build();
    }

    /** The fake, whose callbacks carry whatever event a test hands to {@link #relay}: a provider's webhook, unabridged. */
    private CallingProvider relaying() {
        return new DelegatingProvider(cheap) {
            @Override
            public WebhookHandler webhooks() {
                return (request, context) -> WebhookResult.events(List.of(relayed.get()));
            }
        };
    }

    private int relay(GlobalCallingManager m, CallEvent event) {
        relayed.set(event);
        return m.webhooks().handle("cheap", WebhookRequest.post("https://host.example/calling/webhooks/cheap",
                Map.of(), "")).status();
    }

    /** The in-memory ledger, noting each hold that a settle or release actually closed. */
    static final class CountingLedger implements LimitLedger {
        final InMemoryLimitLedger delegate = new InMemoryLimitLedger();
        final List<String> closes = new CopyOnWriteArrayList<>();
        /** How many settles from now fail, as when the ledger's database is unreachable. */
        final AtomicInteger unreachable = new AtomicInteger();

        @Override
        public WindowResult count(String customerId, List<WindowCap> windows, boolean bypass) {
            return delegate.count(customerId, windows, bypass);
        }

        @Override
        public HoldResult reserve(String holdId, String customerId, Money amount, List<PeriodCap> periods, boolean bypass) {
            return delegate.reserve(holdId, customerId, amount, periods, bypass);
        }

        @Override
        public List<PeriodUsage> settle(String holdId, Money actual) {
            if (unreachable.getAndUpdate(n -> Math.max(0, n - 1)) > 0) throw new IllegalStateException("ledger unreachable");
            List<PeriodUsage> usage = delegate.settle(holdId, actual);
            if (!usage.isEmpty()) closes.add("settle " + holdId + " " + actual.amount().stripTrailingZeros().toPlainString());
            return usage;
        }

        @Override
        public List<PeriodUsage> usage(String customerId, List<PeriodCap> periods) {
            return delegate.usage(customerId, periods);
        }

        @Override
        public boolean markAlert(String customerId, String period, String periodKey, int thresholdPercent) {
            return delegate.markAlert(customerId, period, periodKey, thresholdPercent);
        }
    }
}
