package io.globalcalling.core.internal;

import io.globalcalling.CallCategory;
import io.globalcalling.CallRecord;
import io.globalcalling.ErrorReason;
import io.globalcalling.core.CallingObserver;
import io.globalcalling.core.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** The manager's observers as one: each is told in turn, and one that throws is logged and skipped. */
public final class Observers implements CallingObserver {

    private static final Logger log = LoggerFactory.getLogger(Observers.class);

    private final List<CallingObserver> observers = new CopyOnWriteArrayList<>();

    /** @return closing it removes the observer */
    public Subscription add(CallingObserver observer) {
        CallingObserver o = Objects.requireNonNull(observer, "observer");
        observers.add(o);
        return Subscription.of(() -> observers.remove(o));
    }

    @Override
    public void placed(CallRecord record, Duration took) {
        each(o -> o.placed(record, took));
    }

    @Override
    public void failedOver(String providerId, CallCategory category, ErrorReason reason) {
        each(o -> o.failedOver(providerId, category, reason));
    }

    @Override
    public void callbackHandled(String providerId, CallbackOutcome outcome, Duration took) {
        each(o -> o.callbackHandled(providerId, outcome, took));
    }

    @Override
    public void pacingWaited(String providerId, Duration waited) {
        each(o -> o.pacingWaited(providerId, waited));
    }

    @Override
    public void pacingTimedOut(String providerId) {
        each(o -> o.pacingTimedOut(providerId));
    }

    private void each(Consumer<CallingObserver> tell) {
        for (CallingObserver o : observers) {
            try {
                tell.accept(o);
            } catch (RuntimeException e) {
                // a broken metrics hook must never fail or lose a call
                log.warn("observer {} failed: {}", o, e.toString());
            }
        }
    }
}
