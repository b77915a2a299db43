package io.globalcalling.spi.store;

import io.globalcalling.spi.CallStatus;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One entry of a call's append-only event log.
 *
 * @param callId      the call
 * @param source      who reported it: a provider id, or {@code core} for the SDK's own steps
 * @param type        what happened: {@code status}, {@code placed}, {@code failover}, {@code recording}, ...
 * @param status      the status reported, if any
 * @param occurredAt  when it happened
 * @param data        its details (never a secret)
 */
public record StoredEvent(String callId, String source, String type, CallStatus status, Instant occurredAt,
                          Map<String, String> data) {

    public StoredEvent {
        Objects.requireNonNull(callId, "callId");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(occurredAt, "occurredAt");
        data = data == null ? Map.of() : Map.copyOf(data);
    }
}
