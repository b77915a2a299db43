package io.globalcalling.core;

import io.globalcalling.CallRecord;

import java.util.Objects;

/**
 * What {@link GlobalCallingManager#callOnce} did: recorded and placed {@code call}, or found it already recorded
 * under the request's idempotency key ({@code replayed}) and placed nothing.
 */
public record CallPlacement(CallRecord call, boolean replayed) {

    public CallPlacement {
        Objects.requireNonNull(call, "call");
    }
}
