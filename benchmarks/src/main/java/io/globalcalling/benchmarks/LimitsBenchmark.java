package io.globalcalling.benchmarks;

import io.globalcalling.core.limits.Admission;
import io.globalcalling.core.limits.Budget;
import io.globalcalling.core.limits.CallLimits;
import io.globalcalling.core.limits.RateWindow;
import io.globalcalling.core.store.InMemoryLimitLedger;
import io.globalcalling.CallCategory;
import io.globalcalling.CallRequest;
import io.globalcalling.Money;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Admit (count in the rate windows + reserve the hold) and settle one call through {@link CallLimits}
 * on the in-memory ledger, with 1, 8 and 64 threads on one customer (the worst case: one lock), beside
 * an uncontended {@link AtomicLong} add as the baseline measured in the same run.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class LimitsBenchmark {

    @State(Scope.Benchmark)
    public static class Limits {
        final CallRequest request = CallRequest.to("+919876543210").customerId("bench").build();
        final Money perMinute = Money.inr("1.25");
        final Money perCall = Money.inr("0.10");
        final Money actual = Money.inr("3.75");
        final AtomicLong ids = new AtomicLong();
        CallLimits limits;

        /** A fresh ledger each iteration keeps the remembered hold ids from growing without bound. */
        @Setup(Level.Iteration)
        public void setUp() {
            limits = CallLimits.builder().ledger(new InMemoryLimitLedger())
                    .rateWindows(RateWindow.perMinute(Long.MAX_VALUE), RateWindow.perHour(Long.MAX_VALUE),
                            RateWindow.perDay(Long.MAX_VALUE))
                    .budgets(Budget.daily(Money.inr("1000000000000")), Budget.weekly(Money.inr("1000000000000")),
                            Budget.monthly(Money.inr("1000000000000")))
                    .build();
        }

        Admission reserveAndSettle() {
            String callId = "call-" + ids.incrementAndGet();
            Admission admission = limits.admit(callId, request, CallCategory.INTERNET_VOIP, perMinute, perCall);
            limits.settle(callId, admission.customerId(), actual);
            return admission;
        }
    }

    @State(Scope.Thread)
    public static class Counter {
        final AtomicLong value = new AtomicLong();
    }

    @Benchmark
    @Threads(1)
    public long baselineAtomicLongAdd(Counter counter) {
        return counter.value.addAndGet(375);
    }

    @Benchmark
    @Threads(1)
    public Admission reserveSettle1Thread(Limits limits) {
        return limits.reserveAndSettle();
    }

    @Benchmark
    @Threads(8)
    public Admission reserveSettle8Threads(Limits limits) {
        return limits.reserveAndSettle();
    }

    @Benchmark
    @Threads(64)
    public Admission reserveSettle64Threads(Limits limits) {
        return limits.reserveAndSettle();
    }
}
