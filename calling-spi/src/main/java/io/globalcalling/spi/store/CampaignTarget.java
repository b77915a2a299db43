package io.globalcalling.spi.store;

import io.globalcalling.Endpoint;

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
 * @param lastOutcome    the outcome of the latest attempt; null while attempt {@code attempts} is under way
 * @param timeZone       the recipient's time zone (an IANA id) when the host set it, else null (derived from the number)
 */
public record CampaignTarget(String campaignId, String targetId, String toNumber, Map<String, String> variables,
                             State state, int attempts, @Nullable Instant nextAttemptAt, @Nullable String leaseOwner,
                             @Nullable Instant leaseUntil, @Nullable String lastCallId,
                             @Nullable String lastOutcome, @Nullable String timeZone) {

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

    /** A target without a time zone of its own (the fields of schema versions before 6). */
    public CampaignTarget(String campaignId, String targetId, String toNumber, Map<String, String> variables,
                          State state, int attempts, @Nullable Instant nextAttemptAt, @Nullable String leaseOwner,
                          @Nullable Instant leaseUntil, @Nullable String lastCallId, @Nullable String lastOutcome) {
        this(campaignId, targetId, toNumber, variables, state, attempts, nextAttemptAt, leaseOwner, leaseUntil,
                lastCallId, lastOutcome, null);
    }

    /** Whether its calling is over (done, failed or skipped). */
    public boolean isFinished() {
        return state == State.DONE || state == State.FAILED || state == State.SKIPPED;
    }

    /** Whether attempt {@link #attempts()} was recorded and its outcome is not known yet. */
    public boolean attemptUnderWay() {
        return attempts > 0 && lastOutcome == null && !isFinished();
    }

    /** This target with the given state, attempts, next attempt, lease, last call and outcome. */
    public CampaignTarget with(State newState, int newAttempts, @Nullable Instant next, @Nullable String owner,
                               @Nullable Instant until, @Nullable String callId, @Nullable String outcome) {
        return new CampaignTarget(campaignId, targetId, toNumber, variables, newState, newAttempts, next, owner, until,
                callId, outcome, timeZone);
    }

    public static CampaignTarget pending(String campaignId, String targetId, String toNumber,
                                         Map<String, String> variables, Instant notBefore) {
        return new CampaignTarget(campaignId, targetId, toNumber, variables, State.PENDING, 0, notBefore, null, null,
                null, null);
    }

    /** A new target, due from {@code notBefore}, called in {@code timeZone} (null: the number's). */
    public static CampaignTarget pending(String campaignId, String targetId, String toNumber,
                                         Map<String, String> variables, Instant notBefore, @Nullable String timeZone) {
        return new CampaignTarget(campaignId, targetId, toNumber, variables, State.PENDING, 0, notBefore, null, null,
                null, null, timeZone);
    }

    /** As a record prints itself, except the person called: the number masked, the variables by their names only. */
    @Override
    public String toString() {
        return "CampaignTarget[campaignId=" + campaignId + ", targetId=" + targetId + ", toNumber="
                + Endpoint.mask(toNumber) + ", variables=" + variables.keySet() + ", state=" + state
                + ", attempts=" + attempts + ", nextAttemptAt=" + nextAttemptAt + ", leaseOwner=" + leaseOwner
                + ", leaseUntil=" + leaseUntil + ", lastCallId=" + lastCallId + ", lastOutcome=" + lastOutcome
                + ", timeZone=" + timeZone + "]";
    }
}
