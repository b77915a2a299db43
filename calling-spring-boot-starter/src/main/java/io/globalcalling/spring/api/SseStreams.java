package io.globalcalling.spring.api;

import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Server-Sent Events streams a controller has open. A host shutting down completes them: the web server's
 * graceful shutdown waits for open requests, and a stream whose client never hangs up (a dashboard left open)
 * would otherwise hold it for its whole timeout.
 */
public final class SseStreams {

    private final Set<SseEmitter> open = ConcurrentHashMap.newKeySet();

    /** A stream open for at most {@code timeout}; {@code onEnd} runs when it ends, however it ends. */
    public SseEmitter open(Duration timeout, Runnable onEnd) {
        SseEmitter emitter = new SseEmitter(timeout.toMillis());
        Runnable end = () -> {
            open.remove(emitter);
            onEnd.run();
        };
        emitter.onCompletion(end);
        emitter.onTimeout(end);
        emitter.onError(e -> end.run());
        open.add(emitter);
        return emitter;
    }

    /** Completes every stream still open. */
    public void completeAll() {
        open.forEach(SseEmitter::complete);
    }

    /** How many streams are open. */
    public int size() {
        return open.size();
    }
}
