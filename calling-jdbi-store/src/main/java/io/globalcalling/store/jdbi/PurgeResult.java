package io.globalcalling.store.jdbi;

/**
 * What a retention purge removed.
 *
 * @param calls            call records deleted
 * @param events           events deleted, those of the deleted calls included
 * @param inboundMessages  messages from terminals deleted (replies, positions, delivery confirmations)
 * @param campaigns        finished campaigns deleted
 * @param campaignTargets  targets deleted, those of the deleted campaigns
 */
public record PurgeResult(int calls, int events, int inboundMessages, int campaigns, int campaignTargets) {
}
