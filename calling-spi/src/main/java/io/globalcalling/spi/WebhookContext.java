package io.globalcalling.spi;

import io.globalcalling.CallRecord;

import java.util.Optional;

/**
 * What a {@link WebhookHandler} may look up while it handles one request: our records of this provider's
 * calls, read-only. A handler uses it to answer a call-control request (an answer URL) with a document built
 * for that call; status callbacks need it only when the request alone does not say which call it is about.
 *
 * <p>Only calls whose current attempt is with the provider the request was addressed to are found: a call
 * that failed over to another provider is no longer this provider's to answer for.
 */
public interface WebhookContext {

    /**
     * Our record of the call with our id {@code callId} (e.g. from the callback URL the core gave the provider).
     * This finds a call while its provider is still being asked, before the provider's own id is recorded.
     */
    Optional<CallRecord> call(String callId);

    /** Our record of the call this provider knows as {@code providerCallId}, once its placement was recorded. */
    Optional<CallRecord> callByProviderId(String providerCallId);

    /** A context that knows no call: for a handler used outside a manager, e.g. in its own tests. */
    static WebhookContext none() {
        return new WebhookContext() {
            @Override
            public Optional<CallRecord> call(String callId) {
                return Optional.empty();
            }

            @Override
            public Optional<CallRecord> callByProviderId(String providerCallId) {
                return Optional.empty();
            }
        };
    }
}
