package io.globalcalling.spi;

import io.globalcalling.WebhookRequest;
import io.globalcalling.WebhookResponse;

import java.util.List;

/** Verifies and parses one provider's callbacks. The core applies the events; handlers change nothing. */
public interface WebhookHandler {

    /**
     * Checks the request's signature (and replay window, where the provider has one), then turns it
     * into events.
     *
     * @throws WebhookRejectedException when verification fails or the body is malformed; the message
     *                                  names the reason but never a secret or the full signature
     */
    List<CallEvent> verifyAndParse(WebhookRequest request);

    /** The answer the provider expects once the events were applied. */
    default WebhookResponse acknowledge(List<CallEvent> events) {
        return WebhookResponse.ok();
    }

    /** For providers that send no callbacks. */
    static WebhookHandler none(String providerId) {
        return request -> {
            throw new WebhookRejectedException(404, "provider " + providerId + " accepts no webhooks");
        };
    }
}
