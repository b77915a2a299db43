package io.globalcalling.spi.store;

import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One number of a campaign and where its calling stands. Workers claim targets with a lease so
 * that several nodes share one campaign without calling anyone twice.
 *
 * @param campaignId     the campaign
 * @param targetId       unique within the campaign
 * @param toNumber       whom to call
 * @param variables      values for the script's placeholders
 * @param state          where it stands
 * @param attempts       calls made so far
 * @param nextAttemptAt  not to be claimed before this
 * @param leaseOwner     the worker holding it, while CLAIMED
 * @param leaseUntil     when that lease lapses
 * @param lastCallId     the call of the latest attempt
 * @param lastOutcome    the status name of the latest attempt's end
 */
public record CampaignTarget(String campaignId, String targetId, String toNumber, Map<String, String> variables,
                             State state, int attempts, @Nullable Instant nextAttemptAt, @Nullable String leaseOwner,
                             @Nullable Instant leaseUntil, @Nullable String lastCallId,
                             @Nullable String lastOutcome) {

    public enum State {
        PENDING, CLAIMED, DONE, FAILED, SKIPPED;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public CampaignTarget {
        Objects.requireNonNull(campaignId, "campaignId");
        Objects.requireNonNull(targetId, "targetId");
        Objects.requireNonNull(toNumber, "toNumber");
        Objects.requireNonNull(state, "state");
        variables = variables == null ? Map.of() : Map.copyOf(variables);
    }

    public static CampaignTarget pending(String campaignId, String targetId, String toNumber,
                                         Map<String, String> variables, Instant notBefore) {
        return new CampaignTarget(campaignId, targetId, toNumber, variables, State.PENDING, 0, notBefore, null, null,
                null, null);
    }
}
