package io.globalcalling.spi;

import io.globalcalling.CallingException;
import io.globalcalling.ErrorReason;

import java.util.Objects;

/** A provider callback failed verification and was refused; nothing was changed. */
public class WebhookRejectedException extends CallingException {

    /** Why a callback was refused, for metrics and alerts (the message says it in words). */
    public enum Refusal {
        /** The signature is missing, malformed or does not match. */
        BAD_SIGNATURE,
        /** Signed, but outside the provider's replay window: stale or replayed. */
        TOO_OLD,
        /** The request could not be read as a callback. */
        MALFORMED,
        /** Any other refusal, e.g. a provider that accepts no callbacks. */
        OTHER
    }

    private final int httpStatus;
    private final Refusal refusal;

    public WebhookRejectedException(String message) {
        this(403, message);
    }

    /**
     * @param httpStatus what to answer the caller with: 403 for a bad signature, 400 for a malformed body; the
     *                   refusal follows from it (403 a bad signature, 400 malformed, any other status other)
     */
    public WebhookRejectedException(int httpStatus, String message) {
        this(httpStatus, httpStatus == 403 ? Refusal.BAD_SIGNATURE : httpStatus == 400 ? Refusal.MALFORMED : Refusal.OTHER,
                message);
    }

    /** @param refusal why, when the status alone does not say it (a stale callback is a 403 too) */
    public WebhookRejectedException(int httpStatus, Refusal refusal, String message) {
        super(ErrorReason.WEBHOOK_REJECTED, message);
        this.httpStatus = httpStatus;
        this.refusal = Objects.requireNonNull(refusal, "refusal");
    }

    public int httpStatus() {
        return httpStatus;
    }

    public Refusal refusal() {
        return refusal;
    }
}
