package io.globalcalling.core;

import io.globalcalling.CallCategory;
import io.globalcalling.CallRecord;
import io.globalcalling.ErrorReason;

import java.time.Duration;

/**
 * Told of what the manager does inside a placement or a callback, for metrics and tracing; register one with
 * {@link GlobalCallingManager#observe(CallingObserver)}. Every method does nothing by default, so an observer
 * overrides only what it needs, and methods added later break no observer. Calls come on the placing or
 * callback thread: keep them quick. One that throws is logged and skipped; it never fails a call.
 *
 * <p>Status changes, settled costs, limit refusals, bypasses and budget alerts have their own listeners
 * ({@link GlobalCallingManager#onStatusChange}, {@code limits().onRejected}, ...).
 */
public interface CallingObserver {

    /** How a callback ended. */
    enum CallbackOutcome {
        /** Verified and applied; the provider's response was sent. */
        HANDLED,
        /** Refused with 413 before being read. */
        TOO_LARGE,
        /** Refused with 404: no active provider has that id. */
        UNKNOWN_PROVIDER,
        /** Refused: signature missing or wrong. */
        BAD_SIGNATURE,
        /** Refused: signed outside the provider's replay window. */
        TOO_OLD,
        /** Refused: not readable as a callback. */
        MALFORMED,
        /** Refused for another reason. */
        REFUSED,
        /** Verified, but applying it failed; answered 500 so the provider retries. */
        NOT_APPLIED
    }

    /**
     * A recorded call's placement finished: a provider took it, its outcome became unknown
     * ({@code needsReconciliation}), or every option failed (status failed). Not told for requests refused
     * before a record was written, nor for a request answered with the record its idempotency key names.
     *
     * @param record the call as stored when {@code call(..)} returned or threw
     * @param took   from {@code call(..)} being called to then, pacing waits included
     */
    default void placed(CallRecord record, Duration took) {
    }

    /** A provider definitely did not take the call, and the next option is tried. */
    default void failedOver(String providerId, CallCategory category, ErrorReason reason) {
    }

    /**
     * One callback was handled or refused.
     *
     * @param providerId the provider the request was addressed to, as the caller named it: for
     *                   {@link CallbackOutcome#UNKNOWN_PROVIDER} untrusted text
     * @param took       from receipt to the response
     */
    default void callbackHandled(String providerId, CallbackOutcome outcome, Duration took) {
    }

    /** A placement got its turn at the provider's pace after {@code waited} (zero when a turn was free). */
    default void pacingWaited(String providerId, Duration waited) {
    }

    /** A placement got no turn at the provider within the maximum wait; nothing was sent to it. */
    default void pacingTimedOut(String providerId) {
    }
}
