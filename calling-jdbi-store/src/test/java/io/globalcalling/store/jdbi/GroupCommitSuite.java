package io.globalcalling.store.jdbi;

import io.globalcalling.CallCategory;
import io.globalcalling.CallRecord;
import io.globalcalling.CallStatus;
import io.globalcalling.Money;
import io.globalcalling.Priority;
import io.globalcalling.Secret;
import io.globalcalling.spi.store.CallStore.Updated;
import io.globalcalling.spi.store.CallUpdate;
import io.globalcalling.spi.store.DuplicateCallException;
import io.globalcalling.spi.store.StoreException;
import io.globalcalling.spi.store.StoredEvent;
import io.globalcalling.store.jdbi.internal.Dialect;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.transaction.DelegatingTransactionHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Group commit on one database: every write durable when its caller returns, one commit for a group,
 * a failing write failing alone, close draining, an interrupted caller keeping its write, and with two
 * writers a raced idempotency key still going to one call. A group is made deterministic with one
 * writer, by holding a row lock: the writer thread blocks on it with one write while the test queues
 * the next group's writes, then the lock is released.
 */
abstract class GroupCommitSuite {

    static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    private final ExecutorService callers = Executors.newCachedThreadPool();
    protected JdbiCallingDatabase database;
    private JdbiCallStore store;
    private GroupCommitter group;
    private Handle lock;

    /** The test's database with {@code settings}: fresh at the first call, the same one after. */
    protected abstract JdbiCallingDatabase open(StoreSettings settings);

    /** The database's rows seen through a connection of their own (the database may be closed). */
    protected abstract Jdbi direct();

    /** One writer, so that holding it holds every write. */
    @BeforeEach
    void start() {
        openWithWriters(1);
        store.create(call("blocker"));
    }

    /** The same database again, with two writers. */
    private void reopenWithTwoWriters() {
        database.close();
        openWithWriters(2);
        assertThat(group.writerOf("c-0-0")).as("the ids below reach both writers").isNotEqualTo(group.writerOf("c-0-1"));
    }

    private void openWithWriters(int writers) {
        database = open(StoreSettings.builder().groupCommit(true).groupCommitWriters(writers).build());
        store = database.callStore();
        group = store.groupCommitter();
        assertThat(group).as("group commit on").isNotNull();
    }

    @AfterEach
    void stop() {
        if (lock != null) lock.close();
        callers.shutdownNow();
        database.close();
    }

    static CallRecord call(String id) {
        return CallRecord.initiated(id, "cust-1", CallCategory.INTERNET_VOIP, null, "+14155550100", null,
                Priority.NORMAL, null, null, Money.inr("1"), Money.inr("0.20"), List.of("test"), false, T0, Map.of());
    }

    static StoredEvent event(String callId, String type) {
        return new StoredEvent(callId, "twilio", type, null, T0, Map.of());
    }

    @Test
    void everyWriteIsDurableAndVisibleWhenItsCallerReturns() throws Exception {
        reopenWithTwoWriters();
        Jdbi elsewhere = direct();
        List<Future<Integer>> done = new ArrayList<>();
        for (int t = 0; t < 16; t++) {
            int thread = t;
            done.add(callers.submit(() -> {
                int checked = 0;
                for (int i = 0; i < 25; i++) {
                    String id = "c-" + thread + "-" + i;
                    store.create(call(id));
                    assertThat(statusOf(elsewhere, id)).isEqualTo("initiated");
                    assertThat(store.update(CallUpdate.of(id, T0).provider("twilio", "CA" + id).status(CallStatus.QUEUED)))
                            .isTrue();
                    assertThat(statusOf(elsewhere, id)).isEqualTo("queued");
                    assertThat(store.appendEvent(event(id, "ringing"))).isTrue();
                    assertThat(store.appendEvent(event(id, "ringing"))).as("a replay").isFalse();
                    assertThat(store.update(CallUpdate.of(id, T0.plusSeconds(60)).status(CallStatus.COMPLETED)
                            .durationSeconds(50).cost(Money.inr("1")).endedAt(T0.plusSeconds(60)))).isTrue();
                    assertThat(store.update(CallUpdate.of(id, T0).status(CallStatus.RINGING))).as("backwards").isFalse();
                    CallRecord seen = store.find(id).orElseThrow();
                    assertThat(seen.status()).isEqualTo(CallStatus.COMPLETED);
                    assertThat(seen.providerCallId()).isEqualTo("CA" + id);
                    assertThat(seen.durationSeconds()).isEqualTo(50);
                    checked++;
                }
                return checked;
            }));
        }
        int checked = 0;
        for (Future<Integer> f : done) checked += f.get(60, TimeUnit.SECONDS);
        assertThat(checked).isEqualTo(400);
        assertThat(Tables.count(elsewhere, "calling_call")).isEqualTo(401);
        assertThat(Tables.count(elsewhere, "calling_call_event")).isEqualTo(400);
    }

