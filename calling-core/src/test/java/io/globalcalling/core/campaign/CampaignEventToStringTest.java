package io.globalcalling.core.campaign;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A target's events print its number masked: the runner logs an event whose listener failed, and a phone number
 * stays out of logs.
 */
class CampaignEventToStringTest {

    private static final Instant AT = Instant.parse("2026-12-03T10:00:00Z");

    @Test
    void aTargetsEventsPrintItsNumberMasked() {
        CampaignEvent done = new CampaignEvent.TargetDone("cmp_1", "+919876543210", Outcome.COMPLETED, 2, AT);
        CampaignEvent retry = new CampaignEvent.RetryScheduled("cmp_1", "+919876543210", Outcome.BUSY, 1, AT);

        assertThat(done.toString()).contains("cmp_1", "+919*******10", "COMPLETED", "2").doesNotContain("9876543210");
        assertThat(retry.toString()).contains("cmp_1", "+919*******10", "BUSY").doesNotContain("9876543210");
    }
}
