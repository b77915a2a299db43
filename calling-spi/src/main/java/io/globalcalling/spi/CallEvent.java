package io.globalcalling.spi;

import io.globalcalling.CallStatus;
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
 */
public record CallEvent(String providerId, @Nullable String providerCallId, @Nullable String callId,
                        @Nullable CallStatus status, Instant occurredAt, @Nullable Long sequence,
                        @Nullable Duration duration, @Nullable Money price, @Nullable URI recordingUrl,
                        @Nullable String transcript, @Nullable String answeredBy, Map<String, String> details) {

    public CallEvent {
        Objects.requireNonNull(providerId, "providerId");
        Objects.requireNonNull(occurredAt, "occurredAt");
        if (providerCallId == null && callId == null) {
            throw new IllegalArgumentException("an event needs a providerCallId or a callId");
        }
        details = details == null ? Map.of() : Map.copyOf(details);
    }

    /** A plain status change. */
    public static CallEvent status(String providerId, @Nullable String providerCallId, @Nullable String callId,
                                   @Nullable CallStatus status, Instant occurredAt) {
        return new CallEvent(providerId, providerCallId, callId, status, occurredAt, null, null, null, null,
                null, null, Map.of());
    }

    public Optional<CallStatus> statusIfAny() {
        return Optional.ofNullable(status);
    }

    public CallEvent withCallId(String ourCallId) {
        return new CallEvent(providerId, providerCallId, ourCallId, status, occurredAt, sequence, duration, price,
                recordingUrl, transcript, answeredBy, details);
    }
}
