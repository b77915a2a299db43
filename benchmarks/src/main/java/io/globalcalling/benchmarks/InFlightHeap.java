package io.globalcalling.benchmarks;

import io.globalcalling.core.GlobalCallingManager;
import io.globalcalling.core.limits.Budget;
import io.globalcalling.core.limits.RateWindow;
import io.globalcalling.core.store.InMemoryCallStore;
import io.globalcalling.CallRequest;
import io.globalcalling.CallStatus;
import io.globalcalling.Money;
import io.globalcalling.spi.ProviderConfig;
import io.globalcalling.CallRecord;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Heap used per call in flight: places 10,000 and then 100,000 {@code internet_voip} calls on the sandbox provider
 * and measures the used heap after {@code System.gc()} before and after, divided by the count. Everything a call in
 * flight keeps is counted: its record and event log in the in-memory store, its hold in the limit ledger, the
 * sandbox's simulated call and its pending timer. The calls go to the sandbox's magic {@code ...0000} numbers
 * (answered, then talk) at {@code sandbox.time-scale = 1} (real time), so none ends for at least 33 s; the run
 * checks that every call is still in progress when it measures. Not a JMH benchmark: a single measurement of
 * retained memory, run with {@code java -cp benchmarks.jar io.globalcalling.benchmarks.InFlightHeap}.
 */
public final class InFlightHeap {

    private InFlightHeap() {
    }

    public static void main(String[] args) throws Exception {
        int[] counts = args.length == 0 ? new int[]{10_000, 100_000}
                : java.util.Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
        System.out.printf(Locale.ROOT, "%-10s %14s %14s %16s %12s %10s%n", "calls", "before (MiB)", "after (MiB)",
                "bytes per call", "in progress", "placed in");
        for (int count : counts) measure(count);
    }

    private static void measure(int count) throws Exception {
        InMemoryCallStore store = new InMemoryCallStore();
        Money huge = Money.inr("1000000000000000");
        try (GlobalCallingManager manager = GlobalCallingManager.builder()
                .config(ProviderConfig.of(Map.of("sandbox.time-scale", "1", "calling.providers.disabled", "webhook")))
                .store(store)
                .limits(l -> l.rateWindows(RateWindow.perMinute(Long.MAX_VALUE / 2), RateWindow.perHour(Long.MAX_VALUE / 2),
                                RateWindow.perDay(Long.MAX_VALUE / 2))
                        .budgets(Budget.daily(huge), Budget.weekly(huge), Budget.monthly(huge)))
                .build()) {
            // Warm up the code paths and lazily built tables (libphonenumber metadata, routing) before the "before".
            place(manager, 0, 200);
            long before = usedAfterGc();
            long start = System.nanoTime();
            List<String> ids = place(manager, 200, count);
            double placedSeconds = (System.nanoTime() - start) / 1e9;
            long after = usedAfterGc();
            long inProgress = ids.stream().map(id -> store.find(id).orElseThrow()).map(CallRecord::status)
                    .filter(s -> !s.isTerminal()).count();
            if (inProgress != count) {
                throw new IllegalStateException(count - inProgress + " of " + count + " calls ended before the measurement");
            }
            System.out.printf(Locale.ROOT, "%-10d %14.1f %14.1f %16d %12d %9.1fs%n", count, before / 1048576.0,
                    after / 1048576.0, (after - before) / count, inProgress, placedSeconds);
        }
        usedAfterGc();
    }

    /** Places calls {@code from .. from+count-1} on two threads (the machine's cores); returns their call ids. */
    private static List<String> place(GlobalCallingManager manager, int from, int count) throws Exception {
        int threads = 2;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<String>>> parts = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                parts.add(pool.submit(() -> {
                    List<String> ids = new ArrayList<>();
                    for (int i = from + thread; i < from + count; i += threads) {
                        // +1 415 55x 0000: valid US numbers whose last four digits select the sandbox's "answered" outcome
                        String to = "+1415" + (5550000 + (i % 10) * 10000);
                        CallRecord r = manager.call(CallRequest.to(to).customerId("customer-" + (i % 1000)).build());
                        if (r.status() == CallStatus.FAILED) throw new IllegalStateException("call failed: " + r);
                        ids.add(r.callId());
                    }
                    return ids;
                }));
            }
            List<String> all = new ArrayList<>(count);
            for (Future<List<String>> part : parts) all.addAll(part.get());
            return all;
        } finally {
            pool.shutdown();
        }
    }

    private static long usedAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
