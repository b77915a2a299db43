package io.globalcalling.store.jdbi;

import io.globalcalling.CallCategory;
import io.globalcalling.Money;
import io.globalcalling.spi.store.CallStore;
import io.globalcalling.spi.store.Campaign;
import io.globalcalling.spi.store.CampaignTarget;
import org.h2.jdbcx.JdbcConnectionPool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGConnectionPoolDataSource;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A PostgreSQL data source whose driver rewrites batched inserts into one multi-row insert
 * ({@code reWriteBatchedInserts=true}, a common setting for bulk loads) answers every row of the batch with
 * SUCCESS_NO_INFO: the store must still count only the targets it added.
 */
class PostgresRewrittenBatchTargetsTest {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    private static JdbcConnectionPool pool;
    private static JdbiCallingDatabase database;

    @BeforeAll
    static void open() throws Exception {
        String name = "calling_rewritten_batches";
        try (Connection c = Postgres.server().getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        PGConnectionPoolDataSource pg = new PGConnectionPoolDataSource();
        pg.setURL(Postgres.server().getJdbcUrl("postgres", name) + "&reWriteBatchedInserts=true");
        pg.setUser("postgres");
        pool = JdbcConnectionPool.create(pg);
        database = JdbiCallingDatabase.postgres(pool);
    }

    @AfterAll
    static void close() {
        database.close();
        pool.dispose();
    }

    @Test
    void addingTargetsCountsOnlyThoseNotYetPresent() {
        CallStore store = database.callStore();
        store.createCampaign(new Campaign("camp-1", "cust-1", "Renewals", CallCategory.AI_AUTOMATED, null, 0, 0, 0, 0,
                Money.inr("0"), Campaign.Status.SCHEDULED, null, null, null, T0));

        assertThat(store.addTargets(List.of(target("t1", "+919876500001"), target("t2", "+919876500002"))))
                .isEqualTo(2);
        assertThat(store.addTargets(List.of(target("t2", "+919876500002"), target("t3", "+919876500003"),
                target("t3", "+919876500003"), target("t1", "+919876500001")))).isEqualTo(1);

        assertThat(store.targets("camp-1")).extracting(CampaignTarget::targetId)
                .containsExactlyInAnyOrder("t1", "t2", "t3");
    }

    private static CampaignTarget target(String id, String number) {
        return CampaignTarget.pending("camp-1", id, number, Map.of(), T0);
    }
}
