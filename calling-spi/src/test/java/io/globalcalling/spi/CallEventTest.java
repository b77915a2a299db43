package io.globalcalling.spi;

import io.globalcalling.CallStatus;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class CallEventTest {

    /**
     * The record's own toString printed the transcript, the recording's URL (with any credential in it) and every
     * detail's value; the manager logs an event that comes before it is ready with it, at WARN.
     */
    @Test
    void toStringShowsNeitherWhatWasSaidNorWhereItIsRecordedNorTheDetailsValues() {
        CallEvent event = CallEvent.builder("twilio", Instant.parse("2026-06-01T12:00:00Z")).providerCallId("CA1")
                .callId("call-1").status(CallStatus.COMPLETED)
                .recordingUrl(URI.create("https://user:recpass@rec.example/REC1.mp3"))
                .transcript("my card number is 4111 1111 1111 1111")
                .details(Map.of("CallerName", "+14155550100 Asha")).build();

        String shown = event.toString();

        assertThat(shown).contains("twilio", "CA1", "call-1", "COMPLETED", "CallerName");
        assertThat(shown).doesNotContain("4111", "recpass", "rec.example", "+14155550100", "Asha");
    }
}
