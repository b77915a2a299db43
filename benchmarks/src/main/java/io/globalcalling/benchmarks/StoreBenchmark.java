package io.globalcalling.benchmarks;

import io.globalcalling.CallCategory;
import io.globalcalling.CallStatus;
import io.globalcalling.Money;
import io.globalcalling.Priority;
import io.globalcalling.Purpose;
import io.globalcalling.CallRecord;
import io.globalcalling.spi.store.CallStore;
import io.globalcalling.spi.store.CallUpdate;
import io.globalcalling.spi.store.StoredEvent;
import io.globalcalling.store.jdbi.JdbiCallingDatabase;
import io.globalcalling.store.jdbi.StoreSettings;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.h2.jdbcx.JdbcConnectionPool;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

import javax.sql.DataSource;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Recording 10,000 calls through the JDBI store - each created, then moved to queued, ringing and
 * completed, every step its own transaction as in production - beside the floor: raw JDBC batch
 * inserts of the same 10,000 rows in their final state, in one transaction. On H2 (file) and on a
 * real PostgreSQL server (embedded, started here, default durability settings). One operation = all
 * 10,000 calls, shared by {@code writers} threads; the baseline is one batch whatever the writers.
 * {@code recordThroughGroupCommit} is the same through a store with group commit on, on the same
 * DataSource: the writers' writes share transactions and commits. {@code baselineJdbcBatchSameStatements}
 * runs the store's own statements as batches in one transaction: the database's share of the store's time.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, batchSize = 1)
@Measurement(iterations = 5, batchSize = 1)
@Fork(1)
public class StoreBenchmark {

    /** The calls one operation records: 10,000 in every figure in docs/BENCHMARKS.md; fewer only to check that it runs. */
    @Param({"10000"})
    public int calls;

    @Param({"h2", "postgres"})
    public String database;

    /** Threads sharing the 10,000 calls: each status change is its own commit, so one writer is bound by commit latency. */
    @Param({"1", "8", "64"})
    public int writers;

    /** Group commit's writer threads ({@code StoreSettings.groupCommitWriters}, default 1); compare with -p groupCommitWriters=1,2,3,4. */
    @Param({"1"})
    public int groupCommitWriters;

    /**
     * An experiment on the schema, PostgreSQL only (default off): the calls table leaves 40 % of each page free and
     * loses its (status, started_at) index, so that a status move that changes no indexed column is a heap-only (HOT)
     * update, one new row version and no index entries. Not the store's schema: listing calls by status needs that index.
     */
    @Param({"false"})
    public boolean hotUpdates;

    private EmbeddedPostgres postgres;
    private Runnable closePool;
    private Path h2Folder;
    private DataSource dataSource;
    private JdbiCallingDatabase calling;
    private CallStore store;
    private JdbiCallingDatabase grouped;
    private CallStore groupCommitStore;
    private List<CallRecord> records;
    private int iteration;

