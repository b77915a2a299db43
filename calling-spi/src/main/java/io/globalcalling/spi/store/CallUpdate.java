package io.globalcalling.spi.store;

import io.globalcalling.spi.CallStatus;
import io.globalcalling.spi.Money;

import java.time.Instant;
import java.util.Objects;

/**
 * A change to a call record. The status is applied only when it moves the call forward
 * ({@link CallStatus#canMoveTo}); every other non-null field is applied whenever the record exists,
 * so a recording that arrives after completion is still kept. Build with {@link #of(String, Instant)}.
 */
public record CallUpdate(String callId, Instant at, CallStatus status, String providerId, String providerCallId,
                         Integer attempt, Money cost, Integer durationSeconds, String recordingUrl, String transcript,
                         String aiSentiment, String errorReason, String errorMessage, Boolean needsReconciliation,
                         Instant answeredAt, Instant endedAt) {

    public CallUpdate {
        Objects.requireNonNull(callId, "callId");
        Objects.requireNonNull(at, "at");
    }

    public static CallUpdate of(String callId, Instant at) {
        return new CallUpdate(callId, at, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null);
    }

    public CallUpdate status(CallStatus s) { return new CallUpdate(callId, at, s, providerId, providerCallId, attempt, cost, durationSeconds, recordingUrl, transcript, aiSentiment, errorReason, errorMessage, needsReconciliation, answeredAt, endedAt); }
    public CallUpdate provider(String id, String callIdAtProvider) { return new CallUpdate(callId, at, status, id, callIdAtProvider, attempt, cost, durationSeconds, recordingUrl, transcript, aiSentiment, errorReason, errorMessage, needsReconciliation, answeredAt, endedAt); }
    public CallUpdate attempt(int n) { return new CallUpdate(callId, at, status, providerId, providerCallId, n, cost, durationSeconds, recordingUrl, transcript, aiSentiment, errorReason, errorMessage, needsReconciliation, answeredAt, endedAt); }
    public CallUpdate cost(Money m) { return new CallUpdate(callId, at, status, providerId, providerCallId, attempt, m, durationSeconds, recordingUrl, transcript, aiSentiment, errorReason, errorMessage, needsReconciliation, answeredAt, endedAt); }
    public CallUpdate durationSeconds(Integer s) { return new CallUpdate(callId, at, status, providerId, providerCallId, attempt, cost, s, recordingUrl, transcript, aiSentiment, errorReason, errorMessage, needsReconciliation, answeredAt, endedAt); }
    public CallUpdate recordingUrl(String u) { return new CallUpdate(callId, at, status, providerId, providerCallId, attempt, cost, durationSeconds, u, transcript, aiSentiment, errorReason, errorMessage, needsReconciliation, answeredAt, endedAt); }
    public CallUpdate transcript(String t) { return new CallUpdate(callId, at, status, providerId, providerCallId, attempt, cost, durationSeconds, recordingUrl, t, aiSentiment, errorReason, errorMessage, needsReconciliation, answeredAt, endedAt); }
    public CallUpdate aiSentiment(String s) { return new CallUpdate(callId, at, status, providerId, providerCallId, attempt, cost, durationSeconds, recordingUrl, transcript, s, errorReason, errorMessage, needsReconciliation, answeredAt, endedAt); }
    public CallUpdate error(String reason, String message) { return new CallUpdate(callId, at, status, providerId, providerCallId, attempt, cost, durationSeconds, recordingUrl, transcript, aiSentiment, reason, message, needsReconciliation, answeredAt, endedAt); }
    public CallUpdate needsReconciliation(boolean b) { return new CallUpdate(callId, at, status, providerId, providerCallId, attempt, cost, durationSeconds, recordingUrl, transcript, aiSentiment, errorReason, errorMessage, b, answeredAt, endedAt); }
    public CallUpdate answeredAt(Instant t) { return new CallUpdate(callId, at, status, providerId, providerCallId, attempt, cost, durationSeconds, recordingUrl, transcript, aiSentiment, errorReason, errorMessage, needsReconciliation, t, endedAt); }
    public CallUpdate endedAt(Instant t) { return new CallUpdate(callId, at, status, providerId, providerCallId, attempt, cost, durationSeconds, recordingUrl, transcript, aiSentiment, errorReason, errorMessage, needsReconciliation, answeredAt, t); }
}
