package io.globalcalling.core;

import io.globalcalling.spi.store.CallRecord;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeoutException;

/**
 * {@link Calls#await} gave up: the call had not ended within the time allowed. It may still end;
 * {@link #latest()} is where it stood when the wait ended.
 */
public class CallNotEndedException extends TimeoutException {

    private final transient CallRecord latest;

    public CallNotEndedException(CallRecord latest, Duration waited) {
        super("call " + Objects.requireNonNull(latest, "latest").callId() + " has not ended within "
                + Objects.requireNonNull(waited, "waited") + "; it is " + latest.status().wireName()
                + (latest.needsReconciliation() ? " with an unknown placement outcome" : ""));
        this.latest = latest;
    }

    /** The call's record as it stood when the wait ended. */
    public CallRecord latest() {
        return latest;
    }
}
