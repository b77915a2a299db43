package io.globalcalling.core;

import io.globalcalling.spi.CallStatus;
import io.globalcalling.spi.Endpoint;
import io.globalcalling.spi.store.CallRecord;
import io.globalcalling.spi.store.CallStore;
import io.globalcalling.spi.store.StoredEvent;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Read access to every call on record, whatever store backs the manager. */
public final class Calls {

    private static final int MAX_LIMIT = 10_000;
    private final CallStore store;

    Calls(CallStore store) {
        this.store = store;
    }

    public Optional<CallRecord> find(String callId) {
        return store.find(Objects.requireNonNull(callId, "callId"));
    }

    /** The newest calls first. */
    public List<CallRecord> recent(int limit) {
        return store.recent(checkLimit(limit));
    }

    /** Calls to or from a number (E.164, sip:, URL or imei:), newest first. */
    public List<CallRecord> byNumber(String number, int limit) {
        return store.findByNumber(Endpoint.parse(number).value(), checkLimit(limit));
    }

    public List<CallRecord> byStatus(CallStatus status, int limit) {
        return store.findByStatus(Objects.requireNonNull(status, "status"), checkLimit(limit));
    }

    /** A call's event log, oldest first. */
    public List<StoredEvent> events(String callId) {
        return store.events(Objects.requireNonNull(callId, "callId"));
    }

    private static int checkLimit(int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit " + limit + " must be between 1 and " + MAX_LIMIT);
        }
        return limit;
    }
}
