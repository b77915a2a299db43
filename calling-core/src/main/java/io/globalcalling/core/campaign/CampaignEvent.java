package io.globalcalling.core.campaign;

import java.time.Instant;

/** Something that happened to a campaign; listeners get them through {@link Campaigns#onEvent}. */
public sealed interface CampaignEvent {

    String campaignId();

    Instant at();

    record Started(String campaignId, Instant at) implements CampaignEvent {
    }

    /** Paused by the host, or by a budget that refused a call ({@code reason} says which). */
    record Paused(String campaignId, String reason, Instant at) implements CampaignEvent {
    }

    record Resumed(String campaignId, Instant at) implements CampaignEvent {
    }

    record Canceled(String campaignId, Instant at) implements CampaignEvent {
    }

    /** A target is finished: its last outcome and how many calls it took. */
    record TargetDone(String campaignId, String number, Outcome outcome, int attempts, Instant at)
            implements CampaignEvent {
    }

    /** A retry of a target is scheduled. */
    record RetryScheduled(String campaignId, String number, Outcome outcome, int attempts, Instant due)
            implements CampaignEvent {
        @Override
        public Instant at() {
            return due;
        }
    }

    /** Every target is finished. */
    record Completed(String campaignId, Instant at) implements CampaignEvent {
    }
}
