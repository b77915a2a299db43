package io.globalcalling.spring.api;

import io.globalcalling.CallCategory;
import io.globalcalling.Purpose;
import io.globalcalling.core.campaign.CampaignPolicy;
import io.globalcalling.core.campaign.NewCampaign;
import io.globalcalling.core.campaign.Target;
import org.jspecify.annotations.Nullable;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.globalcalling.spring.api.ApiInputException.parse;
import static io.globalcalling.spring.api.ApiInputException.required;

/**
 * A bulk campaign as a client asks for it: its settings and, in JSON, its targets inline (a CSV upload brings them
 * instead). It runs for the API key's customer.
 *
 * @param category       every call's category, or absent to let routing choose per target
 * @param script         the template each target's variables fill, e.g. {@code Hello {{name}}}; at most
 *                       {@link CallBody#MAX_SCRIPT} characters, as each variable's value
 * @param scheduledAt    when it starts by itself (ISO-8601 instant); without one, on {@code start}
 * @param callsPerSecond how many calls it places per second at most
 * @param maxInFlight    how many of its calls may be under way at once
 * @param outageDelaySeconds how long a target every provider refused (nobody was called) waits before it is tried
 *                           again, doubled for each such attempt just before it ({@link CampaignPolicy#outageDelay})
 * @param outageAttempts how many attempts of a target every provider may refuse before it ends failed as
 *                       unavailable ({@link CampaignPolicy#outageAttempts})
 * @param outagePause    how many targets in a row every provider refused pause the campaign
 *                       ({@link CampaignPolicy#outagePause})
 */
public record CampaignBody(@Nullable String name, @Nullable String category, @Nullable String script,
                           @Nullable String purpose, @Nullable String from, @Nullable String scheduledAt,
                           @Nullable Integer callsPerSecond, @Nullable Integer maxInFlight,
                           @Nullable Integer outageDelaySeconds, @Nullable Integer outageAttempts,
                           @Nullable Integer outagePause, @Nullable List<TargetBody> targets) {

    /** One number to call, the script's variables for it, and its IANA time zone when its number does not say. */
    public record TargetBody(@Nullable String number, @Nullable Map<String, String> variables,
                             @Nullable String timezone) {
    }

    /**
     * The campaign these settings ask for, under {@code idempotencyKey}, with the fingerprint of its targets.
     *
     * @throws IllegalArgumentException naming the field and the value
     */
    public NewCampaign toCampaign(String customerId, @Nullable String idempotencyKey, String requestFingerprint) {
        String n = required("name", name);
        NewCampaign.Builder b = parse("name", n, NewCampaign::named).customerId(customerId)
                .idempotencyKey(idempotencyKey).requestFingerprint(requestFingerprint);
        if (category != null) b.category(parse("category", category, CallCategory::fromWireName));
        if (script != null) {
            CallBody.atMost("script", script.length(), CallBody.MAX_SCRIPT, "characters");
            parse("script", script, b::script);
        }
        if (purpose != null) b.purpose(parse("purpose", purpose, Purpose::fromWireName));
        if (from != null) b.from(parse("from", from, f -> io.globalcalling.PhoneNumber.of(f).value()));
        if (scheduledAt != null) b.scheduledAt(parse("scheduledAt", scheduledAt, Instant::parse));
        CampaignPolicy.Builder policy = CampaignPolicy.builder();
        if (callsPerSecond != null) {
            parse("callsPerSecond", callsPerSecond.toString(), v -> policy.callsPerSecond(callsPerSecond));
        }
        if (maxInFlight != null) parse("maxInFlight", maxInFlight.toString(), v -> policy.maxInFlight(maxInFlight));
        // the builder takes the pair at once: each field is checked beside the other's default, so a refusal names it
        CampaignPolicy defaults = CampaignPolicy.defaults();
        if (outageDelaySeconds != null) {
            parse("outageDelaySeconds", outageDelaySeconds.toString(),
                    v -> policy.outageRetries(Duration.ofSeconds(outageDelaySeconds), defaults.outageAttempts()));
        }
        if (outageAttempts != null) {
            parse("outageAttempts", outageAttempts.toString(),
                    v -> policy.outageRetries(defaults.outageDelay(), outageAttempts));
        }
        if (outageDelaySeconds != null || outageAttempts != null) {
            Duration delay = outageDelaySeconds == null ? defaults.outageDelay() : Duration.ofSeconds(outageDelaySeconds);
            policy.outageRetries(delay, outageAttempts == null ? defaults.outageAttempts() : outageAttempts);
        }
        if (outagePause != null) parse("outagePause", outagePause.toString(), v -> policy.outagePause(outagePause));
        return b.policy(policy.build()).build();
    }

    /**
     * The inline targets; a missing number is left for the import to report with its position.
     *
     * @throws ApiInputException naming a target, or a variable of one, that is JSON's {@code null}
     */
    public List<Target> targetList() {
        if (targets == null) return List.of();
        List<Target> list = new ArrayList<>(targets.size());
        for (int i = 0; i < targets.size(); i++) {
            // JSON's null would fail the target's copy of its variables (or the target itself) with no word of which
            TargetBody t = required("targets[" + i + "]", targets.get(i));
            if (t.variables() != null) {
                for (Map.Entry<String, String> v : t.variables().entrySet()) {
                    String field = "targets[" + i + "].variables." + v.getKey();
                    CallBody.atMost(field, required(field, v.getValue()).length(), CallBody.MAX_SCRIPT, "characters");
                }
            }
            list.add(new Target(t.number() == null ? "" : t.number(), t.variables(), t.timezone()));
        }
        return list;
    }
}
