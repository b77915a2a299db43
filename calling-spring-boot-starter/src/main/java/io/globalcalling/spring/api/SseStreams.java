package io.globalcalling.spring.api;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Server-Sent Events streams a controller has open, and their sends. A host shutting down completes them: the web
 * server's graceful shutdown waits for open requests, and a stream whose client never hangs up (a dashboard left open)
 * would otherwise hold it for its whole timeout.
 *
 * <p>A send to a client that stopped reading blocks once the connection's buffers are full, so {@link #send} never
 * sends on the caller's thread (a webhook's, the placer's, the manager's): each stream's events wait in its own
 * backlog and are sent in order, one at a time, on this object's threads. A stream whose client leaves
 * {@link #backlog()} events unsent, or whose send fails, is ended.
 */
public final class SseStreams {

    /** How many events a stream may have waiting by default before it is ended. */
    public static final int BACKLOG = 1_000;
    private static final Logger log = LoggerFactory.getLogger(SseStreams.class);

    private final int backlog;
    private final Set<SseEmitter> open = ConcurrentHashMap.newKeySet();
    private final Map<SseEmitter, Outbox> outboxes = new ConcurrentHashMap<>();
    private final ExecutorService senders;

    public SseStreams() {
        this(BACKLOG);
    }

    /** @param backlog how many events a stream may have waiting before it is ended, at least 1 */
    public SseStreams(int backlog) {
        if (backlog < 1) throw new IllegalArgumentException("backlog " + backlog + " must be at least 1");
        this.backlog = backlog;
        AtomicInteger n = new AtomicInteger();
        this.senders = Executors.newCachedThreadPool(r -> {
            Thread t = Executors.defaultThreadFactory().newThread(r);
            t.setName("calling-sse-send-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** A stream open for at most {@code timeout}; {@code onEnd} runs when it ends, however it ends. */
    public SseEmitter open(Duration timeout, Runnable onEnd) {
        Objects.requireNonNull(onEnd, "onEnd");
        SseEmitter emitter = new SseEmitter(timeout.toMillis());
        Runnable end = () -> {
            open.remove(emitter);
            outboxes.remove(emitter);
            onEnd.run();
        };
        emitter.onCompletion(end);
        emitter.onTimeout(end);
        emitter.onError(e -> end.run());
        open.add(emitter);
        outboxes.put(emitter, new Outbox(emitter, end));
        return emitter;
    }

    /**
     * Sends {@code event} on {@code emitter}'s stream after the events given before it, on another thread: returns at
     * once and never throws. Nothing is sent on a stream that has ended.
     */
    public void send(SseEmitter emitter, SseEmitter.SseEventBuilder event) {
        Objects.requireNonNull(event, "event");
        Outbox outbox = outboxes.get(Objects.requireNonNull(emitter, "emitter"));
        if (outbox != null) outbox.add(event);
    }

    /**
     * Completes every stream still open, each on this object's threads: completing waits for a send under way, and one
     * to a client that stopped reading lasts until the connection's write times out, which a host shutting down must
     * not wait for.
     */
    public void completeAll() {
        for (SseEmitter emitter : open) {
            try {
                senders.execute(emitter::complete);
            } catch (RejectedExecutionException e) {
                emitter.complete();
            }
        }
    }

    /** How many streams are open. */
    public int size() {
        return open.size();
    }

    /** How many events a stream may have waiting before it is ended. */
    public int backlog() {
        return backlog;
    }

    /** One stream's events not sent yet, sent in order by one task at a time. */
    private final class Outbox {
        private final SseEmitter emitter;
        private final Runnable end;
        /** Guarded by {@code this}, as are the two flags. */
        private final ArrayDeque<SseEmitter.SseEventBuilder> waiting = new ArrayDeque<>();
        private boolean sending;
        private boolean ended;

        Outbox(SseEmitter emitter, Runnable end) {
            this.emitter = emitter;
            this.end = end;
        }

        void add(SseEmitter.SseEventBuilder event) {
            synchronized (this) {
                if (ended) return;
                if (waiting.size() >= backlog) {
                    ended = true;
                    waiting.clear();
                    log.warn("an event stream's client left {} events unread; the stream is ended", backlog);
                    // completing waits for the send under way, so it too is done on a sender's thread
                    execute(() -> {
                        end.run();
                        emitter.complete();
                    });
                    return;
                }
                waiting.add(event);
                if (sending) return;
                sending = true;
            }
            execute(this::sendWaiting);
        }

        private void sendWaiting() {
            while (true) {
                SseEmitter.SseEventBuilder next;
                synchronized (this) {
                    next = ended ? null : waiting.poll();
                    if (next == null) {
                        sending = false;
                        return;
                    }
                }
                try {
                    emitter.send(next);
                } catch (IOException | IllegalStateException e) {
                    synchronized (this) {   // the client has gone
                        ended = true;
                        waiting.clear();
                        sending = false;
                    }
                    end.run();
                    emitter.completeWithError(e);
                    return;
                }
            }
        }

        private void execute(Runnable task) {
            try {
                senders.execute(task);
            } catch (RejectedExecutionException e) {
                synchronized (this) {
                    ended = true;
                    waiting.clear();
                }
            }
        }
    }
}
