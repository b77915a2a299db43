package io.globalcalling.spring.api;

import io.globalcalling.CallCategory;
import io.globalcalling.Purpose;
import io.globalcalling.core.campaign.CallingWindows;
import io.globalcalling.core.campaign.CampaignPolicy;
import io.globalcalling.core.campaign.FrequencyCap;
import io.globalcalling.core.campaign.NewCampaign;
import io.globalcalling.core.campaign.Outcome;
import io.globalcalling.core.campaign.RetryRule;
import io.globalcalling.core.campaign.Target;
import org.jspecify.annotations.Nullable;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

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
 * @param retries        which outcomes are retried, after how long and up to how many attempts in all
 *                       ({@link CampaignPolicy.Builder#retry}); none by default
 * @param windows        when recipients may be called in their local time, by weekday ({@code monday} ...
 *                       {@code sunday}), a day left out having no calls ({@link CampaignPolicy#windows}); 08:00–21:00
 *                       every day by default
 * @param frequencyCaps  at most so many calls to a number within a period, counting every call to it
 *                       ({@link CampaignPolicy#frequencyCaps}); none by default
 */
public record CampaignBody(@Nullable String name, @Nullable String category, @Nullable String script,
                           @Nullable String purpose, @Nullable String from, @Nullable String scheduledAt,
                           @Nullable Integer callsPerSecond, @Nullable Integer maxInFlight,
                           @Nullable Integer outageDelaySeconds, @Nullable Integer outageAttempts,
                           @Nullable Integer outagePause, @Nullable List<RetryBody> retries,
                           @Nullable Map<String, WindowBody> windows, @Nullable List<FrequencyCapBody> frequencyCaps,
                           @Nullable List<TargetBody> targets) {

    /** An outcome ({@code busy}, {@code no_answer}, {@code failed}, {@code machine}) retried as {@link RetryRule} says. */
    public record RetryBody(@Nullable String outcome, @Nullable Integer delaySeconds, @Nullable Integer maxAttempts) {
    }

    /** A day's calling window in the recipient's local time, {@code HH:mm}: from inclusive, until exclusive. */
    public record WindowBody(@Nullable String from, @Nullable String until) {
    }

    /** At most {@code maxCalls} calls to one number within any {@code perSeconds} ({@link FrequencyCap}). */
    public record FrequencyCapBody(@Nullable Integer maxCalls, @Nullable Integer perSeconds) {
    }

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
        if (retries != null) addRetries(policy);
        if (windows != null) policy.windows(callingWindows());
        if (frequencyCaps != null) addFrequencyCaps(policy);
        return b.policy(policy.build()).build();
    }

    private void addFrequencyCaps(CampaignPolicy.Builder policy) {
        for (int i = 0; i < frequencyCaps.size(); i++) {
            String field = "frequencyCaps[" + i + "]";
            FrequencyCapBody cap = required(field, frequencyCaps.get(i));
            int maxCalls = required(field + ".maxCalls", cap.maxCalls());
            int per = required(field + ".perSeconds", cap.perSeconds());
            // each value checked beside a valid other, as the outage pair is, so that a refusal names its field
            parse(field + ".maxCalls", Integer.toString(maxCalls), v -> new FrequencyCap(maxCalls, Duration.ofHours(1)));
            policy.frequencyCap(parse(field + ".perSeconds", Integer.toString(per),
                    v -> new FrequencyCap(maxCalls, Duration.ofSeconds(per))));
        }
    }

    private void addRetries(CampaignPolicy.Builder policy) {
        Set<Outcome> seen = EnumSet.noneOf(Outcome.class);
        for (int i = 0; i < retries.size(); i++) {
            String field = "retries[" + i + "]";
            RetryBody retry = required(field, retries.get(i));
            String name = required(field + ".outcome", retry.outcome());
            Outcome outcome = parse(field + ".outcome", name, CampaignBody::retryOutcome);
            if (!seen.add(outcome)) {
                throw new ApiInputException(field + ".outcome", name, field + ".outcome '" + name
                        + "' is retried by an earlier rule already: give each outcome one rule");
            }
            int delay = required(field + ".delaySeconds", retry.delaySeconds());
            int maxAttempts = required(field + ".maxAttempts", retry.maxAttempts());
            // each value checked beside a valid other, so that a refusal names its field
            parse(field + ".delaySeconds", Integer.toString(delay), v -> new RetryRule(Duration.ofSeconds(delay), 1));
            parse(field + ".maxAttempts", Integer.toString(maxAttempts), v -> new RetryRule(Duration.ZERO, maxAttempts));
            policy.retry(outcome, Duration.ofSeconds(delay), maxAttempts);
        }
    }

    /** An outcome a retry rule may be set for, by its wire name. */
    private static Outcome retryOutcome(String name) {
        for (Outcome o : Outcome.values()) {
            if (o.wireName().equals(name)) {
                if (o.retryable()) return o;
                break;
            }
        }
        throw new IllegalArgumentException("not an outcome that is retried: busy, no_answer, failed and machine are");
    }

    private CallingWindows callingWindows() {
        if (windows.isEmpty()) {
            throw new ApiInputException("windows", "{}", "windows never open: give at least one day a window");
        }
        Map<DayOfWeek, CallingWindows.Window> days = new EnumMap<>(DayOfWeek.class);
        windows.forEach((day, window) -> {
            String field = "windows." + day;
            DayOfWeek d = parse(field, day, CampaignBody::weekday);
            WindowBody w = required(field, window);
            LocalTime from = parse(field + ".from", required(field + ".from", w.from()), CampaignBody::localTime);
            LocalTime until = parse(field + ".until", required(field + ".until", w.until()), CampaignBody::localTime);
            days.put(d, parse(field, w.from() + "-" + w.until(), v -> new CallingWindows.Window(from, until)));
        });
        return CallingWindows.of(days);
    }

    private static DayOfWeek weekday(String day) {
        for (DayOfWeek d : DayOfWeek.values()) {
            if (d.name().toLowerCase(Locale.ROOT).equals(day)) return d;
        }
        throw new IllegalArgumentException("not a weekday: monday to sunday");
    }

    /** {@code HH:mm} (or with seconds); {@code 24:00} is the end of the day, as an until. */
    private static LocalTime localTime(String time) {
        return time.equals("24:00") ? LocalTime.MAX : LocalTime.parse(time);
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
