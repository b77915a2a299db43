package io.globalcalling.spring.admin;

import io.globalcalling.CallRecord;
import io.globalcalling.core.CallingObserver;
import io.globalcalling.core.GlobalCallingManager;
import io.globalcalling.core.Subscription;
import io.globalcalling.spring.api.ApiViews;
import io.globalcalling.spring.api.SseStreams;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A Server-Sent Events stream of every customer's calls for the dashboard: a {@code call} event, its data an
 * {@link ApiViews.Call}, when a call's placement finishes on this node and at each forward move of its status,
 * whichever node sharing the store applied it (another node's moves come at this node's next poll of the store: see
 * {@code Calls.follow}). The stream ends after {@link #STREAM_TIMEOUT}, or once the page leaves
 * {@link SseStreams#BACKLOG} events unread; the page's EventSource reconnects by itself. Events are sent on the
 * streams' own threads (see {@link SseStreams}), so a page that stops reading holds up no placement, no callback and no
 * other stream.
 */
@RestController
public class AdminEventsController {

    /** Where the stream is served. */
    public static final String EVENTS = CallingAdminAutoConfiguration.BASE + "/events";
    /** The name of each event. */
    public static final String EVENT = "call";
    static final Duration STREAM_TIMEOUT = Duration.ofMinutes(30);

    private final GlobalCallingManager manager;
    private final SseStreams streams = new SseStreams();

    public AdminEventsController(GlobalCallingManager manager) {
        this.manager = Objects.requireNonNull(manager, "manager");
    }

    @GetMapping(path = EVENTS, produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    public SseEmitter events() throws IOException {
        List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
        SseEmitter emitter = streams.open(STREAM_TIMEOUT, () -> subscriptions.forEach(Subscription::close));
        // the stream's own threads send: a page that stopped reading holds up no placement and no callback
        subscriptions.add(manager.calls().follow(null, change -> streams.send(emitter, event(change.record())),
                reason -> emitter.complete()));
        subscriptions.add(manager.observe(new CallingObserver() {
            @Override
            public void placed(CallRecord record, Duration took) {
                streams.send(emitter, event(record));
            }
        }));
        emitter.send(SseEmitter.event().comment("subscribed"));   // sends the headers now
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

    private static SseEmitter.SseEventBuilder event(CallRecord record) {
        return SseEmitter.event().name(EVENT).data(ApiViews.Call.of(record), MediaType.APPLICATION_JSON);
    }
}
