package io.globalcalling.store.jdbi;

/**
 * Deletes what a provider keeps of one of its calls, for {@link JdbiCallStore#continueErasures}: a host passes
 * {@code manager::eraseAtProvider}. It throws when the deletion did not happen this time.
 */
@FunctionalInterface
public interface ProviderCallEraser {

    void erase(String providerId, String providerCallId);
}
