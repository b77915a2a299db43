package io.globalcalling.examples.invariants;

import java.util.List;

/**
 * What happens to a few Amazon Connect calls: each StartOutboundVoiceContact's answer, what the contact then became,
 * and Connect's contact events for the contacts (as an EventBridge API destination posts them), in any order, some
 * twice, some never, between reconciliation passes. Printed by jqwik when a history breaks an invariant.
 */
record AwsConnectHistory(List<Step> steps) {

    sealed interface Step permits Place, Deliver, Reconcile {
    }

    /** How Connect answers {@code PUT /contact/outbound-voice}. */
    enum Start {
        /** 200 with the ContactId. */
        STARTED,
        /** A 4xx of AWS's error shape: no contact was started. */
        REFUSED,
        /** A 500 InternalServiceException, the contact started or not ({@link Place#madeAnyway}). */
        SERVER_ERROR,
        /** The connection reset after the request was sent, the contact started or not. */
        RESET
    }

    /** How the contact goes: its events in order, and how it ends (or not yet). */
    enum Life {
        /** Answered, queued, talked to an agent, hung up. */
        WITH_AGENT_COMPLETED,
        /** Answered, queued, talked to an agent who transferred the customer to a second contact, which then ended. */
        TRANSFERRED_COMPLETED,
        /** Answered, queued, hung up before an agent took it. */
        QUEUED_COMPLETED,
        BUSY, NO_ANSWER, FAILED, CANCELED,
        /** Transferred by the agent; the second contact is still going. */
        TRANSFERRED_LIVE,
        /** Still with an agent. */
        WITH_AGENT_LIVE,
        /** Still waiting in the queue. */
        QUEUED_LIVE
    }

    /**
     * A call placed.
     *
     * @param refusal    for REFUSED: 0 InvalidParameterException (the destination), 1 DestinationNotAllowedException,
     *                   2 ResourceNotFoundException, 3 AccessDeniedException
     * @param madeAnyway for SERVER_ERROR and RESET: whether Connect started the contact all the same
     * @param talk       seconds from the callee's answer to the hang-up
     */
    record Place(Start start, int refusal, boolean madeAnyway, Life life, int talk) implements Step {
        boolean made() {
            return start == Start.STARTED || (start != Start.REFUSED && madeAnyway);
        }
    }

    /**
     * Connect posts event {@code event} (an index into the contact's life) of the {@code call}-th contact it started;
     * with {@code attributes}, the event carries the contact's attributes (our callId among them).
     */
    record Deliver(int call, int event, boolean attributes) implements Step {
    }

    /** The clock moves on {@code seconds}, then a reconciliation pass runs. */
    record Reconcile(int seconds) implements Step {
    }
}
