package io.globalcalling.core.lifecycle;

import io.globalcalling.core.store.InMemoryCallStore;
import io.globalcalling.CallCategory;
import io.globalcalling.spi.CallEvent;
import io.globalcalling.CallStatus;
import io.globalcalling.Money;
import io.globalcalling.Priority;
import io.globalcalling.CallRecord;
import io.globalcalling.spi.store.CallStore;
import io.globalcalling.spi.store.CallUpdate;
import io.globalcalling.spi.store.StoreException;
import io.globalcalling.spi.store.StoredEvent;
import io.globalcalling.testkit.MutableClock;
import org.junit.jupiter.api.Test;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

class CallLifecycleTest {

    /** The store's methods that write a call update. */
    private static final Set<String> UPDATES = Set.of("update", "updateAndFind", "appendEventAndUpdate");

    /** The update a call of one of {@link #UPDATES} writes. */
    private static CallUpdate updateIn(Method method, Object[] args) {
        return (CallUpdate) args[method.getName().equals("appendEventAndUpdate") ? 1 : 0];
    }

    private final MutableClock clock = MutableClock.create();
    private final InMemoryCallStore store = new InMemoryCallStore();
    private final List<String> settled = new CopyOnWriteArrayList<>();

    private CallRecord placed(String callId) {
        store.create(CallRecord.initiated(callId, "acme", CallCategory.INTERNET_VOIP, null, "+919876543210", null,
                Priority.NORMAL, null, null, Money.inr("10"), Money.inr("2"), List.of(), false, clock.instant(), Map.of()));
        store.update(CallUpdate.of(callId, clock.instant()).provider("p", "P-" + callId).status(CallStatus.QUEUED));
        return store.find(callId).orElseThrow();
    }

    private static CallEvent completed(CallRecord r, int seconds) {
        return CallEvent.builder("p", MutableClock.DEFAULT_START).providerCallId(r.providerCallId()).callId(r.callId())
                .status(CallStatus.COMPLETED).duration(Duration.ofSeconds(seconds)).build();
    }

    @Test
    void bookkeepingThatFailsAfterTheEndNeitherBreaksTheEventNorLosesTheCost() {
        CallLifecycle lifecycle = new CallLifecycle(store, clock, new CallLifecycle.TerminalHandler() {
            @Override
            public Money settle(CallRecord record, CallEvent event) {
                settled.add(record.callId());
                return Money.inr("4");
            }

            @Override
            public void ended(CallRecord record) {
                throw new IllegalStateException("quality bookkeeping broke");
            }
        });
        List<CallStatusChanged> changes = new CopyOnWriteArrayList<>();
        lifecycle.onStatusChange(changes::add);
        CallRecord r = placed("c1");

        CallRecord after = lifecycle.apply(completed(r, 200)).orElseThrow();

        assertThat(after.cost()).isEqualTo(Money.inr("4"));
        assertThat(settled).containsExactly("c1");
        assertThat(changes).extracting(CallStatusChanged::current).containsExactly(CallStatus.COMPLETED);
    }

    @Test
    void aReportNamingOurCallButAnotherOfTheProvidersCallsMovesNothing() {
        CallLifecycle lifecycle = new CallLifecycle(store, clock, (record, event) -> {
            settled.add(record.callId());
            return Money.inr("4");
        });
        CallRecord ours = placed("c1");
        CallRecord other = placed("c2");
        // c2's end, replayed with c1's id where the signature does not reach (a URL's query)
        CallEvent replayed = CallEvent.builder("p", MutableClock.DEFAULT_START).providerCallId(other.providerCallId())
                .callId(ours.callId()).status(CallStatus.COMPLETED).duration(Duration.ofSeconds(60)).build();

        assertThat(lifecycle.apply(replayed)).isEmpty();

        assertThat(store.find("c1").orElseThrow().status()).isEqualTo(CallStatus.QUEUED);
        assertThat(store.events("c1")).isEmpty();
        assertThat(settled).isEmpty();
        // the call's own report still applies
        assertThat(lifecycle.apply(completed(ours, 60)).orElseThrow().status()).isEqualTo(CallStatus.COMPLETED);
    }

