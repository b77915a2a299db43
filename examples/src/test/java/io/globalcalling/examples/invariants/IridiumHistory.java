package io.globalcalling.examples.invariants;

import io.globalcalling.examples.invariants.DirectIpGateway.Answer;

import java.util.List;

/**
 * What happens to a few Iridium SBD messages: how the DirectIP gateway answers each one sent, whether it queued one
 * whose answer was lost, and the terminals' SBD sessions (which deliver queued messages and report their MTMSN),
 * their replies and the MO deliveries of both, in any order, some twice, some never, between reconciliation passes
 * and restarts of the host. Printed by jqwik when a history breaks an invariant.
 */
record IridiumHistory(List<Step> steps) {

    sealed interface Step permits Send, Session, Reply, LedgerDown, Reconcile, Restart {
    }

    /**
     * A message sent to terminal {@code terminal} (0-2).
     *
     * @param answer        how the gateway answers it
     * @param status        the confirmation's status, for {@link Answer#CONFIRM} and {@link Answer#IN_PIECES}: 0-50
     *                      a queue position, -1 to -12 Iridium's refusals, anything else a status DirectIP does not define
     * @param queuedAnyway  when no answer says: whether the gateway queued it all the same
     * @param binary        a binary payload of {@code size} bytes, else a script of about {@code size} characters
     * @param size          the payload's size, 1 to 1,890
     */
    record Send(int terminal, Answer answer, int status, boolean queuedAnyway, boolean binary, int size) implements Step {
        /** Whether the gateway has the message queued for its terminal. */
        boolean queued() {
            if (answer == Answer.DOWN) return false;
            if (confirmed()) return status >= 0 && status <= 50 || status > 50 && queuedAnyway;
            return queuedAnyway;
        }

        boolean confirmed() {
            return answer == Answer.CONFIRM || answer == Answer.IN_PIECES;
        }

        /** Whether the sender learns the gateway's answer: a confirmation of a status DirectIP defines, or a refusal. */
        boolean outcomeKnown() {
            return answer == Answer.DOWN || confirmed() && status <= 50;
        }
    }

    /** The terminal's SBD session outcomes, with the MO header's session status. */
    enum SessionStatus {
        /** 0: the session completed, the queued message delivered */
        OK(0),
        /** 2: the message delivered, the location of unacceptable quality */
        OK_BAD_LOCATION(2),
        /** 1: the MO part went through, the queued MT message was too large to deliver */
        MT_TOO_LARGE(1),
        /** 13: RF link loss, nothing delivered */
        LINK_LOST(13);

        final int wire;

        SessionStatus(int wire) {
            this.wire = wire;
        }

        boolean delivers() {
            return this == OK || this == OK_BAD_LOCATION;
        }
    }

    /**
     * The terminal of the {@code message}-th message sent (modulo those sent so far) opens a session, and the gateway delivers its MO message (with
     * the MTMSN of that message when it was queued). Once the message was delivered, every later session step of it is
     * that same MO message delivered again, byte for byte (a redelivery).
     */
    record Session(int message, SessionStatus status) implements Step {
    }

    /** Terminal {@code terminal} sends its {@code n}-th reply; when it was sent before, the gateway delivers it again. */
    record Reply(int terminal, int n, boolean located) implements Step {
    }

    /**
     * The ledger fails its next {@code settles} settles, as an unreachable database would: an MO message whose
     * delivery report cannot be settled is answered "not kept", and the gateway delivers it again later.
     */
    record LedgerDown(int settles) implements Step {
    }

    /** The clock moves on {@code seconds}, then a reconciliation pass runs. */
    record Reconcile(int seconds) implements Step {
    }

    /** The host restarts: a new manager (and provider, and MO listener) on the same store and ledger. */
    record Restart() implements Step {
    }
}
