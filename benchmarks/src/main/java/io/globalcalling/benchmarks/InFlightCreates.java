package io.globalcalling.benchmarks;

import io.globalcalling.CallRecord;
import io.globalcalling.CallRequest;
import io.globalcalling.CallStatus;
import io.globalcalling.core.GlobalCallingManager;
import io.globalcalling.core.internal.SharedHttpClient;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordingFile;
import okhttp3.ConnectionPool;
import okhttp3.Credentials;
import okhttp3.OkHttpClient;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Creates in flight against a slow provider: {@code callers} threads each place calls one after another against a
 * {@link TwilioStub} that answers every create 200 ms after it has read it, so that about {@code callers} creates
 * are open at once. Virtual threads where the JDK has them (21 and later), platform threads before (or with
 * {@code platform} as the third argument). Per client it reports calls per second, the creates open at the stub
 * (sampled every 100 ms), each call's overhead (its time beyond the stub's 200 ms) at p50, p99, p99.9 and max,
 * failures, and, with virtual threads, how often one was pinned to its carrier (JFR's
 * {@code jdk.VirtualThreadPinned}, every pin however short). The baseline, in the same process: raw OkHttp posting
 * the same form with as many callers and a pool as large. The two clients alternate twice, each after a warm-up.
 *
 * <p>{@code java -cp benchmarks.jar io.globalcalling.benchmarks.InFlightCreates [callers] [seconds] [platform]}
 */
public final class InFlightCreates {

    static final Duration ANSWER_AFTER = Duration.ofMillis(200);
    static final Duration WARM_UP = Duration.ofSeconds(15);
    /** The Twilio provider's ceiling for {@code twilio.max-concurrent-requests}. */
    static final int TWILIO_MAX_OPEN = 1000;

    private InFlightCreates() {
    }

    interface Client extends AutoCloseable {
        String name();

        /** Places one call for caller {@code caller}; throws when it did not get the stub's 201. */
        void place(int caller, long n);

        @Override
        void close();
    }

    record Result(String client, long calls, long failures, double seconds, double meanOpen, int maxOpen,
                  long[] overheadMicros, long pins) {
    }

    public static void main(String[] args) throws Exception {
        int callers = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        boolean platform = args.length > 2 && args[2].equals("platform");
        if (callers < 1 || seconds < 1 || args.length > 3 || (args.length == 3 && !platform)) {
            throw new IllegalArgumentException("usage: InFlightCreates [callers, at least 1] [seconds, at least 1]"
                    + " [platform]; got " + Arrays.toString(args));
        }
        Optional<ThreadFactory> virtual = platform ? Optional.empty() : virtualThreads();
        ThreadFactory threads = virtual.orElse(r -> {
            Thread t = new Thread(r);
            t.setDaemon(true);
            return t;
        });
        System.out.printf(Locale.ROOT, "JDK %s, %d %s callers, a create answered after %d ms, %d s measured after %d s"
                        + " of warm-up%n", Runtime.version(), callers, virtual.isPresent() ? "virtual-thread" : "platform-thread",
                ANSWER_AFTER.toMillis(), seconds, WARM_UP.toSeconds());
        System.out.printf(Locale.ROOT, "%-10s %9s %9s %9s %9s %11s %11s %11s %11s %8s%n", "client", "calls/s",
                "open mean", "open max", "failures", "p50 (ms)", "p99 (ms)", "p99.9 (ms)", "max (ms)", "pins");
        try (TwilioStub stub = TwilioStub.start(8, ANSWER_AFTER)) {
            for (int round = 0; round < 2; round++) {
                for (boolean sdk : new boolean[] {false, true}) {
                    try (Client client = sdk ? sdk(stub, callers) : raw(stub, callers)) {
                        print(run(client, threads, callers, Duration.ofSeconds(seconds), stub, virtual.isPresent()));
                    }
                }
            }
        }
    }

    /** The SDK: the manager of {@link PlaceCallBenchmark}, its Twilio provider and pool sized for the callers. */
    static Client sdk(TwilioStub stub, int callers) {
        GlobalCallingManager manager = PlaceCallBenchmark.Sdk.probed(PlaceCallBenchmark.manager(stub.baseUrl(), Map.of(
                "twilio.max-concurrent-requests", Integer.toString(Math.min(callers, TWILIO_MAX_OPEN)),
                SharedHttpClient.MAX_IDLE_KEY, Integer.toString(callers))));
        return placingThrough(manager, "sdk");
    }

    /** The SDK's own path, as {@link PlaceCallBenchmark#sdkNoNetwork16Callers}: a provider that sends nothing. */
    static Client sdkWithoutHttp() {
        return placingThrough(PlaceCallBenchmark.NoNetwork.manager(), "the SDK, no HTTP");
    }

