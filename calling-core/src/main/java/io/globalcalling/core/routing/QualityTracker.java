package io.globalcalling.core.routing;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import io.globalcalling.CallStatus;
import io.globalcalling.Endpoint;
import io.globalcalling.ErrorReason;
import io.globalcalling.PhoneNumber;
import io.globalcalling.SatelliteTerminal;
import io.globalcalling.SipUri;
import io.globalcalling.WebhookUrl;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * What routing has observed of each provider, fed by the manager as calls end and as placements
 * fail or succeed. Thread-safe; every update is one atomic step.
 *
 * <p><b>Quality</b> is kept per provider and destination prefix (the country calling code of a
 * phone number, such as {@code +91}; the endpoint kind otherwise) as exponentially weighted moving
 * averages of the answer ratio (answered calls out of those that ended), the failure ratio
 * ({@link CallStatus#FAILED} out of those that ended) and the post-dial delay. Canceled calls are
 * the host's doing and are not counted. The first sample sets an average; each later one moves it
 * by the smoothing factor.
 *
 * <p><b>Health</b> is a circuit per provider: it opens after a number of consecutive
 * {@link ErrorReason#UNAVAILABLE} or {@link ErrorReason#INTERNAL} placement failures, becomes
 * half-open (one trial allowed) once the cool-down has passed on the injected clock, closes on the
 * next success and re-opens on the next such failure. Other reasons (a bad number, a refusal) say
 * nothing of the provider's health and leave the circuit as it is.
 */
public final class QualityTracker {

    /** The state of a provider's circuit. */
    public enum CircuitState { CLOSED, OPEN, HALF_OPEN }

    /**
     * Observed quality of one provider towards one destination prefix.
     *
     * @param answerRatio    moving average of answered (1) or not (0), in 0..1
     * @param failureRatio   moving average of failed (1) or not (0), in 0..1
     * @param postDialDelay  moving average of the delay from dialing to ringing, when any was reported
     * @param samples        how many ended calls fed the ratios
     */
    public record Quality(double answerRatio, double failureRatio, Optional<Duration> postDialDelay, long samples) {
        public Quality {
            Objects.requireNonNull(postDialDelay, "postDialDelay");
            if (answerRatio < 0 || answerRatio > 1) throw new IllegalArgumentException("answerRatio " + answerRatio + " must be within 0..1");
            if (failureRatio < 0 || failureRatio > 1) throw new IllegalArgumentException("failureRatio " + failureRatio + " must be within 0..1");
            if (samples < 1) throw new IllegalArgumentException("samples " + samples + " must be at least 1");
        }
    }

    /**
     * A provider's circuit.
     *
     * @param state                closed, open or half-open at the time asked
     * @param consecutiveFailures  UNAVAILABLE/INTERNAL failures since the last success
     * @param openSince            when the circuit last opened, while it is open or half-open
     */
    public record Health(CircuitState state, int consecutiveFailures, Optional<Instant> openSince) {
        public Health {
            Objects.requireNonNull(state, "state");
            Objects.requireNonNull(openSince, "openSince");
        }
    }

    private static final Set<Integer> CALLING_CODES = PhoneNumberUtil.getInstance().getSupportedCallingCodes();

    private final Clock clock;
    private final double smoothing;
    private final int failureThreshold;
    private final Duration coolDown;
    private final ConcurrentMap<String, Averages> quality = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Circuit> circuits = new ConcurrentHashMap<>();

    private QualityTracker(Builder b) {
        this.clock = b.clock;
        this.smoothing = b.smoothing;
        this.failureThreshold = b.failureThreshold;
        this.coolDown = b.coolDown;
    }

    /** Smoothing 0.2, circuit opening after 5 consecutive failures, cool-down 30 seconds. */
    public static QualityTracker ofDefaults(Clock clock) {
        return builder(clock).build();
    }

    public static Builder builder(Clock clock) {
        return new Builder(clock);
    }

    /**
     * Records how a call ended.
     *
     * @param postDialDelay  time from dialing to ringing, or null when the provider did not report one; a
     *                       negative one (a provider clock in whole seconds, or skewed) counts as zero
     * @throws IllegalArgumentException when the status is not terminal
     */
    public void record(String providerId, Endpoint destination, CallStatus terminalStatus, Duration postDialDelay) {
        Objects.requireNonNull(providerId, "providerId");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(terminalStatus, "terminalStatus");
        if (!terminalStatus.isTerminal()) {
            throw new IllegalArgumentException("terminalStatus " + terminalStatus + " is not terminal");
        }
        if (terminalStatus == CallStatus.CANCELED) return;
        double answered = terminalStatus == CallStatus.COMPLETED ? 1 : 0;
        double failed = terminalStatus == CallStatus.FAILED ? 1 : 0;
        Double pddMillis = postDialDelay == null ? null : (double) Math.max(0, postDialDelay.toMillis());
        quality.compute(key(providerId, destination),
                (k, old) -> old == null ? Averages.first(answered, failed, pddMillis) : old.next(answered, failed, pddMillis, smoothing));
    }

    /** What has been observed of the provider towards the destination's prefix; empty before any call ended. */
    public Optional<Quality> quality(String providerId, Endpoint destination) {
        Objects.requireNonNull(providerId, "providerId");
        Objects.requireNonNull(destination, "destination");
        Averages a = quality.get(key(providerId, destination));
        if (a == null) return Optional.empty();
        Optional<Duration> pdd = a.pddSamples == 0 ? Optional.empty() : Optional.of(Duration.ofMillis(Math.round(a.pddMillis)));
        return Optional.of(new Quality(clamp(a.answer), clamp(a.failure), pdd, a.samples));
    }

    /** Records a failed placement; only UNAVAILABLE and INTERNAL count towards opening the circuit. */
    public void recordFailure(String providerId, ErrorReason reason) {
        Objects.requireNonNull(providerId, "providerId");
        Objects.requireNonNull(reason, "reason");
        if (reason != ErrorReason.UNAVAILABLE && reason != ErrorReason.INTERNAL) return;
        Instant now = clock.instant();
        circuits.compute(providerId, (id, old) -> {
            Circuit c = old == null ? Circuit.CLOSED : old;
            int failures = c.consecutiveFailures + 1;
            if (c.openSince != null) {
                // A failure while open keeps the opening time; a failed trial after the cool-down re-opens it.
                return new Circuit(failures, state(c, now) == CircuitState.HALF_OPEN ? now : c.openSince);
            }
            return new Circuit(failures, failures >= failureThreshold ? now : null);
        });
    }

    /** Records a successful placement: the circuit closes. */
    public void recordSuccess(String providerId) {
        Objects.requireNonNull(providerId, "providerId");
        circuits.remove(providerId);
    }

    /** The provider's circuit as of now on the tracker's clock. */
    public Health health(String providerId) {
        Objects.requireNonNull(providerId, "providerId");
        Circuit c = circuits.getOrDefault(providerId, Circuit.CLOSED);
        return new Health(state(c, clock.instant()), c.consecutiveFailures, Optional.ofNullable(c.openSince));
    }

    private CircuitState state(Circuit c, Instant now) {
        if (c.openSince == null) return CircuitState.CLOSED;
        return now.isBefore(c.openSince.plus(coolDown)) ? CircuitState.OPEN : CircuitState.HALF_OPEN;
    }

    /**
     * The prefix quality is kept under: the country calling code of a phone number ({@code +1},
     * {@code +91}, {@code +881}), or the kind of any other endpoint.
     */
    public static String destinationPrefix(Endpoint destination) {
        Objects.requireNonNull(destination, "destination");
        if (destination instanceof PhoneNumber number) {
            String e164 = number.value();   // '+' and the digits; read in place, as routing asks this on every call
            // Country calling codes form a prefix code (ITU-T E.164), so the first known one is the one.
            int code = 0;
            for (int end = 2; end <= 4 && end <= e164.length(); end++) {
                code = code * 10 + (e164.charAt(end - 1) - '0');
                if (CALLING_CODES.contains(code)) return e164.substring(0, end);
            }
            return e164.substring(0, Math.min(4, e164.length()));
        }
        if (destination instanceof SipUri) return "sip";
        if (destination instanceof WebhookUrl) return "webhook";
        if (destination instanceof SatelliteTerminal) return "terminal";
        throw new IllegalArgumentException("destination " + destination + " is of an unknown kind");
    }

    private static double clamp(double ratio) {
        return Math.min(1, Math.max(0, ratio));
    }

    private static String key(String providerId, Endpoint destination) {
        return providerId + '|' + destinationPrefix(destination);
    }

    private record Averages(double answer, double failure, double pddMillis, long pddSamples, long samples) {
        static Averages first(double answered, double failed, Double pddMillis) {
            return new Averages(answered, failed, pddMillis == null ? 0 : pddMillis, pddMillis == null ? 0 : 1, 1);
        }

        Averages next(double answered, double failed, Double pdd, double alpha) {
            double newPdd = pdd == null ? pddMillis : pddSamples == 0 ? pdd : pddMillis + alpha * (pdd - pddMillis);
            return new Averages(answer + alpha * (answered - answer), failure + alpha * (failed - failure),
                    newPdd, pddSamples + (pdd == null ? 0 : 1), samples + 1);
        }
    }

    private record Circuit(int consecutiveFailures, Instant openSince) {
        static final Circuit CLOSED = new Circuit(0, null);
    }

    /** Settings of a tracker; each setter checks its argument at once. */
    public static final class Builder {
        private final Clock clock;
        private double smoothing = 0.2;
        private int failureThreshold = 5;
        private Duration coolDown = Duration.ofSeconds(30);

        private Builder(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
        }

        /** Weight of the newest sample in each moving average, in (0, 1]. */
        public Builder smoothing(double smoothing) {
            if (!(smoothing > 0 && smoothing <= 1)) {
                throw new IllegalArgumentException("smoothing " + smoothing + " must be within (0, 1]");
            }
            this.smoothing = smoothing;
            return this;
        }

        /** Consecutive UNAVAILABLE/INTERNAL failures that open a provider's circuit; at least 1. */
        public Builder failureThreshold(int failures) {
            if (failures < 1) throw new IllegalArgumentException("failureThreshold " + failures + " must be at least 1");
            this.failureThreshold = failures;
            return this;
        }

        /** How long an open circuit waits before it lets a trial call through; positive. */
        public Builder coolDown(Duration coolDown) {
            Objects.requireNonNull(coolDown, "coolDown");
            if (coolDown.isNegative() || coolDown.isZero()) {
                throw new IllegalArgumentException("coolDown " + coolDown + " must be positive");
            }
            this.coolDown = coolDown;
            return this;
        }

        public QualityTracker build() {
            return new QualityTracker(this);
        }
    }
}
