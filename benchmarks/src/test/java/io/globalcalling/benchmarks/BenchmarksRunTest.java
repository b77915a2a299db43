package io.globalcalling.benchmarks;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.VerboseMode;

import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every JMH benchmark runs once, in this JVM, and so does the heap measurement; the build fails if one throws. A
 * benchmark broken by a change to the code it measures is found here, not by the next person who times it: the
 * routing benchmark planned routes to numbers that the destination policy's deny-list refused from the day it came
 * in, and nobody ran it until the day after. Nothing is timed: one invocation per benchmark, on the smallest deck
 * and 200 calls a store operation, on H2 and, for one of the store's benchmarks, on PostgreSQL.
 */
class BenchmarksRunTest {

    /** JMH's lock keeps two timed runs apart; this one times nothing, so it need not wait for, or stop, one. */
    @BeforeAll
    static void ignoreJmhLock() {
        System.setProperty("jmh.ignoreLock", "true");
    }

    @Test
    void everyBenchmarkRunsOnce() throws RunnerException {
        Collection<RunResult> results = runOnce(BenchmarksRunTest.class.getPackageName() + "\\.", "h2", "false");

        Set<String> ran = new TreeSet<>();
        for (RunResult r : results) ran.add(simpleName(r.getParams().getBenchmark()));
        assertThat(ran).containsExactlyInAnyOrder(
                "LimitsBenchmark.baselineAtomicLongAdd", "LimitsBenchmark.reserveSettle1Thread",
                "LimitsBenchmark.reserveSettle8Threads", "LimitsBenchmark.reserveSettle64Threads",
                "PlaceCallBenchmark.rawOkHttp1Caller", "PlaceCallBenchmark.rawOkHttp16Callers",
                "PlaceCallBenchmark.rawOkHttp256Callers", "PlaceCallBenchmark.sdk1Caller",
                "PlaceCallBenchmark.sdk16Callers", "PlaceCallBenchmark.sdk256Callers",
                "PlaceCallBenchmark.sdkNoNetwork16Callers", "PlaceCallBenchmark.twilioSdk1Caller",
                "PlaceCallBenchmark.twilioSdk16Callers", "PlaceCallBenchmark.twilioSdk256Callers",
                "RoutingBenchmark.baselineDeckFind", "RoutingBenchmark.plan",
                "StoreBenchmark.appendEventsThroughGroupCommit", "StoreBenchmark.appendEventsThroughStore",
                "StoreBenchmark.baselineJdbcBatch", "StoreBenchmark.baselineJdbcBatchSameStatements",
                "StoreBenchmark.baselineJdbcPerTransition", "StoreBenchmark.persistIntentsThroughGroupCommit",
                "StoreBenchmark.persistIntentsThroughStore", "StoreBenchmark.recordThroughGroupCommit",
                "StoreBenchmark.recordThroughStore",
                "WebhookBenchmark.baselineHmacSha1", "WebhookBenchmark.handle");
    }

    /**
     * The store's benchmarks on PostgreSQL differ from H2 only in the server the benchmark starts, its pool and the
     * heap-only-update experiment: one of them covers those, without a server started for each.
     */
    @Test
    void theStoreBenchmarkRunsOnPostgres() throws RunnerException {
        Collection<RunResult> results = runOnce("StoreBenchmark\\.recordThroughGroupCommit$", "postgres", "true");

        assertThat(results).singleElement().satisfies(r -> assertThat(r.getParams().getParam("database")).isEqualTo("postgres"));
    }

    /** The heap measurement is a main class, not JMH: it refuses to measure if a call ended or failed, so it throws. */
    @Test
    void theHeapMeasurementRuns() throws Exception {
        InFlightHeap.main(new String[] {"300"});
    }

    /** The CPU measurement of placing a call: it throws when a client fails to place one. */
    @Test
    void theCpuMeasurementRuns() throws Exception {
        PlaceCallCpu.main(new String[] {"2", "1", "2", "1"});
    }

    /** One invocation of each benchmark matched, in this JVM, failing on the first that throws. */
    private static Collection<RunResult> runOnce(String include, String database, String hotUpdates) throws RunnerException {
        Options once = new OptionsBuilder()
                .include(include)
                .forks(0)
                .mode(Mode.SingleShotTime)
                .warmupIterations(0)
                .measurementIterations(1)
                .param("deckSize", "1000")
                .param("calls", "200")
                .param("writers", "8")
                .param("database", database)
                .param("hotUpdates", hotUpdates)
                .shouldFailOnError(true)
                .verbosity(VerboseMode.SILENT)
                .build();
        return new Runner(once).run();
    }

    private static String simpleName(String benchmark) {
        String[] parts = benchmark.split("\\.");
        return parts[parts.length - 2] + "." + parts[parts.length - 1];
    }
}
