package io.globalcalling.core.routing;

import io.globalcalling.core.routing.QualityTracker.CircuitState;
import io.globalcalling.CallStatus;
import io.globalcalling.ErrorReason;
import io.globalcalling.PhoneNumber;
import io.globalcalling.SipUri;
import io.globalcalling.WebhookUrl;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class QualityTrackerTest {

    private static final PhoneNumber INDIA = PhoneNumber.of("+919876543210");
    private static final PhoneNumber INDIA_OTHER = PhoneNumber.of("+918012345678");
    private static final PhoneNumber UK = PhoneNumber.of("+447700900123");

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-14T10:00:00Z"));
    private final QualityTracker tracker = QualityTracker.builder(clock)
            .smoothing(0.5).failureThreshold(3).coolDown(Duration.ofSeconds(30)).build();

    @Test
    void firstCallSetsTheAveragesAndLaterCallsMoveThemBySmoothing() {
        tracker.record("twilio", INDIA, CallStatus.COMPLETED, Duration.ofSeconds(2));
        tracker.record("twilio", INDIA, CallStatus.FAILED, Duration.ofSeconds(4));
        QualityTracker.Quality q = tracker.quality("twilio", INDIA).orElseThrow();
        assertThat(q.answerRatio()).isCloseTo(0.5, within(1e-9));
        assertThat(q.failureRatio()).isCloseTo(0.5, within(1e-9));
        assertThat(q.postDialDelay()).contains(Duration.ofSeconds(3));
        assertThat(q.samples()).isEqualTo(2);
    }

    @Test
    void keepsQualityPerProviderAndCountryCallingCode() {
        tracker.record("twilio", INDIA, CallStatus.NO_ANSWER, null);
        assertThat(tracker.quality("twilio", INDIA_OTHER)).isPresent();
        assertThat(tracker.quality("twilio", UK)).isEmpty();
        assertThat(tracker.quality("vonage", INDIA)).isEmpty();
        assertThat(tracker.quality("twilio", INDIA).orElseThrow().postDialDelay()).isEmpty();
    }

    @Test
    void busyAndNoAnswerAreUnansweredButNotFailures() {
        tracker.record("twilio", INDIA, CallStatus.BUSY, null);
        QualityTracker.Quality q = tracker.quality("twilio", INDIA).orElseThrow();
        assertThat(q.answerRatio()).isZero();
        assertThat(q.failureRatio()).isZero();
    }

    @Test
    void aNegativePostDialDelayFromProviderClockSkewCountsAsZeroInsteadOfFailing() {
        tracker.record("twilio", INDIA, CallStatus.COMPLETED, Duration.ofMillis(-700));
        assertThat(tracker.quality("twilio", INDIA).orElseThrow().postDialDelay()).contains(Duration.ZERO);
    }

    @Test
    void canceledCallsAreNotCounted() {
        tracker.record("twilio", INDIA, CallStatus.CANCELED, null);
        assertThat(tracker.quality("twilio", INDIA)).isEmpty();
    }

    @Test
    void refusesANonTerminalStatus() {
        assertThatThrownBy(() -> tracker.record("twilio", INDIA, CallStatus.RINGING, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("RINGING");
    }

    @Test
    void destinationPrefixIsTheCountryCallingCodeOrTheEndpointKind() {
        assertThat(QualityTracker.destinationPrefix(INDIA)).isEqualTo("+91");
        assertThat(QualityTracker.destinationPrefix(PhoneNumber.of("+14155550100"))).isEqualTo("+1");
        assertThat(QualityTracker.destinationPrefix(PhoneNumber.of("+881612345678"))).isEqualTo("+881");
        assertThat(QualityTracker.destinationPrefix(PhoneNumber.of("+2917123456"))).isEqualTo("+291");
        // no calling code starts the number: its first three digits, or all of them when it has fewer
        assertThat(QualityTracker.destinationPrefix(PhoneNumber.of("+2812345678"))).isEqualTo("+281");
        assertThat(QualityTracker.destinationPrefix(PhoneNumber.of("+99"))).isEqualTo("+99");
        assertThat(QualityTracker.destinationPrefix(PhoneNumber.of("+12"))).isEqualTo("+1");
        assertThat(QualityTracker.destinationPrefix(new SipUri("sip:a@example.com"))).isEqualTo("sip");
        assertThat(QualityTracker.destinationPrefix(WebhookUrl.of("https://example.com/h"))).isEqualTo("webhook");
    }

    @Test
    void circuitOpensAfterConsecutiveUnavailableOrInternalFailures() {
        tracker.recordFailure("twilio", ErrorReason.UNAVAILABLE);
        tracker.recordFailure("twilio", ErrorReason.INTERNAL);
        assertThat(tracker.health("twilio").state()).isEqualTo(CircuitState.CLOSED);
        tracker.recordFailure("twilio", ErrorReason.UNAVAILABLE);
        QualityTracker.Health h = tracker.health("twilio");
        assertThat(h.state()).isEqualTo(CircuitState.OPEN);
        assertThat(h.openSince()).contains(clock.instant());
        assertThat(h.consecutiveFailures()).isEqualTo(3);
    }

    @Test
    void aSuccessResetsTheCount() {
        tracker.recordFailure("twilio", ErrorReason.UNAVAILABLE);
        tracker.recordFailure("twilio", ErrorReason.UNAVAILABLE);
        tracker.recordSuccess("twilio");
        tracker.recordFailure("twilio", ErrorReason.UNAVAILABLE);
        assertThat(tracker.health("twilio").state()).isEqualTo(CircuitState.CLOSED);
        assertThat(tracker.health("twilio").consecutiveFailures()).isEqualTo(1);
    }

    @Test
    void otherReasonsSayNothingOfHealth() {
        for (int i = 0; i < 5; i++) {
            tracker.recordFailure("twilio", ErrorReason.INVALID_DESTINATION);
            tracker.recordFailure("twilio", ErrorReason.RATE_LIMITED);
        }
        assertThat(tracker.health("twilio").state()).isEqualTo(CircuitState.CLOSED);
        assertThat(tracker.health("twilio").consecutiveFailures()).isZero();
    }

    @Test
    void circuitHalfOpensAfterTheCoolDownAndReopensOnAFailedTrial() {
        for (int i = 0; i < 3; i++) tracker.recordFailure("twilio", ErrorReason.UNAVAILABLE);
        clock.advance(Duration.ofSeconds(29));
        assertThat(tracker.health("twilio").state()).isEqualTo(CircuitState.OPEN);
        clock.advance(Duration.ofSeconds(1));
        assertThat(tracker.health("twilio").state()).isEqualTo(CircuitState.HALF_OPEN);

        tracker.recordFailure("twilio", ErrorReason.UNAVAILABLE);
        assertThat(tracker.health("twilio").state()).isEqualTo(CircuitState.OPEN);
        assertThat(tracker.health("twilio").openSince()).contains(clock.instant());
    }

    @Test
    void circuitClosesOnASuccessfulTrial() {
        for (int i = 0; i < 3; i++) tracker.recordFailure("twilio", ErrorReason.UNAVAILABLE);
        clock.advance(Duration.ofSeconds(30));
        tracker.recordSuccess("twilio");
        assertThat(tracker.health("twilio").state()).isEqualTo(CircuitState.CLOSED);
        assertThat(tracker.health("twilio").openSince()).isEmpty();
    }

    @Test
    void countsEveryConcurrentUpdate() throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        for (int i = 0; i < 2000; i++) {
            pool.execute(() -> tracker.record("twilio", INDIA, CallStatus.COMPLETED, Duration.ofSeconds(1)));
        }
        pool.shutdown();
        assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        assertThat(tracker.quality("twilio", INDIA).orElseThrow().samples()).isEqualTo(2000);
    }

    @Test
    void refusesBadSettings() {
        assertThatThrownBy(() -> QualityTracker.builder(clock).smoothing(0)).hasMessageContaining("smoothing 0");
        assertThatThrownBy(() -> QualityTracker.builder(clock).failureThreshold(0)).hasMessageContaining("failureThreshold 0");
        assertThatThrownBy(() -> QualityTracker.builder(clock).coolDown(Duration.ZERO)).hasMessageContaining("coolDown");
    }
}
