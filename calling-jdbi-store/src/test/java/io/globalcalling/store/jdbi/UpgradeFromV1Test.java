package io.globalcalling.store.jdbi;

import io.globalcalling.CallStatus;
import io.globalcalling.Money;
import io.globalcalling.CallRecord;
import io.globalcalling.spi.store.StoredEvent;
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
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 9: a database written by schema V1 keeps its calls through the V2 migration. V1 stored the
 * budget hold as the "estimated cost": the hold stays the hold, the estimate is unknown, the call was
 * not simulated, and the events already there stay while new replays are stored once.
 */
class UpgradeFromV1Test {

    private static final Instant T0 = Instant.parse("2026-03-01T09:00:00Z");

    @TempDir
    Path folder;

    @Test
    void anH2DatabaseOfV1KeepsItsHoldAndEvents() {
        JdbcConnectionPool pool = JdbcConnectionPool.create("jdbc:h2:file:" + folder.resolve("calls"), "sa", "");
        try {
            upgradesKeepingTheHold(pool, Dialect.H2);
        } finally {
            pool.dispose();
        }
    }

    @Test
    void aPostgresDatabaseOfV1KeepsItsHoldAndEvents() {
        JdbcConnectionPool pool = Postgres.newDatabase();
        try {
            upgradesKeepingTheHold(pool, Dialect.POSTGRESQL);
        } finally {
            pool.dispose();
        }
    }

    private static void upgradesKeepingTheHold(DataSource dataSource, Dialect dialect) {
        Flyway.configure().dataSource(dataSource).table(Migrations.HISTORY_TABLE)
                .locations(dialect.migrationLocation()).target("1").load().migrate();
        Jdbi v1 = Jdbi.create(dataSource);
        v1.useHandle(h -> {
            h.createUpdate("INSERT INTO calling_call (call_id, customer_id, category, to_number, status, status_rank,"
                            + " terminal, priority, attempt, estimated_cost_amount, estimated_cost_currency, route_reasons,"
                            + " needs_reconciliation, limit_bypass, started_at, created_at, updated_at, metadata) VALUES"
                            + " ('call-old', 'cust-1', 'internet_voip', '+919876543210', 'completed', :rank, TRUE,"
                            + " 'normal', 1, 1200, 'INR', " + dialect.json("list") + ", FALSE, FALSE, :at, :at, :at, "
                            + dialect.json("map") + ")")
                    .bind("rank", 4).bind("list", "[]").bind("map", "{}")   // 4: a terminal status's rank in V1
                    .bind("at", T0.atOffset(ZoneOffset.UTC)).execute();
            for (int i = 0; i < 2; i++) {   // V1 kept every replay
                h.createUpdate("INSERT INTO calling_call_event (call_id, source, type, status, occurred_at, data)"
                                + " VALUES ('call-old', 'twilio', 'status', 'completed', :at, " + dialect.json("data") + ")")
                        .bind("at", T0.atOffset(ZoneOffset.UTC)).bind("data", "{\"providerCallId\":\"CA1\"}").execute();
            }
        });

        try (JdbiCallingDatabase db = JdbiCallingDatabase.open(dataSource, StoreSettings.defaults())) {
            CallRecord old = db.callStore().find("call-old").orElseThrow();
            StoredEvent replay = new StoredEvent("call-old", "twilio", "status", CallStatus.COMPLETED, T0,
                    Map.of("providerCallId", "CA1"));

            assertThat(db.schemaVersion()).isEqualTo("17");
            assertThat(old.heldAmount()).isEqualTo(Money.inr("1200"));
            assertThat(old.estimatedCost()).isNull();
            assertThat(old.simulated()).isFalse();
            assertThat(db.callStore().events("call-old")).hasSize(2);
            assertThat(db.callStore().appendEvent(replay)).isTrue();
            assertThat(db.callStore().appendEvent(replay)).isFalse();
            assertThat(db.callStore().events("call-old")).hasSize(3);
        }
    }
}
