package io.globalcalling.spi.store;

import io.globalcalling.CallStatus;
import io.globalcalling.Money;
import io.globalcalling.spi.Urls;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A change to a call record; null fields change nothing. Build with {@link #of(String, Instant)}.
 *
 * <p>While the record is not terminal, the status is applied only when it moves the call forward
 * ({@link CallStatus#canMoveTo}) and every other non-null field is applied. An update that moves the
 * call to a terminal status still applies its own fields (the duration and end that came with it).
 *
 * <p>Once the record is terminal its billed facts are frozen, so a late or replayed report changes
 * nothing that was billed: the status, provider id, provider call id, attempt, simulated flag,
 * duration, answeredAt and endedAt stay as they are, and the cost can be set exactly once, while it is
 * still null (the settlement writes it just after the status turned terminal). What a terminal record
 * still takes: the cost that once, the {@code needsReconciliation} flag, the error, and a late
 * recording, transcript or sentiment, none of which is billed. {@code at} becomes the record's
 * {@code updatedAt} whenever something was applied.
 *
 * @param callId              the call to change
 * @param at                  when the change is made
 * @param status              the status reported
 * @param providerId          the provider of the current attempt
 * @param providerCallId      the provider's id for the call
 * @param attempt             which provider option is being tried, 1-based
 * @param simulated           whether that provider places no real call
 * @param cost                the settled cost
 * @param durationSeconds     talk time
 * @param recordingUrl        the recording
 * @param transcript          what was said
 * @param aiSentiment         sentiment of the transcript
 * @param errorReason         the {@code ErrorReason} name of the last failure
 * @param errorMessage        the last failure's message (never a secret)
 * @param needsReconciliation whether the placement's outcome is unknown
 * @param answeredAt          when the call was answered
 * @param endedAt             when it ended
 */
public record CallUpdate(String callId, Instant at, @Nullable CallStatus status, @Nullable String providerId,
                         @Nullable String providerCallId, @Nullable Integer attempt, @Nullable Boolean simulated,
                         @Nullable Money cost, @Nullable Integer durationSeconds, @Nullable String recordingUrl,
                         @Nullable String transcript, @Nullable String aiSentiment, @Nullable String errorReason,
                         @Nullable String errorMessage, @Nullable Boolean needsReconciliation,
                         @Nullable Instant answeredAt, @Nullable Instant endedAt) {

    public CallUpdate {
        Objects.requireNonNull(callId, "callId");
        Objects.requireNonNull(at, "at");
    }

    /** An update of {@code callId} made at {@code at} that changes nothing yet. */
    public static CallUpdate of(String callId, Instant at) {
        return new CallUpdate(callId, at, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null);
    }

    /** Whether any field besides the status is set. */
    public boolean hasFields() {
        return providerId != null || providerCallId != null || attempt != null || simulated != null || cost != null
                || durationSeconds != null || recordingUrl != null || transcript != null || aiSentiment != null
                || errorReason != null || errorMessage != null || needsReconciliation != null || answeredAt != null
                || endedAt != null;
    }

    /** Sets the status; applied only when it moves the call forward. */
    public CallUpdate status(CallStatus s) {
        return new CallUpdate(callId, at, s, providerId, providerCallId, attempt, simulated, cost, durationSeconds,
                recordingUrl, transcript, aiSentiment, errorReason, errorMessage, needsReconciliation, answeredAt,
                endedAt);
    }

    /** Sets the provider of the current attempt and its id for the call; a null id keeps the one recorded. */
    public CallUpdate provider(String id, @Nullable String callIdAtProvider) {
        return new CallUpdate(callId, at, status, id, callIdAtProvider, attempt, simulated, cost, durationSeconds,
                recordingUrl, transcript, aiSentiment, errorReason, errorMessage, needsReconciliation, answeredAt,
                endedAt);
    }

    /** Sets which provider option is being tried, 1-based. */
    public CallUpdate attempt(int n) {
        return new CallUpdate(callId, at, status, providerId, providerCallId, n, simulated, cost, durationSeconds,
                recordingUrl, transcript, aiSentiment, errorReason, errorMessage, needsReconciliation, answeredAt,
                endedAt);
    }

    /** Sets whether the provider of the current attempt places no real call. */
    public CallUpdate simulated(boolean b) {
        return new CallUpdate(callId, at, status, providerId, providerCallId, attempt, b, cost, durationSeconds,
                recordingUrl, transcript, aiSentiment, errorReason, errorMessage, needsReconciliation, answeredAt,
                endedAt);
    }

    /** Sets the settled cost; on a terminal record only while it has none. */
    public CallUpdate cost(Money m) {
        return new CallUpdate(callId, at, status, providerId, providerCallId, attempt, simulated, m,
                durationSeconds, recordingUrl, transcript, aiSentiment, errorReason, errorMessage,
                needsReconciliation, answeredAt, endedAt);
    }

    /** Sets the talk time. */
    public CallUpdate durationSeconds(Integer s) {
        return new CallUpdate(callId, at, status, providerId, providerCallId, attempt, simulated, cost, s,
                recordingUrl, transcript, aiSentiment, errorReason, errorMessage, needsReconciliation, answeredAt,
                endedAt);
    }

    /** Sets the recording's address. */
    public CallUpdate recordingUrl(String u) {
        return new CallUpdate(callId, at, status, providerId, providerCallId, attempt, simulated, cost,
                durationSeconds, u, transcript, aiSentiment, errorReason, errorMessage, needsReconciliation,
                answeredAt, endedAt);
    }

    /** Sets the transcript. */
    public CallUpdate transcript(String t) {
        return new CallUpdate(callId, at, status, providerId, providerCallId, attempt, simulated, cost,
                durationSeconds, recordingUrl, t, aiSentiment, errorReason, errorMessage, needsReconciliation,
                answeredAt, endedAt);
    }

    /** Sets the transcript's sentiment. */
    public CallUpdate aiSentiment(String s) {
        return new CallUpdate(callId, at, status, providerId, providerCallId, attempt, simulated, cost,
                durationSeconds, recordingUrl, transcript, s, errorReason, errorMessage, needsReconciliation,
                answeredAt, endedAt);
    }

    /** Sets the last failure's {@code ErrorReason} name and message. */
    public CallUpdate error(String reason, String message) {
        return new CallUpdate(callId, at, status, providerId, providerCallId, attempt, simulated, cost,
                durationSeconds, recordingUrl, transcript, aiSentiment, reason, message, needsReconciliation,
                answeredAt, endedAt);
    }

    /** Sets or clears the flag that the placement's outcome is unknown. */
    public CallUpdate needsReconciliation(boolean b) {
        return new CallUpdate(callId, at, status, providerId, providerCallId, attempt, simulated, cost,
                durationSeconds, recordingUrl, transcript, aiSentiment, errorReason, errorMessage, b, answeredAt,
                endedAt);
    }

    /** Sets when the call was answered. */
    public CallUpdate answeredAt(Instant t) {
        return new CallUpdate(callId, at, status, providerId, providerCallId, attempt, simulated, cost,
                durationSeconds, recordingUrl, transcript, aiSentiment, errorReason, errorMessage,
                needsReconciliation, t, endedAt);
    }

    /** Sets when the call ended. */
    public CallUpdate endedAt(Instant t) {
        return new CallUpdate(callId, at, status, providerId, providerCallId, attempt, simulated, cost,
                durationSeconds, recordingUrl, transcript, aiSentiment, errorReason, errorMessage,
                needsReconciliation, answeredAt, t);
    }

    /**
     * As a record prints itself, except what may hold a secret or personal data, as {@code CallRecord} prints them:
     * the recording URL without its {@code user:password@} part and the transcript by its length only.
     */
    @Override
    public String toString() {
        return "CallUpdate[callId=" + callId + ", at=" + at + ", status=" + status + ", providerId=" + providerId
                + ", providerCallId=" + providerCallId + ", attempt=" + attempt + ", simulated=" + simulated
                + ", cost=" + cost + ", durationSeconds=" + durationSeconds
                + ", recordingUrl=" + (recordingUrl == null ? null : Urls.withoutUserInfo(recordingUrl))
                + ", transcript=" + (transcript == null ? null : "<" + transcript.length() + " characters>")
                + ", aiSentiment=" + aiSentiment + ", errorReason=" + errorReason + ", errorMessage=" + errorMessage
                + ", needsReconciliation=" + needsReconciliation + ", answeredAt=" + answeredAt
                + ", endedAt=" + endedAt + "]";
    }
}
