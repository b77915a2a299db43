package io.globalcalling.core.campaign;

/** What a campaign does when an answering machine takes a call (the call asks for machine detection). */
public enum MachineAction {
    /** Hang up at once; the target is finished, unsuccessful. */
    HANG_UP,
    /** Let the script play to the machine; the target is finished, successful. */
    LEAVE_MESSAGE,
    /** Hang up and count it as a {@link Outcome#MACHINE} outcome, retried by its rule. */
    RETRY
}
