package io.globalcalling.spring.api;

import io.globalcalling.core.GlobalCallingManager;
import io.globalcalling.core.Subscription;
import io.globalcalling.core.lifecycle.CallStatusChanged;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A Server-Sent Events stream of the status changes of the API key's customer's calls: one {@code status} event
 * per forward move, its data a {@link ApiViews.StatusChange}, whichever node sharing the store applied it (another
 * node's moves come at this node's next poll of the store, each move its event log shows even when it moved twice
 * between two polls: see {@code Calls.follow}). The stream ends after {@link #STREAM_TIMEOUT}, or once its client leaves
 * {@link SseStreams#BACKLOG} events unread; clients reconnect, as EventSource does by itself. Events are sent on the
 * streams' own threads (see {@link SseStreams}), so a client that stops reading holds up no callback and no other
 * stream.
 */
@RestController
@RequestMapping(CallingApiController.BASE)
public class CallEventsController {

    /** How long one stream stays open. */
    static final Duration STREAM_TIMEOUT = Duration.ofMinutes(30);
    /** The name of each event. */
    public static final String EVENT = "status";

    private final GlobalCallingManager manager;
    private final SseStreams streams = new SseStreams();

    public CallEventsController(GlobalCallingManager manager) {
        this.manager = Objects.requireNonNull(manager, "manager");
    }

    @GetMapping(path = "/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    public SseEmitter events(@RequestAttribute(ApiKeyFilter.CUSTOMER) String customer) throws IOException {
        AtomicReference<Subscription> subscription = new AtomicReference<>();
        SseEmitter emitter = streams.open(STREAM_TIMEOUT, () -> {
            Subscription s = subscription.get();
            if (s != null) s.close();
        });
        // the stream's own threads send: a client that stopped reading holds up no one else
        subscription.set(manager.calls().follow(customer, change -> streams.send(emitter, event(change)),
                reason -> emitter.complete()));
        emitter.send(SseEmitter.event().comment("subscribed"));   // sends the headers now, so the client knows
        return emitter;
    }

    /** Ends every open stream when the host shuts down, so its graceful shutdown does not wait on them. */
    @EventListener(ContextClosedEvent.class)
    public void completeStreams() {
        streams.completeAll();
    }

    /** How many streams are open. */
    int openStreams() {
        return streams.size();
    }

    private static SseEmitter.SseEventBuilder event(CallStatusChanged change) {
        return SseEmitter.event().name(EVENT).id(change.record().callId() + ":" + change.current().wireName())
                .data(ApiViews.StatusChange.of(change), MediaType.APPLICATION_JSON);
    }
}