    @Test
    void aReportNamingOurCallWhoseProviderIdIsNotKnownYetButAnotherRecordedCallOfTheProviderMovesNothing() {
        CallLifecycle lifecycle = new CallLifecycle(store, clock, (record, event) -> {
            settled.add(record.callId());
            return Money.inr("4");
        });
        // c1's create got no answer: the provider is known, its id for the call is not (its first report tells it)
        store.create(CallRecord.initiated("c1", "acme", CallCategory.INTERNET_VOIP, null, "+919876543210", null,
                Priority.NORMAL, null, null, Money.inr("10"), Money.inr("2"), List.of(), false, clock.instant(), Map.of()));
        store.update(CallUpdate.of("c1", clock.instant()).provider("p", null).needsReconciliation(true));
        CallRecord other = placed("c2");
        // c2's end, replayed with c1's id where the signature does not reach (a URL's query)
        CallEvent replayed = CallEvent.builder("p", MutableClock.DEFAULT_START).providerCallId(other.providerCallId())
                .callId("c1").status(CallStatus.COMPLETED).duration(Duration.ofSeconds(60)).build();

        assertThat(lifecycle.apply(replayed)).isEmpty();

        CallRecord c1 = store.find("c1").orElseThrow();
        assertThat(c1.status()).isEqualTo(CallStatus.INITIATED);
        assertThat(c1.providerCallId()).isNull();
        assertThat(store.events("c1")).isEmpty();
        assertThat(settled).isEmpty();
        // c1's own first report still tells its id and moves it
        CallEvent own = CallEvent.builder("p", MutableClock.DEFAULT_START).providerCallId("P-c1").callId("c1")
                .status(CallStatus.RINGING).build();
        CallRecord after = lifecycle.apply(own).orElseThrow();
        assertThat(after.providerCallId()).isEqualTo("P-c1");
        assertThat(after.status()).isEqualTo(CallStatus.RINGING);
    }

    @Test
    void aSettlementThatFailedIsFinishedExactlyOnceByTheRetriedEvent() {
        AtomicInteger attempts = new AtomicInteger();
        CallLifecycle lifecycle = new CallLifecycle(store, clock, (record, event) -> {
            if (attempts.incrementAndGet() == 1) throw new IllegalStateException("ledger unreachable");
            settled.add(record.callId() + " " + event.duration().toSeconds());
            return Money.inr("4");
        });
        List<CallRecord> ended = new CopyOnWriteArrayList<>();
        lifecycle.onSettled(ended::add);
        CallRecord r = placed("c2");

        assertThatThrownBy(() -> lifecycle.apply(completed(r, 200))).hasMessageContaining("ledger unreachable");
        assertThat(store.find("c2").orElseThrow().cost()).isNull();

        // another end reported meanwhile prices nothing; the provider's retry of the ending event settles it
        lifecycle.apply(CallEvent.status("p", r.providerCallId(), "c2", CallStatus.FAILED, MutableClock.DEFAULT_START));
        assertThat(settled).isEmpty();
        lifecycle.apply(completed(r, 200));
        lifecycle.apply(completed(r, 200));

        CallRecord after = store.find("c2").orElseThrow();
        assertThat(after.cost()).isEqualTo(Money.inr("4"));
        assertThat(after.durationSeconds()).isEqualTo(200);
        assertThat(settled).containsExactly("c2 200");
        assertThat(ended).singleElement().extracting(CallRecord::cost).isEqualTo(Money.inr("4"));
    }

