package io.globalcalling.core.store;

import io.globalcalling.CallCategory;
import io.globalcalling.CallRecord;
import io.globalcalling.CallStatus;
import io.globalcalling.Money;
import io.globalcalling.Priority;
import io.globalcalling.spi.store.StoredEvent;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What the in-memory store does to keep a call in flight small, beyond the store contract. */
class InMemoryCallStoreTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private static CallRecord record(String callId) {
        // every part built afresh, as each placement builds its own
        return CallRecord.initiated(callId, new String("customer-1"), CallCategory.INTERNET_VOIP, null, "+14155550000",
                null, Priority.NORMAL, null, null, Money.inr("8"), Money.inr("1.6"),
                List.of(new String("a person-to-person call"), "sandbox: " + "cheapest covering option"), false, T0,
                new LinkedHashMap<>(Map.of("team", "support")));
    }

    @Test
    void recordsShareOneCopyOfWhatTheyHaveInCommon() {
        InMemoryCallStore store = new InMemoryCallStore();
        store.create(record("call-1"));
        store.create(record("call-2"));
        CallRecord first = store.find("call-1").orElseThrow();
        CallRecord second = store.find("call-2").orElseThrow();

        assertThat(second).isEqualTo(record("call-2"));
        assertThat(second.customerId()).isSameAs(first.customerId());
        assertThat(second.routeReasons()).isSameAs(first.routeReasons());
        assertThat(second.heldAmount()).isSameAs(first.heldAmount());
        assertThat(second.estimatedCost()).isSameAs(first.estimatedCost());
        assertThat(second.metadata()).isSameAs(first.metadata());
    }

    @Test
    void eventsShareEqualDetailsAndComeBackInAppendOrderWithoutDuplicates() {
        InMemoryCallStore store = new InMemoryCallStore();
        List<StoredEvent> appended = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            StoredEvent e = new StoredEvent("call-1", "acme", "status", CallStatus.RINGING, T0.plusSeconds(i),
                    new LinkedHashMap<>(Map.of("simulated", "true", "attempt", Integer.toString(1))));
            assertThat(store.appendEvent(e)).isTrue();
            appended.add(e);
            assertThat(store.appendEvent(e)).as("a replay of event %s", i).isFalse();
        }
        StoredEvent other = new StoredEvent("call-2", "core", "routed", CallStatus.INITIATED, T0,
                Map.of("attempt", Integer.toString(1), "simulated", "true"));
        store.appendEvent(other);

        List<StoredEvent> events = store.events("call-1");
        assertThat(events).containsExactlyElementsOf(appended);
        assertThat(events.get(19).data()).isSameAs(events.get(0).data()).isSameAs(store.events("call-2").get(0).data());
    }
    @Test
    void aCallsSuccessiveEventsWithEqualDetailsShareOneMapHoweverManyOtherCallsLogMeanwhile() {
        InMemoryCallStore store = new InMemoryCallStore();
        for (CallStatus status : List.of(CallStatus.QUEUED, CallStatus.RINGING, CallStatus.ANSWERED)) {
            store.appendEvent(new StoredEvent("call-1", "acme", "status", status, T0,
                    Map.of("simulated", "true", StoredEvent.PROVIDER_CALL_ID, new String("A-1"))));
            for (int i = 0; i < 2_000; i++) {
                store.appendEvent(new StoredEvent("other-" + i, "acme", "status", status, T0,
                        Map.of(StoredEvent.PROVIDER_CALL_ID, "B-" + i)));
            }
        }

        List<StoredEvent> events = store.events("call-1");
        assertThat(events).extracting(StoredEvent::status)
                .containsExactly(CallStatus.QUEUED, CallStatus.RINGING, CallStatus.ANSWERED);
        assertThat(events.get(2).data()).isSameAs(events.get(1).data()).isSameAs(events.get(0).data())
                .isEqualTo(Map.of("simulated", "true", StoredEvent.PROVIDER_CALL_ID, "A-1"));
    }
}
