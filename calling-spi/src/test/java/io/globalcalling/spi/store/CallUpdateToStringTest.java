package io.globalcalling.spi.store;

import io.globalcalling.CallStatus;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** An update prints as the record it changes does: no recording credentials, no transcript. */
class CallUpdateToStringTest {

    @Test
    void anUpdatePrintsItsRecordingWithoutCredentialsAndItsTranscriptByItsLengthOnly() {
        CallUpdate update = CallUpdate.of("call-1", Instant.parse("2026-12-03T10:00:00Z")).status(CallStatus.COMPLETED)
                .recordingUrl("https://rec:s3cret@media.example.com/r/1.wav").transcript("I said canary");

        String shown = update.toString();

        assertThat(shown).contains("call-1", "COMPLETED", "media.example.com/r/1.wav", "<13 characters>")
                .doesNotContain("s3cret", "canary");
    }
}
