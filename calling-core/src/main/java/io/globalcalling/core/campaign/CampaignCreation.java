package io.globalcalling.core.campaign;

import io.globalcalling.spi.store.Campaign;

import java.util.Objects;

/**
 * What {@link Campaigns#createOnce} did: recorded {@code campaign}, or found it already recorded under the spec's
 * idempotency key ({@code replayed}) and wrote nothing.
 */
public record CampaignCreation(Campaign campaign, boolean replayed) {

    public CampaignCreation {
        Objects.requireNonNull(campaign, "campaign");
    }
}
