package io.globalcalling.spi;

import io.globalcalling.CallingException;
import io.globalcalling.ErrorReason;

/** A provider callback failed verification and was refused; nothing was changed. */
public class WebhookRejectedException extends CallingException {

    private final int httpStatus;

    public WebhookRejectedException(String message) {
        this(403, message);
    }

    /** @param httpStatus what to answer the caller with: 403 for a bad signature, 400 for a malformed body */
    public WebhookRejectedException(int httpStatus, String message) {
        super(ErrorReason.WEBHOOK_REJECTED, message);
        this.httpStatus = httpStatus;
    }

    public int httpStatus() {
        return httpStatus;
    }
}
