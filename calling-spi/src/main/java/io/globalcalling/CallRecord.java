package io.globalcalling;

import io.globalcalling.CallCategory;
import io.globalcalling.CallStatus;
import io.globalcalling.Money;
import io.globalcalling.Priority;
import io.globalcalling.Purpose;
import io.globalcalling.spi.Urls;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Everything kept about one call: the seed's CallRecord fields plus what routing, limits and
 * reconciliation need. Null components are "not known (yet)".
 *
 * @param callId               our id, unique
 * @param customerId           whose limits and budget the call counts against
 * @param category             the category routing chose
 * @param providerId           the provider of the current attempt, null before one is asked
 * @param providerCallId       the provider's id for the call, once it accepted it
 * @param fromNumber           caller ID presented, if any
 * @param toNumber             the destination as text (E.164, sip:, URL or imei:)
 * @param status               where the call is
 * @param purpose              why it was made, if said
 * @param priority             its priority
 * @param attempt              which provider option is or was being tried, 1-based
 * @param idempotencyKey       the customer's key, unique per customer
 * @param campaignId           the campaign it belongs to, if any
 * @param heldAmount           what was reserved against the customer's budget when the call was admitted:
 *                             the dearest route option over the category's hold duration, so an upper
 *                             bound, not a forecast (zero when the customer has no budget)
 * @param estimatedCost        what the call is expected to cost: its primary route for the expected talk
 *                             time; null when not estimated (records written before it was kept)
 * @param cost                 the settled cost, once known
 * @param durationSeconds      talk time, once known
 * @param recordingUrl         the recording, if any
 * @param transcript           what was said, if transcribed
 * @param aiSentiment          sentiment of the transcript, if analysed
 * @param routeReasons         why this route was chosen, one line each
 * @param errorReason          the {@code ErrorReason} name of the last failure, if any
 * @param errorMessage         the last failure's message (never a secret)
 * @param needsReconciliation  the last placement's outcome is unknown: resolve with fetch before anything else
 * @param limitBypass          an emergency call that bypassed a cap or limit
 * @param simulated            the provider that took the call places no real call (the sandbox)
 * @param startedAt            when the call was asked for
 * @param answeredAt           when it was answered
 * @param endedAt              when it ended
 * @param createdAt            when the record was written
 * @param updatedAt            when it last changed
 * @param metadata             the host's labels
 * @param requestFingerprint   a keyed digest of the whole request the call was placed for, compared when its
 *                             idempotency key comes again (see {@code CallStore.requestFingerprintKey()}); null when
 *                             none was kept: no key, a store that keeps none, a record from before, an erased number
 */
