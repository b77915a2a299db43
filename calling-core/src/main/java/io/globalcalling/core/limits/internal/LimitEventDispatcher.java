package io.globalcalling.core.limits.internal;

import io.globalcalling.core.Subscription;
import io.globalcalling.core.limits.event.LimitEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Hands limit events to registered listeners. A listener that throws is logged and skipped: a broken
 * e-mail hook must never refuse or lose a call.
 */
public final class LimitEventDispatcher {

    private static final Logger LOG = LoggerFactory.getLogger(LimitEventDispatcher.class);

    private record Registration<E extends LimitEvent>(Class<E> type, Consumer<? super E> listener) {
    }

    private final List<Registration<?>> registrations = new CopyOnWriteArrayList<>();

    /** @return closing it removes this registration */
    public <E extends LimitEvent> Subscription register(Class<E> type, Consumer<? super E> listener) {
        Registration<E> registration = new Registration<>(Objects.requireNonNull(type, "type"),
                Objects.requireNonNull(listener, "listener"));
        registrations.add(registration);
        return Subscription.of(() -> registrations.remove(registration));
    }

    public void publish(LimitEvent event) {
        for (Registration<?> r : registrations) {
            deliver(r, event);
        }
    }

    private static <E extends LimitEvent> void deliver(Registration<E> r, LimitEvent event) {
        if (!r.type().isInstance(event)) return;
        try {
            r.listener().accept(r.type().cast(event));
        } catch (RuntimeException e) {
            LOG.warn("limit event listener {} failed on {}", r.listener(), event.getClass().getSimpleName(), e);
        }
    }
}
