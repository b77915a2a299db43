package io.globalcalling.core.lifecycle;

import io.globalcalling.spi.store.CallRecord;

import java.util.Objects;

/**
 * A call whose placement outcome is still unknown after the reconcile grace period, because its
 * provider could not say what became of it. The call stays unresolved (its hold stays held) until a
 * later reconciliation finds it or a person settles it; it is reported once.
 *
 * @param record  the call as stored, still flagged {@code needsReconciliation}
 * @param reason  why the provider could not resolve it
 */
public record UnresolvedCall(CallRecord record, String reason) {

    public UnresolvedCall {
        Objects.requireNonNull(record, "record");
        Objects.requireNonNull(reason, "reason");
    }
}
