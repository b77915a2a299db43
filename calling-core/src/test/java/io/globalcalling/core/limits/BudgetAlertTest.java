package io.globalcalling.core.limits;

import io.globalcalling.core.limits.event.BudgetAlert;
import io.globalcalling.core.limits.event.CallRejected;
import io.globalcalling.core.limits.event.LimitEvent;
import io.globalcalling.CallCategory;
import io.globalcalling.core.store.InMemoryLimitLedger;
import io.globalcalling.spi.store.LimitLedger;
import io.globalcalling.spi.store.StoreException;
import io.globalcalling.Money;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import static io.globalcalling.core.limits.Fixtures.call;
import static io.globalcalling.core.limits.Fixtures.inr;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BudgetAlertTest {

    private final MutableClock clock = MutableClock.at("2026-11-24T10:45:00Z");
    private final List<BudgetAlert> alerts = new CopyOnWriteArrayList<>();

    private CallLimits limits(Budget... budgets) {
        CallLimits limits = CallLimits.builder().clock(clock).rateWindows().budgets(budgets).build();
        limits.onAlert(alerts::add);
        return limits;
    }

    private static void spend(CallLimits limits, String callId, String amount) {
        limits.admit(callId, call("acme"), CallCategory.INTERNET_VOIP, inr("0"), inr(amount));
    }

    @Test
    void firesAtFiftyEightyAndAHundredPercentOnceEach() {
        CallLimits limits = limits(Budget.daily(inr("100")));
        for (int i = 0; i < 10; i++) spend(limits, "c" + i, "10");

        assertThat(alerts).containsExactly(
                new BudgetAlert("acme", "day", "2026-11-24", 50, inr("50"), inr("100"), Instant.parse("2026-11-24T10:45:00Z")),
                new BudgetAlert("acme", "day", "2026-11-24", 80, inr("80"), inr("100"), Instant.parse("2026-11-24T10:45:00Z")),
                new BudgetAlert("acme", "day", "2026-11-24", 100, inr("100"), inr("100"), Instant.parse("2026-11-24T10:45:00Z")));
    }

    @Test
    void anAlertMarkThatFailsNeitherRefusesTheAdmittedCallNorLosesTheAlert() {
        AtomicBoolean ledgerDown = new AtomicBoolean(true);
        InMemoryLimitLedger counters = new InMemoryLimitLedger();
        LimitLedger ledger = new LimitLedger() {
            @Override
            public WindowResult count(String customerId, List<WindowCap> windows, boolean bypass) {
                return counters.count(customerId, windows, bypass);
            }

            @Override
            public HoldResult reserve(String holdId, String customerId, Money amount, List<PeriodCap> periods,
                                      boolean bypass) {
                return counters.reserve(holdId, customerId, amount, periods, bypass);
            }

            @Override
            public List<PeriodUsage> settle(String holdId, Money actual) {
                return counters.settle(holdId, actual);
            }

            @Override
            public List<PeriodUsage> usage(String customerId, List<PeriodCap> periods) {
                return counters.usage(customerId, periods);
            }

            @Override
            public boolean markAlert(String customerId, String period, String periodKey, int thresholdPercent) {
                if (ledgerDown.get()) throw new StoreException("could not mark an alert: connection reset");
                return counters.markAlert(customerId, period, periodKey, thresholdPercent);
            }
        };
        CallLimits limits = CallLimits.builder().clock(clock).ledger(ledger).rateWindows()
                .budgets(Budget.daily(inr("100"))).build();
        limits.onAlert(alerts::add);

        // the hold is reserved before alerts are checked: a call refused then is never recorded, so nothing
        // would ever release its hold
        assertThatCode(() -> spend(limits, "a", "60")).doesNotThrowAnyException();
        assertThat(limits.budgetUsage("acme")).singleElement().satisfies(u -> assertThat(u.used()).isEqualTo(inr("60")));

        ledgerDown.set(false);
        spend(limits, "b", "10");
        assertThat(alerts).extracting(BudgetAlert::thresholdPercent).containsExactly(50);
    }

    @Test
    void doesNotFireAgainWhenSpendFallsAndRisesInThePeriod() {
        CallLimits limits = limits(Budget.daily(inr("100")));
        spend(limits, "a", "55");
        limits.release("a");
        spend(limits, "b", "55");

        assertThat(alerts).extracting(BudgetAlert::thresholdPercent).containsExactly(50);
    }

    @Test
    void oneCallCrossingSeveralThresholdsFiresEachOfThem() {
        CallLimits limits = limits(Budget.daily(inr("100")));

        spend(limits, "a", "85");

        assertThat(alerts).extracting(BudgetAlert::thresholdPercent).containsExactly(50, 80);
    }

    @Test
    void eachPeriodHasItsOwnAlerts() {
        CallLimits limits = limits(Budget.daily(inr("100")), Budget.weekly(inr("200")));
        spend(limits, "a", "60");
        clock.set("2026-11-25T10:45:00Z");
        spend(limits, "b", "60");

        assertThat(alerts).extracting(a -> a.period() + " " + a.periodKey() + " " + a.thresholdPercent())
                .containsExactly("day 2026-11-24 50", "week 2026-W48 50", "day 2026-11-25 50");
    }

    @Test
    void aCostSettledAboveItsHoldIsAlertedWhenItSettles() {
        CallLimits limits = limits(Budget.daily(inr("100")));
        spend(limits, "a", "10");
        limits.settle("a", "acme", inr("100"));

        assertThat(alerts).extracting(BudgetAlert::thresholdPercent).containsExactly(50, 80, 100);
    }

    @Test
    void aZeroBudgetWithNothingSpentFiresNothing() {
        CallLimits limits = limits(Budget.daily(inr("0")));

        spend(limits, "free", "0");

        assertThat(alerts).isEmpty();
    }

    /** The ledger's mark is a database round trip in the JDBI store: each node asks it once per threshold. */
    @Test
    void aThresholdOnceMarkedIsNotAskedOfTheLedgerAgain() {
        BudgetLimitsTest.RecordingLedger ledger = new BudgetLimitsTest.RecordingLedger(new InMemoryLimitLedger());
        CallLimits limits = CallLimits.builder().ledger(ledger).clock(clock).rateWindows()
                .budgets(Budget.daily(inr("100"))).build();

        spend(limits, "a", "85");
        spend(limits, "b", "1");
        spend(limits, "c", "1");

        assertThat(ledger.markRequests).containsExactly(50, 80);
    }

    @Test
    void anAlertAtZeroPercentIsRefused() {
        assertThatThrownBy(() -> new BudgetAlert("acme", "day", "2026-11-24", 0, inr("0"), inr("100"),
                Instant.parse("2026-11-24T10:45:00Z")))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("thresholdPercent 0 must be positive");
    }

    @Test
    void customThresholdsReplaceTheDefaults() {
        CallLimits limits = CallLimits.builder().clock(clock).rateWindows().budgets(Budget.daily(inr("100")))
                .alertThresholds(90, 25).build();
        limits.onAlert(alerts::add);

        spend(limits, "a", "95");

        assertThat(alerts).extracting(BudgetAlert::thresholdPercent).containsExactly(25, 90);
    }

    @Test
    void aFailingListenerNeitherRefusesTheCallNorStopsOtherListeners() {
        CallLimits limits = limits(Budget.daily(inr("100")));
        limits.onAlert(a -> {
            throw new IllegalStateException("mail server down");
        });
        List<BudgetAlert> later = new CopyOnWriteArrayList<>();
        limits.onAlert(later::add);

        spend(limits, "a", "60");

        assertThat(later).hasSize(1);
    }

    @Test
    void theEventStreamCarriesAlertsAndRefusals() {
        CallLimits limits = limits(Budget.daily(inr("100")));
        List<LimitEvent> events = new CopyOnWriteArrayList<>();
        List<CallRejected> rejected = new CopyOnWriteArrayList<>();
        limits.onEvent(events::add);
        limits.onRejected(rejected::add);

        spend(limits, "a", "100");
        assertThatThrownBy(() -> spend(limits, "b", "1")).isInstanceOf(LimitExceededException.class);

        assertThat(events).hasSize(4);
        assertThat(events.get(3)).isInstanceOf(CallRejected.class);
        assertThat(rejected).singleElement().satisfies(r -> {
            assertThat(r.callId()).isEqualTo("b");
            assertThat(r.customerId()).isEqualTo("acme");
            assertThat(r.cause().limitName()).isEqualTo("spend-per-day");
        });
    }

    @Test
    void sixtyFourRacingThreadsFireEachAlertExactlyOnce() throws Exception {
        CallLimits limits = limits(Budget.daily(inr("1000")), Budget.weekly(inr("1500")), Budget.monthly(inr("3000")));

        Fixtures.race(64, t -> {
            for (int i = 0; i < 10; i++) {
                try {
                    spend(limits, "t" + t + "-" + i, "4");
                } catch (LimitExceededException full) {
                    return;
                }
            }
        });

        Map<String, Long> perAlert = alerts.stream()
                .collect(Collectors.groupingBy(a -> a.period() + "@" + a.thresholdPercent(), ConcurrentHashMap::new, Collectors.counting()));
        assertThat(perAlert).containsExactlyInAnyOrderEntriesOf(Map.of(
                "day@50", 1L, "day@80", 1L, "day@100", 1L, "week@50", 1L));
        assertThat(alerts).allSatisfy(a -> assertThat(a.spent().amount().multiply(java.math.BigDecimal.valueOf(100)))
                .isGreaterThanOrEqualTo(a.cap().amount().multiply(java.math.BigDecimal.valueOf(a.thresholdPercent()))));
    }

    @Test
    void aSettlementAfterTheCapWasRaisedIsMeasuredAgainstTheNewCap() {
        CallLimits limits = limits(Budget.daily(inr("100")));
        spend(limits, "a", "10");
        limits.setCustomerBudgets("acme", Budget.daily(inr("1000")));

        limits.settle("a", "acme", inr("60"));

        assertThat(alerts).isEmpty(); // 60 of 1000 is 6 %, not the 60 % of the cap the hold was taken under
        assertThat(limits.budgetUsage("acme")).singleElement().satisfies(u -> assertThat(u.cap()).isEqualTo(inr("1000")));
    }

    @Test
    void aSettlementAfterTheCapWasLoweredFiresTheAlertsOfTheNewCap() {
        CallLimits limits = limits(Budget.daily(inr("1000")));
        spend(limits, "a", "10");
        limits.setCustomerBudgets("acme", Budget.daily(inr("100")));

        limits.settle("a", "acme", inr("60"));

        assertThat(alerts).containsExactly(new BudgetAlert("acme", "day", "2026-11-24", 50, inr("60"), inr("100"),
                Instant.parse("2026-11-24T10:45:00Z")));
    }
}
