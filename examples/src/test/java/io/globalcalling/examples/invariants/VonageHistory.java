package io.globalcalling.examples.invariants;

import java.util.List;

/**
 * What happens to a few Vonage calls: each placement's create answer, what the call then became at Vonage, and
 * Vonage's event callbacks for the calls, delivered in any order, some twice, some never, between reconciliation
 * passes. Printed by jqwik when a history breaks an invariant; a pinned test rebuilds it with these records.
 */
record VonageHistory(List<Step> steps) {

    sealed interface Step permits Place, Deliver, Reconcile {
    }

    /** How Vonage answers {@code POST /v1/calls}. */
    enum Create {
        /** 201 with the call's uuid and status {@code started}. */
        CREATED,
        /** A 4xx of Vonage's error shape: the call was not made. */
        REFUSED,
        /** A 5xx of Vonage's error shape, the call made or not ({@link Place#madeAnyway}). */
        SERVER_ERROR,
        /** The connection reset after the request was sent, the call made or not. */
        RESET
    }

    /** How the call ends at Vonage: its final status, or none yet. */
    enum End {
        COMPLETED("completed"), BUSY("busy"), TIMEOUT("timeout"), FAILED("failed"), REJECTED("rejected"),
        CANCELLED("cancelled"), UNANSWERED("unanswered"), LIVE(null);

        final String wire;

        End(String wire) {
            this.wire = wire;
        }
    }

    /**
     * A call placed.
     *
     * @param httpStatus the error's status for REFUSED (400, 401, 403, 422) and SERVER_ERROR (500, 503)
     * @param madeAnyway for SERVER_ERROR and RESET: whether Vonage made the call all the same
     * @param duration   seconds talked, for a completed call
     * @param price      Vonage's {@code price} (EUR) on the end, or null when it reports none
     * @param listLag    seconds until Vonage's call list shows the call, within the five minutes the adapter allows
     */
    record Place(Create create, int httpStatus, boolean madeAnyway, End end, int duration, String price, int listLag)
            implements Step {
        boolean made() {
            return create == Create.CREATED || (create != Create.REFUSED && madeAnyway);
        }
    }

    /** Vonage delivers event {@code event} (an index into the call's life) of the {@code call}-th call it made. */
    record Deliver(int call, int event) implements Step {
    }

    /** The clock moves on {@code seconds}, then a reconciliation pass runs. */
    record Reconcile(int seconds) implements Step {
    }
}