    @Setup(Level.Trial)
    public void open() throws Exception {
        if (hotUpdates && !database.equals("postgres")) {
            throw new IllegalArgumentException("hotUpdates is a PostgreSQL experiment; database is " + database);
        }
        if (database.equals("postgres")) {
            postgres = EmbeddedPostgres.builder().start();
            // Pooled by HikariCP, as a host's DataSource usually is and as JdbiCallingDatabase.postgres(url, ...) pools:
            // a connection per operation would measure PostgreSQL's fork, not the store.
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl(postgres.getJdbcUrl("postgres", "postgres"));
            config.setUsername("postgres");
            config.setMaximumPoolSize(16);
            HikariDataSource hikari = new HikariDataSource(config);
            closePool = hikari::close;
            dataSource = hikari;
        } else {
            // H2's own pool, as JdbiCallingDatabase.h2File uses.
            h2Folder = Files.createTempDirectory("store-benchmark");
            JdbcConnectionPool h2 = JdbcConnectionPool.create("jdbc:h2:file:" + h2Folder.resolve("calls").toAbsolutePath()
                    + ";LOCK_TIMEOUT=10000", "sa", "");
            h2.setMaxConnections(16);
            closePool = h2::dispose;
            dataSource = h2;
        }
        calling = JdbiCallingDatabase.open(dataSource, StoreSettings.builder().build());
        if (hotUpdates) {
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
                s.execute("ALTER TABLE calling_call SET (fillfactor = 60)");
                s.execute("DROP INDEX calling_call_status_ix");
            }
        }
        store = calling.callStore();
        grouped = JdbiCallingDatabase.open(dataSource, StoreSettings.builder().groupCommit(true)
                .groupCommitWriters(groupCommitWriters).build());
        groupCommitStore = grouped.callStore();
    }

    @Setup(Level.Iteration)
    public void freshRows(BenchmarkParams params) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("DELETE FROM calling_call");
            s.executeUpdate("DELETE FROM calling_call_event");
        }
        iteration++;
        Instant now = Instant.parse("2026-11-24T10:00:00Z");
        records = new ArrayList<>(calls);
        for (int i = 0; i < calls; i++) {
            records.add(CallRecord.initiated("call-" + iteration + "-" + i, "acme", CallCategory.INTERNET_VOIP,
                    "+15017122661", "+9198765" + String.format("%05d", i), Purpose.SUPPORT, Priority.NORMAL, null, null,
                    Money.inr("10"), Money.inr("2"),
                    List.of("internet_voip: cheapest covering option"), false, now, Map.of("batch", "b")));
        }
        // a provider reports on calls that are on record already
        if (params.getBenchmark().contains("appendEvents")) baselineJdbcBatch();
    }

    @Benchmark
    public int recordThroughStore() throws Exception {
        return shared(calls -> record(store, calls));
    }

    /** The same through the store with group commit on: each write still returns once it is durable. */
    @Benchmark
    public int recordThroughGroupCommit() throws Exception {
        return shared(calls -> record(groupCommitStore, calls));
    }

    /**
     * Only the calls' intents: each record as the manager writes it before any provider is asked (status
     * {@code initiated}), durable when {@code create} returns. The reliability target: 10,000 in under 2 s.
     */
    @Benchmark
    public int persistIntentsThroughStore() throws Exception {
        return shared(calls -> create(store, calls));
    }

    /** The same intents through the store with group commit on. */
    @Benchmark
    public int persistIntentsThroughGroupCommit() throws Exception {
        return shared(calls -> create(groupCommitStore, calls));
    }

    /**
     * A provider's reports as callbacks append them: one status event to each of the 10,000 calls (on record
     * already, as when their provider reports), each durable when {@code appendEvent} returns.
     */
    @Benchmark
    public int appendEventsThroughStore() throws Exception {
        return shared(calls -> append(store, calls));
    }

    /** The same events through the store with group commit on. */
    @Benchmark
    public int appendEventsThroughGroupCommit() throws Exception {
        return shared(calls -> append(groupCommitStore, calls));
    }

    private static int append(CallStore store, List<CallRecord> calls) {
        int added = 0;
        for (CallRecord r : calls) {
            added += store.appendEvent(new StoredEvent(r.callId(), "twilio", "status", CallStatus.RINGING,
                    r.startedAt().plusSeconds(2), Map.of("CallSid", "CA" + r.callId(), "SequenceNumber", "1"))) ? 1 : 0;
        }
        return added;
    }

    private static int create(CallStore store, List<CallRecord> calls) {
        calls.forEach(store::create);
        return calls.size();
    }

    /**
     * The floor at the same durability: the store's four statements per call, each committing on its own
     * (autocommit, as the store runs them), in plain JDBC on one connection per writer: the store minus the store.
     */
    @Benchmark
    public int baselineJdbcPerTransition() throws Exception {
        return shared(this::recordWithJdbc);
    }

    private interface Writer {
        int write(List<CallRecord> calls) throws Exception;
    }

    /** Splits the calls over {@code writers} threads. */
    private int shared(Writer writer) throws Exception {
        if (writers == 1) return writer.write(records);
        int slice = (records.size() + writers - 1) / writers;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<Integer>> done = new ArrayList<>();
            for (int from = 0; from < records.size(); from += slice) {
                List<CallRecord> part = records.subList(from, Math.min(from + slice, records.size()));
                done.add(pool.submit(() -> writer.write(part)));
            }
            int moved = 0;
            for (Future<Integer> f : done) moved += f.get();
            return moved;
        } finally {
            pool.shutdown();
        }
    }

    private int recordWithJdbc(List<CallRecord> calls) throws SQLException {
        int moved = 0;
        try (Connection c = dataSource.getConnection(); StoreStatements store = new StoreStatements(c)) {
            c.setAutoCommit(true);
            for (CallRecord call : calls) {
                store.bindInsert(call);
                store.insert.executeUpdate();
                store.bindQueued(call);
                moved += store.queued.executeUpdate();
                store.bindRinging(call);
                moved += store.ringing.executeUpdate();
                store.bindCompleted(call);
                moved += store.completed.executeUpdate();
            }
        }
        return moved;
    }

    private static int record(CallStore store, List<CallRecord> calls) {
        int moved = 0;
        for (CallRecord r : calls) {
            store.create(r);
            Instant t = r.startedAt();
            moved += store.update(CallUpdate.of(r.callId(), t).provider("twilio", "CA" + r.callId())
                    .status(CallStatus.QUEUED).attempt(1)) ? 1 : 0;
            moved += store.update(CallUpdate.of(r.callId(), t.plusSeconds(2)).status(CallStatus.RINGING)) ? 1 : 0;
            moved += store.update(CallUpdate.of(r.callId(), t.plusSeconds(60)).status(CallStatus.COMPLETED)
                    .durationSeconds(50).cost(Money.inr("1")).endedAt(t.plusSeconds(60))) ? 1 : 0;
        }
        return moved;
    }

    @Benchmark
    public int baselineJdbcBatch() throws SQLException {
        String json = database.equals("postgres") ? "CAST(? AS jsonb)" : "?";
        String sql = "INSERT INTO calling_call (call_id, customer_id, category, provider_id, provider_call_id, from_number,"
                + " to_number, status, status_rank, terminal, purpose, priority, attempt, estimated_cost_amount,"
                + " estimated_cost_currency, cost_amount, cost_currency, duration_seconds, route_reasons,"
                + " needs_reconciliation, limit_bypass, started_at, ended_at, created_at, updated_at, metadata)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, " + json + ", ?, ?, ?, ?, ?, ?, " + json + ")";
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (CallRecord r : records) {
                    Timestamp started = Timestamp.from(r.startedAt());
                    ps.setString(1, r.callId());
                    ps.setString(2, r.customerId());
                    ps.setString(3, r.category().wireName());
                    ps.setString(4, "twilio");
                    ps.setString(5, "CA" + r.callId());
                    ps.setString(6, r.fromNumber());
                    ps.setString(7, r.toNumber());
                    ps.setString(8, "completed");
                    ps.setInt(9, CallStatus.COMPLETED.rank());
                    ps.setBoolean(10, true);
                    ps.setString(11, "support");
                    ps.setString(12, "normal");
                    ps.setInt(13, 1);
                    ps.setBigDecimal(14, BigDecimal.TEN);
                    ps.setString(15, "INR");
                    ps.setBigDecimal(16, BigDecimal.ONE);
                    ps.setString(17, "INR");
                    ps.setInt(18, 50);
                    ps.setString(19, "[\"internet_voip: cheapest covering option\"]");
                    ps.setBoolean(20, false);
                    ps.setBoolean(21, false);
                    ps.setTimestamp(22, started);
                    ps.setTimestamp(23, Timestamp.from(r.startedAt().plusSeconds(60)));
                    ps.setTimestamp(24, started);
                    ps.setTimestamp(25, started);
                    ps.setString(26, "{\"batch\":\"b\"}");
                    ps.addBatch();
                }
                int[] counts = ps.executeBatch();
                c.commit();
                return counts.length;
            }
        }
    }

    /**
     * The database's own share of the store's work: the very statements the store runs for the 10,000
     * calls (each call's insert with every column, then its three updates, each a status move with its
     * fields in one conditional UPDATE), as one JDBC batch per statement in one transaction, one commit.
     */
    @Benchmark
    public int baselineJdbcBatchSameStatements() throws SQLException {
        int moved = 0;
        try (Connection c = dataSource.getConnection(); StoreStatements store = new StoreStatements(c)) {
            c.setAutoCommit(false);
            for (CallRecord call : records) {
                store.bindInsert(call);
                store.insert.addBatch();
                store.bindQueued(call);
                store.queued.addBatch();
                store.bindRinging(call);
                store.ringing.addBatch();
                store.bindCompleted(call);
                store.completed.addBatch();
            }
            store.insert.executeBatch();
            for (PreparedStatement update : List.of(store.queued, store.ringing, store.completed)) {
                for (int count : update.executeBatch()) moved += count;
            }
            c.commit();
        }
        return moved;
    }

    /**
     * The statements the store runs for a call, in plain JDBC: its insert with every column, then its three
     * updates, each a status move with its fields in one conditional UPDATE.
     */
    private final class StoreStatements implements AutoCloseable {
        final PreparedStatement insert;
        final PreparedStatement queued;
        final PreparedStatement ringing;
        final PreparedStatement completed;

        StoreStatements(Connection c) throws SQLException {
            String json = database.equals("postgres") ? "CAST(? AS jsonb)" : "?";
            String moves = " status = ?, status_rank = ?, terminal = ?, updated_at = ?"
                    + " WHERE call_id = ? AND status_rank < ? AND terminal = FALSE";
            insert = c.prepareStatement("INSERT INTO calling_call (call_id, customer_id, category, provider_id,"
                    + " provider_call_id, from_number, to_number, status, status_rank, terminal, purpose, priority, attempt,"
                    + " idempotency_key, campaign_id, held_amount, held_currency, estimated_cost_amount,"
                    + " estimated_cost_currency, cost_amount, cost_currency, duration_seconds, recording_url, transcript,"
                    + " ai_sentiment, route_reasons, error_reason, error_message, needs_reconciliation, limit_bypass,"
                    + " simulated, started_at, answered_at, ended_at, created_at, updated_at, metadata) VALUES (?, ?, ?,"
                    + " NULL, NULL, ?, ?, 'initiated', 0, FALSE, ?, ?, 0, NULL, NULL, ?, ?, ?, ?, NULL, NULL, NULL, NULL,"
                    + " NULL, NULL, " + json + ", NULL, NULL, FALSE, FALSE, FALSE, ?, NULL, NULL, ?, ?, " + json + ")");
            queued = c.prepareStatement("UPDATE calling_call SET provider_id = ?, provider_call_id = ?, attempt = ?," + moves);
            ringing = c.prepareStatement("UPDATE calling_call SET" + moves);
            completed = c.prepareStatement("UPDATE calling_call SET duration_seconds = ?, ended_at = ?, cost_amount = ?,"
                    + " cost_currency = ?," + moves);
        }

        void bindInsert(CallRecord call) throws SQLException {
            Timestamp t = Timestamp.from(call.startedAt());
            insert.setString(1, call.callId());
            insert.setString(2, call.customerId());
            insert.setString(3, call.category().wireName());
            insert.setString(4, call.fromNumber());
            insert.setString(5, call.toNumber());
            insert.setString(6, "support");
            insert.setString(7, "normal");
            insert.setBigDecimal(8, BigDecimal.TEN);
            insert.setString(9, "INR");
            insert.setBigDecimal(10, BigDecimal.valueOf(2));
            insert.setString(11, "INR");
            insert.setString(12, "[\"internet_voip: cheapest covering option\"]");
            insert.setTimestamp(13, t);
            insert.setTimestamp(14, t);
            insert.setTimestamp(15, t);
            insert.setString(16, "{\"batch\":\"b\"}");
        }

        void bindQueued(CallRecord call) throws SQLException {
            queued.setString(1, "twilio");
            queued.setString(2, "CA" + call.callId());
            queued.setInt(3, 1);
            bindMove(queued, 4, call.callId(), CallStatus.QUEUED, Timestamp.from(call.startedAt()));
        }

        void bindRinging(CallRecord call) throws SQLException {
            bindMove(ringing, 1, call.callId(), CallStatus.RINGING, Timestamp.from(call.startedAt().plusSeconds(2)));
        }

        void bindCompleted(CallRecord call) throws SQLException {
            Timestamp end = Timestamp.from(call.startedAt().plusSeconds(60));
            completed.setInt(1, 50);
            completed.setTimestamp(2, end);
            completed.setBigDecimal(3, BigDecimal.ONE);
            completed.setString(4, "INR");
            bindMove(completed, 5, call.callId(), CallStatus.COMPLETED, end);
        }

        private static void bindMove(PreparedStatement ps, int first, String callId, CallStatus to, Timestamp at)
                throws SQLException {
            ps.setString(first, to.wireName());
            ps.setInt(first + 1, to.rank());
            ps.setBoolean(first + 2, to.isTerminal());
            ps.setTimestamp(first + 3, at);
            ps.setString(first + 4, callId);
            ps.setInt(first + 5, to.rank());
        }

        @Override
        public void close() throws SQLException {
            for (PreparedStatement ps : List.of(insert, queued, ringing, completed)) ps.close();
        }
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
        calling.close();
        grouped.close();
        closePool.run();
        if (postgres != null) postgres.close();
    }
}
