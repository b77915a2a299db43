package io.globalcalling.core.limits;

import io.globalcalling.CallCategory;
import io.globalcalling.Money;
import io.globalcalling.spi.store.LimitLedger.PeriodUsage;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.globalcalling.core.limits.Fixtures.call;
import static io.globalcalling.core.limits.Fixtures.emergency;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random sequences of reserve, settle, release and the passing of time, checked against a simple
 * model of the budgets: the same calls are accepted, the counters agree, and no period ever holds more
 * than its cap unless an emergency or a cost above its hold put it there.
 */
class BudgetPropertiesTest {

    private static final ZoneId ZONE = ZoneId.of("Asia/Kolkata");
    private static final Map<BudgetPeriod, Long> CAPS_PAISE = Map.of(
            BudgetPeriod.DAY, 10_000L, BudgetPeriod.WEEK, 30_000L, BudgetPeriod.MONTH, 80_000L);

    sealed interface Op permits Reserve, Settle, Release, Pass {
    }

    record Reserve(long paise, boolean emergency) implements Op {
    }

    /** Settles the n-th call admitted so far (modulo), at {@code percent} of its hold. */
    record Settle(int n, int percent) implements Op {
    }

    record Release(int n) implements Op {
    }

    record Pass(int hours) implements Op {
    }

    @Provide
    Arbitrary<List<Op>> ordinaryOps() {
        return ops(false, 100);
    }

    @Provide
    Arbitrary<List<Op>> anyOps() {
        return ops(true, 150);
    }

    private static Arbitrary<List<Op>> ops(boolean emergencies, int maxSettlePercent) {
        Arbitrary<Op> reserve = Arbitraries.longs().between(1, 6_000)
                .flatMap(p -> Arbitraries.integers().between(0, 9).map(e -> new Reserve(p, emergencies && e == 0)));
        Arbitrary<Op> settle = Arbitraries.integers().between(0, 1_000)
                .flatMap(n -> Arbitraries.integers().between(0, maxSettlePercent).map(pc -> new Settle(n, pc)));
        Arbitrary<Op> release = Arbitraries.integers().between(0, 1_000).map(Release::new);
        Arbitrary<Op> pass = Arbitraries.integers().between(1, 40).map(Pass::new);
        return Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(6, reserve), net.jqwik.api.Tuple.of(3, settle),
                        net.jqwik.api.Tuple.of(2, release), net.jqwik.api.Tuple.of(1, pass))
                .list().ofMinSize(1).ofMaxSize(80);
    }

    @Property(tries = 500)
    void ordinaryCallsNeverPushAPeriodPastItsCap(@ForAll("ordinaryOps") List<Op> ops) {
        run(ops, true);
    }

    @Property(tries = 500)
    void countersFollowTheModelWithEmergenciesAndOverruns(@ForAll("anyOps") List<Op> ops) {
        run(ops, false);
    }

    private record Hold(String callId, long paise, List<String> keys) {
    }

    private static void run(List<Op> ops, boolean capsHold) {
        MutableClock clock = MutableClock.at("2026-11-27T12:00:00Z");
        CallLimits limits = CallLimits.builder().clock(clock).rateWindows()
                .budgets(Budget.daily(paise(CAPS_PAISE.get(BudgetPeriod.DAY))),
                        Budget.weekly(paise(CAPS_PAISE.get(BudgetPeriod.WEEK))),
                        Budget.monthly(paise(CAPS_PAISE.get(BudgetPeriod.MONTH))))
                .build();
        Map<String, Long> used = new HashMap<>(); // "period key" -> paise
        List<Hold> admitted = new ArrayList<>();
        Map<String, Boolean> open = new HashMap<>();
        int sequence = 0;

        for (Op op : ops) {
            LocalDate today = LocalDate.ofInstant(clock.instant(), ZONE);
            if (op instanceof Reserve r) {
                String id = "call-" + sequence++;
                List<String> keys = new ArrayList<>();
                boolean fits = true;
                for (BudgetPeriod p : BudgetPeriod.values()) {
                    String key = p.wireName() + " " + p.key(today);
                    keys.add(key);
                    if (used.getOrDefault(key, 0L) + r.paise() > CAPS_PAISE.get(p)) fits = false;
                }
                boolean accepted;
                try {
                    limits.admit(id, r.emergency() ? emergency("acme") : call("acme"), CallCategory.SYSTEM_API,
                            paise(0), paise(r.paise()));
                    accepted = true;
                } catch (LimitExceededException refused) {
                    accepted = false;
                }
                assertThat(accepted).as("admission of %s", r).isEqualTo(fits || r.emergency());
                if (accepted) {
                    keys.forEach(k -> used.merge(k, r.paise(), Long::sum));
                    admitted.add(new Hold(id, r.paise(), keys));
                    open.put(id, true);
                }
            } else if (op instanceof Settle s && !admitted.isEmpty()) {
                Hold h = admitted.get(s.n() % admitted.size());
                long actual = h.paise() * s.percent() / 100;
                limits.settle(h.callId(), "acme", paise(actual));
                if (open.put(h.callId(), false)) h.keys().forEach(k -> used.merge(k, actual - h.paise(), Long::sum));
            } else if (op instanceof Release rl && !admitted.isEmpty()) {
                Hold h = admitted.get(rl.n() % admitted.size());
                limits.release(h.callId());
                if (open.put(h.callId(), false)) h.keys().forEach(k -> used.merge(k, -h.paise(), Long::sum));
            } else if (op instanceof Pass p) {
                clock.advance(Duration.ofHours(p.hours()));
            }

            LocalDate now = LocalDate.ofInstant(clock.instant(), ZONE);
            for (PeriodUsage u : limits.budgetUsage("acme")) {
                BudgetPeriod period = BudgetPeriod.valueOf(u.period().toUpperCase(java.util.Locale.ROOT));
                long expected = used.getOrDefault(u.period() + " " + period.key(now), 0L);
                assertThat(u.used()).as("%s %s after %s", u.period(), u.periodKey(), op).isEqualTo(paise(expected));
                if (capsHold) assertThat(u.used()).isLessThanOrEqualTo(u.cap());
            }
        }
    }

    private static Money paise(long paise) {
        return new Money(BigDecimal.valueOf(paise, 2), Money.INR);
    }
}
