package io.globalcalling.spi;

import io.globalcalling.CallStatus;
import io.globalcalling.WebhookResponse;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class WebhookResultTest {

    private static final CallEvent RINGING = CallEvent.status("acme", "A-1", "call-1", CallStatus.RINGING,
            Instant.parse("2026-01-01T00:00:00Z"));

    @Test
    void eventsAreAcknowledgedWithAnEmpty200AndAnAnswerCarriesNoEvents() {
        assertThat(WebhookResult.events(List.of(RINGING)).response()).isEqualTo(WebhookResponse.ok());
        WebhookResponse ncco = new WebhookResponse(200, "application/json", "[{\"action\":\"talk\"}]");
        assertThat(WebhookResult.answer(ncco).events()).isEmpty();
        assertThat(WebhookResult.answer(ncco).response()).isEqualTo(ncco);
    }

    @Test
    void theEventsAreACopyAndTheDocumentStaysOutOfToString() {
        List<CallEvent> events = new ArrayList<>(List.of(RINGING));
        WebhookResult result = WebhookResult.of(events, new WebhookResponse(200, "application/json", "Asha +14155550100"));
        events.clear();

        assertThat(result.events()).containsExactly(RINGING);
        assertThat(result.toString()).contains("1 events", "200").doesNotContain("Asha", "+14155550100");
    }
}
