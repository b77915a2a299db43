package io.globalcalling.spi.store;

import io.globalcalling.CallCategory;
import io.globalcalling.Money;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A bulk calling campaign: the seed's CallingCampaign fields plus its owner.
 */
public record Campaign(String campaignId, String customerId, String name, CallCategory category,
                       @Nullable String scriptTemplate, int totalNumbers, int completedCalls, int successfulCalls,
                       int failedCalls, Money totalCost, Status status, @Nullable Instant scheduledAt,
                       @Nullable Instant startedAt, @Nullable Instant completedAt, Instant createdAt) {

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
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(totalCost, "totalCost");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(createdAt, "createdAt");
        if (totalNumbers < 0 || completedCalls < 0 || successfulCalls < 0 || failedCalls < 0) {
            throw new IllegalArgumentException("campaign counters must not be negative");
        }
    }
}
