package io.globalcalling.store.jdbi;

import io.globalcalling.spi.store.StoreException;
import io.globalcalling.store.jdbi.internal.Sql;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Group commit: many callers' writes share one transaction and one commit. A caller hands over its
 * write and waits; a writer thread takes everything queued for it (up to {@link #MAX_GROUP} writes),
 * runs it as one JDBC batch per statement, commits once and only then lets each caller return, so a
 * write is durable when its caller returns, as without grouping. A group of one write runs alone, as
 * it would without grouping, since a transaction around one statement only adds a round trip.
 *
 * <p>Each writer has its own queue and connection, so one group's statements execute while another
 * writer stages or commits its own. A call's writes all go to one writer, chosen by the call id, and a
 * group holds at most one write per call, so grouping never reorders two writes of one call. Two
 * writers' groups change different calls' rows; they meet only on a unique key two calls share (one
 * idempotency key raced by two requests), where the database makes one wait for the other or, if
 * they wait on each other, aborts one as deadlocked.
 *
 * <p>A batch that fails (a duplicate call id, a deadlock) is rolled back and the group's writes are run
 * again one by one, each in its own transaction, so only the failing write's caller sees its error.
 * A commit that fails fails every caller of the group: whether it took effect is unknown, exactly as
 * for a single write's commit.
 */
final class GroupCommitter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(GroupCommitter.class);

    /** Writes per transaction at most: bounds the transaction's locks and the batches' size. */
    static final int MAX_GROUP = 256;
    /** Writes waiting at most; a caller past it waits for room (back pressure). */
    static final int MAX_QUEUED = 4 * MAX_GROUP;

    /**
     * The order in which a group's statements run: calls' inserts, their updates (a status move with its
     * fields, or fields alone), the fields of updates whose status did not move, events.
     */
    enum Phase { INSERT_CALL, UPDATE_CALL, UPDATE_FIELDS_UNMOVED, INSERT_EVENT }

    private final Jdbi jdbi;
    /** One queue per writer thread; a call's writes all go to one of them, chosen by its id. */
    private final List<BlockingQueue<Write<?>>> queues = new ArrayList<>();
    /** Readers are callers handing over a write; close() takes the write side so no write arrives after it. */
    private final ReadWriteLock closing = new ReentrantReadWriteLock();
    private final List<Thread> writers = new ArrayList<>();
    private final AtomicLong groups = new AtomicLong();
    private final AtomicLong commits = new AtomicLong();
    private final AtomicLong retriedAlone = new AtomicLong();
    private boolean closed;

    GroupCommitter(Jdbi jdbi, int writerCount) {
        this.jdbi = jdbi;
        for (int i = 0; i < writerCount; i++) {
            BlockingQueue<Write<?>> queue = new ArrayBlockingQueue<>(MAX_QUEUED);
            Thread writer = new Thread(() -> run(queue), "calling-group-commit-" + (i + 1));
            writer.setDaemon(true);
            queues.add(queue);
            writers.add(writer);
        }
        writers.forEach(Thread::start);
    }

    /**
     * Runs one write in the next group and returns its result once the group has committed.
     *
     * @param callId the call the write is about: a group takes one write per call
     * @param stage  adds the write's rows to the group's batches and returns how to read its result
     *               from their update counts (read before the commit)
     * @param alone  the same write on its own, in its own transaction: used when the group's batch fails
     */
    <T> T submit(String callId, Function<Staging, Supplier<T>> stage, Supplier<T> alone) {
        Write<T> write = new Write<>(callId, stage, alone);
        enqueue(write);
        try {
            // join() waits through interrupts and restores the flag: the write is queued, so the caller
            // learns its outcome rather than leaving a write it cannot know the fate of.
            return write.done.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) throw cause;
            throw e;
        }
    }

    private void enqueue(Write<?> write) {
        closing.readLock().lock();
        try {
            if (closed) throw new StoreException("the calling database is closed");
            enqueueUninterruptibly(queues.get(writerOf(write.callId)), write);
        } finally {
            closing.readLock().unlock();
        }
    }

    /** Which writer takes the call's writes: always the same one. */
    int writerOf(String callId) {
        return Math.floorMod(callId.hashCode(), queues.size());
    }

    /**
     * Stops taking writes, commits every write already handed over, then stops the writer threads. A
     * second close, even one made while the first still drains, also returns only once the writers
     * stopped: its caller closes the connections next.
     */
    @Override
    public void close() {
        boolean first;
        closing.writeLock().lock();
        try {
            first = !closed;
            closed = true;
        } finally {
            closing.writeLock().unlock();
        }
        if (first) queues.forEach(queue -> enqueueUninterruptibly(queue, Write.STOP));
        boolean interrupted = false;
        for (Thread writer : writers) {
            while (writer.isAlive()) {
                try {
                    writer.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }

    private static void enqueueUninterruptibly(BlockingQueue<Write<?>> queue, Write<?> write) {
        boolean interrupted = false;
        while (true) {
            try {
                queue.put(write);
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }

    /** Groups taken from the queue so far, committed or not (for tests). */
    long groups() {
        return groups.get();
    }

    /** Transactions committed: one per group, or one per write run alone (for tests and measurements). */
    long commits() {
        return commits.get();
    }

    /** Groups whose batch failed and whose writes were run one by one. */
    long retriedAlone() {
        return retriedAlone.get();
    }

    /** Writes handed over and not yet taken into a group. */
    int queued() {
        return queues.stream().mapToInt(BlockingQueue::size).sum();
    }

    private void run(BlockingQueue<Write<?>> queue) {
        List<Write<?>> group = new ArrayList<>(MAX_GROUP);
        Set<String> calls = new HashSet<>();
        while (true) {
            Write<?> first = takeUninterruptibly(queue);
            if (first == Write.STOP) return;
            group.add(first);
            calls.add(first.callId);
            // A second write of a call already in the group waits for the next group, and so does all behind it.
            for (Write<?> next = queue.peek(); next != null && next != Write.STOP && group.size() < MAX_GROUP
                    && calls.add(next.callId); next = queue.peek()) {
                group.add(queue.remove());
            }
            groups.incrementAndGet();
            try {
                commit(group);
            } catch (Throwable t) {
                // The writer goes on: a dead writer would leave every later caller waiting for ever.
                log.warn("group commit failed: {}", t.getClass().getName());
                group.forEach(w -> w.fail(Sql.failure("commit a group of writes", t)));
            } finally {
                group.clear();
                calls.clear();
            }
        }
    }

    private static String sqlState(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLException sql) return sql.getSQLState();
        }
        return "none";
    }

    private static Write<?> takeUninterruptibly(BlockingQueue<Write<?>> queue) {
        while (true) {
            try {
                return queue.take();
            } catch (InterruptedException e) {
                // Only close() stops the writer, through the queue, so every write handed over is committed.
            }
        }
    }

    private void commit(List<Write<?>> group) {
        if (group.size() == 1) {
            // A lone write needs no transaction around it: run alone it commits with its statement, one round trip less.
            group.get(0).runAlone(commits);
            return;
        }
        if (!commitAsOne(group)) group.forEach(w -> w.runAlone(commits));
    }

    /**
     * Runs the group in one transaction and completes its callers.
     *
     * @return false when the batch failed and was rolled back: the writes are then to be run one by one,
     *         after this group's connection went back to the pool (a host's pool may hold only a few)
     */
    private boolean commitAsOne(List<Write<?>> group) {
        try (Handle h = jdbi.open()) {
            h.begin();
            List<Runnable> results;
            try {
                Staging staging = new Staging();
                List<Supplier<Runnable>> readers = new ArrayList<>(group.size());
                group.forEach(w -> readers.add(w.stage(staging)));
                staging.execute(h);
                results = new ArrayList<>(group.size());
                for (Supplier<Runnable> reader : readers) results.add(reader.get());
            } catch (RuntimeException e) {
                h.rollback();
                retriedAlone.incrementAndGet();
                // Not the message: it carries the bound values, phone numbers among them.
                log.debug("a group of {} writes failed as one batch ({}, SQLState {}) and is run one by one",
                        group.size(), e.getClass().getSimpleName(), sqlState(e));
                return false;
            }
            try {
                h.commit();
                commits.incrementAndGet();
            } catch (RuntimeException e) {
                group.forEach(w -> w.fail(Sql.failure("commit a group of " + group.size()
                        + " writes, and whether they took effect is unknown", e)));
                return true;
            }
            results.forEach(Runnable::run);
            return true;
        }
    }

    /** One caller's write and the future it waits on. */
    private static final class Write<T> {
        static final Write<Void> STOP = new Write<>("", s -> () -> null, () -> null);

        final String callId;
        final Function<Staging, Supplier<T>> stage;
        final Supplier<T> alone;
        final CompletableFuture<T> done = new CompletableFuture<>();

        Write(String callId, Function<Staging, Supplier<T>> stage, Supplier<T> alone) {
            this.callId = callId;
            this.stage = stage;
            this.alone = alone;
        }

        /** Stages the rows; the returned reader reads the result before the commit and completes after it. */
        Supplier<Runnable> stage(Staging staging) {
            Supplier<T> result = stage.apply(staging);
            return () -> {
                T value = result.get();
                return () -> done.complete(value);
            };
        }

        /** Runs the write in its own transaction, counts its commit and then completes its caller. */
        void runAlone(AtomicLong commits) {
            T value;
            try {
                value = alone.get();
            } catch (RuntimeException e) {
                done.completeExceptionally(e);
                return;
            }
            commits.incrementAndGet();
            done.complete(value);
        }

        void fail(RuntimeException e) {
            done.completeExceptionally(e);
        }
    }

    /**
     * The rows of one group, one JDBC batch per distinct statement, run phase by phase and, within a
     * phase, in the order the statements were first staged.
     */
    static final class Staging {
        private final Map<Phase, Map<String, List<Row>>> batches = new LinkedHashMap<>();
        private final Map<GroupRead<?>, Map<String, Object>> reads = new LinkedHashMap<>();

        /** Adds a row to the batch of {@code sql}; the returned row holds its update count once the batch ran. */
        Row add(Phase phase, String sql, Consumer<PreparedBatch> binder) {
            return addIf(() -> true, phase, sql, binder);
        }

        /**
         * Adds a row that runs only if {@code when} holds as its phase starts: it may read the counts of
         * rows of earlier phases.
         */
        Row addIf(BooleanSupplier when, Phase phase, String sql, Consumer<PreparedBatch> binder) {
            Row row = new Row(when, binder);
            batches.computeIfAbsent(phase, p -> new LinkedHashMap<>()).computeIfAbsent(sql, s -> new ArrayList<>()).add(row);
            return row;
        }

        /**
         * Reads what {@code read} finds for {@code id} in the group's transaction once its batches ran: one query for
         * every write of the group that asked, where each reading after the commit took one of its own.
         */
        @SuppressWarnings("unchecked")
        <R> Supplier<Optional<R>> readAfter(GroupRead<R> read, String id) {
            Map<String, Object> found = reads.computeIfAbsent(read, r -> new LinkedHashMap<>());
            found.put(id, null);
            return () -> Optional.ofNullable((R) found.get(id));
        }

        void execute(Handle h) {
            batches.entrySet().stream().sorted(Map.Entry.comparingByKey(Comparator.naturalOrder()))
                    .forEach(phase -> phase.getValue().forEach((sql, staged) -> {
                        List<Row> rows = staged.stream().filter(row -> row.when.getAsBoolean()).toList();
                        if (rows.isEmpty()) return;
                        PreparedBatch batch = h.prepareBatch(sql);
                        for (Row row : rows) {
                            row.binder.accept(batch);
                            batch.add();
                        }
                        int[] counts = batch.execute();
                        for (int i = 0; i < rows.size(); i++) rows.get(i).count = counts[i];
                    }));
            reads.forEach((read, found) -> found.putAll(read.read(h, List.copyOf(found.keySet()))));
        }
    }

    /** A read of many rows by id, in the group's transaction after its batches (see {@link Staging#readAfter}). */
    @FunctionalInterface
    interface GroupRead<R> {
        /** What was found for each of {@code ids} (at most {@link #MAX_GROUP}); an id not found is left out. */
        Map<String, R> read(Handle h, List<String> ids);
    }

    /** One staged row and, after its batch ran, its update count. */
    static final class Row {
        private final BooleanSupplier when;
        private final Consumer<PreparedBatch> binder;
        private int count = Integer.MIN_VALUE;

        private Row(BooleanSupplier when, Consumer<PreparedBatch> binder) {
            this.when = when;
            this.binder = binder;
        }

        /**
         * The rows the statement changed.
         *
         * @throws IllegalStateException when the driver did not say (a rewritten batch): the group is
         *                               then rolled back and its writes run one by one
         */
        int count() {
            if (count < 0) throw new IllegalStateException("the driver gave no update count (" + count + ")");
            return count;
        }
    }
}
