package io.globalcalling.spi;

import io.globalcalling.CallStatus;
import io.globalcalling.ErrorReason;
import io.globalcalling.Money;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Something a provider reported about a call: from a webhook, a fetch, or a provider's own event
 * sink. Null components mean "not reported".
 *
 * <p>Build it with {@link #builder(String, Instant)} (or {@link #status} for a plain status change):
 * components are added as the SPI grows, and a provider that uses the builder keeps compiling.
 *
 * @param providerId      who reported it
 * @param providerCallId  the provider's id for the call
 * @param callId          our id, when the provider echoed it back (callback URL), else null
 * @param status          the status it reports, or null for a non-status event (a transcript, say)
 * @param occurredAt      when it happened, by the provider's clock
 * @param sequence        the provider's ordering number, when it sends one, else null
 * @param duration        talk time, when known
 * @param price           what the provider charged, when known
 * @param recordingUrl    where the recording is, when there is one
 * @param transcript      what was said, when transcribed
 * @param answeredBy      the answering-machine verdict (human, machine_start, ...), when detected
 * @param details         other fields worth keeping, by the provider's names
 * @param errorReason     why the call failed, when the provider said so with a failed end (a number the network
 *                        refused as invalid after the provider accepted the call, say), else null
 */
public record CallEvent(String providerId, @Nullable String providerCallId, @Nullable String callId,
                        @Nullable CallStatus status, Instant occurredAt, @Nullable Long sequence,
                        @Nullable Duration duration, @Nullable Money price, @Nullable URI recordingUrl,
                        @Nullable String transcript, @Nullable String answeredBy, Map<String, String> details,
                        @Nullable ErrorReason errorReason) {

    public CallEvent {
        Objects.requireNonNull(providerId, "providerId");
        Objects.requireNonNull(occurredAt, "occurredAt");
        if (providerCallId == null && callId == null) {
            throw new IllegalArgumentException("an event needs a providerCallId or a callId");
        }
        details = details == null ? Map.of() : Map.copyOf(details);
    }

    /** An event with no error reason: the form before {@code errorReason} was added, kept for plug-ins built on it. */
    public CallEvent(String providerId, @Nullable String providerCallId, @Nullable String callId,
                     @Nullable CallStatus status, Instant occurredAt, @Nullable Long sequence,
                     @Nullable Duration duration, @Nullable Money price, @Nullable URI recordingUrl,
                     @Nullable String transcript, @Nullable String answeredBy, Map<String, String> details) {
        this(providerId, providerCallId, callId, status, occurredAt, sequence, duration, price, recordingUrl,
                transcript, answeredBy, details, null);
    }

    /** A plain status change. */
    public static CallEvent status(String providerId, @Nullable String providerCallId, @Nullable String callId,
                                   @Nullable CallStatus status, Instant occurredAt) {
        return builder(providerId, occurredAt).providerCallId(providerCallId).callId(callId).status(status).build();
    }

    /** An event reported by {@code providerId} at {@code occurredAt}; it needs a providerCallId or a callId. */
    public static Builder builder(String providerId, Instant occurredAt) {
        return new Builder(providerId, occurredAt);
    }

    /** A builder holding this event, to change some of it. */
    public Builder toBuilder() {
        return new Builder(providerId, occurredAt).providerCallId(providerCallId).callId(callId).status(status)
                .sequence(sequence).duration(duration).price(price).recordingUrl(recordingUrl)
                .transcript(transcript).answeredBy(answeredBy).details(details).errorReason(errorReason);
    }

    public Optional<CallStatus> statusIfAny() {
        return Optional.ofNullable(status);
    }

    public CallEvent withCallId(String ourCallId) {
        return toBuilder().callId(ourCallId).build();
    }

    /**
     * The event without what it says of the person called: whether there is a recording and a transcript, not
     * where or what; the details' names, not their values (a provider's fields may hold numbers and names).
     */
    @Override
    public String toString() {
        return "CallEvent[providerId=" + providerId + ", providerCallId=" + providerCallId + ", callId=" + callId
                + ", status=" + status + ", occurredAt=" + occurredAt + ", sequence=" + sequence
                + ", duration=" + duration + ", price=" + price + ", recording=" + (recordingUrl != null)
                + ", transcript=" + (transcript != null) + ", answeredBy=" + answeredBy
                + ", details=" + details.keySet() + "]";
    }

    /** Builds a {@link CallEvent}; every component but the provider id and the time is optional. */
    public static final class Builder {
        private final String providerId;
        private final Instant occurredAt;
        private String providerCallId;
        private String callId;
        private CallStatus status;
        private Long sequence;
        private Duration duration;
        private Money price;
        private URI recordingUrl;
        private String transcript;
        private String answeredBy;
        private Map<String, String> details = Map.of();
        private ErrorReason errorReason;

        private Builder(String providerId, Instant occurredAt) {
            this.providerId = Objects.requireNonNull(providerId, "providerId");
            this.occurredAt = Objects.requireNonNull(occurredAt, "occurredAt");
        }

        public Builder providerCallId(String providerCallId) {
            this.providerCallId = providerCallId;
            return this;
        }

        public Builder callId(String callId) {
            this.callId = callId;
            return this;
        }

        public Builder status(CallStatus status) {
            this.status = status;
            return this;
        }

        public Builder sequence(Long sequence) {
            this.sequence = sequence;
            return this;
        }

        public Builder duration(Duration duration) {
            this.duration = duration;
            return this;
        }

        public Builder price(Money price) {
            this.price = price;
            return this;
        }

        public Builder recordingUrl(URI recordingUrl) {
            this.recordingUrl = recordingUrl;
            return this;
        }

        public Builder transcript(String transcript) {
            this.transcript = transcript;
            return this;
        }

        public Builder answeredBy(String answeredBy) {
            this.answeredBy = answeredBy;
            return this;
        }

        /** Other fields worth keeping, by the provider's names; null means none. */
        public Builder details(Map<String, String> details) {
            this.details = details;
            return this;
        }

        /** Why the call failed, when the provider said so with a failed end; null means not said. */
        public Builder errorReason(ErrorReason errorReason) {
            this.errorReason = errorReason;
            return this;
        }

        public CallEvent build() {
            return new CallEvent(providerId, providerCallId, callId, status, occurredAt, sequence, duration, price,
                    recordingUrl, transcript, answeredBy, details, errorReason);
        }
    }
}
