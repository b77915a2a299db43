package io.globalcalling.core.campaign;

import org.jspecify.annotations.Nullable;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;

/**
 * How a campaign calls: its pace (calls per second, at most so many calls in flight; the customer's
 * limits and the providers' pacing still apply on top, so neither is ever exceeded), its calling
 * windows in the recipient's local time, retries per outcome, frequency caps per recipient, what to
 * do with answering machines and how to ride out a provider outage. Build with {@link #builder()}; every
 * setting has a default.
 */
public final class CampaignPolicy {

    private final int callsPerSecond;
    private final int maxInFlight;
    private final CallingWindows windows;
    private final Map<Outcome, RetryRule> retries;
    private final List<FrequencyCap> frequencyCaps;
    private final @Nullable MachineAction machineAction;
    private final Duration expectedTalkTime;
    private final Duration callTimeout;
    private final Duration outageDelay;
    private final int outageAttempts;
    private final int outagePause;

    private CampaignPolicy(Builder b) {
        this.callsPerSecond = b.callsPerSecond;
        this.maxInFlight = b.maxInFlight;
        this.windows = b.windows;
        Map<Outcome, RetryRule> rules = new EnumMap<>(Outcome.class);
        rules.putAll(b.retries);
        this.retries = Collections.unmodifiableMap(rules);
        this.frequencyCaps = List.copyOf(b.frequencyCaps);
        this.machineAction = b.machineAction;
        this.expectedTalkTime = b.expectedTalkTime;
        this.callTimeout = b.callTimeout;
        this.outageDelay = b.outageDelay;
        this.outageAttempts = b.outageAttempts;
        this.outagePause = b.outagePause;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Defaults: 1 call per second, 10 in flight, 08:00–21:00 every day, no retries, no caps, no machine detection; a
     * target every provider refused is tried again after 30 s (doubled each time) up to 5 times, and 10 targets
     * refused in a row pause the campaign.
     */
    public static CampaignPolicy defaults() {
        return builder().build();
    }

    public int callsPerSecond() {
        return callsPerSecond;
    }

    public int maxInFlight() {
        return maxInFlight;
    }

    public CallingWindows windows() {
        return windows;
    }

    public Map<Outcome, RetryRule> retries() {
        return retries;
    }

    public List<FrequencyCap> frequencyCaps() {
        return frequencyCaps;
    }

    /** What to do with answering machines; null: no machine detection is asked for. */
    public @Nullable MachineAction machineAction() {
        return machineAction;
    }

    /** The talk time the cost estimate and the time-to-finish assume per call. */
    public Duration expectedTalkTime() {
        return expectedTalkTime;
    }

    /** A call still not ended after this long is reconciled with its provider (its callback may be lost). */
    public Duration callTimeout() {
        return callTimeout;
    }

    /**
     * How long a target waits after every provider refused its call before taking it (unavailable, rate-limited, its
     * credentials refused: nobody was called); doubled for each such attempt just before it, at most 15 minutes (or
     * this delay, when longer).
     */
    public Duration outageDelay() {
        return outageDelay;
    }

    /**
     * How many attempts of a target every provider may refuse in all: the last one ends it failed as
     * {@link Outcome#UNAVAILABLE}. Such attempts count against no retry rule and no frequency cap.
     */
    public int outageAttempts() {
        return outageAttempts;
    }

    /**
     * How many targets in a row every provider refused, no call taken in between, pause the campaign as an outage
     * (its reason says so); the host resumes it once the providers are back. Counted by each node over the calls it
     * places.
     */
    public int outagePause() {
        return outagePause;
    }

    // ---- text form, kept by the store ----

    String toText() {
        Properties p = new Properties();
        p.setProperty("cps", Integer.toString(callsPerSecond));
        p.setProperty("maxInFlight", Integer.toString(maxInFlight));
        windows.days().forEach((d, w) -> p.setProperty("window." + d, w.from() + "-" + w.until()));
        retries.forEach((o, r) -> p.setProperty("retry." + o, r.delay() + "/" + r.maxAttempts()));
        for (int i = 0; i < frequencyCaps.size(); i++) {
            p.setProperty("cap." + i, frequencyCaps.get(i).maxCalls() + "/" + frequencyCaps.get(i).per());
        }
        if (machineAction != null) p.setProperty("machine", machineAction.name());
        p.setProperty("expectedTalkTime", expectedTalkTime.toString());
        p.setProperty("callTimeout", callTimeout.toString());
        p.setProperty("outage", outageDelay + "/" + outageAttempts);
        p.setProperty("outagePause", Integer.toString(outagePause));
        // sorted, without the date comment Properties.store would write, so equal policies read the same
        StringBuilder out = new StringBuilder();
        toMap(p).forEach((k, v) -> out.append(k).append('=').append(v).append('\n'));
        return out.toString();
    }

    private static Map<String, String> toMap(Properties p) {
        Map<String, String> m = new TreeMap<>();
        p.stringPropertyNames().forEach(k -> m.put(k, p.getProperty(k)));
        return m;
    }

    static CampaignPolicy fromText(@Nullable String text) {
        if (text == null || text.isBlank()) return defaults();
        Properties p = new Properties();
        try {
            p.load(new StringReader(text));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Builder b = builder();
        Map<DayOfWeek, CallingWindows.Window> days = new EnumMap<>(DayOfWeek.class);
        List<FrequencyCap> caps = new ArrayList<>();
        for (String key : new TreeMap<>(toMap(p)).keySet()) {
            String v = p.getProperty(key);
            if (key.equals("cps")) b.callsPerSecond(Integer.parseInt(v));
            else if (key.equals("maxInFlight")) b.maxInFlight(Integer.parseInt(v));
            else if (key.startsWith("window.")) {
                String[] fromUntil = v.split("-");
                days.put(DayOfWeek.valueOf(key.substring(7)),
                        new CallingWindows.Window(LocalTime.parse(fromUntil[0]), LocalTime.parse(fromUntil[1])));
            } else if (key.startsWith("retry.")) {
                String[] rule = v.split("/");
                b.retry(Outcome.valueOf(key.substring(6)), Duration.parse(rule[0]), Integer.parseInt(rule[1]));
            } else if (key.startsWith("cap.")) {
                String[] cap = v.split("/");
                caps.add(new FrequencyCap(Integer.parseInt(cap[0]), Duration.parse(cap[1])));
            } else if (key.equals("machine")) b.machineAction(MachineAction.valueOf(v));
            else if (key.equals("expectedTalkTime")) b.expectedTalkTime(Duration.parse(v));
            else if (key.equals("callTimeout")) b.callTimeout(Duration.parse(v));
            else if (key.equals("outage")) {
                String[] rule = v.split("/");
                b.outageRetries(Duration.parse(rule[0]), Integer.parseInt(rule[1]));
            } else if (key.equals("outagePause")) b.outagePause(Integer.parseInt(v));
        }
        if (!days.isEmpty()) b.windows(CallingWindows.of(days));
        caps.forEach(b::frequencyCap);
        return b.build();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CampaignPolicy other && toText().equals(other.toText());
    }

    @Override
    public int hashCode() {
        return toText().hashCode();
    }

    @Override
    public String toString() {
        return "CampaignPolicy{" + toText().replace('\n', ' ').trim() + "}";
    }

    /** Builds a policy; each setter checks its value at once and names it when it is wrong. */
    public static final class Builder {
        private int callsPerSecond = 1;
        private int maxInFlight = 10;
        private CallingWindows windows = CallingWindows.defaults();
        private final Map<Outcome, RetryRule> retries = new EnumMap<>(Outcome.class);
        private final List<FrequencyCap> frequencyCaps = new ArrayList<>();
        private @Nullable MachineAction machineAction;
        private Duration expectedTalkTime = Duration.ofMinutes(2);
        private Duration callTimeout = Duration.ofHours(1);
        private Duration outageDelay = Duration.ofSeconds(30);
        private int outageAttempts = 5;
        private int outagePause = 10;

        private Builder() {
        }

        /** Calls started per second for the whole campaign, across every node; at least 1. */
        public Builder callsPerSecond(int cps) {
            if (cps < 1) throw new IllegalArgumentException("pacing callsPerSecond " + cps + " must be at least 1");
            this.callsPerSecond = cps;
            return this;
        }

        /** Calls of the campaign in flight at once, across every node; at least 1. */
        public Builder maxInFlight(int max) {
            if (max < 1) throw new IllegalArgumentException("pacing maxInFlight " + max + " must be at least 1");
            this.maxInFlight = max;
            return this;
        }

        public Builder windows(CallingWindows windows) {
            this.windows = Objects.requireNonNull(windows, "windows");
            return this;
        }

        /**
         * Retries {@code outcome} after {@code delay} while the target has had fewer than {@code maxAttempts}.
         *
         * @throws IllegalArgumentException for an outcome that is never retried (completed, refused, ...)
         */
        public Builder retry(Outcome outcome, Duration delay, int maxAttempts) {
            Objects.requireNonNull(outcome, "outcome");
            if (!outcome.retryable()) {
                throw new IllegalArgumentException("retry outcome " + outcome.wireName() + " is never retried: only "
                        + "busy, no_answer, failed and machine are");
            }
            retries.put(outcome, new RetryRule(delay, maxAttempts));
            return this;
        }

        public Builder frequencyCap(int maxCalls, Duration per) {
            return frequencyCap(new FrequencyCap(maxCalls, per));
        }

        public Builder frequencyCap(FrequencyCap cap) {
            frequencyCaps.add(Objects.requireNonNull(cap, "frequencyCap"));
            return this;
        }

        /** Asks for answering-machine detection and says what to do with a machine; null: no detection. */
        public Builder machineAction(@Nullable MachineAction action) {
            this.machineAction = action;
            return this;
        }

        public Builder expectedTalkTime(Duration talkTime) {
            Objects.requireNonNull(talkTime, "expectedTalkTime");
            if (talkTime.isNegative()) {
                throw new IllegalArgumentException("expectedTalkTime " + talkTime + " must not be negative");
            }
            this.expectedTalkTime = talkTime;
            return this;
        }

        public Builder callTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "callTimeout");
            if (timeout.isZero() || timeout.isNegative()) {
                throw new IllegalArgumentException("callTimeout " + timeout + " must be positive");
            }
            this.callTimeout = timeout;
            return this;
        }

        /**
         * A target every provider refused before taking it (an outage: nobody was called) is tried again after
         * {@code delay}, doubled for each such attempt just before it (at most 15 minutes, or {@code delay} when
         * longer), until {@code maxAttempts} of its attempts were refused so; then it ends failed as
         * {@link Outcome#UNAVAILABLE}. 1 tries it no more. Defaults: 30 s, 5.
         */
        public Builder outageRetries(Duration delay, int maxAttempts) {
            Objects.requireNonNull(delay, "outage delay");
            if (delay.isZero() || delay.isNegative()) {
                throw new IllegalArgumentException("outage delay " + delay + " must be positive");
            }
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("outage attempts " + maxAttempts + " must be at least 1");
            }
            this.outageDelay = delay;
            this.outageAttempts = maxAttempts;
            return this;
        }

        /**
         * Pauses the campaign once {@code targets} targets in a row had their calls refused by every provider, no call
         * taken in between: an outage across the campaign, which then keeps its list instead of walking through it.
         * Default: 10.
         */
        public Builder outagePause(int targets) {
            if (targets < 1) throw new IllegalArgumentException("outage pause " + targets + " must be at least 1 target");
            this.outagePause = targets;
            return this;
        }

        public CampaignPolicy build() {
            return new CampaignPolicy(this);
        }
    }

}
