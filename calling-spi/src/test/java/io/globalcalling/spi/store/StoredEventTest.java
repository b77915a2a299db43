package io.globalcalling.spi.store;

import io.globalcalling.CallStatus;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class StoredEventTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    /** Events that differ, one part at a time, in what identifies a report and in what does not. */
    private static List<StoredEvent> variants() {
        List<StoredEvent> all = new ArrayList<>();
        for (String source : List.of("core", "acme")) {
            for (String type : List.of("status", "placed")) {
                for (CallStatus status : new CallStatus[] {null, CallStatus.RINGING, CallStatus.COMPLETED}) {
                    for (String providerCallId : new String[] {null, "A-1", "A-2"}) {
                        for (String attempt : new String[] {null, "1"}) {
                            for (String sequence : new String[] {null, "7", "8"}) {
                                for (Instant at : List.of(T0, T0.plusNanos(1))) {
                                    for (String other : new String[] {null, "x"}) {
                                        Map<String, String> data = new LinkedHashMap<>();
                                        if (providerCallId != null) data.put(StoredEvent.PROVIDER_CALL_ID, providerCallId);
                                        if (attempt != null) data.put(StoredEvent.ATTEMPT, attempt);
                                        if (sequence != null) data.put(StoredEvent.SEQUENCE, sequence);
                                        if (other != null) data.put("answeredBy", other);
                                        all.add(new StoredEvent("call-1", source, type, status, at, data));
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return all;
    }

    @Test
    void isSameReportAsAgreesWithTheDedupKeyForEveryPair() {
        List<StoredEvent> all = variants();
        List<String> keys = all.stream().map(StoredEvent::dedupKey).toList();
        int same = 0;
        for (int i = 0; i < all.size(); i++) {
            for (int j = 0; j < all.size(); j++) {
                boolean sameKey = keys.get(i).equals(keys.get(j));
                assertThat(all.get(i).isSameReportAs(all.get(j)))
                        .as("%s vs %s", all.get(i), all.get(j)).isEqualTo(sameKey);
                if (sameKey && i != j) same++;
            }
        }
        // the grid holds duplicates (the time beside a sequence) as well as distinct reports
        assertThat(same).isPositive();
    }

    @Test
    void aMachineVerdictInTheSameSecondAsTheAnswerIsAnotherReport() {
        // Vonage: "answered", then "machine" from machine detection, both an answer, the same second, no sequence
        StoredEvent answered = new StoredEvent("call-1", "vonage", "status", CallStatus.ANSWERED, T0,
                Map.of(StoredEvent.PROVIDER_CALL_ID, "uuid-1", "status", "answered"));
        StoredEvent machine = new StoredEvent("call-1", "vonage", "status", CallStatus.ANSWERED, T0,
                Map.of(StoredEvent.PROVIDER_CALL_ID, "uuid-1", "status", "machine", "answeredBy", "machine"));
        // Twilio: the asynchronous AMD callback (AnsweredBy, MachineDetectionDuration) beside another report
        // without a status or a SequenceNumber in the same second
        StoredEvent verdict = new StoredEvent("call-1", "twilio", "info", null, T0,
                Map.of(StoredEvent.PROVIDER_CALL_ID, "CA1", "answeredBy", "machine_end_beep"));
        StoredEvent other = new StoredEvent("call-1", "twilio", "info", null, T0,
                Map.of(StoredEvent.PROVIDER_CALL_ID, "CA1", "CallbackSource", "call-progress-events"));

        assertThat(machine.dedupKey()).isNotEqualTo(answered.dedupKey());
        assertThat(machine.isSameReportAs(answered)).isFalse();
        assertThat(verdict.dedupKey()).isNotEqualTo(other.dedupKey());
        assertThat(verdict.isSameReportAs(other)).isFalse();
        for (StoredEvent e : List.of(answered, machine, verdict, other)) {
            StoredEvent redelivered = new StoredEvent(e.callId(), e.source(), e.type(), e.status(), e.occurredAt(),
                    new LinkedHashMap<>(e.data()));
            assertThat(redelivered.dedupKey()).as("a redelivery is the same report").isEqualTo(e.dedupKey());
            assertThat(redelivered.isSameReportAs(e)).isTrue();
        }
    }

    @Test
    void anEventPrintsItsDetailsByTheirNamesOnly() {
        StoredEvent event = new StoredEvent("call-1", "twilio", "transcript", null, T0,
                Map.of("transcript", "I said canary", "To", "+919876543210", "provider", "twilio"));

        String shown = event.toString();

        assertThat(shown).contains("call-1", "twilio", "transcript", "To", "provider")
                .doesNotContain("canary", "9876543210");
    }
}
