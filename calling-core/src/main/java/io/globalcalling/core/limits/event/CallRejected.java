package io.globalcalling.core.limits.event;

import io.globalcalling.core.limits.LimitExceededException;

import java.time.Instant;
import java.util.Objects;

/**
 * A call was refused by a customer limit before anything was sent.
 *
 * @param callId      the refused call
 * @param customerId  whose limit refused it
 * @param cause       the exception thrown to the caller: which limit, the count or amount, the cap, retry time
 * @param at          when
 */
public record CallRejected(String callId, String customerId, LimitExceededException cause, Instant at)
        implements LimitEvent {

    public CallRejected {
        Objects.requireNonNull(callId, "callId");
        Objects.requireNonNull(customerId, "customerId");
        Objects.requireNonNull(cause, "cause");
        Objects.requireNonNull(at, "at");
    }
}
