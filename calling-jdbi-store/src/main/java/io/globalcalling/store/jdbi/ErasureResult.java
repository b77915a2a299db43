package io.globalcalling.store.jdbi;

/**
 * What an erasure of one phone number changed. Records are anonymised, not deleted, so billing
 * aggregates (cost, duration, category, dates) survive.
 *
 * @param calls    call records whose number was replaced by its HMAC and whose recording, transcript,
 *                 sentiment, error message and metadata were removed
 * @param events   events of those calls whose details were scrubbed
 * @param targets  campaign targets whose number was replaced and whose variables were removed
 * @param inboundMessages  messages from the number, or of its calls, deleted: they carry nothing billed and
 *                 their text and positions are personal
 * @param providerCalls    calls queued for their providers to delete what they keep (recordings, call logs):
 *                 see {@link JdbiCallStore#continueErasures}
 * @param deferredCalls    calls that can still change what is billed, which keep the number their settlement
 *                 prices by until {@link JdbiCallStore#continueErasures} erases them
 */
public record ErasureResult(int calls, int events, int targets, int inboundMessages, int providerCalls,
                            int deferredCalls) {
}
