package io.globalcalling.store.jdbi;

import io.globalcalling.CallCategory;
import io.globalcalling.CallStatus;
import io.globalcalling.Money;
import io.globalcalling.Priority;
import io.globalcalling.Secret;
import io.globalcalling.CallRecord;
import io.globalcalling.spi.store.CallUpdate;
import io.globalcalling.spi.store.Campaign;
import io.globalcalling.spi.store.CampaignTarget;
import io.globalcalling.spi.store.LimitLedger.PeriodCap;
import io.globalcalling.spi.store.LimitLedger.PeriodUsage;
import io.globalcalling.spi.store.LimitLedger.WindowCap;
import io.globalcalling.spi.store.StoreException;
import io.globalcalling.spi.store.StoredEvent;
import org.h2.jdbcx.JdbcConnectionPool;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Migrations from empty and again, living beside a host's schema, and what is refused at start-up. */
class SchemaAndStartupTest {

    private static final Instant T0 = Instant.parse("2026-03-01T09:00:00Z");

    @TempDir
    Path folder;

    private static long history(Jdbi jdbi) {
        // Flyway quotes its history table's name, so H2 keeps it in lower case.
        return Tables.count(jdbi, "\"calling_schema_history\"");
    }

    @Test
    void migratesAnEmptyH2DatabaseAndReopensWithoutMigratingAgain() {
        long firstHistory;
        try (JdbiCallingDatabase db = JdbiCallingDatabase.h2File(folder.resolve("calls"))) {
            assertThat(db.schemaVersion()).isEqualTo("17");
            assertThat(db.databaseKind()).isEqualTo("H2");
            for (String table : Tables.ALL) assertThat(Tables.count(db.jdbi(), table)).isZero();
            firstHistory = history(db.jdbi());
        }
        try (JdbiCallingDatabase again = JdbiCallingDatabase.h2File(folder.resolve("calls.mv.db"))) {
            assertThat(again.schemaVersion()).isEqualTo("17");
            assertThat(history(again.jdbi())).isEqualTo(firstHistory);
        }
        assertThat(folder.resolve("calls.mv.db")).exists();
    }

    @Test
    void migratesAnEmptyPostgresDatabaseAndReRunsAsANoOp() {
        JdbcConnectionPool pool = Postgres.newDatabase();
        try {
            long firstHistory;
            try (JdbiCallingDatabase db = JdbiCallingDatabase.postgres(pool)) {
                assertThat(db.schemaVersion()).isEqualTo("17");
                assertThat(db.databaseKind()).isEqualTo("POSTGRESQL");
                for (String table : Tables.ALL) assertThat(Tables.count(db.jdbi(), table)).isZero();
                firstHistory = history(db.jdbi());
                String metadataType = db.jdbi().withHandle(h -> h.createQuery("SELECT data_type FROM"
                        + " information_schema.columns WHERE table_name = 'calling_call' AND column_name = 'metadata'")
                        .mapTo(String.class).one());
                assertThat(metadataType).isEqualTo("jsonb");
            }
            try (JdbiCallingDatabase again = JdbiCallingDatabase.postgres(pool)) {
                assertThat(history(again.jdbi())).isEqualTo(firstHistory);
            }
        } finally {
            pool.dispose();
        }
    }

