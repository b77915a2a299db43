package io.globalcalling.core.limits;

import io.globalcalling.core.store.InMemoryLimitLedger;
import io.globalcalling.CallCategory;
import io.globalcalling.ErrorReason;
import io.globalcalling.Money;
import io.globalcalling.spi.store.LimitLedger;
import io.globalcalling.spi.store.LimitLedger.PeriodUsage;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import static io.globalcalling.core.limits.Fixtures.call;
import static io.globalcalling.core.limits.Fixtures.emergency;
import static io.globalcalling.core.limits.Fixtures.inr;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class BudgetLimitsTest {

    private final MutableClock clock = MutableClock.at("2026-11-24T10:45:00Z"); // Tuesday 16:15 IST
    private final Money free = inr("0");

    private CallLimits.Builder limits(Budget... budgets) {
        return CallLimits.builder().clock(clock).rateWindows().budgets(budgets);
    }

    /** A call whose hold is exactly {@code amount}: a fixed per-call cost and no per-minute rate. */
    private static Admission spend(CallLimits limits, String callId, String amount) {
        return limits.admit(callId, call("acme"), CallCategory.INTERNET_VOIP, inr("0"), inr(amount));
    }

    private static LimitExceededException refusal(CallLimits limits, String callId, String amount) {
        return catchThrowableOfType(LimitExceededException.class, () -> spend(limits, callId, amount));
    }

    private static Money used(CallLimits limits, String period) {
        return limits.budgetUsage("acme").stream().filter(u -> u.period().equals(period)).findFirst().orElseThrow().used();
    }

    @Test
    void theDefaultsAreTenFiftyAndTwoHundredThousandRupeesInKolkata() {
        CallLimits limits = CallLimits.builder().clock(clock).build();

        assertThat(limits.zone().getId()).isEqualTo("Asia/Kolkata");
        assertThat(limits.budgetUsage("acme")).containsExactly(
                new PeriodUsage("month", "2026-11", inr("0"), inr("200000")),
                new PeriodUsage("week", "2026-W48", inr("0"), inr("50000")),
                new PeriodUsage("day", "2026-11-24", inr("0"), inr("10000")));
    }

    @Test
    void theHoldIsThePerCallCostPlusThePerMinuteRateForTheCategorysHoldDuration() {
        CallLimits limits = limits(Budget.daily(inr("1000"))).holdDuration(CallCategory.SATELLITE, Duration.ofMinutes(3)).build();

        assertThat(limits.admit("a", call("acme"), CallCategory.INTERNET_VOIP, inr("1.00"), inr("0.50")).held())
                .isEqualTo(inr("10.50"));
        assertThat(limits.admit("b", call("acme"), CallCategory.HUMAN_AGENT, inr("7.5"), free).held()).isEqualTo(inr("225"));
        assertThat(limits.admit("c", call("acme"), CallCategory.SATELLITE, inr("100"), free).held()).isEqualTo(inr("300"));
        assertThat(used(limits, "day")).isEqualTo(inr("535.50"));
    }

    @Test
    void aShorterMaxDurationShortensTheHoldInWholeMinutesRoundedUp() {
        CallLimits limits = limits(Budget.daily(inr("1000"))).build();
        var request = call("acme").toBuilder().maxDuration(Duration.ofSeconds(90)).build();

        assertThat(limits.holdFor(request, CallCategory.INTERNET_VOIP, inr("2"), free)).isEqualTo(inr("4"));
        assertThat(limits.holdFor(call("acme"), CallCategory.INTERNET_VOIP, inr("0.3333"), free)).isEqualTo(inr("3.34"));
    }

    @Test
    void aHoldReachingTheCapExactlyIsAcceptedAndOnePaisaMoreIsRefused() {
        CallLimits limits = limits(Budget.daily(inr("100"))).build();
        spend(limits, "a", "60");
        spend(limits, "b", "40");
        limits.release("b");

        LimitExceededException e = refusal(limits, "c", "40.01");

        assertThat(e.reason()).isEqualTo(ErrorReason.SPEND_LIMIT);
        assertThat(e.retryable()).isFalse();
        assertThat(e.limitName()).isEqualTo("spend-per-day");
        assertThat(e.window()).contains("day");
        assertThat(e.windowKey()).contains("2026-11-24");
        assertThat(e.spent()).contains(inr("60"));
        assertThat(e.requested()).contains(inr("40.01"));
        assertThat(e.spendCap()).contains(inr("100"));
        assertThat(e.retryAt()).isEqualTo(Instant.parse("2026-11-24T18:30:00Z"));
        assertThat(e).hasMessage("customer 'acme' would exceed its day budget 2026-11-24: 60 INR spent or held"
                + " + 40.01 INR for this call > cap 100 INR; the budget renews at 2026-11-24T18:30:00Z");
        assertThat(used(limits, "day")).isEqualTo(inr("60"));
    }

    @Test
    void settlingReplacesTheHoldWithTheActualCostAndReleasesTheRest() {
        CallLimits limits = limits(Budget.daily(inr("100"))).build();
        spend(limits, "a", "80");

        limits.settle("a", "acme", inr("12.34"));

        assertThat(used(limits, "day")).isEqualTo(inr("12.34"));
        spend(limits, "b", "87.66");
    }

    @Test
    void aCallThatNeverConnectedReleasesItsWholeHold() {
        CallLimits limits = limits(Budget.daily(inr("100"))).build();
        spend(limits, "a", "80");

        limits.release("a");

        assertThat(used(limits, "day")).isEqualTo(inr("0"));
    }

    @Test
    void settleAndReleaseAreIdempotentAndIgnoreUnknownCalls() {
        CallLimits limits = limits(Budget.daily(inr("100"))).build();
        spend(limits, "a", "80");

        limits.settle("a", "acme", inr("10"));
        limits.settle("a", "acme", inr("50"));
        limits.release("a");
        limits.settle("never-admitted", "acme", inr("5"));
        limits.release("never-admitted");

        assertThat(used(limits, "day")).isEqualTo(inr("10"));
    }

    @Test
    void theWeekRenewsOnMondayMidnightInTheZone() {
        CallLimits limits = limits(Budget.weekly(inr("100"))).build();
        clock.set("2026-11-29T18:29:59Z"); // Sunday 23:59:59 IST
        spend(limits, "a", "100");

        LimitExceededException e = refusal(limits, "b", "1");

        assertThat(e.windowKey()).contains("2026-W48");
        assertThat(e.retryAt()).isEqualTo(Instant.parse("2026-11-29T18:30:00Z"));
        clock.set("2026-11-29T18:30:00Z"); // Monday 00:00 IST
        spend(limits, "c", "100");
        assertThat(limits.budgetUsage("acme")).containsExactly(new PeriodUsage("week", "2026-W49", inr("100"), inr("100")));
    }

    @Test
    void theMonthRenewsAtTheMonthsEndInTheZone() {
        CallLimits limits = limits(Budget.monthly(inr("100"))).build();
        clock.set("2026-11-30T18:29:59Z"); // 30 November 23:59:59 IST
        spend(limits, "a", "100");

        assertThat(refusal(limits, "b", "1").retryAt()).isEqualTo(Instant.parse("2026-11-30T18:30:00Z"));
        clock.set("2026-11-30T18:30:00Z");
        spend(limits, "c", "100");
        assertThat(limits.budgetUsage("acme")).extracting(PeriodUsage::periodKey).containsExactly("2026-12");
    }

    @Test
    void theDayRenewsAtMidnightInTheZone() {
        CallLimits limits = limits(Budget.daily(inr("100"))).build();
        clock.set("2026-11-24T18:29:59Z");
        spend(limits, "a", "100");
        assertThat(refusal(limits, "b", "1")).isNotNull();

        clock.set("2026-11-24T18:30:00Z");

        spend(limits, "c", "100");
    }

    @Test
    void aCallSettlesIntoThePeriodItWasAdmittedIn() {
        CallLimits limits = limits(Budget.daily(inr("100"))).build();
        clock.set("2026-11-24T18:29:00Z");
        spend(limits, "a", "50");
        clock.set("2026-11-24T18:31:00Z");

        limits.settle("a", "acme", inr("20"));

        assertThat(used(limits, "day")).isEqualTo(inr("0"));
        clock.set("2026-11-24T18:29:30Z");
        assertThat(used(limits, "day")).isEqualTo(inr("20"));
    }

    @Test
    void whenSeveralPeriodsWouldOvershootTheRetryTimeIsTheLastRenewal() {
        CallLimits limits = limits(Budget.daily(inr("100")), Budget.weekly(inr("100"))).build();
        spend(limits, "a", "100");

        LimitExceededException e = refusal(limits, "b", "1");

        assertThat(e.limitName()).isEqualTo("spend-per-week");
        assertThat(e.retryAt()).isEqualTo(Instant.parse("2026-11-29T18:30:00Z"));
    }

    @Test
    void aCallRefusedByItsBudgetUsesNoRateSlot() {
        CallLimits limits = CallLimits.builder().clock(clock).rateWindows(RateWindow.perMinute(1))
                .budgets(Budget.daily(inr("10"))).build();
        assertThat(refusal(limits, "a", "11")).isNotNull();

        spend(limits, "b", "10");
    }

    @Test
    void aCustomersOwnBudgetsReplaceTheGlobalOnes() {
        CallLimits limits = limits(Budget.daily(inr("10"))).customerBudgets("big", Budget.daily(inr("1000"))).build();

        limits.admit("a", call("big"), CallCategory.INTERNET_VOIP, free, inr("500"));

        assertThat(refusal(limits, "b", "11").spendCap()).contains(inr("10"));
    }

    @Test
    void refusesRatesInAnotherCurrencyOrNegative() {
        CallLimits limits = limits(Budget.daily(inr("10"))).build();

        assertThatThrownBy(() -> limits.admit("a", call("acme"), CallCategory.INTERNET_VOIP, Money.of("1", "USD"), free))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("perMinute 1 USD is not in the limits' currency INR; convert it first");
        assertThatThrownBy(() -> limits.holdFor(call("acme"), CallCategory.INTERNET_VOIP, free, Money.of("1", "USD")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("perCall 1 USD is not in the limits' currency INR; convert it first");
        assertThatThrownBy(() -> limits.settle("a", "acme", inr("-1")))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("actualCost -1 INR must not be negative");
    }

    @Test
    void refusesBudgetsInAnotherCurrencyThanTheLimits() {
        assertThatThrownBy(() -> CallLimits.builder().currency(Money.USD).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("budget day of default is 10000 INR but the limits' currency is USD; give budgets(...) in USD");
        assertThatThrownBy(() -> limits(Budget.daily(inr("1")), Budget.daily(inr("2"))).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("budgets of default cover day twice");
    }

    @Test
    void unlimitedAdmitsEverythingAndHoldsNothing() {
        CallLimits limits = CallLimits.unlimited();

        for (int i = 0; i < 1_000; i++) {
            assertThat(limits.admit("u" + i, call("acme"), CallCategory.SATELLITE, inr("200"), inr("5")).held())
                    .isEqualTo(inr("0"));
        }
        assertThat(limits.budgetUsage("acme")).isEmpty();
    }

    @Test
    void sixtyFourRacingThreadsNeverPassABudgetBySinglePaisa() throws Exception {
        RecordingLedger ledger = new RecordingLedger(new InMemoryLimitLedger());
        CallLimits limits = CallLimits.builder().clock(clock).ledger(ledger).rateWindows()
                .budgets(Budget.daily(inr("2000")), Budget.weekly(inr("3000")), Budget.monthly(inr("5000"))).build();
        AtomicLong settledPaise = new AtomicLong();

        Fixtures.race(64, t -> {
            Random random = new Random(t);
            for (int i = 0; i < 40; i++) {
                String id = "t" + t + "-" + i;
                long paise = 1 + random.nextInt(20_000);
                Money amount = new Money(BigDecimal.valueOf(paise, 2), Money.INR);
                try {
                    limits.admit(id, call("acme"), CallCategory.INTERNET_VOIP, inr("0"), amount);
                } catch (LimitExceededException refused) {
                    continue;
                }
                if (random.nextInt(3) == 0) {
                    limits.release(id);
                } else {
                    long actual = random.nextInt((int) paise + 1);
                    limits.settle(id, "acme", new Money(BigDecimal.valueOf(actual, 2), Money.INR));
                    settledPaise.addAndGet(actual);
                }
            }
        });

        assertThat(ledger.reservations.get()).isGreaterThan(64);
        assertThat(ledger.overCap.get()).isZero();
        Money settled = new Money(BigDecimal.valueOf(settledPaise.get(), 2), Money.INR);
        assertThat(limits.budgetUsage("acme")).allSatisfy(u -> {
            assertThat(u.used()).isEqualTo(settled);
            assertThat(u.used()).isLessThanOrEqualTo(u.cap());
        });
    }

    @Test
    void anEmergencyHoldIsReservedPastTheCap() {
        CallLimits limits = limits(Budget.daily(inr("100"))).build();
        spend(limits, "a", "100");

        Admission admission = limits.admit("sos", emergency("acme"), CallCategory.SATELLITE, inr("0"), inr("50"));

        assertThat(admission.held()).isEqualTo(inr("50"));
        assertThat(used(limits, "day")).isEqualTo(inr("150"));
        limits.settle("sos", "acme", inr("20"));
        assertThat(used(limits, "day")).isEqualTo(inr("120"));
    }

    /**
     * Checks every hold result the ledger hands out (none may show a period past its cap) and notes each threshold
     * it is asked to mark.
     */
    static final class RecordingLedger implements LimitLedger {
        final LimitLedger delegate;
        final AtomicLong reservations = new AtomicLong();
        final AtomicLong overCap = new AtomicLong();
        final List<Integer> markRequests = new CopyOnWriteArrayList<>();

        RecordingLedger(LimitLedger delegate) {
            this.delegate = delegate;
        }

        @Override
        public WindowResult count(String customerId, List<WindowCap> windows, boolean bypass) {
            return delegate.count(customerId, windows, bypass);
        }

        @Override
        public HoldResult reserve(String holdId, String customerId, Money amount, List<PeriodCap> periods, boolean bypass) {
            HoldResult r = delegate.reserve(holdId, customerId, amount, periods, bypass);
            reservations.incrementAndGet();
            if (r.usage().stream().anyMatch(u -> u.used().isGreaterThan(u.cap()))) overCap.incrementAndGet();
            return r;
        }

        @Override
        public List<PeriodUsage> settle(String holdId, Money actual) {
            List<PeriodUsage> usage = delegate.settle(holdId, actual);
            if (usage.stream().anyMatch(u -> u.used().isGreaterThan(u.cap()))) overCap.incrementAndGet();
            return usage;
        }

        @Override
        public List<PeriodUsage> usage(String customerId, List<PeriodCap> periods) {
            return delegate.usage(customerId, periods);
        }

        @Override
        public boolean markAlert(String customerId, String period, String periodKey, int thresholdPercent) {
            markRequests.add(thresholdPercent);
            return delegate.markAlert(customerId, period, periodKey, thresholdPercent);
        }
    }
}