    /**
     * A settling handler that lets each settlement through only once {@code settlers} of them are under way at once
     * (so that they race), after failing the first {@code failFirst} attempts as an unreachable ledger does.
     */
    private CallLifecycle racing(int failFirst, CountDownLatch settlers) {
        AtomicInteger attempts = new AtomicInteger();
        return new CallLifecycle(store, clock, (record, event) -> {
            if (attempts.incrementAndGet() <= failFirst) throw new IllegalStateException("ledger unreachable");
            settlers.countDown();
            try {
                if (!settlers.await(10, TimeUnit.SECONDS)) throw new AssertionError("the settlements did not race");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            settled.add(record.callId());
            return Money.inr("4");
        });
    }

    /** Runs both at once, and waits for both. */
    private static void race(Runnable a, Runnable b) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> both = List.of(pool.submit(a), pool.submit(b));
            for (Future<?> f : both) f.get(20, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Two redeliveries of the end, right after its settlement failed, both find no cost stored and both settle: the
     * ledger settles the hold once, but the settlement must be announced once too (a metrics counter, a host's
     * billing), not once per redelivery.
     */
    @Test
    void twoRedeliveriesRacingAfterAFailedSettlementAnnounceItOnce() throws Exception {
        CallLifecycle lifecycle = racing(1, new CountDownLatch(2));
        List<CallRecord> announced = new CopyOnWriteArrayList<>();
        lifecycle.onSettled(announced::add);
        CallRecord r = placed("c-race");
        assertThatThrownBy(() -> lifecycle.apply(completed(r, 200))).hasMessageContaining("ledger unreachable");

        race(() -> lifecycle.apply(completed(r, 200)), () -> lifecycle.apply(completed(r, 200)));

        assertThat(settled).as("both settled; the ledger settles a hold once").hasSize(2);
        assertThat(store.find("c-race").orElseThrow().cost()).isEqualTo(Money.inr("4"));
        assertThat(announced).singleElement().extracting(CallRecord::cost).isEqualTo(Money.inr("4"));
    }

    /** The same for a redelivery that comes while the first report of the end is still settling. */
    @Test
    void aRedeliveryRacingTheFirstSettlementAnnouncesNothingMore() throws Exception {
        CallLifecycle lifecycle = racing(0, new CountDownLatch(2));
        List<CallRecord> announced = new CopyOnWriteArrayList<>();
        lifecycle.onSettled(announced::add);
        CallRecord r = placed("c-first");

        race(() -> lifecycle.apply(completed(r, 200)), () -> {
            // the redelivery once the end is stored (its settlement under way, no cost yet)
            while (!store.find("c-first").orElseThrow().status().isTerminal()) Thread.onSpinWait();
            lifecycle.apply(completed(r, 200));
        });

        assertThat(settled).hasSize(2);
        assertThat(announced).singleElement().extracting(CallRecord::cost).isEqualTo(Money.inr("4"));
    }

    /** The same for reconciliation finishing a failed settlement while the provider's redelivery of the end settles it. */
    @Test
    void reconciliationRacingARedeliveryAfterAFailedSettlementAnnouncesItOnce() throws Exception {
        CallLifecycle lifecycle = racing(1, new CountDownLatch(2));
        List<CallRecord> announced = new CopyOnWriteArrayList<>();
        lifecycle.onSettled(announced::add);
        CallRecord r = placed("c-repair");
        assertThatThrownBy(() -> lifecycle.apply(completed(r, 200))).hasMessageContaining("ledger unreachable");
        CallRecord flagged = store.find("c-repair").orElseThrow();

        race(() -> lifecycle.finishSettlementAsReported(flagged), () -> lifecycle.apply(completed(r, 200)));

        assertThat(settled).hasSize(2);
        assertThat(announced).singleElement().extracting(CallRecord::cost).isEqualTo(Money.inr("4"));
    }

    /** A settlement whose note the store fails to write is still announced: nothing would settle the call again. */
    @Test
    void aSettlementWhoseNoteCannotBeWrittenIsStillAnnounced() {
        CallStore noNotes = (CallStore) Proxy.newProxyInstance(CallStore.class.getClassLoader(),
                new Class<?>[] {CallStore.class}, (proxy, method, args) -> {
                    if (method.getName().equals("appendEvent") && ((StoredEvent) args[0]).type().equals(CallLifecycle.SETTLED)) {
                        throw new StoreException("database unreachable");
                    }
                    try {
                        return method.invoke(store, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        CallLifecycle lifecycle = new CallLifecycle(noNotes, clock, (record, event) -> Money.inr("4"));
        List<CallRecord> announced = new CopyOnWriteArrayList<>();
        lifecycle.onSettled(announced::add);
        CallRecord r = placed("c-unnoted");

        lifecycle.apply(completed(r, 200));

        assertThat(announced).singleElement().extracting(CallRecord::cost).isEqualTo(Money.inr("4"));
    }

    /**
     * A report that settles a flagged call's doubt (ringing) is applied while the call's end, applied on another node
     * in between reading the call and writing the report, fails to settle: the report's write must not unflag the
     * ended call, or nothing finishes its settlement and its hold stays held.
     */
    @Test
    void aLateReportRacingTheEndLeavesAnUnsettledEndFlagged() {
        CallRecord r = placed("c-late");
        store.update(CallUpdate.of("c-late", clock.instant()).needsReconciliation(true));   // its outcome was unknown
        CallLifecycle otherNode = new CallLifecycle(store, clock, (record, event) -> {
            throw new IllegalStateException("ledger unreachable");
        });
        CallStore endsInBetween = (CallStore) Proxy.newProxyInstance(CallStore.class.getClassLoader(),
                new Class<?>[] {CallStore.class}, (proxy, method, args) -> {
                    if (UPDATES.contains(method.getName()) && updateIn(method, args).status() == CallStatus.RINGING) {
                        assertThatThrownBy(() -> otherNode.apply(completed(r, 60))).hasMessageContaining("ledger");
                    }
                    try {
                        return method.invoke(store, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        CallLifecycle lifecycle = new CallLifecycle(endsInBetween, clock, (record, event) -> Money.inr("4"));

        lifecycle.apply(CallEvent.status("p", r.providerCallId(), "c-late", CallStatus.RINGING, clock.instant()));

        CallRecord after = store.find("c-late").orElseThrow();
        assertThat(after.status()).isEqualTo(CallStatus.COMPLETED);
        assertThat(after.cost()).isNull();
        assertThat(after.needsReconciliation()).as("left to reconciliation, which finishes it").isTrue();
    }

    @Test
    void aRedeliveredFinalReportLogsNoWarningAndAConflictingOneDoes() {
        List<String> settling = new CopyOnWriteArrayList<>();
        AtomicInteger depth = new AtomicInteger();
        CallLifecycle[] lifecycle = new CallLifecycle[1];
        lifecycle[0] = new CallLifecycle(store, clock, (record, event) -> {
            settling.add(record.callId());
            // the provider's redelivery arrives while the first report is still settling
            if (depth.incrementAndGet() == 1) lifecycle[0].apply(completed(record, 200));
            return Money.inr("4");
        });
        CallRecord r = placed("c-dup");

        String duplicates = stderrOf(() -> {
            lifecycle[0].apply(completed(r, 200));
            lifecycle[0].apply(completed(r, 200));                     // and again once settled
        });
        String conflicts = stderrOf(() -> {
            lifecycle[0].apply(completed(r, 260));                     // another talk time
            lifecycle[0].apply(CallEvent.status("p", r.providerCallId(), "c-dup", CallStatus.FAILED,
                    MutableClock.DEFAULT_START));                      // another end
        });

        assertThat(duplicates).as("a redelivery is expected").doesNotContain("WARN");
        assertThat(conflicts.lines().filter(l -> l.contains("WARN"))).hasSize(2)
                .allSatisfy(l -> assertThat(l).contains("c-dup", "completed"))
                .anySatisfy(l -> assertThat(l).contains("failed"))
                .anySatisfy(l -> assertThat(l).contains("260"));
        CallRecord after = store.find("c-dup").orElseThrow();
        assertThat(after.status()).isEqualTo(CallStatus.COMPLETED);
        assertThat(after.durationSeconds()).isEqualTo(200);
        assertThat(after.cost()).isEqualTo(Money.inr("4"));
    }

    /** What the code logs (slf4j-simple writes to standard error) while {@code action} runs. */
    private static String stderrOf(Runnable action) {
        java.io.PrintStream original = System.err;
        java.io.ByteArrayOutputStream logs = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(logs, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setErr(original);
        }
        String text = logs.toString(java.nio.charset.StandardCharsets.UTF_8);
        original.print(text);
        return text;
    }

    @Test
    void aChangeTheManagerDecidesEndsTheCallOnTheSamePath() {
        CallLifecycle lifecycle = new CallLifecycle(store, clock, (record, event) -> {
            settled.add(record.callId() + (event == null ? " by the manager" : ""));
            return Money.inr("0");
        });
        placed("c3");

        CallRecord after = lifecycle.record(CallUpdate.of("c3", clock.instant()).status(CallStatus.FAILED)
                .endedAt(clock.instant()).error("REJECTED", "no"));
        lifecycle.record(CallUpdate.of("c3", clock.instant()).status(CallStatus.FAILED).error("INTERNAL", "again"));

        assertThat(after.cost()).isEqualTo(Money.inr("0"));
        assertThat(settled).containsExactly("c3 by the manager");
        assertThat(store.find("c3").orElseThrow().errorReason()).isEqualTo("REJECTED");
    }

    /** The store, telling {@code writes} of each update it is asked for. */
    private CallStore recording(List<CallUpdate> writes) {
        return (CallStore) Proxy.newProxyInstance(CallStore.class.getClassLoader(), new Class<?>[] {CallStore.class},
                (proxy, method, args) -> {
                    if (UPDATES.contains(method.getName())) writes.add(updateIn(method, args));
                    try {
                        return method.invoke(store, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Test
    void aManagersEndIsFlaggedByTheWriteThatEndsItAndUnflaggedByTheOneThatStoresItsCost() {
        List<CallUpdate> writes = new CopyOnWriteArrayList<>();
        CallLifecycle lifecycle = new CallLifecycle(recording(writes), clock, (record, event) -> Money.inr("0"));
        placed("c4");

        CallRecord after = lifecycle.record(CallUpdate.of("c4", clock.instant()).status(CallStatus.FAILED)
                .endedAt(clock.instant()).error("REJECTED", "no"));

        // two writes, as before the flag: the end, then the cost
        assertThat(writes).extracting(CallUpdate::status, CallUpdate::cost, CallUpdate::needsReconciliation)
                .containsExactly(tuple(CallStatus.FAILED, null, true),
                        tuple(null, Money.inr("0"), false));
        assertThat(after.cost()).isEqualTo(Money.inr("0"));
        assertThat(after.needsReconciliation()).isFalse();
    }

    @Test
    void aManagersEndSettledWithoutACostIsNotLeftFlagged() {
        CallLifecycle lifecycle = new CallLifecycle(store, clock, (record, event) -> null);
        placed("c5");

        CallRecord after = lifecycle.record(CallUpdate.of("c5", clock.instant()).status(CallStatus.CANCELED)
                .endedAt(clock.instant()));

        assertThat(after.cost()).isNull();
        assertThat(after.needsReconciliation()).isFalse();
        assertThat(store.findNeedingReconciliation(10)).isEmpty();
    }

    private static CallEvent status(CallRecord r, CallStatus status, int secondsIn) {
        return new CallEvent("p", r.providerCallId(), r.callId(), status, MutableClock.DEFAULT_START.plusSeconds(secondsIn),
                null, null, null, null, null, null, Map.of());
    }

    @Test
    void aCallThatJumpsToWaitingForAnAgentWasAnsweredThenAndALaterAgentDoesNotMoveTheAnswer() {
        CallLifecycle lifecycle = new CallLifecycle(store, clock, (record, event) -> null);
        CallRecord r = placed("c-agent");

        lifecycle.apply(status(r, CallStatus.WAITING_FOR_AGENT, 10));
        lifecycle.apply(status(r, CallStatus.WITH_AGENT, 40));

        CallRecord after = store.find("c-agent").orElseThrow();
        assertThat(after.status()).isEqualTo(CallStatus.WITH_AGENT);
        assertThat(after.answeredAt()).isEqualTo(MutableClock.DEFAULT_START.plusSeconds(10));

        // the answered event, late, still says when the callee picked up; the status stays
        lifecycle.apply(status(r, CallStatus.ANSWERED, 8));
        after = store.find("c-agent").orElseThrow();
        assertThat(after.status()).isEqualTo(CallStatus.WITH_AGENT);
        assertThat(after.answeredAt()).isEqualTo(MutableClock.DEFAULT_START.plusSeconds(8));
    }

    @Test
    void anAnsweredCallWaitsForAnAgentTalksToOneAndEndsWithTheAnswerTimeKept() {
        CallLifecycle lifecycle = new CallLifecycle(store, clock, (record, event) -> null);
        List<CallStatusChanged> changes = new CopyOnWriteArrayList<>();
        lifecycle.onStatusChange(changes::add);
        CallRecord r = placed("c-queue");

        lifecycle.apply(status(r, CallStatus.ANSWERED, 5));
        lifecycle.apply(status(r, CallStatus.WAITING_FOR_AGENT, 6));
        lifecycle.apply(status(r, CallStatus.WITH_AGENT, 30));
        lifecycle.apply(status(r, CallStatus.WAITING_FOR_AGENT, 31));   // late duplicate: ignored
        lifecycle.apply(status(r, CallStatus.COMPLETED, 90));

        assertThat(changes).extracting(CallStatusChanged::current).containsExactly(CallStatus.ANSWERED,
                CallStatus.WAITING_FOR_AGENT, CallStatus.WITH_AGENT, CallStatus.COMPLETED);
        assertThat(store.find("c-queue").orElseThrow().answeredAt()).isEqualTo(MutableClock.DEFAULT_START.plusSeconds(5));
    }
}
