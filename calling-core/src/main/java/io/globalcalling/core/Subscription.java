package io.globalcalling.core;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A registered listener: {@link #close()} removes it. Closing twice, or after the manager closed, does nothing.
 *
 * <pre>{@code
 * try (Subscription s = calling.onStatusChange(change -> log(change))) {
 *     ...   // told of every move applied on this node until here
 * }
 * }</pre>
 */
@FunctionalInterface
public interface Subscription extends AutoCloseable {

    /** Removes the listener; it is told of nothing after this returns. Idempotent. */
    @Override
    void close();

    /** A subscription that runs {@code remove} on its first close only. */
    static Subscription of(Runnable remove) {
        Objects.requireNonNull(remove, "remove");
        AtomicBoolean closed = new AtomicBoolean();
        return () -> {
            if (closed.compareAndSet(false, true)) remove.run();
        };
    }
}
