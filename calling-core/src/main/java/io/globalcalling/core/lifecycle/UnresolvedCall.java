package io.globalcalling.core.lifecycle;

import io.globalcalling.CallRecord;

import java.util.Objects;

/**
 * A call whose placement outcome is still unknown after the reconcile grace period, because its
 * provider could not say what became of it, or whose reconciliation failed in the pass that found it
 * overdue. The call stays unresolved (its hold stays held) until a later reconciliation finds it or a
 * person settles it; it is reported once, and once more should it then end and its settlement not finish.
 *
 * @param record  the call as stored, still flagged {@code needsReconciliation}
 * @param reason  why it could not be resolved
 */
public record UnresolvedCall(CallRecord record, String reason) {

    public UnresolvedCall {
        Objects.requireNonNull(record, "record");
        Objects.requireNonNull(reason, "reason");
    }
}
