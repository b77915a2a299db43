package io.globalcalling.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Runs tasks on many threads released at the same instant, the way concurrency contracts race a
 * store or a ledger: every task waits on one latch, so they collide as hard as the machine allows.
 */
public final class Race {

    private static final long TIMEOUT_SECONDS = 120;

    /** One racing task; {@code index} runs from 0 to the number of tasks minus one. */
    @FunctionalInterface
    public interface Task<T> {
        T run(int index) throws Exception;
    }

    private Race() {
    }

    /** Runs {@code threads} tasks, one per thread. */
    public static <T> List<T> run(int threads, Task<T> task) throws Exception {
        return run(threads, threads, task);
    }

    /**
     * Runs tasks {@code 0..tasks-1} on {@code threads} threads, all released together.
     *
     * @return the results in task order
     * @throws java.util.concurrent.ExecutionException carrying the first task's failure
     */
    public static <T> List<T> run(int threads, int tasks, Task<T> task) throws Exception {
        if (threads < 1 || tasks < 0) throw new IllegalArgumentException("threads " + threads + " / tasks " + tasks);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>(tasks);
            for (int i = 0; i < tasks; i++) {
                int index = i;
                futures.add(pool.submit(() -> {
                    start.await();
                    return task.run(index);
                }));
            }
            start.countDown();
            List<T> results = new ArrayList<>(tasks);
            for (Future<T> f : futures) results.add(f.get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
