package io.globalcalling.core.system;

import io.globalcalling.spi.WebhookRejectedException;

import java.util.Objects;

/** A {@code Calling-Signature} failed verification; {@link #problem()} says why. Answer the sender with 403. */
public final class WebhookSignatureException extends WebhookRejectedException {

    /** Why a signature was refused. */
    public enum Problem {
        /** No {@code Calling-Signature} header. */
        MISSING_HEADER,
        /** The header is not {@code t=<unix seconds>,v1=<hex>[,v1=<hex>...]}. */
        MALFORMED_HEADER,
        /** The signed timestamp is further from now than the tolerance: a replay or a skewed clock. */
        TIMESTAMP_OUTSIDE_TOLERANCE,
        /** No {@code v1} signature matches the body: tampered, or signed with another secret. */
        SIGNATURE_MISMATCH
    }

    private final Problem problem;

    WebhookSignatureException(Problem problem, String message) {
        super(403, message);
        this.problem = Objects.requireNonNull(problem, "problem");
    }

    public Problem problem() {
        return problem;
    }
}
