package io.globalcalling;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** The root of every exception the SDK throws on purpose; {@link #reason()} says what code should do. */
public abstract class CallingException extends RuntimeException {

    private final ErrorReason reason;

    protected CallingException(ErrorReason reason, String message) {
        this(reason, message, null);
    }

    protected CallingException(ErrorReason reason, String message, @Nullable Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public ErrorReason reason() {
        return reason;
    }

    public boolean retryable() {
        return reason.retryable();
    }
}
