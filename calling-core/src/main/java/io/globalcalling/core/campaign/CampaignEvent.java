package io.globalcalling.core.campaign;

import io.globalcalling.PhoneNumber;

import java.time.Instant;

/** Something that happened to a campaign; listeners get them through {@link Campaigns#onEvent}. */
public sealed interface CampaignEvent {

    String campaignId();

    Instant at();

    record Started(String campaignId, Instant at) implements CampaignEvent {
    }

    /**
     * Paused by the host, by a budget that refused a call, or by a provider outage (every provider refused the calls
     * of several targets in a row); {@code reason} says which.
     */
    record Paused(String campaignId, String reason, Instant at) implements CampaignEvent {
    }

    record Resumed(String campaignId, Instant at) implements CampaignEvent {
    }

    record Canceled(String campaignId, Instant at) implements CampaignEvent {
    }

    /** A target is finished: its last outcome and how many calls it took. Its number prints masked. */
    record TargetDone(String campaignId, String number, Outcome outcome, int attempts, Instant at)
            implements CampaignEvent {
        @Override
        public String toString() {
            return "TargetDone[campaignId=" + campaignId + ", number=" + PhoneNumber.mask(number) + ", outcome="
                    + outcome + ", attempts=" + attempts + ", at=" + at + "]";
        }
    }

    /** A retry of a target is scheduled. Its number prints masked. */
    record RetryScheduled(String campaignId, String number, Outcome outcome, int attempts, Instant due)
            implements CampaignEvent {
        @Override
        public Instant at() {
            return due;
        }

        @Override
        public String toString() {
            return "RetryScheduled[campaignId=" + campaignId + ", number=" + PhoneNumber.mask(number) + ", outcome="
                    + outcome + ", attempts=" + attempts + ", due=" + due + "]";
        }
    }

    /** Every target is finished. */
    record Completed(String campaignId, Instant at) implements CampaignEvent {
    }
}
