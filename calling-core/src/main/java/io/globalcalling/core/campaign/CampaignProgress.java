package io.globalcalling.core.campaign;

import io.globalcalling.Money;
import io.globalcalling.spi.store.Campaign;
import org.jspecify.annotations.Nullable;

import java.time.Duration;

/**
 * Where a campaign stands.
 *
 * @param campaignId       the campaign
 * @param status           its status
 * @param statusReason     why (e.g. the budget that paused it), or null
 * @param total            targets
 * @param pending          waiting for a first attempt or a retry
 * @param inFlight         with a call under way
 * @param completed        finished with a counted call (successful + failed)
 * @param successful       answered (or a message left)
 * @param failed           finished unsuccessfully after their attempts
 * @param suppressed       skipped: on the do-not-call list, or cancelled
 * @param refused          numbers refused before any call (invalid, not permitted, no route)
 * @param retriesScheduled pending targets that were attempted before
 * @param attempts         calls recorded for the campaign
 * @param totalCost        what the counted calls cost
 * @param remaining        how long the open targets take at the campaign's pace, the hours its calling windows are
 *                         closed skipped, or null when finished
 */
public record CampaignProgress(String campaignId, Campaign.Status status, @Nullable String statusReason, int total,
                               int pending, int inFlight, int completed, int successful, int failed, int suppressed,
                               int refused, int retriesScheduled, long attempts, Money totalCost,
                               @Nullable Duration remaining) {
}
