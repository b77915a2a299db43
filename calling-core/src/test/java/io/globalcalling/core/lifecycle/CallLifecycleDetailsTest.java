package io.globalcalling.core.lifecycle;

import io.globalcalling.CallCategory;
import io.globalcalling.CallRecord;
import io.globalcalling.CallStatus;
import io.globalcalling.Money;
import io.globalcalling.Priority;
import io.globalcalling.core.store.InMemoryCallStore;
import io.globalcalling.spi.CallEvent;
import io.globalcalling.spi.store.CallUpdate;
import io.globalcalling.spi.store.StoredEvent;
import io.globalcalling.testkit.MutableClock;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** What the lifecycle takes from each event into the record and the stored event, before and after the end. */
class CallLifecycleDetailsTest {

    private static final Instant T0 = MutableClock.DEFAULT_START;

    private final MutableClock clock = MutableClock.create();
    private final InMemoryCallStore store = new InMemoryCallStore();
    private final List<CallRecord> ended = new CopyOnWriteArrayList<>();
    private final CallLifecycle lifecycle = new CallLifecycle(store, clock, new CallLifecycle.TerminalHandler() {
        @Override
        public Money settle(CallRecord record, CallEvent event) {
            return Money.inr("3");
        }

        @Override
        public void ended(CallRecord record) {
            ended.add(record);
        }
    });

    private CallRecord initiated(String callId) {
        store.create(CallRecord.initiated(callId, "acme", CallCategory.AI_AUTOMATED, null, "+919876543210", null,
                Priority.NORMAL, null, null, Money.inr("10"), Money.inr("2"), List.of(), false, T0, Map.of()));
        return store.find(callId).orElseThrow();
    }

    private CallRecord placed(String callId) {
        initiated(callId);
        store.update(CallUpdate.of(callId, T0).provider("p", "P-" + callId).status(CallStatus.QUEUED));
        return store.find(callId).orElseThrow();
    }

    private static CallEvent.Builder event(CallRecord r, int secondsIn) {
        return CallEvent.builder("p", T0.plusSeconds(secondsIn)).providerCallId(r.providerCallId()).callId(r.callId());
    }

    @Test
    void aLateRecordingTranscriptAndSentimentAreKeptButNeverReplaced() {
        CallRecord r = placed("late");
        lifecycle.apply(event(r, 60).status(CallStatus.COMPLETED).duration(Duration.ofSeconds(50)).build());

        lifecycle.apply(event(r, 90).recordingUrl(URI.create("https://rec.example/1.mp3")).transcript("hello")
                .details(Map.of("sentiment", "positive")).build());
        lifecycle.apply(event(r, 95).recordingUrl(URI.create("https://rec.example/2.mp3")).transcript("other")
                .details(Map.of("sentiment", "negative")).build());

        CallRecord after = store.find("late").orElseThrow();
        assertThat(after.recordingUrl()).isEqualTo("https://rec.example/1.mp3");
        assertThat(after.transcript()).isEqualTo("hello");
        assertThat(after.aiSentiment()).isEqualTo("positive");
        assertThat(after.cost()).isEqualTo(Money.inr("3"));
        assertThat(after.durationSeconds()).isEqualTo(50);
    }

    @Test
    void aStatusHeardForAnEndedCallStillNeedingReconciliationClearsTheFlag() {
        CallRecord r = placed("flagged");
        store.update(CallUpdate.of("flagged", T0).status(CallStatus.FAILED).endedAt(T0).cost(Money.inr("0"))
                .needsReconciliation(true));

        lifecycle.apply(event(r, 30).status(CallStatus.FAILED).build());

        assertThat(store.find("flagged").orElseThrow().needsReconciliation()).isFalse();
    }

    @Test
    void theEndIsToldToBookkeepingOnceWithTheSettledCost() {
        CallRecord r = placed("told");

        lifecycle.apply(event(r, 60).status(CallStatus.COMPLETED).build());
        lifecycle.apply(event(r, 61).status(CallStatus.COMPLETED).build());

        assertThat(ended).singleElement().satisfies(e -> {
            assertThat(e.callId()).isEqualTo("told");
            assertThat(e.cost()).isEqualTo(Money.inr("3"));
        });
    }

    @Test
    void theFirstProviderCallIdHeardIsKeptAndALaterOneIgnored() {
        initiated("found");
        store.update(CallUpdate.of("found", T0).provider("p", null));
        CallRecord r = store.find("found").orElseThrow();

        lifecycle.apply(CallEvent.builder("p", T0.plusSeconds(5)).callId("found").providerCallId("P-1")
                .status(CallStatus.RINGING).build());
        lifecycle.apply(CallEvent.builder("p", T0.plusSeconds(6)).callId("found").providerCallId("P-2")
                .status(CallStatus.ANSWERED).build());

        assertThat(store.find(r.callId()).orElseThrow().providerCallId()).isEqualTo("P-1");
    }

    @Test
    void theAnsweredEventSetsThePickUpTimeAndAnAgentEventOnlyWhenNoneIsKnown() {
        CallRecord r = placed("agent");

        lifecycle.apply(event(r, 40).status(CallStatus.WITH_AGENT).build());
        assertThat(store.find("agent").orElseThrow().answeredAt()).isEqualTo(T0.plusSeconds(40));

        lifecycle.apply(event(r, 10).status(CallStatus.ANSWERED).build());   // late: too low to move the status
        lifecycle.apply(event(r, 50).status(CallStatus.WITH_AGENT).build());   // a repeat, stamped later

        CallRecord after = store.find("agent").orElseThrow();
        assertThat(after.status()).isEqualTo(CallStatus.WITH_AGENT);
        assertThat(after.answeredAt()).isEqualTo(T0.plusSeconds(10));
    }

    @Test
    void eventsAreStoredByKindWithTheirSequence() {
        CallRecord r = placed("kinds");

        lifecycle.apply(event(r, 1).status(CallStatus.RINGING).sequence(7L).build());
        lifecycle.apply(event(r, 2).recordingUrl(URI.create("https://rec.example/k.mp3")).build());
        lifecycle.apply(event(r, 3).transcript("words").build());
        lifecycle.apply(event(r, 4).answeredBy("human").build());

        List<StoredEvent> events = store.events("kinds");
        assertThat(events).extracting(StoredEvent::type).containsExactly("status", "recording", "transcript", "info");
        assertThat(events.get(0).data()).containsEntry("sequence", "7").containsEntry("providerCallId", "P-kinds");
        assertThat(events.get(1).data()).doesNotContainKey("sequence")
                .containsEntry("recordingUrl", "https://rec.example/k.mp3");
        assertThat(events.get(3).data()).containsEntry("answeredBy", "human");
    }
}