    @Test
    void oneIdempotencyKeyRacedThroughTwoWritersGoesToOneCall() throws Exception {
        reopenWithTwoWriters();
        CountDownLatch go = new CountDownLatch(1);
        Map<String, List<Future<String>>> byKey = new LinkedHashMap<>();
        for (int k = 0; k < 16; k++) {
            String key = "key-" + k;
            String first = "k-" + k + "-a";
            String second = "k-" + k + "-b";
            for (int n = 0; group.writerOf(second) == group.writerOf(first); n++) second = "k-" + k + "-b" + n;
            List<Future<String>> racers = new ArrayList<>();
            for (String id : List.of(first, second)) {
                racers.add(callers.submit(() -> {
                    go.await();
                    try {
                        store.create(keyed(id, key));
                        return id;
                    } catch (DuplicateCallException e) {
                        return "refused for " + e.existingCallId();
                    }
                }));
            }
            byKey.put(key, racers);
        }

        go.countDown();

        for (List<Future<String>> racers : byKey.values()) {
            String a = racers.get(0).get(60, TimeUnit.SECONDS);
            String b = racers.get(1).get(60, TimeUnit.SECONDS);
            String winner = a.startsWith("refused") ? b : a;
            assertThat(List.of(a, b)).as("one call made, the other refused naming it")
                    .containsExactlyInAnyOrder(winner, "refused for " + winner);
        }
        assertThat(Tables.count(direct(), "calling_call")).isEqualTo(1 + 16);
    }

    private static CallRecord keyed(String id, String idempotencyKey) {
        return CallRecord.initiated(id, "cust-1", CallCategory.INTERNET_VOIP, null, "+14155550100", null,
                Priority.NORMAL, idempotencyKey, null, Money.inr("1"), Money.inr("0.20"), List.of("test"), false, T0,
                Map.of());
    }

    @Test
    void aGroupOfWritesCommitsOnce() throws Exception {
        store.create(call("c-0"));
        holdTheWriter();
        List<Future<?>> writes = new ArrayList<>();
        for (int i = 1; i <= 8; i++) writes.add(queue(callOf(call("c-" + i))));
        writes.add(queue(() -> store.update(CallUpdate.of("c-0", T0).status(CallStatus.RINGING))));
        writes.add(queue(() -> store.appendEvent(event("c-0x", "placed"))));
        long commits = group.commits();

        release();

        for (Future<?> w : writes) w.get(30, TimeUnit.SECONDS);
        assertThat(group.commits() - commits).as("the blocker's group and this one").isEqualTo(2);
        assertThat(group.retriedAlone()).isZero();
        assertThat(Tables.count(direct(), "calling_call")).isEqualTo(10);
        assertThat(store.find("c-0").orElseThrow().status()).isEqualTo(CallStatus.RINGING);
    }

    @Test
    void aLoneWriteCommitsWithItsStatementWithoutATransactionAroundIt() {
        AtomicInteger begun = new AtomicInteger();
        Jdbi jdbi = database.jdbi();
        jdbi.setTransactionHandler(new DelegatingTransactionHandler(jdbi.getTransactionHandler()) {
            @Override
            public void begin(Handle handle) {
                begun.incrementAndGet();
                super.begin(handle);
            }
        });
        long commits = group.commits();

        store.create(call("lone"));
        assertThat(store.update(CallUpdate.of("lone", T0).status(CallStatus.QUEUED))).isTrue();

        assertThat(begun).as("transactions begun").hasValue(0);
        assertThat(group.commits() - commits).isEqualTo(2);
        assertThat(statusOf(direct(), "lone")).isEqualTo("queued");
    }

