package io.globalcalling.core.placement;

import java.net.URI;

/** Where a provider sends the events of one call: the manager's webhook URL for it, with our call id. */
@FunctionalInterface
public interface CallbackUrls {

    /** @return the URL, or null when the manager has no webhook base URL */
    URI forCall(String providerId, String callId);
}
