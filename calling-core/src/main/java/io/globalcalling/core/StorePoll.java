package io.globalcalling.core;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A read of the store repeated while it is wanted, and not scheduled at all otherwise: a node reads nothing for the
 * calls waited for or followed while no one waits or follows. The manager's scheduler times each read; the read runs
 * on the executor given, so that one that takes long (a slow database) holds up only the reads after it.
 */
final class StorePoll {

    private static final Logger log = LoggerFactory.getLogger(StorePoll.class);

    private final String what;
    private final ScheduledExecutorService scheduler;
    private final Executor reader;
    private final long intervalNanos;
    private final Runnable read;
    private final BooleanSupplier wanted;
    /** Whether a read is scheduled (or running); guarded by {@code this}. */
    private boolean scheduled;
    /** Whether the last read failed, so that a store that stays unreachable is warned of once. */
    private volatile boolean failing;

    /**
     * @param what          what is read, for the log ("the calls waited for")
     * @param reader        where each read runs: another executor, or {@code Runnable::run} for the scheduler's own
     *                      thread
     * @param wanted        whether anyone still needs the reads; asked after each one
     */
    StorePoll(String what, ScheduledExecutorService scheduler, Executor reader, long intervalNanos, Runnable read,
              BooleanSupplier wanted) {
        this.what = what;
        this.scheduler = scheduler;
        this.reader = reader;
        this.intervalNanos = intervalNanos;
        this.read = read;
        this.wanted = wanted;
    }

    /** Makes sure a read is scheduled; call it after making {@code wanted} true. Each read schedules the next. */
    synchronized void start() {
        if (!scheduled) scheduled = schedule();
    }

    /** @return false when the manager is closed, its scheduler with it: nothing reads any more */
    private boolean schedule() {
        try {
            scheduler.schedule(this::hand, intervalNanos, TimeUnit.NANOSECONDS);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    /** Hands the read to its executor; one the closing manager refuses is not scheduled again. */
    private void hand() {
        try {
            reader.execute(this::run);
        } catch (RejectedExecutionException e) {
            synchronized (this) {
                scheduled = false;
            }
        }
    }

    private void run() {
        try {
            read.run();
            failing = false;
        } catch (RuntimeException e) {
            if (failing) {
                log.debug("reading {} failed again: {}", what, e.toString());
            } else {
                log.warn("reading {} failed ({}); tried again every poll, logged at debug", what, e.toString());
            }
            failing = true;
        } finally {
            synchronized (this) {
                // whoever made wanted true after this check finds scheduled false and schedules the next read itself
                scheduled = wanted.getAsBoolean() && schedule();
            }
        }
    }
}
