package io.globalcalling.spring;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One of the starter's background tasks (reconciliation, the JDBI store's retention): run on a daemon thread of its
 * own every interval, the first run a minute after start-up (or one interval, if shorter); none when the interval is
 * zero. A run that fails is logged and the next one tries again.
 */
final class BackgroundTask implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BackgroundTask.class);
    private static final Duration FIRST_RUN = Duration.ofMinutes(1);

    private final String name;
    private final boolean scheduled;
    private final ScheduledExecutorService scheduler;

    /**
     * @param name     its thread's name, and the task's in the log
     * @param property the property that sets {@code interval}, named in the log when it is zero
     * @param interval between the end of one run and the start of the next; zero runs none
     * @throws IllegalArgumentException naming {@code property} when the interval is negative, or under the
     *                                  millisecond the schedule counts in (it would read as zero: no run at all)
     */
    BackgroundTask(String name, String property, Duration interval, Runnable task) {
        this.name = Objects.requireNonNull(name, "name");
        Objects.requireNonNull(task, "task");
        if (interval.isNegative() || !interval.isZero() && interval.toMillis() == 0) {
            throw new IllegalArgumentException(property + " must be 0 (not run) or at least 1 ms, not " + interval);
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, name);
            thread.setDaemon(true);
            return thread;
        });
        long every = interval.toMillis();
        scheduled = every > 0;
        if (!scheduled) {
            log.info("{} is not run by the starter ({}=0)", name, property);
            return;
        }
        scheduler.scheduleWithFixedDelay(() -> run(task), Math.min(every, FIRST_RUN.toMillis()), every,
                TimeUnit.MILLISECONDS);
    }

    private void run(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException | Error e) {   // thrown out of the executor, it would end the schedule unlogged
            log.warn("{} failed; the next run tries again", name, e);
        }
    }

    /** Whether runs are scheduled (the interval is not zero). */
    boolean isScheduled() {
        return scheduled;
    }

    /** Lets a run under way finish (10 s at most, then it is interrupted), and runs no more. */
    @Override
    public void close() throws InterruptedException {
        scheduler.shutdown();
        if (!scheduler.awaitTermination(10, TimeUnit.SECONDS)) scheduler.shutdownNow();
    }
}
