package io.globalcalling.store.jdbi;

/**
 * What one run of {@link JdbiCallStore#eraseAtProviders} did.
 *
 * @param erased  calls their providers deleted, now gone from the queue
 * @param failed  calls whose deletion failed this time, to be tried again later
 * @param pending calls still queued after the run: those that failed, and those not yet due
 */
public record ProviderErasureResult(int erased, int failed, int pending) {
}