    @Test
    void aFailingWriteFailsOnlyItsOwnCaller() throws Exception {
        for (String id : List.of("taken", "answered", "logged")) store.create(call(id));
        store.update(CallUpdate.of("answered", T0).status(CallStatus.ANSWERED));
        store.appendEvent(event("logged", "ringing"));
        holdTheWriter();
        Future<?> duplicate = queue(callOf(call("taken")));
        Future<?> fresh = queue(callOf(call("fresh")));
        Future<Boolean> unknown = queue(() -> store.update(CallUpdate.of("nobody", T0).status(CallStatus.QUEUED)));
        Future<Boolean> backwards = queue(() -> store.update(CallUpdate.of("answered", T0).status(CallStatus.RINGING)));
        Future<Boolean> replay = queue(() -> store.appendEvent(event("logged", "ringing")));
        Future<Boolean> newEvent = queue(() -> store.appendEvent(event("taken", "placed")));

        release();

        assertThatThrownBy(() -> duplicate.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(DuplicateCallException.class).hasMessageContaining("'taken'");
        fresh.get(30, TimeUnit.SECONDS);
        assertThat(unknown.get(30, TimeUnit.SECONDS)).isFalse();
        assertThat(backwards.get(30, TimeUnit.SECONDS)).isFalse();
        assertThat(replay.get(30, TimeUnit.SECONDS)).isFalse();
        assertThat(newEvent.get(30, TimeUnit.SECONDS)).isTrue();
        assertThat(group.retriedAlone()).as("the group's batch failed once").isEqualTo(1);
        assertThat(store.find("fresh")).isPresent();
        assertThat(store.find("answered").orElseThrow().status()).isEqualTo(CallStatus.ANSWERED);
        assertThat(Tables.count(direct(), "calling_call")).isEqualTo(5);
        assertThat(Tables.count(direct(), "calling_call_event")).isEqualTo(2);
    }

    @Test
    void aReplayedEventInsertsNothingAndFailsNothingElseInItsGroup() throws Exception {
        store.create(call("logged"));
        store.appendEvent(event("logged", "ringing"));
        holdTheWriter();
        Future<Boolean> replay = queue(() -> store.appendEvent(event("logged", "ringing")));
        Future<?> fresh = queue(callOf(call("fresh")));
        Future<Boolean> newEvent = queue(() -> store.appendEvent(event("logged", "answered")));
        long retried = group.retriedAlone();

        release();

        assertThat(replay.get(30, TimeUnit.SECONDS)).isFalse();
        fresh.get(30, TimeUnit.SECONDS);
        assertThat(newEvent.get(30, TimeUnit.SECONDS)).isTrue();
        assertThat(group.retriedAlone() - retried).as("groups run again one by one").isZero();
        assertThat(store.events("logged")).extracting(StoredEvent::type).containsExactly("ringing", "answered");
    }

    @Test
    void twoWritesOfOneCallGoInSuccessiveGroupsInTheirOrder() throws Exception {
        store.create(call("c-1"));
        holdTheWriter();
        Future<Boolean> ringing = queue(() -> store.update(CallUpdate.of("c-1", T0).status(CallStatus.RINGING)));
        Future<Boolean> queued = queue(() -> store.update(CallUpdate.of("c-1", T0).status(CallStatus.QUEUED)));
        long groups = group.groups();

        release();

        assertThat(ringing.get(30, TimeUnit.SECONDS)).isTrue();
        assertThat(queued.get(30, TimeUnit.SECONDS)).as("lower rank, after ringing").isFalse();
        assertThat(group.groups() - groups).isEqualTo(2);
        assertThat(store.find("c-1").orElseThrow().status()).isEqualTo(CallStatus.RINGING);
    }

    @Test
    void closeCommitsEveryQueuedWriteThenRefusesMore() throws Exception {
        holdTheWriter();
        List<Future<?>> writes = new ArrayList<>();
        for (int i = 0; i < 20; i++) writes.add(queue(callOf(call("c-" + i))));
        Future<?> closing = callers.submit(() -> database.close());
        await(() -> group.queued() == 21);   // the 20 writes and close()'s stop mark behind them

        release();

        closing.get(30, TimeUnit.SECONDS);
        for (Future<?> w : writes) w.get(30, TimeUnit.SECONDS);
        assertThat(Tables.count(direct(), "calling_call")).isEqualTo(21);
        assertThatThrownBy(() -> store.create(call("late"))).isInstanceOf(StoreException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void aSecondCloseAlsoReturnsOnlyOnceEveryQueuedWriteIsCommitted() throws Exception {
        holdTheWriter();
        List<Future<?>> writes = new ArrayList<>();
        for (int i = 0; i < 5; i++) writes.add(queue(callOf(call("c-" + i))));
        Future<?> first = callers.submit(() -> database.close());
        await(() -> group.queued() == 6);   // the 5 writes and the first close()'s stop mark behind them
        Thread second = new Thread(() -> database.close());
        second.start();
        await(() -> !second.isAlive() || second.getState() == Thread.State.WAITING);
        boolean returnedEarly = !second.isAlive();

        release();

        first.get(30, TimeUnit.SECONDS);
        second.join(30_000);
        assertThat(returnedEarly).as("the second close returned while writes were queued").isFalse();
        for (Future<?> w : writes) w.get(30, TimeUnit.SECONDS);
        assertThat(Tables.count(direct(), "calling_call")).isEqualTo(6);
    }

    @Test
    void anInterruptedCallerStillWaitsForItsWriteAndKeepsTheInterrupt() throws Exception {
        holdTheWriter();
        boolean[] interruptedOnReturn = new boolean[1];
        Thread caller = new Thread(() -> {
            store.create(call("patient"));
            interruptedOnReturn[0] = Thread.currentThread().isInterrupted();
        });
        caller.start();
        await(() -> group.queued() == 1);
        caller.interrupt();
        await(() -> caller.getState() == Thread.State.WAITING);
        assertThat(caller.isAlive()).as("still waiting for its write").isTrue();

        release();

        caller.join(30_000);
        assertThat(caller.isAlive()).isFalse();
        assertThat(interruptedOnReturn[0]).isTrue();
        assertThat(store.find("patient")).isPresent();
        assertThat(Tables.count(direct(), "calling_call")).isEqualTo(2);
    }

    /**
     * A group that changes one call's row and then writes an event of another, while an erasure of both calls' number
     * holds the event's call and waits for the other: each waits for the other, and the database aborts one as
     * deadlocked, unless it let the group through first. Whichever it is, the event is stored once and without the
     * number's details, and the erasure completes: the group's writes run again alone, or the erasure's transaction
     * runs again once the group has its rows (an erasure run again at once can take the event's call first again). No
     * thread hangs.
     */
    @Test
    void anEventWrittenInAGroupWhileItsCallsNumberIsErasedIsKeptWithoutItsDetails() throws Exception {
        String number = "+919876543210";
        JdbiCallStore erasing = new JdbiCallStore(database.jdbi(), Dialect.valueOf(database.databaseKind()),
                StoreSettings.builder().erasureKey(Secret.of("group-erasure-key")).build());
        // the event's call first, by id and by insertion, so that the erasure's update takes its row first
        for (String id : List.of("a-reported", "b-updated")) {
            store.create(CallRecord.initiated(id, "cust-1", CallCategory.INTERNET_VOIP, null, number, null,
                    Priority.NORMAL, null, null, Money.inr("1"), Money.inr("0.20"), List.of("test"), false, T0, Map.of()));
            store.update(CallUpdate.of(id, T0).status(CallStatus.COMPLETED).cost(Money.inr("0.20")));
        }
        try (Handle updated = database.jdbi().open()) {
            updated.begin();
            updated.execute("UPDATE calling_call SET attempt = attempt + 1 WHERE call_id = 'b-updated'");
            holdTheWriter();
            Future<Boolean> update = queue(() -> store.update(CallUpdate.of("b-updated", T0.plusSeconds(1))
                    .transcript("my number is " + number)));
            Future<Boolean> event = queue(() -> store.appendEvent(new StoredEvent("a-reported", "twilio", "recording",
                    null, T0.plusSeconds(1), Map.of("To", number, "RecordingUrl", "https://rec.example/1.mp3"))));
            release();
            await(() -> waitingForLocks() == 1);   // the group, for the row held here
            Future<ErasureResult> erasure = callers.submit(() -> erasing.erase(number));
            await(() -> erasure.isDone() || waitingForLocks() == 2);
            updated.rollback();

            assertThat(erasure.get(60, TimeUnit.SECONDS).calls()).isEqualTo(2);
            assertThat(event.get(60, TimeUnit.SECONDS)).isTrue();
            update.get(60, TimeUnit.SECONDS);
        }
        assertThat(store.events("a-reported")).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo("recording");
            assertThat(e.data()).isEmpty();
        });
        assertThat(store.find("b-updated").orElseThrow().transcript()).isNull();
        assertThat(store.findByNumber(number, 10)).isEmpty();
    }

    /**
     * The lifecycle's updates (updateAndFind) in one group read their calls in one query, in the group's transaction,
     * not each its own after the commit: each still gets its call as its update left it, moved or not, and none for a
     * call not on record.
     */
    @Test
    void aGroupsUpdatesReadTheirCallsInOneQueryAsTheGroupLeavesThem() throws Exception {
        for (String id : List.of("r-1", "r-2", "r-3")) store.create(call(id));
        store.update(CallUpdate.of("r-3", T0).status(CallStatus.ANSWERED));
        List<String> reads = new CopyOnWriteArrayList<>();
        database.jdbi().setSqlLogger(new SqlLogger() {
            @Override
            public void logAfterExecution(StatementContext ctx) {
                if (ctx.getRenderedSql().contains("FROM calling_call WHERE")) reads.add(ctx.getRenderedSql());
            }
        });
        holdTheWriter();
        Future<Updated> queued = queue(() -> store.updateAndFind(CallUpdate.of("r-1", T0.plusSeconds(1))
                .provider("twilio", "CA-r-1").status(CallStatus.QUEUED)));
        Future<Updated> fields = queue(() -> store.updateAndFind(CallUpdate.of("r-2", T0.plusSeconds(1))
                .transcript("hello")));
        Future<Updated> backwards = queue(() -> store.updateAndFind(CallUpdate.of("r-3", T0.plusSeconds(1))
                .status(CallStatus.RINGING)));
        Future<Updated> unknown = queue(() -> store.updateAndFind(CallUpdate.of("r-none", T0).status(CallStatus.QUEUED)));
        release();

        Updated first = queued.get(30, TimeUnit.SECONDS);
        assertThat(first.moved()).isTrue();
        assertThat(first.record()).get().satisfies(r -> {
            assertThat(r.status()).isEqualTo(CallStatus.QUEUED);
            assertThat(r.providerCallId()).isEqualTo("CA-r-1");
        });
        Updated second = fields.get(30, TimeUnit.SECONDS);
        assertThat(second.moved()).isFalse();
        assertThat(second.record()).get().extracting(CallRecord::transcript).isEqualTo("hello");
        Updated third = backwards.get(30, TimeUnit.SECONDS);
        assertThat(third.moved()).isFalse();
        assertThat(third.record()).get().extracting(CallRecord::status).isEqualTo(CallStatus.ANSWERED);
        assertThat(unknown.get(30, TimeUnit.SECONDS)).isEqualTo(new Updated(false, Optional.empty()));
        assertThat(reads).as("the group's reads of calls").hasSize(1);
    }

    /** How many of the database's sessions wait for a row lock another one holds. */
    private int waitingForLocks() {
        String sql = database.databaseKind().equals("H2")
                ? "SELECT COUNT(*) FROM INFORMATION_SCHEMA.SESSIONS WHERE BLOCKER_ID IS NOT NULL"
                : "SELECT COUNT(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()";
        return database.jdbi().withHandle(h -> h.createQuery(sql).mapTo(Integer.class).one());
    }

    /** Takes the blocker's row lock and hands the writer thread an update of it, which waits on the lock. */
    private void holdTheWriter() {
        lock = database.jdbi().open();
        lock.begin();
        lock.execute("UPDATE calling_call SET attempt = attempt + 1 WHERE call_id = 'blocker'");
        long before = group.groups();
        callers.submit(() -> store.update(CallUpdate.of("blocker", T0).status(CallStatus.QUEUED)));
        await(() -> group.groups() == before + 1);
    }

    private void release() {
        lock.rollback();
        lock.close();
        lock = null;
    }

    /** Hands {@code write} to a caller thread and waits until it is queued behind the held group. */
    private <T> Future<T> queue(Callable<T> write) {
        int queued = group.queued();
        Future<T> future = callers.submit(write);
        await(() -> group.queued() == queued + 1 || future.isDone());
        return future;
    }

    private Callable<Void> callOf(CallRecord r) {
        return () -> {
            store.create(r);
            return null;
        };
    }

    private static String statusOf(Jdbi jdbi, String callId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT status FROM calling_call WHERE call_id = :id")
                .bind("id", callId).mapTo(String.class).one());
    }

    /** Polls until {@code condition} holds, for at most 20 s: the thread it waits for runs on a busy machine. */
    static void await(BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("condition not met within 20 s");
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
