package io.globalcalling.core;

import io.globalcalling.CallingException;
import io.globalcalling.ErrorReason;
import org.jspecify.annotations.Nullable;

/**
 * A call was recorded but no provider placed it. The record (status failed, with the error) is in
 * the store under {@link #callId()}; the cause is the last provider's exception (none when no provider was asked).
 */
public class CallFailedException extends CallingException {

    private final String callId;

    public CallFailedException(String callId, ErrorReason reason, String message, @Nullable Throwable cause) {
        super(reason, "call " + callId + " failed: " + message, cause);
        this.callId = callId;
    }

    public String callId() {
        return callId;
    }
}
