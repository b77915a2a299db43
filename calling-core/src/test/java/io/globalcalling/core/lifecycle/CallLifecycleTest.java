package io.globalcalling.core.lifecycle;

import io.globalcalling.core.store.InMemoryCallStore;
import io.globalcalling.CallCategory;
import io.globalcalling.spi.CallEvent;
import io.globalcalling.CallStatus;
import io.globalcalling.Money;
import io.globalcalling.Priority;
import io.globalcalling.CallRecord;
import io.globalcalling.spi.store.CallUpdate;
import io.globalcalling.testkit.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CallLifecycleTest {

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
}
