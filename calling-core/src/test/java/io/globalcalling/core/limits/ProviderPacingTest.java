package io.globalcalling.core.limits;

import io.github.bucket4j.BlockingStrategy;
import io.github.bucket4j.TimeMeter;
import io.globalcalling.ErrorReason;
import io.globalcalling.spi.ProviderPace;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class ProviderPacingTest {

    private static final long SECOND = 1_000_000_000L;

    /** Simulated time for one thread: waiting moves time forward instead of sleeping. */
    static final class SimulatedTime implements TimeMeter, BlockingStrategy {
        final AtomicLong nanos = new AtomicLong();

        @Override
        public long currentTimeNanos() {
            return nanos.get();
        }

        @Override
        public boolean isWallClockBased() {
            return false;
        }

        @Override
        public void park(long nanosToPark) {
            nanos.addAndGet(nanosToPark);
        }

        void advance(Duration d) {
            nanos.addAndGet(d.toNanos());
        }
    }

    private final SimulatedTime time = new SimulatedTime();
    private final Clock clock = Clock.fixed(Instant.parse("2026-11-24T10:45:00Z"), ZoneOffset.UTC);

    /** Paces as Twilio, Vonage and Amazon Connect document them, declared as their providers would. */
    private static ProviderPacing.Builder declaring(ProviderPacing.Builder b) {
        return b.declared("twilio", ProviderPace.of(1, 1)).declared("vonage", ProviderPace.of(3, 1))
                .declared("aws-connect", ProviderPace.of(2, 5)).declared("sandbox", ProviderPace.UNLIMITED);
    }

    private ProviderPacing.Builder pacing() {
        return declaring(ProviderPacing.builder().timeMeter(time).blockingStrategy(time).clock(clock)
                .maxWait(Duration.ofMinutes(5)));
    }

    /** The simulated time of each of {@code n} placements, in nanoseconds. */
    private List<Long> place(ProviderPacing pacing, String providerId, int n) {
        List<Long> times = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            pacing.acquire(providerId);
            times.add(time.currentTimeNanos());
        }
        return times;
    }

    /** The most placements inside any half-open window of {@code length} nanoseconds. */
    private static int busiestWindow(List<Long> times, long length) {
        List<Long> sorted = new ArrayList<>(times);
        Collections.sort(sorted);
        int most = 0;
        for (int i = 0, j = 0; i < sorted.size(); i++) {
            while (sorted.get(i) - sorted.get(j) >= length) j++;
            most = Math.max(most, i - j + 1);
        }
        return most;
    }

    @Test
    void coreKnowsNoProvidersPaceOfItsOwn() {
        ProviderPacing pacing = ProviderPacing.ofDefaults();

        assertThat(pacing.paceOf("twilio")).isEmpty();
        assertThat(pacing.paceOf("vonage")).isEmpty();
        assertThat(pacing.maxWait()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void providersGetTheirDeclaredPaces() {
        ProviderPacing pacing = pacing().build();

        assertThat(pacing.paceOf("twilio")).contains(Pace.of(1, 1));
        assertThat(pacing.paceOf("vonage")).contains(Pace.of(3, 1));
        assertThat(pacing.paceOf("aws-connect")).contains(Pace.of(2, 5));
        assertThat(pacing.paceOf("sandbox")).isEmpty();
    }

    @Test
    void theHostsPaceWinsOverTheDeclaredOneAndTheDefaultOnlyFillsAnUndeclaredOne() {
        ProviderPacing pacing = pacing().pace("twilio", Pace.of(5, 2)).defaultPace(Pace.of(7, 1)).build();

        assertThat(pacing.paceOf("twilio")).contains(Pace.of(5, 2));
        assertThat(pacing.paceOf("vonage")).contains(Pace.of(3, 1));
        assertThat(pacing.paceOf("sandbox")).contains(Pace.of(7, 1));
        assertThat(pacing.paceOf("custom")).contains(Pace.of(7, 1));
    }

    @Test
    void aFractionalDeclaredPaceSpacesCallsBySeconds() {
        ProviderPacing pacing = pacing().declared("iridium", ProviderPace.of(0.5, 1)).build();

        assertThat(place(pacing, "iridium", 3)).containsExactly(0L, 2 * SECOND, 4 * SECOND);
    }

    @Test
    void acquireSaysHowLongItWaited() {
        ProviderPacing pacing = pacing().build();
        time.advance(Duration.ofSeconds(5));

        assertThat(pacing.acquire("twilio")).isZero();
        assertThat(pacing.acquire("twilio")).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void aPaceNeedsSomeCallsASecondAndABurstOfAtLeastOne() {
        assertThat(new Pace(0.001, 1).burst()).isEqualTo(1);
        assertThatThrownBy(() -> new Pace(0, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("callsPerSecond 0.0 must be above 0 and finite");
        assertThatThrownBy(() -> new Pace(1, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("burst 0 must be at least 1");
    }

    @Test
    void twilioPlacesOneCallASecond() {
        List<Long> times = place(pacing().build(), "twilio", 10);

        assertThat(times).containsExactly(0L, SECOND, 2 * SECOND, 3 * SECOND, 4 * SECOND, 5 * SECOND,
                6 * SECOND, 7 * SECOND, 8 * SECOND, 9 * SECOND);
        assertThat(busiestWindow(times, SECOND)).isEqualTo(1);
    }

    @Test
    void vonageNeverPlacesMoreThanThreeInAnySecond() {
        List<Long> times = place(pacing().build(), "vonage", 30);

        assertThat(busiestWindow(times, SECOND)).isEqualTo(3);
        assertThat(times.get(29)).isBetween(9 * SECOND + SECOND * 2 / 3 - 1, 9 * SECOND + SECOND * 2 / 3 + 1);
    }

    @Test
    void awsConnectBurstsFiveThenPlacesTwoASecond() {
        List<Long> times = place(pacing().build(), "aws-connect", 9);

        assertThat(times).containsExactly(0L, 0L, 0L, 0L, 0L, SECOND / 2, SECOND, 3 * SECOND / 2, 2 * SECOND);
        // A token bucket lets through at most burst + rate × length in any window.
        for (long length : new long[] {SECOND / 2, SECOND, 2 * SECOND}) {
            assertThat(busiestWindow(times, length)).isLessThanOrEqualTo((int) (5 + 2 * length / SECOND));
        }
    }

    @Test
    void aConfiguredPaceReplacesTheDeclaredOne() {
        ProviderPacing pacing = pacing().pace("twilio", Pace.of(10, 1)).build();

        assertThat(busiestWindow(place(pacing, "twilio", 50), SECOND)).isEqualTo(10);
    }

    @Test
    void unknownProvidersAreUnlimitedUnlessADefaultPaceIsSet() {
        assertThat(place(pacing().build(), "sandbox", 100)).allMatch(t -> t == 0L);

        ProviderPacing paced = pacing().defaultPace(Pace.of(2, 1)).build();
        assertThat(busiestWindow(place(paced, "my-sip-trunk", 20), SECOND)).isEqualTo(2);
    }

    @Test
    void eachProviderAccountHasItsOwnPace() {
        ProviderPacing pacing = pacing().build();
        pacing.acquire("twilio");

        pacing.acquire("vonage");

        assertThat(time.currentTimeNanos()).isZero();
    }

    /** Time that stands still while placements queue up: every wait is recorded, none passes. */
    static final class FrozenTime implements TimeMeter, BlockingStrategy {
        final AtomicLong nanos = new AtomicLong();
        final List<Long> parks = new CopyOnWriteArrayList<>();

        @Override
        public long currentTimeNanos() {
            return nanos.get();
        }

        @Override
        public boolean isWallClockBased() {
            return false;
        }

        @Override
        public void park(long nanosToPark) {
            parks.add(nanosToPark);
        }
    }

    @Test
    void aPlacementThatWouldWaitLongerThanTheMaximumFailsAndTakesNoTurn() {
        FrozenTime frozen = new FrozenTime();
        ProviderPacing pacing = declaring(ProviderPacing.builder()).timeMeter(frozen).blockingStrategy(frozen).clock(clock)
                .maxWait(Duration.ofMillis(1500)).build();
        pacing.acquire("twilio");
        pacing.acquire("twilio"); // its turn is 1 s away

        LimitExceededException e = catchThrowableOfType(LimitExceededException.class, () -> pacing.acquire("twilio"));

        assertThat(frozen.parks).containsExactly(SECOND);
        assertThat(e.reason()).isEqualTo(ErrorReason.PACING_TIMEOUT);
        assertThat(e.retryable()).isTrue();
        assertThat(e.limitName()).isEqualTo("provider-pacing");
        assertThat(e.providerId()).contains("twilio");
        assertThat(e.customerId()).isEmpty();
        assertThat(e.retryAt()).isEqualTo(clock.instant().plusSeconds(2));
        assertThat(e).hasMessage("provider 'twilio' has no free call slot within the maximum wait of PT1.5S"
                + " (the pace Pace[callsPerSecond=1.0, burst=1] is taken); the next slot is at 2026-11-24T10:45:02Z");
        frozen.nanos.set(SECOND / 2);
        pacing.acquire("twilio"); // the refused caller took nothing: this turn is at 2 s, 1.5 s away
        assertThat(frozen.parks).containsExactly(SECOND, 3 * SECOND / 2);
    }

    @Test
    void aMaximumWaitOfZeroTakesAFreeTurnOrRefusesAtOnce() {
        ProviderPacing pacing = pacing().maxWait(Duration.ZERO).build();

        pacing.acquire("twilio");
        LimitExceededException e = catchThrowableOfType(LimitExceededException.class, () -> pacing.acquire("twilio"));

        assertThat(e.reason()).isEqualTo(ErrorReason.PACING_TIMEOUT);
        assertThat(time.currentTimeNanos()).isZero();
    }

    @Test
    void tryAcquireTakesOnlyAFreeTurn() {
        ProviderPacing pacing = pacing().build();

        assertThat(pacing.tryAcquire("twilio")).isTrue();
        assertThat(pacing.tryAcquire("twilio")).isFalse();
        time.advance(Duration.ofSeconds(1));
        assertThat(pacing.tryAcquire("twilio")).isTrue();
    }

    @Test
    void aRetryAfterPausesTheProvidersNextPlacements() {
        ProviderPacing pacing = pacing().build();
        pacing.acquire("vonage");

        pacing.slowDown("vonage", Duration.ofSeconds(5));

        assertThat(pacing.tryAcquire("vonage")).isFalse();
        assertThat(place(pacing, "vonage", 2)).containsExactly(5 * SECOND, 5 * SECOND + SECOND / 3);
    }

    @Test
    void aRetryAfterPausesAnUnlimitedProviderToo() {
        ProviderPacing pacing = pacing().build();

        pacing.slowDown("sandbox", Duration.ofSeconds(2));

        assertThat(place(pacing, "sandbox", 3)).containsExactly(2 * SECOND, 2 * SECOND, 2 * SECOND);
    }

    @Test
    void aRetryAfterBeyondTheMaximumWaitFailsAtOnceNamingTheProvidersRequest() {
        ProviderPacing pacing = pacing().maxWait(Duration.ofSeconds(1)).build();

        pacing.slowDown("twilio", Duration.ofSeconds(30));
        LimitExceededException e = catchThrowableOfType(LimitExceededException.class, () -> pacing.acquire("twilio"));

        assertThat(e.retryAt()).isEqualTo(clock.instant().plusSeconds(30));
        assertThat(e.getMessage()).contains("the provider asked to retry later (429)");
        assertThat(time.currentTimeNanos()).isZero();
    }

    @Test
    void aRetryAfterArrivingWhileAPlacementWaitsVoidsItsTurn() {
        AtomicLong parks = new AtomicLong();
        ProviderPacing[] holder = new ProviderPacing[1];
        BlockingStrategy waitThen429 = nanos -> {
            if (parks.getAndIncrement() == 0) holder[0].slowDown("twilio", Duration.ofSeconds(10));
            time.park(nanos);
        };
        holder[0] = pacing().blockingStrategy(waitThen429).maxWait(Duration.ofSeconds(30)).build();
        holder[0].acquire("twilio");

        holder[0].acquire("twilio");

        assertThat(time.currentTimeNanos()).isEqualTo(10 * SECOND);
    }

    @Test
    void sixteenThreadsOnARealClockNeverRunAheadOfThePace() throws Exception {
        ProviderPacing pacing = ProviderPacing.builder().pace("fake", Pace.of(20, 1)).maxWait(Duration.ofSeconds(10)).build();
        List<Long> placed = new CopyOnWriteArrayList<>();
        long start = System.nanoTime();

        Fixtures.race(16, t -> {
            for (int i = 0; i < 2; i++) {
                pacing.acquire("fake");
                placed.add(System.nanoTime());
            }
        });

        // Each turn is reserved at 50 ms spacing and nobody starts before its turn, so the k-th
        // placement cannot come before k × 50 ms, however late the threads wake.
        List<Long> sorted = new ArrayList<>(placed);
        Collections.sort(sorted);
        assertThat(sorted).hasSize(32);
        for (int k = 0; k < sorted.size(); k++) {
            assertThat(sorted.get(k) - start).isGreaterThanOrEqualTo(k * 50_000_000L);
        }
    }
}
