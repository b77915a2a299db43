package io.globalcalling.core.campaign;

import java.util.Locale;

/** How one attempt of a campaign target ended, as the campaign sees it. */
public enum Outcome {
    /** Answered by a person (or, with {@link MachineAction#LEAVE_MESSAGE}, a message was left). */
    COMPLETED,
    BUSY,
    NO_ANSWER,
    /** The call failed or was cancelled. */
    FAILED,
    /** An answering machine took it. */
    MACHINE,
    /** The number was refused before any call (invalid, not permitted, no route); never retried. */
    REFUSED,
    /**
     * Every provider refused its calls before taking them (unavailable, rate-limited, credentials refused) as often
     * as {@link CampaignPolicy#outageAttempts()} allows: nobody was called.
     */
    UNAVAILABLE,
    /** The number is on the do-not-call list; not called. */
    SUPPRESSED,
    /** The campaign was cancelled before the target was finished. */
    CANCELED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether a retry rule may be set for it (a completed call and a refused number are never retried). */
    public boolean retryable() {
        return this == BUSY || this == NO_ANSWER || this == FAILED || this == MACHINE;
    }
}
