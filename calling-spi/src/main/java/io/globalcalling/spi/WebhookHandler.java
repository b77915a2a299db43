package io.globalcalling.spi;

import io.globalcalling.WebhookRequest;

/**
 * Verifies and handles one provider's HTTP requests: status callbacks, which become events, and call-control
 * requests (an answer URL), which are answered with a document built for the call. The core applies the
 * events and sends the response; handlers change nothing themselves.
 */
public interface WebhookHandler {

    /**
     * Checks the request's signature (and replay window, where the provider has one) before anything else,
     * looking up a call included, then turns it into events and the response the provider expects.
     *
     * @param context our records of this provider's calls, for a handler that needs the call a request is about
     * @throws WebhookRejectedException when verification fails or the request is malformed; nothing is applied,
     *                                  and the message names the reason but never a secret or the full signature
     */
    WebhookResult handle(WebhookRequest request, WebhookContext context);

    /** For providers that send no callbacks: every request is refused with 404. */
    static WebhookHandler none(String providerId) {
        return (request, context) -> {
            throw new WebhookRejectedException(404, "provider " + providerId + " accepts no webhooks");
        };
    }
}