    @Test
    void livesBesideTheHostsOwnTablesAndMigrationHistory() {
        JdbcConnectionPool pool = Postgres.newDatabase();
        try {
            Jdbi host = Jdbi.create(pool);
            host.useHandle(h -> {
                h.execute("CREATE TABLE flyway_schema_history (installed_rank INT PRIMARY KEY, version VARCHAR(50))");
                h.execute("INSERT INTO flyway_schema_history VALUES (1, '7')");
                h.execute("CREATE TABLE orders (id BIGINT PRIMARY KEY, status VARCHAR(20))");
                h.execute("INSERT INTO orders VALUES (1, 'paid')");
            });

            try (JdbiCallingDatabase db = JdbiCallingDatabase.postgres(pool)) {
                db.callStore().create(call("call-1", "+919876543210"));
                assertThat(db.schemaVersion()).isEqualTo("17");
            }

            String order = host.withHandle(h -> h.createQuery("SELECT status FROM orders").mapTo(String.class).one());
            List<String> hostHistory = host.withHandle(h -> h.createQuery("SELECT version FROM flyway_schema_history")
                    .mapTo(String.class).list());
            assertThat(order).isEqualTo("paid");
            assertThat(hostHistory).containsExactly("7");
            assertThat(Tables.count(host, "calling_call")).isEqualTo(1);
        } finally {
            pool.dispose();
        }
    }

    @Test
    void refusesADatabaseWhoseSchemaIsNewerThanTheLibrary() {
        try (JdbiCallingDatabase db = JdbiCallingDatabase.h2File(folder.resolve("calls"))) {
            // What a later library version would have recorded after a migration of its own (well above ours).
            db.jdbi().useHandle(h -> h.execute("INSERT INTO \"calling_schema_history\" (\"installed_rank\","
                    + " \"version\", \"description\", \"type\", \"script\", \"checksum\", \"installed_by\","
                    + " \"installed_on\", \"execution_time\", \"success\")"
                    + " VALUES (100, '99', 'future change', 'SQL', 'V99__future_change.sql', 1, 'sa', CURRENT_TIMESTAMP,"
                    + " 1, TRUE)"));
        }

        assertThatThrownBy(() -> JdbiCallingDatabase.h2File(folder.resolve("calls")))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("version 99")
                .hasMessageContaining("newer than this library");
    }

    @Test
    void refusesAnUnreachablePostgresWithoutShowingThePassword() {
        assertThatThrownBy(() -> JdbiCallingDatabase.postgres("jdbc:postgresql://127.0.0.1:1/calls?connectTimeout=2",
                "app", Secret.of("canary-pw-5521")))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("cannot reach the calling database")
                .hasMessageNotContaining("canary-pw-5521");
    }

    @Test
    void opensPostgresFromAUrlThroughAPoolThatCloseReleases() {
        String url = Postgres.server().getJdbcUrl("postgres", "postgres");
        JdbiCallingDatabase database = JdbiCallingDatabase.postgres(url, "postgres", Secret.of("unused-by-trust-auth"));
        database.callStore().create(CallRecord.initiated("url-1", "acme", CallCategory.INTERNET_VOIP, null, "+14155550100",
                null, Priority.NORMAL, null, null, Money.inr("1"), Money.inr("0.20"), List.of(), false, T0, Map.of()));
        assertThat(database.callStore().find("url-1")).isPresent();

        database.close();

        assertThatThrownBy(() -> database.callStore().find("url-1")).isInstanceOf(StoreException.class);
    }

