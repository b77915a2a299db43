package io.globalcalling;

/** Why an operation failed, in a form code can act on. The core decides failover from this alone. */
public enum ErrorReason {
    /** The request itself is malformed; nothing was recorded or sent. */
    INVALID_REQUEST(false),
    /** The destination is not a valid or reachable number for the provider. Permanent. */
    INVALID_DESTINATION(false),
    /** The account may not call this destination (geo permissions, blocked range). Permanent. */
    NOT_PERMITTED(false),
    /** The provider refused our credentials. */
    AUTHENTICATION(false),
    /** The provider asked us to slow down; nothing was accepted. Safe to retry after the delay. */
    RATE_LIMITED(true),
    /** The request never reached the provider (connect failure, circuit open): safe to fail over. */
    UNAVAILABLE(true),
    /** The request was sent but no answer came: never re-dial blindly, reconcile first. */
    OUTCOME_UNKNOWN(false),
    /**
     * A request whose answer was lost never became a call: the provider searched its whole record after its
     * declared search lag and has none. Nothing was placed, so the call's budget hold is released.
     */
    NOT_PLACED(false),
    /** The provider answered with a definite refusal not covered above. */
    REJECTED(false),
    /** A fault inside the SDK or the provider. */
    INTERNAL(false),
    /** No provider option is left after routing and cost filtering. */
    NO_ROUTE(false),
    /** A customer's call-rate window is full. */
    RATE_WINDOW(true),
    /** A customer's spending budget would be exceeded. */
    SPEND_LIMIT(false),
    /** A provider's pacing queue did not free a slot within the allowed wait. */
    PACING_TIMEOUT(true),
    /** A webhook failed verification (signature, replay window). */
    WEBHOOK_REJECTED(false),
    /** Configuration is missing or malformed. */
    CONFIGURATION(false);

    private final boolean retryable;

    ErrorReason(boolean retryable) {
        this.retryable = retryable;
    }

    /** Whether the same request may succeed if tried again later, unchanged. */
    public boolean retryable() {
        return retryable;
    }
}
