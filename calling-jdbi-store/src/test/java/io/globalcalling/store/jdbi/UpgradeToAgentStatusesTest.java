package io.globalcalling.store.jdbi;

import io.globalcalling.CallRecord;
import io.globalcalling.CallStatus;
import io.globalcalling.spi.store.CallStore;
import io.globalcalling.spi.store.CallUpdate;
import io.globalcalling.store.jdbi.internal.Dialect;
import io.globalcalling.store.jdbi.internal.Migrations;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcConnectionPool;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 11: waiting_for_agent and with_agent come after answered, so terminal statuses move from rank 4
 * to rank 6. A database of schema V3 holding a call in every status of that time keeps each status, its
 * stored rank is rewritten to today's, and calls still only move forward.
 */
class UpgradeToAgentStatusesTest {

    private static final Instant T0 = Instant.parse("2026-06-01T09:00:00Z");
    /** Every status there was in V3, with the rank V3 stored for it. */
    private static final Map<String, Integer> V3_RANKS = new LinkedHashMap<>();

    static {
        V3_RANKS.put("initiated", 0);
        V3_RANKS.put("queued", 1);
        V3_RANKS.put("ringing", 2);
        V3_RANKS.put("answered", 3);
        for (String terminal : new String[] {"completed", "busy", "no_answer", "failed", "canceled"}) {
            V3_RANKS.put(terminal, 4);
        }
    }

    @TempDir
    Path folder;

    @Test
    void anH2DatabaseOfV3KeepsEveryStatusWithTodaysRank() {
        JdbcConnectionPool pool = JdbcConnectionPool.create("jdbc:h2:file:" + folder.resolve("calls"), "sa", "");
        try {
            upgradesEveryStatus(pool, Dialect.H2);
        } finally {
            pool.dispose();
        }
    }

    @Test
    void aPostgresDatabaseOfV3KeepsEveryStatusWithTodaysRank() {
        JdbcConnectionPool pool = Postgres.newDatabase();
        try {
            upgradesEveryStatus(pool, Dialect.POSTGRESQL);
        } finally {
            pool.dispose();
        }
    }

    private static void upgradesEveryStatus(DataSource dataSource, Dialect dialect) {
        Flyway.configure().dataSource(dataSource).table(Migrations.HISTORY_TABLE)
                .locations(dialect.migrationLocation()).target("3").load().migrate();
        Jdbi v3 = Jdbi.create(dataSource);
        v3.useHandle(h -> V3_RANKS.forEach((status, rank) ->
                h.createUpdate("INSERT INTO calling_call (call_id, customer_id, category, to_number, status,"
                                + " status_rank, terminal, priority, attempt, route_reasons, needs_reconciliation,"
                                + " limit_bypass, started_at, created_at, updated_at, metadata) VALUES (:id, 'cust-1',"
                                + " 'human_agent', '+919876543210', :status, :rank, :terminal, 'normal', 1, "
                                + dialect.json("list") + ", FALSE, FALSE, :at, :at, :at, " + dialect.json("map") + ")")
                        .bind("id", "call-" + status).bind("status", status).bind("rank", rank)
                        .bind("terminal", rank == 4).bind("list", "[]").bind("map", "{}")
                        .bind("at", T0.atOffset(ZoneOffset.UTC)).execute()));

        try (JdbiCallingDatabase db = JdbiCallingDatabase.open(dataSource, StoreSettings.defaults())) {
            CallStore store = db.callStore();
            for (String status : V3_RANKS.keySet()) {
                CallRecord r = store.find("call-" + status).orElseThrow();
                assertThat(r.status()).as(status).isEqualTo(CallStatus.fromWireName(status));
                int stored = db.jdbi().withHandle(h -> h.createQuery(
                                "SELECT status_rank FROM calling_call WHERE call_id = :id")
                        .bind("id", "call-" + status).mapTo(Integer.class).one());
                assertThat(stored).as("stored rank of " + status).isEqualTo(r.status().rank());
                // no old call goes back, and none that ended takes an agent
                assertThat(store.update(CallUpdate.of(r.callId(), T0.plusSeconds(1)).status(CallStatus.INITIATED)))
                        .as(status + " → initiated").isFalse();
                assertThat(store.update(CallUpdate.of(r.callId(), T0.plusSeconds(1)).status(CallStatus.WITH_AGENT)))
                        .as(status + " → with_agent").isEqualTo(!r.status().isTerminal());
            }
            assertThat(store.update(CallUpdate.of("call-answered", T0.plusSeconds(2)).status(CallStatus.COMPLETED))).isTrue();
            assertThat(store.find("call-answered").orElseThrow().status()).isEqualTo(CallStatus.COMPLETED);
            assertThat(db.schemaVersion()).isEqualTo("17");
        }
    }
}