    /** A client placing each call through {@code manager}, closing it when closed. */
    private static Client placingThrough(GlobalCallingManager manager, String name) {
        return new Client() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public void place(int caller, long n) {
                String to = PlaceCallBenchmark.DESTINATIONS.get((int) (n % PlaceCallBenchmark.DESTINATIONS.size()));
                CallRecord r = manager.call(CallRequest.to(to).customerId("customer-" + caller % 64).build());
                if (r.status() != CallStatus.QUEUED) throw new IllegalStateException("not queued: " + r.status());
            }

            @Override
            public void close() {
                manager.close();
            }
        };
    }

    /** Baseline: raw OkHttp posting the same form, its pool as large as the callers so no connection is reopened. */
    static Client raw(TwilioStub stub, int callers) {
        PlaceCallBenchmark.RawOkHttp raw = new PlaceCallBenchmark.RawOkHttp();
        raw.client = new OkHttpClient.Builder().connectionPool(new ConnectionPool(callers, 5, TimeUnit.MINUTES)).build();
        raw.url = stub.baseUrl() + TwilioStub.CALLS_PATH;
        raw.authorization = Credentials.basic(TwilioStub.ACCOUNT_SID, TwilioStub.AUTH_TOKEN);
        AtomicLong ids = new AtomicLong();
        return new Client() {
            @Override
            public String name() {
                return "raw OkHttp";
            }

            @Override
            public void place(int caller, long n) {
                String to = PlaceCallBenchmark.DESTINATIONS.get((int) (n % PlaceCallBenchmark.DESTINATIONS.size()));
                raw.post(to, "call-" + ids.incrementAndGet());
            }

            @Override
            public void close() {
                raw.tearDown();
            }
        };
    }

    /** Twilio's Java SDK, as {@link PlaceCallBenchmark.TwilioSdk} sets it up. */
    static Client twilioSdk(TwilioStub stub) {
        PlaceCallBenchmark.Stub shared = new PlaceCallBenchmark.Stub();
        shared.server = stub;
        PlaceCallBenchmark.TwilioSdk twilio = new PlaceCallBenchmark.TwilioSdk();
        twilio.setUp(shared);
        AtomicLong ids = new AtomicLong();
        return new Client() {
            @Override
            public String name() {
                return "Twilio SDK";
            }

            @Override
            public void place(int caller, long n) {
                String to = PlaceCallBenchmark.DESTINATIONS.get((int) (n % PlaceCallBenchmark.DESTINATIONS.size()));
                twilio.create(to, "call-" + ids.incrementAndGet());
            }

            @Override
            public void close() {
                // Twilio's client has no close; its pool's connections idle out with the process
            }
        };
    }

    static Result run(Client client, ThreadFactory threads, int callers, Duration measured, TwilioStub stub,
                      boolean countPins) throws Exception {
        long start = System.nanoTime();
        long from = start + WARM_UP.toNanos();
        long until = from + measured.toNanos();
        long[][] overheads = new long[callers][];
        int[] counts = new int[callers];
        AtomicLong failures = new AtomicLong();
        List<Thread> running = new ArrayList<>();
        for (int i = 0; i < callers; i++) {
            int caller = i;
            overheads[i] = new long[1024];
            Thread t = threads.newThread(() -> {
                for (long n = caller; ; n += callers) {
                    long began = System.nanoTime();
                    if (began >= until) return;
                    try {
                        client.place(caller, n);
                    } catch (RuntimeException e) {
                        if (began >= from) failures.incrementAndGet();
                        continue;
                    }
                    if (began < from) continue;
                    if (counts[caller] == overheads[caller].length) {
                        overheads[caller] = Arrays.copyOf(overheads[caller], counts[caller] * 2);
                    }
                    overheads[caller][counts[caller]++] = (System.nanoTime() - began - ANSWER_AFTER.toNanos()) / 1_000;
                }
            });
            running.add(t);
            t.start();
        }
        while (System.nanoTime() < from) Thread.sleep(10);
        Recording pins = countPins ? pinRecording() : null;
        long samples = 0;
        long openSum = 0;
        int openMax = 0;
        while (System.nanoTime() < until) {
            int open = stub.open();
            openSum += open;
            openMax = Math.max(openMax, open);
            samples++;
            Thread.sleep(100);
        }
        for (Thread t : running) t.join();
        long pinned = pins == null ? -1 : countPins(pins);
        long calls = Arrays.stream(counts).asLongStream().sum();
        long[] all = new long[(int) calls];
        int at = 0;
        for (int i = 0; i < callers; i++) {
            System.arraycopy(overheads[i], 0, all, at, counts[i]);
            at += counts[i];
        }
        Arrays.sort(all);
        return new Result(client.name(), calls, failures.get(), measured.toNanos() / 1e9,
                samples == 0 ? 0 : (double) openSum / samples, openMax, all, pinned);
    }

    /** A JFR recording of every pin of a virtual thread to its carrier, however short. */
    private static Recording pinRecording() {
        Recording r = new Recording();
        r.enable("jdk.VirtualThreadPinned").withThreshold(Duration.ZERO).withStackTrace();
        r.start();
        return r;
    }

    private static long countPins(Recording r) throws Exception {
        r.stop();
        Path file = Files.createTempFile("pins", ".jfr");
        try {
            r.dump(file);
            return RecordingFile.readAllEvents(file).stream()
                    .filter(e -> e.getEventType().getName().equals("jdk.VirtualThreadPinned")).count();
        } finally {
            r.close();
            Files.deleteIfExists(file);
        }
    }

    /** Thread.ofVirtual().factory(), found by reflection: the benchmarks are built for Java 17. */
    private static Optional<ThreadFactory> virtualThreads() {
        try {
            Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
            return Optional.of((ThreadFactory) Class.forName("java.lang.Thread$Builder").getMethod("factory")
                    .invoke(builder));
        } catch (ReflectiveOperationException e) {
            return Optional.empty();
        }
    }

    private static void print(Result r) {
        long[] o = r.overheadMicros();
        System.out.printf(Locale.ROOT, "%-10s %9.0f %9.0f %9d %9d %11.2f %11.2f %11.2f %11.2f %8s%n", r.client(),
                r.calls() / r.seconds(), r.meanOpen(), r.maxOpen(), r.failures(), at(o, 0.50), at(o, 0.99),
                at(o, 0.999), o.length == 0 ? 0 : o[o.length - 1] / 1000.0, r.pins() < 0 ? "-" : Long.toString(r.pins()));
    }

    private static double at(long[] sorted, double quantile) {
        if (sorted.length == 0) return 0;
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(quantile * sorted.length) - 1)] / 1000.0;
    }
}
