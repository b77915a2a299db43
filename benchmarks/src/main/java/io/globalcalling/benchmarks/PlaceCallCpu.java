package io.globalcalling.benchmarks;

import com.sun.management.OperatingSystemMXBean;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * What placing a call costs in CPU: {@code callers} threads place calls one after another against a {@link TwilioStub}
 * that answers at once, through raw OkHttp, Twilio's Java SDK and the SDK in turn, round after round, in one process;
 * and the SDK's own path alone, with a provider that sends nothing ({@link PlaceCallBenchmark#sdkNoNetwork16Callers}).
 * Each client's figure is the process's CPU time over a round (every thread: the callers, the stub serving them, the
 * collector, the JIT) divided by the calls it placed. On a machine the client has to itself that is what its
 * throughput is the inverse of; on a shared one it still holds, where {@link PlaceCallBenchmark}'s throughput moves
 * with whatever else runs. The first rounds warm the JIT and are not counted; each client's figure is the median of
 * the rest. A round's client is built anew (the SDK's manager with an empty in-memory store, as each JMH iteration
 * of {@link PlaceCallBenchmark} has), after a full collection, so that no round pays for what an earlier one kept.
 *
 * <p>{@code java -cp benchmarks.jar io.globalcalling.benchmarks.PlaceCallCpu [callers] [seconds a round] [rounds]
 * [warm-up rounds]}, by default 16 callers, 10 s, 12 rounds of which the first 6 warm up.
 */
public final class PlaceCallCpu {

    private PlaceCallCpu() {
    }

    public static void main(String[] args) throws Exception {
        int callers = args.length > 0 ? Integer.parseInt(args[0]) : 16;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 12;
        int warmUp = args.length > 3 ? Integer.parseInt(args[3]) : 6;
        if (callers < 1 || seconds < 1 || warmUp < 0 || rounds <= warmUp || args.length > 4) {
            throw new IllegalArgumentException("usage: PlaceCallCpu [callers, at least 1] [seconds a round, at least 1]"
                    + " [rounds, more than the warm-up rounds] [warm-up rounds]; got " + Arrays.toString(args));
        }
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        System.out.printf(Locale.ROOT, "JDK %s, %d processors, %d callers, %d rounds of %d s a client, the first %d not"
                + " counted%n", Runtime.version(), Runtime.getRuntime().availableProcessors(), callers, rounds, seconds, warmUp);
        System.out.printf(Locale.ROOT, "%-5s %-16s %10s %14s%n", "round", "client", "calls/s", "CPU µs a call");
        Map<String, List<Double>> cpuPerCall = new LinkedHashMap<>();
        try (TwilioStub stub = TwilioStub.start(8)) {
            Map<String, Function<TwilioStub, InFlightCreates.Client>> clients = new LinkedHashMap<>();
            clients.put("raw OkHttp", s -> InFlightCreates.raw(s, callers));
            clients.put("Twilio SDK", InFlightCreates::twilioSdk);
            clients.put("the SDK", s -> InFlightCreates.sdk(s, callers));
            clients.put("the SDK, no HTTP", s -> InFlightCreates.sdkWithoutHttp());
            for (int round = 1; round <= rounds; round++) {
                for (Map.Entry<String, Function<TwilioStub, InFlightCreates.Client>> c : clients.entrySet()) {
                    // what the round before kept (the SDK's in-memory store) is collected now, not in this round
                    System.gc();
                    try (InFlightCreates.Client client = c.getValue().apply(stub)) {
                        long cpuBefore = os.getProcessCpuTime();
                        long calls = run(client, callers, seconds);
                        double micros = (os.getProcessCpuTime() - cpuBefore) / 1e3 / calls;
                        System.out.printf(Locale.ROOT, "%-5s %-16s %10.0f %14.1f%n", round <= warmUp ? "(" + round + ")"
                                : Integer.toString(round), c.getKey(), calls / (double) seconds, micros);
                        if (round > warmUp) cpuPerCall.computeIfAbsent(c.getKey(), k -> new ArrayList<>()).add(micros);
                    }
                }
            }
        }
        double raw = median(cpuPerCall.get("raw OkHttp"));
        double twilio = median(cpuPerCall.get("Twilio SDK"));
        double sdk = median(cpuPerCall.get("the SDK"));
        double own = median(cpuPerCall.get("the SDK, no HTTP"));
        System.out.printf(Locale.ROOT, "median CPU µs a call: raw OkHttp %.1f, Twilio SDK %.1f, the SDK %.1f, the SDK with"
                + " no HTTP %.1f%n", raw, twilio, sdk, own);
        System.out.printf(Locale.ROOT, "calls per CPU second, the SDK against raw OkHttp %.2f, against Twilio's SDK %.2f%n",
                raw / sdk, twilio / sdk);
    }

    /** Places calls on {@code callers} threads for {@code seconds}; returns how many were placed. */
    private static long run(InFlightCreates.Client client, int callers, int seconds) throws InterruptedException {
        long until = System.nanoTime() + seconds * 1_000_000_000L;
        AtomicLong placed = new AtomicLong();
        AtomicReference<RuntimeException> failed = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < callers; i++) {
            int caller = i;
            Thread t = new Thread(() -> {
                try {
                    for (long n = caller; System.nanoTime() < until && failed.get() == null; n += callers) {
                        client.place(caller, n);
                        placed.incrementAndGet();
                    }
                } catch (RuntimeException e) {
                    failed.compareAndSet(null, e);
                }
            }, "caller-" + i);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) t.join();
        if (failed.get() != null) throw new IllegalStateException(client.name() + " failed to place a call", failed.get());
        return placed.get();
    }

    private static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
