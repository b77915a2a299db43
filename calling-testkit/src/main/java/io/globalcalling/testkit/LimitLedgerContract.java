package io.globalcalling.testkit;

import io.globalcalling.Money;
import io.globalcalling.spi.store.LimitLedger;
import io.globalcalling.spi.store.LimitLedger.HoldResult;
import io.globalcalling.spi.store.LimitLedger.PeriodCap;
import io.globalcalling.spi.store.LimitLedger.PeriodUsage;
import io.globalcalling.spi.store.LimitLedger.WindowCap;
import io.globalcalling.spi.store.LimitLedger.WindowResult;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The rules every {@link LimitLedger} must follow, as a JUnit 5 suite: extend it, return a fresh ledger
 * from {@link #createLedger()}, and the ledger is checked for counting, holds, settling, alerts and
 * atomicity under 64 racing threads. A database-backed ledger passes it against a real database.
 *
 * <pre>{@code
 * class JdbiLimitLedgerContractTest extends LimitLedgerContract {
 *     protected LimitLedger createLedger() { return new JdbiLimitLedger(jdbi); }
 * }
 * }</pre>
 */
public abstract class LimitLedgerContract {

    /** Threads in every race. */
    protected static final int THREADS = 64;

    private static final Instant T0 = Instant.parse("2026-11-24T10:15:00Z");

    protected LimitLedger ledger;

    /** A new, empty ledger; called before each test. */
    protected abstract LimitLedger createLedger();

    /**
     * Makes the ledger forget what its retention lets it forget, as if its horizon had passed (closed
     * holds, past windows and periods). The default does nothing, for a ledger that never forgets.
     */
    protected void forgetClosedHolds() {
    }

    @BeforeEach
    void newLedger() {
        ledger = createLedger();
    }

    private static Money inr(String amount) {
        return Money.inr(amount);
    }

    private static WindowCap minute(long cap) {
        return new WindowCap("minute", T0, cap);
    }

    private static WindowCap hour(long cap) {
        return new WindowCap("hour", T0.minusSeconds(15 * 60), cap);
    }

    private static PeriodCap day(String cap) {
        return new PeriodCap("day", "2026-11-24", inr(cap));
    }

    private static PeriodCap week(String cap) {
        return new PeriodCap("week", "2026-W48", inr(cap));
    }

    private static Money used(List<PeriodUsage> usage, String period) {
        return usage.stream().filter(u -> u.period().equals(period)).findFirst().orElseThrow().used();
    }

    @Nested
    @DisplayName("rate windows")
    class Windows {

        @Test
        void countsACallInEveryWindowAndReportsTheFirstWindowsCount() {
            ledger.count("c1", List.of(minute(10)), false);
            WindowResult r = ledger.count("c1", List.of(minute(10), hour(100)), false);

            assertThat(r.allowed()).isTrue();
            assertThat(r.refused()).isEmpty();
            assertThat(r.count()).isEqualTo(2);
            assertThat(ledger.count("c1", List.of(hour(100)), false).count()).isEqualTo(2);
        }

        @Test
        void allowsUpToTheCapAndRefusesTheNextCall() {
            for (int i = 1; i <= 3; i++) {
                assertThat(ledger.count("c1", List.of(minute(3)), false).count()).isEqualTo(i);
            }
            WindowResult refused = ledger.count("c1", List.of(minute(3)), false);

            assertThat(refused.allowed()).isFalse();
            assertThat(refused.refused()).contains(minute(3));
            assertThat(refused.count()).isEqualTo(3);
        }

        @Test
        void aRefusedCallIsCountedInNoWindow() {
            ledger.count("c1", List.of(minute(1)), false);
            WindowResult refused = ledger.count("c1", List.of(hour(100), minute(1)), false);

            assertThat(refused.allowed()).isFalse();
            assertThat(refused.refused()).contains(minute(1));
            assertThat(ledger.count("c1", List.of(hour(100)), false).count()).isEqualTo(1);
        }

        @Test
        void namesTheFirstFullWindowInTheGivenOrder() {
            ledger.count("c1", List.of(minute(1), hour(1)), false);
            WindowResult refused = ledger.count("c1", List.of(hour(1), minute(1)), false);

            assertThat(refused.refused()).contains(hour(1));
        }

        @Test
        void aZeroCapRefusesEveryCall() {
            WindowResult r = ledger.count("c1", List.of(minute(0)), false);

            assertThat(r.allowed()).isFalse();
            assertThat(r.count()).isZero();
        }

        @Test
        void bypassCountsPastTheCap() {
            ledger.count("c1", List.of(minute(1)), false);
            WindowResult r = ledger.count("c1", List.of(minute(1)), true);

            assertThat(r.allowed()).isTrue();
            assertThat(r.count()).isEqualTo(2);
            assertThat(ledger.count("c1", List.of(minute(1)), false).allowed()).isFalse();
        }

        @Test
        void customersWindowNamesAndStartsAreSeparateCounters() {
            ledger.count("c1", List.of(minute(1)), false);

            assertThat(ledger.count("c2", List.of(minute(1)), false).allowed()).isTrue();
            assertThat(ledger.count("c1", List.of(new WindowCap("other", T0, 1)), false).allowed()).isTrue();
            assertThat(ledger.count("c1", List.of(new WindowCap("minute", T0.plusSeconds(60), 1)), false).allowed())
                    .isTrue();
            assertThat(ledger.count("c1", List.of(minute(1)), false).allowed()).isFalse();
        }

        @Test
        void noWindowsAllowsTheCall() {
            assertThat(ledger.count("c1", List.of(), false).allowed()).isTrue();
        }
    }

    @Nested
    @DisplayName("holds")
    class Holds {

        @Test
        void reservesInEveryPeriodAndReportsUsage() {
            HoldResult r = ledger.reserve("h1", "c1", inr("12.50"), List.of(day("100"), week("500")), false);

            assertThat(r.accepted()).isTrue();
            assertThat(r.refused()).isEmpty();
            assertThat(r.usage()).containsExactly(
                    new PeriodUsage("day", "2026-11-24", inr("12.5"), inr("100")),
                    new PeriodUsage("week", "2026-W48", inr("12.5"), inr("500")));
            assertThat(ledger.usage("c1", List.of(day("100"), week("500")))).isEqualTo(r.usage());
        }

        @Test
        void acceptsAHoldThatReachesTheCapExactly() {
            ledger.reserve("h1", "c1", inr("60"), List.of(day("100")), false);
            HoldResult r = ledger.reserve("h2", "c1", inr("40"), List.of(day("100")), false);

            assertThat(r.accepted()).isTrue();
            assertThat(used(r.usage(), "day")).isEqualTo(inr("100"));
        }

        @Test
        void refusesAHoldOnePaisaOverTheCapAndReservesNothing() {
            ledger.reserve("h1", "c1", inr("60"), List.of(day("100"), week("1000")), false);
            HoldResult r = ledger.reserve("h2", "c1", inr("40.01"), List.of(week("1000"), day("100")), false);

            assertThat(r.accepted()).isFalse();
            assertThat(r.refused()).contains(day("100"));
            assertThat(used(r.usage(), "day")).isEqualTo(inr("60"));
            assertThat(used(r.usage(), "week")).isEqualTo(inr("60"));
            assertThat(used(ledger.usage("c1", List.of(week("1000"))), "week")).isEqualTo(inr("60"));
        }

        @Test
        void bypassReservesPastTheCap() {
            HoldResult r = ledger.reserve("h1", "c1", inr("150"), List.of(day("100")), true);

            assertThat(r.accepted()).isTrue();
            assertThat(used(r.usage(), "day")).isEqualTo(inr("150"));
            assertThat(ledger.reserve("h2", "c1", inr("0.01"), List.of(day("100")), false).accepted()).isFalse();
        }

        @Test
        void aKnownHoldIdIsRefusedWhetherOpenOrClosed() {
            ledger.reserve("h1", "c1", inr("1"), List.of(day("100")), false);

            assertThatThrownBy(() -> ledger.reserve("h1", "c1", inr("1"), List.of(day("100")), false))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("h1");
            ledger.settle("h1", inr("1"));
            assertThatThrownBy(() -> ledger.reserve("h1", "c2", inr("1"), List.of(day("100")), false))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("h1");
            assertThat(used(ledger.usage("c1", List.of(day("100"))), "day")).isEqualTo(inr("1"));
        }

        @Test
        void aHoldInAnotherCurrencyThanThePeriodsCounterIsRefusedAndReservesNothing() {
            ledger.reserve("h1", "c1", inr("10"), List.of(day("100")), false);
            PeriodCap dayInUsd = new PeriodCap("day", "2026-11-24", Money.of("100", "USD"));

            for (boolean bypass : new boolean[] {false, true}) {
                assertThatThrownBy(() -> ledger.reserve("h2", "c1", Money.of("1", "USD"), List.of(dayInUsd), bypass))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("INR").hasMessageContaining("USD");
            }
            assertThat(ledger.usage("c1", List.of(day("100"))))
                    .containsExactly(new PeriodUsage("day", "2026-11-24", inr("10"), inr("100")));
            assertThat(ledger.settle("h2", Money.of("1", "USD"))).isEmpty();
        }

        @Test
        void periodsNeverChargedReadZero() {
            assertThat(ledger.usage("nobody", List.of(day("100"))))
                    .containsExactly(new PeriodUsage("day", "2026-11-24", inr("0"), inr("100")));
        }

        @Test
        void customersAndPeriodKeysAreSeparateCounters() {
            ledger.reserve("h1", "c1", inr("100"), List.of(day("100")), false);

            assertThat(ledger.reserve("h2", "c2", inr("100"), List.of(day("100")), false).accepted()).isTrue();
            assertThat(ledger.reserve("h3", "c1", inr("100"),
                    List.of(new PeriodCap("day", "2026-11-25", inr("100"))), false).accepted()).isTrue();
        }
    }

    @Nested
    @DisplayName("settle and release")
    class Settling {

        @Test
        void settleReplacesTheHoldWithTheActualCost() {
            ledger.reserve("h1", "c1", inr("50"), List.of(day("100"), week("500")), false);
            ledger.reserve("h2", "c1", inr("20"), List.of(day("100"), week("500")), false);

            List<PeriodUsage> after = ledger.settle("h1", inr("12.34"));

            assertThat(used(after, "day")).isEqualTo(inr("32.34"));
            assertThat(used(after, "week")).isEqualTo(inr("32.34"));
            assertThat(ledger.usage("c1", List.of(day("100"), week("500")))).isEqualTo(after);
        }

        @Test
        void settleFreesRoomForTheNextHold() {
            ledger.reserve("h1", "c1", inr("100"), List.of(day("100")), false);
            ledger.settle("h1", inr("30"));

            assertThat(ledger.reserve("h2", "c1", inr("70"), List.of(day("100")), false).accepted()).isTrue();
        }

        @Test
        void settlingTwiceChangesNothing() {
            ledger.reserve("h1", "c1", inr("50"), List.of(day("100")), false);
            ledger.settle("h1", inr("10"));

            assertThat(ledger.settle("h1", inr("40"))).isEmpty();
            assertThat(ledger.release("h1", inr("0"))).isEmpty();
            assertThat(used(ledger.usage("c1", List.of(day("100"))), "day")).isEqualTo(inr("10"));
        }

        @Test
        void aHoldForgottenAfterItClosedStillSettlesOnlyOnce() {
            ledger.reserve("h1", "c1", inr("50"), List.of(day("100")), false);
            ledger.reserve("h2", "c1", inr("20"), List.of(day("100")), false);
            ledger.settle("h1", inr("10"));

            forgetClosedHolds();

            assertThat(ledger.settle("h1", inr("40"))).isEmpty();
            assertThat(ledger.release("h1", inr("0"))).isEmpty();
            assertThat(used(ledger.usage("c1", List.of(day("100"))), "day")).isEqualTo(inr("30"));
            // An open hold is never forgotten.
            assertThat(used(ledger.settle("h2", inr("5")), "day")).isEqualTo(inr("15"));
        }

        @Test
        void settlingAnUnknownHoldChangesNothing() {
            assertThat(ledger.settle("never-held", inr("10"))).isEmpty();
        }

        @Test
        void releaseFreesTheWholeHold() {
            ledger.reserve("h1", "c1", inr("50"), List.of(day("100")), false);

            List<PeriodUsage> after = ledger.release("h1", inr("0"));

            assertThat(used(after, "day")).isEqualTo(inr("0"));
            assertThat(ledger.settle("h1", inr("50"))).isEmpty();
        }

        @Test
        void aCostAboveTheHoldIsRecordedInFull() {
            ledger.reserve("h1", "c1", inr("50"), List.of(day("100")), false);

            assertThat(used(ledger.settle("h1", inr("120")), "day")).isEqualTo(inr("120"));
            assertThat(ledger.reserve("h2", "c1", inr("0.01"), List.of(day("100")), false).accepted()).isFalse();
        }

        @Test
        void settleChargesThePeriodsTheHoldWasReservedIn() {
            ledger.reserve("h1", "c1", inr("50"), List.of(day("100")), false);
            PeriodCap nextDay = new PeriodCap("day", "2026-11-25", inr("100"));

            ledger.settle("h1", inr("20"));

            assertThat(used(ledger.usage("c1", List.of(day("100"))), "day")).isEqualTo(inr("20"));
            assertThat(used(ledger.usage("c1", List.of(nextDay)), "day")).isEqualTo(inr("0"));
        }
    }

    @Nested
    @DisplayName("alerts")
    class Alerts {

        @Test
        void marksAnAlertOnlyOnce() {
            assertThat(ledger.markAlert("c1", "day", "2026-11-24", 50)).isTrue();
            assertThat(ledger.markAlert("c1", "day", "2026-11-24", 50)).isFalse();
        }

        @Test
        void customerPeriodKeyAndThresholdEachNameADifferentAlert() {
            ledger.markAlert("c1", "day", "2026-11-24", 50);

            assertThat(ledger.markAlert("c2", "day", "2026-11-24", 50)).isTrue();
            assertThat(ledger.markAlert("c1", "week", "2026-11-24", 50)).isTrue();
            assertThat(ledger.markAlert("c1", "day", "2026-11-25", 50)).isTrue();
            assertThat(ledger.markAlert("c1", "day", "2026-11-24", 80)).isTrue();
        }
    }

    @Nested
    @DisplayName("under 64 racing threads")
    class Races {

        @Test
        void aWindowNeverCountsPastItsCap() throws Exception {
            AtomicInteger allowed = new AtomicInteger();
            race(t -> {
                for (int i = 0; i < 10; i++) {
                    WindowResult r = ledger.count("race", List.of(hour(1000), minute(100)), false);
                    if (r.allowed()) {
                        allowed.incrementAndGet();
                        assertThat(r.count()).isLessThanOrEqualTo(1000);
                    }
                }
            });

            assertThat(allowed.get()).isEqualTo(100);
            assertThat(ledger.count("race", List.of(hour(1000)), false).count()).isEqualTo(101);
        }

        @Test
        void holdsNeverPassTheCapByASinglePaisa() throws Exception {
            PeriodCap cap = day("1000");
            AtomicLong acceptedPaise = new AtomicLong();
            race(t -> {
                Random random = new Random(t);
                for (int i = 0; i < 20; i++) {
                    long paise = 1 + random.nextInt(5_000);
                    HoldResult r = ledger.reserve("h-" + t + "-" + i, "race", paise(paise), List.of(cap, week("100000")), false);
                    assertThat(used(r.usage(), "day")).isLessThanOrEqualTo(cap.cap());
                    if (r.accepted()) acceptedPaise.addAndGet(paise);
                }
            });

            Money used = used(ledger.usage("race", List.of(cap)), "day");
            assertThat(used).isLessThanOrEqualTo(cap.cap()).isEqualTo(paise(acceptedPaise.get()));
            assertThat(used(ledger.usage("race", List.of(week("100000"))), "week")).isEqualTo(used);
        }

        @Test
        void reserveSettleAndReleaseTogetherNeverPassTheCap() throws Exception {
            PeriodCap cap = day("500");
            AtomicLong settledPaise = new AtomicLong();
            race(t -> {
                Random random = new Random(31L * t);
                for (int i = 0; i < 30; i++) {
                    String id = "h-" + t + "-" + i;
                    long paise = 1 + random.nextInt(3_000);
                    HoldResult r = ledger.reserve(id, "race", paise(paise), List.of(cap), false);
                    assertThat(used(r.usage(), "day")).isLessThanOrEqualTo(cap.cap());
                    if (!r.accepted()) continue;
                    if (random.nextBoolean()) {
                        long actual = random.nextInt((int) paise + 1);
                        if (!ledger.settle(id, paise(actual)).isEmpty()) settledPaise.addAndGet(actual);
                    } else {
                        ledger.release(id, inr("0"));
                    }
                }
            });

            assertThat(used(ledger.usage("race", List.of(cap)), "day")).isEqualTo(paise(settledPaise.get()));
        }

        @Test
        void onlyOneOfManySettlesOfAHoldApplies() throws Exception {
            ledger.reserve("h1", "c1", inr("100"), List.of(day("1000")), false);
            AtomicInteger applied = new AtomicInteger();
            race(t -> {
                if (!ledger.settle("h1", paise(100 + t)).isEmpty()) applied.incrementAndGet();
            });

            assertThat(applied.get()).isEqualTo(1);
            Money used = used(ledger.usage("c1", List.of(day("1000"))), "day");
            assertThat(used.amount()).isBetween(new BigDecimal("1.00"), new BigDecimal("1.63"));
        }

        @Test
        void onlyOneThreadMarksAnAlert() throws Exception {
            Map<Integer, Integer> firsts = new ConcurrentHashMap<>();
            race(t -> {
                for (int threshold : new int[] {50, 80, 100}) {
                    if (ledger.markAlert("race", "day", "2026-11-24", threshold)) firsts.merge(threshold, 1, Integer::sum);
                }
            });

            assertThat(firsts).containsExactlyInAnyOrderEntriesOf(Map.of(50, 1, 80, 1, 100, 1));
        }

        @Test
        void aHoldIdReservedByManyThreadsIsTakenOnce() throws Exception {
            AtomicInteger taken = new AtomicInteger();
            race(t -> {
                try {
                    if (ledger.reserve("same", "c" + (t % 4), inr("1"), List.of(day("1000")), false).accepted()) {
                        taken.incrementAndGet();
                    }
                } catch (IllegalArgumentException expected) {
                    // another thread holds the id
                }
            });

            assertThat(taken.get()).isEqualTo(1);
        }
    }

    private static Money paise(long paise) {
        return new Money(BigDecimal.valueOf(paise, 2), Money.INR);
    }

    /** What a racing thread does; {@code thread} is its index. */
    @FunctionalInterface
    protected interface ThreadBody {
        void run(int thread) throws Exception;
    }

    /** Runs {@code body} on {@link #THREADS} threads released together and fails on the first error. */
    protected static void race(ThreadBody body) throws Exception {
        Race.run(THREADS, thread -> {
            body.run(thread);
            return null;
        });
    }
}
