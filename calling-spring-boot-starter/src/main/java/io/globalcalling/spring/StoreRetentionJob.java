package io.globalcalling.spring;

import io.globalcalling.store.jdbi.JdbiCallingDatabase;
import io.globalcalling.store.jdbi.RetentionResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs the JDBI store's retention ({@link JdbiCallingDatabase#purgeExpired()}) every {@code calling.store.purge-interval}
 * on a thread of its own, the first run a minute after start-up (or one interval, if shorter); none when the
 * interval is zero. A run that fails is
 * logged and the next one tries again; on several nodes each runs it, and the store's chunked deletes let them.
 */
final class StoreRetentionJob implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StoreRetentionJob.class);
    private static final Duration FIRST_RUN = Duration.ofMinutes(1);

    private final boolean scheduled;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "calling-retention");
        thread.setDaemon(true);
        return thread;
    });

    /** @param interval between the end of one run and the start of the next; zero runs none */
    StoreRetentionJob(JdbiCallingDatabase database, Duration interval) {
        Objects.requireNonNull(database, "database");
        long every = interval.toMillis();
        if (every == 0) {
            log.info("retention is not run by the starter (calling.store.purge-interval=0)");
            scheduled = false;
            return;
        }
        scheduled = true;
        scheduler.scheduleWithFixedDelay(() -> run(database), Math.min(every, FIRST_RUN.toMillis()), every,
                TimeUnit.MILLISECONDS);
    }

    private static void run(JdbiCallingDatabase database) {
        try {
            RetentionResult removed = database.purgeExpired();
            log.info("retention ({} kept): removed {}", database.settings().retention(), removed);
        } catch (RuntimeException e) {
            log.warn("retention run failed; the next run tries again", e);
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
