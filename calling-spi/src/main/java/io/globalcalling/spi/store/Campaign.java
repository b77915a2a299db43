package io.globalcalling.spi.store;

import io.globalcalling.CallCategory;
import io.globalcalling.Money;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A bulk calling campaign: the seed's CallingCampaign fields plus its owner, its policy and why it
 * stands as it does.
 *
 * @param category     the category of every call, or null to let routing choose per target
 * @param policy       the campaign's policy as the core wrote it (opaque to stores), or null
 * @param statusReason   why the campaign has its status (e.g. why it was paused), or null
 * @param idempotencyKey the key its creator gave so that a retried create returns it instead of making a
 *                       second campaign (unique per customer), or null
 */
public record Campaign(String campaignId, String customerId, String name, @Nullable CallCategory category,
                       @Nullable String scriptTemplate, int totalNumbers, int completedCalls, int successfulCalls,
                       int failedCalls, Money totalCost, Status status, @Nullable Instant scheduledAt,
                       @Nullable Instant startedAt, @Nullable Instant completedAt, Instant createdAt,
                       @Nullable String policy, @Nullable String statusReason, @Nullable String idempotencyKey) {

    public enum Status {
        SCHEDULED, IN_PROGRESS, PAUSED, COMPLETED, CANCELED;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public Campaign {
        Objects.requireNonNull(campaignId, "campaignId");
        Objects.requireNonNull(customerId, "customerId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(totalCost, "totalCost");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(createdAt, "createdAt");
        if (totalNumbers < 0 || completedCalls < 0 || successfulCalls < 0 || failedCalls < 0) {
            throw new IllegalArgumentException("campaign counters must not be negative");
        }
    }

    /** A campaign created without an idempotency key. */
    public Campaign(String campaignId, String customerId, String name, @Nullable CallCategory category,
                    @Nullable String scriptTemplate, int totalNumbers, int completedCalls, int successfulCalls,
                    int failedCalls, Money totalCost, Status status, @Nullable Instant scheduledAt,
                    @Nullable Instant startedAt, @Nullable Instant completedAt, Instant createdAt,
                    @Nullable String policy, @Nullable String statusReason) {
        this(campaignId, customerId, name, category, scriptTemplate, totalNumbers, completedCalls, successfulCalls,
                failedCalls, totalCost, status, scheduledAt, startedAt, completedAt, createdAt, policy, statusReason,
                null);
    }

    /** A campaign without a stored policy or status reason (the fields of schema versions before 6). */
    public Campaign(String campaignId, String customerId, String name, @Nullable CallCategory category,
                    @Nullable String scriptTemplate, int totalNumbers, int completedCalls, int successfulCalls,
                    int failedCalls, Money totalCost, Status status, @Nullable Instant scheduledAt,
                    @Nullable Instant startedAt, @Nullable Instant completedAt, Instant createdAt) {
        this(campaignId, customerId, name, category, scriptTemplate, totalNumbers, completedCalls, successfulCalls,
                failedCalls, totalCost, status, scheduledAt, startedAt, completedAt, createdAt, null, null);
    }

    /** Whether nothing more will be placed for it. */
    public boolean isFinished() {
        return status == Status.COMPLETED || status == Status.CANCELED;
    }
}