public record CallRecord(String callId, String customerId, CallCategory category, @Nullable String providerId,
                         @Nullable String providerCallId, @Nullable String fromNumber, String toNumber,
                         CallStatus status, @Nullable Purpose purpose, Priority priority, int attempt,
                         @Nullable String idempotencyKey, @Nullable String campaignId, @Nullable Money heldAmount,
                         @Nullable Money estimatedCost, @Nullable Money cost, @Nullable Integer durationSeconds,
                         @Nullable String recordingUrl, @Nullable String transcript, @Nullable String aiSentiment,
                         List<String> routeReasons, @Nullable String errorReason, @Nullable String errorMessage,
                         boolean needsReconciliation, boolean limitBypass, boolean simulated, Instant startedAt,
                         @Nullable Instant answeredAt, @Nullable Instant endedAt, Instant createdAt,
                         Instant updatedAt, Map<String, String> metadata, @Nullable String requestFingerprint) {

    public CallRecord {
        Objects.requireNonNull(callId, "callId");
        Objects.requireNonNull(customerId, "customerId");
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(toNumber, "toNumber");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(priority, "priority");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        routeReasons = routeReasons == null ? List.of() : List.copyOf(routeReasons);
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
        if (attempt < 0) throw new IllegalArgumentException("attempt " + attempt + " must not be negative");
    }

    /** A record that keeps no request fingerprint, as stores built before it was kept make one. */
    public CallRecord(String callId, String customerId, CallCategory category, @Nullable String providerId,
                      @Nullable String providerCallId, @Nullable String fromNumber, String toNumber,
                      CallStatus status, @Nullable Purpose purpose, Priority priority, int attempt,
                      @Nullable String idempotencyKey, @Nullable String campaignId, @Nullable Money heldAmount,
                      @Nullable Money estimatedCost, @Nullable Money cost, @Nullable Integer durationSeconds,
                      @Nullable String recordingUrl, @Nullable String transcript, @Nullable String aiSentiment,
                      List<String> routeReasons, @Nullable String errorReason, @Nullable String errorMessage,
                      boolean needsReconciliation, boolean limitBypass, boolean simulated, Instant startedAt,
                      @Nullable Instant answeredAt, @Nullable Instant endedAt, Instant createdAt,
                      Instant updatedAt, Map<String, String> metadata) {
        this(callId, customerId, category, providerId, providerCallId, fromNumber, toNumber, status, purpose, priority,
                attempt, idempotencyKey, campaignId, heldAmount, estimatedCost, cost, durationSeconds, recordingUrl,
                transcript, aiSentiment, routeReasons, errorReason, errorMessage, needsReconciliation, limitBypass,
                simulated, startedAt, answeredAt, endedAt, createdAt, updatedAt, metadata, null);
    }

    /**
     * A fresh record in status INITIATED, written before any provider is asked. No provider has it yet,
     * so it is not {@code simulated}; the manager records that with the provider.
     */
    public static CallRecord initiated(String callId, String customerId, CallCategory category, String fromNumber,
                                       String toNumber, Purpose purpose, Priority priority, String idempotencyKey,
                                       String campaignId, Money heldAmount, Money estimatedCost,
                                       List<String> routeReasons, boolean limitBypass, Instant now,
                                       Map<String, String> metadata) {
        return new CallRecord(callId, customerId, category, null, null, fromNumber, toNumber, CallStatus.INITIATED,
                purpose, priority, 0, idempotencyKey, campaignId, heldAmount, estimatedCost, null, null, null, null,
                null, routeReasons, null, null, false, limitBypass, false, now, null, null, now, now, metadata);
    }

    /** This record keeping {@code fingerprint} as its request's. */
    public CallRecord withRequestFingerprint(@Nullable String fingerprint) {
        return new CallRecord(callId, customerId, category, providerId, providerCallId, fromNumber, toNumber, status,
                purpose, priority, attempt, idempotencyKey, campaignId, heldAmount, estimatedCost, cost,
                durationSeconds, recordingUrl, transcript, aiSentiment, routeReasons, errorReason, errorMessage,
                needsReconciliation, limitBypass, simulated, startedAt, answeredAt, endedAt, createdAt, updatedAt,
                metadata, fingerprint);
    }
    /**
     * As a record prints itself, except what may hold a secret or personal data: the numbers masked (see
     * {@link Endpoint#mask}), a destination or recording URL without its {@code user:password@} part, the transcript
     * by its length only, and whether a request fingerprint is kept.
     */
    @Override
    public String toString() {
        return "CallRecord[callId=" + callId + ", customerId=" + customerId + ", category=" + category
                + ", providerId=" + providerId + ", providerCallId=" + providerCallId
                + ", fromNumber=" + (fromNumber == null ? null : Endpoint.mask(fromNumber))
                + ", toNumber=" + Endpoint.mask(toNumber) + ", status=" + status + ", purpose=" + purpose
                + ", priority=" + priority + ", attempt=" + attempt + ", idempotencyKey=" + idempotencyKey
                + ", campaignId=" + campaignId + ", heldAmount=" + heldAmount + ", estimatedCost=" + estimatedCost
                + ", cost=" + cost + ", durationSeconds=" + durationSeconds
                + ", recordingUrl=" + (recordingUrl == null ? null : Urls.withoutUserInfo(recordingUrl))
                + ", transcript=" + (transcript == null ? null : "<" + transcript.length() + " characters>")
                + ", aiSentiment=" + aiSentiment + ", routeReasons=" + routeReasons + ", errorReason=" + errorReason
                + ", errorMessage=" + errorMessage + ", needsReconciliation=" + needsReconciliation
                + ", limitBypass=" + limitBypass + ", simulated=" + simulated + ", startedAt=" + startedAt
                + ", answeredAt=" + answeredAt + ", endedAt=" + endedAt + ", createdAt=" + createdAt
                + ", updatedAt=" + updatedAt + ", metadata=" + metadata
                + ", requestFingerprint=" + (requestFingerprint == null ? null : "<kept>") + "]";
    }
}
