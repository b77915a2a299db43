package io.globalcalling.testkit;

import io.globalcalling.spi.CallEvent;
import io.globalcalling.CallStatus;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RecordingEventSinkTest {

    private final RecordingEventSink sink = new RecordingEventSink();

    private static CallEvent event(String id, CallStatus status) {
        return CallEvent.status("fake", id, null, status, Instant.EPOCH);
    }

    @Test
    void awaitReturnsAnEventDeliveredFromAnotherThread() {
        try (TestProviderContext context = TestProviderContext.create()) {
            context.scheduler().schedule(() -> sink.accept(event("A", CallStatus.COMPLETED)), 20, TimeUnit.MILLISECONDS);

            assertThat(sink.awaitTerminal("A", Duration.ofSeconds(5)).status()).isEqualTo(CallStatus.COMPLETED);
        }
    }

    @Test
    void awaitFailsWithWhatArrivedWhenTheTimeoutPasses() {
        sink.accept(event("A", CallStatus.RINGING));

        assertThatThrownBy(() -> sink.awaitStatus("A", CallStatus.ANSWERED, Duration.ofMillis(30)))
                .isInstanceOf(AssertionError.class).hasMessageContaining("RINGING").hasMessageContaining("0 arrived");
    }

    @Test
    void keepsEventsPerCallInArrivalOrder() {
        sink.accept(event("A", CallStatus.RINGING));
        sink.accept(event("B", CallStatus.RINGING));
        sink.accept(event("A", CallStatus.ANSWERED));

        assertThat(sink.eventsFor("A")).extracting(CallEvent::status).containsExactly(CallStatus.RINGING, CallStatus.ANSWERED);
        assertThat(sink.awaitCount(3, Duration.ZERO)).hasSize(3);
        sink.clear();
        assertThat(sink.size()).isZero();
    }
}
