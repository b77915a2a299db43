package io.globalcalling.spi.store;

import io.globalcalling.CallingException;
import io.globalcalling.ErrorReason;

/** A record with the same call id, or the same customer and idempotency key, already exists. */
public class DuplicateCallException extends CallingException {

    private final String existingCallId;

    public DuplicateCallException(String existingCallId, String message) {
        super(ErrorReason.INVALID_REQUEST, message);
        this.existingCallId = existingCallId;
    }

    public String existingCallId() {
        return existingCallId;
    }
}
