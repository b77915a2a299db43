package io.globalcalling.spi;

import io.globalcalling.CallCategory;
import io.globalcalling.CallRecord;
import io.globalcalling.CallRequest;
import io.globalcalling.Priority;
import io.globalcalling.Purpose;
import io.globalcalling.spi.store.CampaignTarget;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A call's request and record print no secret and no one's number: a URL's credentials, a script, a payload, a
 * transcript, a phone number (masked, as {@code PhoneNumber.mask} does).
 */
class RecordToStringTest {

    private static final String HOOK = "https://ops:hunter2@alerts.example.com/hook";
    private static final Instant NOW = Instant.parse("2026-12-03T10:00:00Z");

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
        CallRecord record = new CallRecord("call-1", "acme", CallCategory.SYSTEM_API, "webhook", null, null, HOOK,
                io.globalcalling.CallStatus.COMPLETED, Purpose.NOTIFICATION, Priority.NORMAL, 1, null, null, null, null,
                null, null, "https://rec:s3cret@media.example.com/r/1.wav", "I said canary", null, List.of(), null, null,
                false, false, false, NOW, null, NOW, NOW, NOW, Map.of());

        String shown = record.toString();

        assertThat(shown).contains("call-1", "alerts.example.com/hook", "media.example.com/r/1.wav", "<13 characters>")
                .doesNotContain("hunter2", "s3cret", "canary");
    }

    @Test
    void aRequestPrintsItsNumbersMasked() {
        CallRequest request = CallRequest.to("+919876543210").from("+14155550123").build();

        String shown = request.toString();

        assertThat(shown).contains("to=+919*******10", "from=+141******23")
                .doesNotContain("9876543210", "4155550123");
    }

    @Test
    void aRecordPrintsItsNumbersMasked() {
        CallRecord record = new CallRecord("call-2", "acme", CallCategory.INTERNET_VOIP, "twilio", null,
                "+14155550123", "+919876543210", io.globalcalling.CallStatus.COMPLETED, null, Priority.NORMAL, 1, null,
                null, null, null, null, null, null, null, null, List.of(), null, null, false, false, false, NOW, null,
                NOW, NOW, NOW, Map.of());

        String shown = record.toString();

        assertThat(shown).contains("call-2", "fromNumber=+141******23", "toNumber=+919*******10")
                .doesNotContain("9876543210", "4155550123");
    }

    @Test
    void aRecordPrintsANumberInASipUriMasked() {
        CallRecord record = new CallRecord("call-3", "acme", CallCategory.INTERNET_VOIP, "twilio", null, null,
                "sip:+919876543210@pbx.example.com", io.globalcalling.CallStatus.COMPLETED, null, Priority.NORMAL, 1,
                null, null, null, null, null, null, null, null, null, List.of(), null, null, false, false, false, NOW,
                null, NOW, NOW, NOW, Map.of());

        assertThat(record.toString()).contains("sip:+919*******10@pbx.example.com").doesNotContain("9876543210");
    }

    @Test
    void aCampaignTargetPrintsItsNumberMaskedAndItsVariablesByName() {
        CampaignTarget target = CampaignTarget.pending("cmp_1", "t-1", "+919876543210", Map.of("name", "Asha Rao"),
                NOW);

        String shown = target.toString();

        assertThat(shown).contains("cmp_1", "t-1", "toNumber=+919*******10", "name", "PENDING")
                .doesNotContain("9876543210", "Asha");
    }

    @Test
    void anOutboundCallPrintsItsSpokenTextByItsSizeItsCallbackWithoutCredentialsAndItsNumbersMasked() {
        CallRequest request = CallRequest.to("+919876543210").category(CallCategory.AI_AUTOMATED)
                .script("Your code is {{otp}}").variable("otp", "9931-canary").build();
        OutboundCall call = OutboundCall.builder("call-4", CallCategory.AI_AUTOMATED, request)
                .spokenText("Your code is 9931-canary")
                .statusCallbackUrl(java.net.URI.create("https://hook:pa55@calls.example.com/cb/twilio?callId=call-4"))
                .build();

        String shown = call.toString();

        assertThat(shown).contains("call-4", "<24 characters>", "calls.example.com/cb/twilio", "+919*******10")
                .doesNotContain("canary", "pa55", "9876543210");
    }
}
