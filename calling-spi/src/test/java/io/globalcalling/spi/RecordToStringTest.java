package io.globalcalling.spi;

import io.globalcalling.CallCategory;
import io.globalcalling.CallRecord;
import io.globalcalling.CallRequest;
import io.globalcalling.Priority;
import io.globalcalling.Purpose;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A call's request and record print no secret: a URL's credentials, a script, a payload, a transcript. */
class RecordToStringTest {

    private static final String HOOK = "https://ops:hunter2@alerts.example.com/hook";

    @Test
    void aRequestPrintsItsUrlsWithoutCredentialsAndItsTextsByTheirSizeOnly() {
        CallRequest request = CallRequest.to(HOOK).category(CallCategory.SYSTEM_API).payload("{\"token\":\"tok-canary\"}")
                .answerUrl("https://bot:pa55@voice.example.com/answer").script("Your code is 4711-canary")
                .variable("otp", "9931-canary").metadata("order", "A-17").build();

        String shown = request.toString();

        assertThat(shown).contains("alerts.example.com/hook", "voice.example.com/answer", "otp", "A-17")
                .doesNotContain("hunter2", "pa55", "canary");
    }

    @Test
    void aRecordPrintsItsDestinationAndRecordingWithoutCredentialsAndItsTranscriptByItsLengthOnly() {
        Instant now = Instant.parse("2026-12-03T10:00:00Z");
        CallRecord record = new CallRecord("call-1", "acme", CallCategory.SYSTEM_API, "webhook", null, null, HOOK,
                io.globalcalling.CallStatus.COMPLETED, Purpose.NOTIFICATION, Priority.NORMAL, 1, null, null, null, null,
                null, null, "https://rec:s3cret@media.example.com/r/1.wav", "I said canary", null, List.of(), null, null,
                false, false, false, now, null, now, now, now, Map.of());

        String shown = record.toString();

        assertThat(shown).contains("call-1", "alerts.example.com/hook", "media.example.com/r/1.wav", "<13 characters>")
                .doesNotContain("hunter2", "s3cret", "canary");
    }
}
