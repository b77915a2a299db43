package io.globalcalling.store.jdbi;

/**
 * What one run of {@link JdbiCallStore#continueErasures} did, and what is left.
 *
 * @param callsErased        deferred calls erased now that they can no longer change what is billed
 * @param callsWaiting       calls an erasure deferred that can still change what is billed
 * @param erasedAtProviders  calls their providers deleted, now gone from the queue
 * @param failedAtProviders  calls whose deletion at their provider failed this time, to be tried again later
 * @param pendingAtProviders calls still queued for their providers: those that failed, and those not yet due
 */
public record ErasureProgress(int callsErased, int callsWaiting, int erasedAtProviders, int failedAtProviders,
                              int pendingAtProviders) {
}