    @Test
    void refusesAnUrlThatIsNotPostgres() {
        assertThatThrownBy(() -> JdbiCallingDatabase.postgres("jdbc:mysql://db/calls?password=canary-pw-5521",
                "app", Secret.of("x")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("jdbcUrl")
                .hasMessageNotContaining("canary-pw-5521");
    }

    @Test
    void refusesAPasswordInsideTheUrl() {
        assertThatThrownBy(() -> JdbiCallingDatabase.postgres("jdbc:postgresql://db/calls?password=canary-pw-5521",
                "app", Secret.of("x")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("password")
                .hasMessageNotContaining("canary-pw-5521");
    }

    /** The check looked for password= only: a password as user info passed, and the pool's error quoted the URL. */
    @Test
    void refusesAPasswordInTheUrlsUserInfo() {
        Throwable thrown = catchThrowable(() -> JdbiCallingDatabase.postgres(
                "jdbc:postgresql://app:canary-pw-5521@127.0.0.1:1/calls", "app", Secret.of("x")));

        assertThat(thrown).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("password");
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            assertThat(String.valueOf(t.getMessage())).doesNotContain("canary-pw-5521");
        }
    }

    @Test
    void refusesAnH2DataSourceWherePostgresWasAskedFor() {
        JdbcConnectionPool h2 = JdbcConnectionPool.create("jdbc:h2:mem:not-postgres", "sa", "");
        try {
            assertThatThrownBy(() -> JdbiCallingDatabase.postgres(h2))
                    .isInstanceOf(StoreException.class).hasMessageContaining("POSTGRESQL");
        } finally {
            h2.dispose();
        }
    }

    @Test
    void refusesAnH2FileThatCannotBeCreated() throws Exception {
        Path notAFolder = Files.writeString(folder.resolve("plain-file"), "x");

        assertThatThrownBy(() -> JdbiCallingDatabase.h2File(notAFolder.resolve("calls")))
                .isInstanceOf(StoreException.class).hasMessageContaining("plain-file");
    }

    @Test
    void keepsEverythingAcrossARestartOfTheH2File() {
        Path file = folder.resolve("restart/calls");
        List<PeriodCap> budget = List.of(new PeriodCap("day", "2026-03-01", Money.inr("100")));
        try (JdbiCallingDatabase db = JdbiCallingDatabase.h2File(file)) {
            db.callStore().create(call("call-1", "+919876543210"));
            db.callStore().update(CallUpdate.of("call-1", T0.plusSeconds(30)).status(CallStatus.COMPLETED)
                    .cost(Money.inr("2")).durationSeconds(28));
            db.callStore().appendEvent(new StoredEvent("call-1", "twilio", "status", CallStatus.COMPLETED,
                    T0.plusSeconds(30), Map.of("CallSid", "CA1")));
            db.callStore().createCampaign(new Campaign("camp-1", "cust-1", "Renewals", CallCategory.AI_AUTOMATED,
                    "Hi", 1, 0, 0, 0, Money.inr("0"), Campaign.Status.IN_PROGRESS, null, T0, null, T0));
            db.callStore().addTargets(List.of(CampaignTarget.pending("camp-1", "t1", "+919800000001", null, T0)));
            db.limitLedger().reserve("hold-1", "cust-1", Money.inr("40"), budget, false);
            db.limitLedger().count("cust-1", List.of(new WindowCap("minute", T0, 5)), false);
            db.limitLedger().markAlert("cust-1", "day", "2026-03-01", 50);
        }

        try (JdbiCallingDatabase db = JdbiCallingDatabase.h2File(file)) {
            CallRecord call = db.callStore().find("call-1").orElseThrow();
            assertThat(call.status()).isEqualTo(CallStatus.COMPLETED);
            assertThat(call.cost()).isEqualTo(Money.inr("2"));
            assertThat(db.callStore().events("call-1")).singleElement()
                    .satisfies(e -> assertThat(e.data()).containsEntry("CallSid", "CA1"));
            assertThat(db.callStore().findCampaign("camp-1")).isPresent();
            assertThat(db.callStore().targets("camp-1")).hasSize(1);
            assertThat(db.limitLedger().usage("cust-1", budget)).extracting(PeriodUsage::used)
                    .containsExactly(Money.inr("40"));
            assertThat(db.limitLedger().settle("hold-1", Money.inr("10"))).extracting(PeriodUsage::used)
                    .containsExactly(Money.inr("10"));
            assertThat(db.limitLedger().count("cust-1", List.of(new WindowCap("minute", T0, 5)), false).count())
                    .isEqualTo(2);
            assertThat(db.limitLedger().markAlert("cust-1", "day", "2026-03-01", 50)).isFalse();
        }
    }

    private static CallRecord call(String id, String to) {
        return CallRecord.initiated(id, "cust-1", CallCategory.INTERNET_VOIP, null, to, null, Priority.NORMAL, null,
                null, Money.inr("1"), Money.inr("0.20"), List.of("test"), false, T0, Map.of());
    }
}
