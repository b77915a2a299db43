package io.globalcalling.spi;

/** What a provider charges by; a provider declares the units its rates use. */
public enum BillingUnit {
    /** Talk time, in the rate's billing increments. */
    PER_MINUTE,
    /** A fixed fee per call or connection. */
    PER_CALL,
    /** A fee per message sent to or received from a terminal. */
    PER_MESSAGE,
    /** A fee per byte of payload. */
    PER_BYTE
}
