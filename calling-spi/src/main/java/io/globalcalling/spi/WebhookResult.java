package io.globalcalling.spi;

import io.globalcalling.WebhookResponse;

import java.util.List;
import java.util.Objects;

/**
 * What a {@link WebhookHandler} made of a verified request: the events the core applies to our calls, and the
 * response the provider gets once they are applied (its acknowledgement, or a document such as an NCCO or
 * TwiML that tells it what to do with the call). Built with the static factories, so that what a result can
 * carry may grow without breaking a handler.
 */
public final class WebhookResult {

    private final List<CallEvent> events;
    private final WebhookResponse response;

    private WebhookResult(List<CallEvent> events, WebhookResponse response) {
        this.events = List.copyOf(Objects.requireNonNull(events, "events"));
        this.response = Objects.requireNonNull(response, "response");
    }

    /** Events to apply, answered with {@code response} (the provider's acknowledgement or a document). */
    public static WebhookResult of(List<CallEvent> events, WebhookResponse response) {
        return new WebhookResult(events, response);
    }

    /** Events to apply, acknowledged with an empty 200. */
    public static WebhookResult events(List<CallEvent> events) {
        return new WebhookResult(events, WebhookResponse.ok());
    }

    /** A call-control request answered with {@code document}; nothing to apply. */
    public static WebhookResult answer(WebhookResponse document) {
        return new WebhookResult(List.of(), document);
    }

    /** The events to apply, in order; may be empty. */
    public List<CallEvent> events() {
        return events;
    }

    /** What to answer the provider once the events are applied. */
    public WebhookResponse response() {
        return response;
    }

    @Override
    public String toString() {
        // the response body may be a document about the call: its size only
        return "WebhookResult[" + events.size() + " events, response " + response.status() + " "
                + response.contentType() + ", " + response.body().length() + " chars]";
    }
}
