package io.globalcalling.store.jdbi;

import io.globalcalling.core.invariants.CampaignHistories;
import io.globalcalling.core.invariants.CampaignHistory;
import io.globalcalling.core.invariants.CampaignModel;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tag;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import org.h2.jdbcx.JdbcConnectionPool;

/** Campaigns' invariants (see {@link CampaignModel}) with the PostgreSQL store and ledger: a few histories, more when slow. */
class PostgresCampaignInvariantsTest {

    private static JdbcConnectionPool pool;
    private static JdbiCallingDatabase database;
    private static CampaignModel model;

    @BeforeContainer
    static void open() {
        pool = Postgres.newDatabase();
        database = JdbiCallingDatabase.postgres(pool);
        model = new CampaignModel(new DatabaseBackend(database));
    }

    @AfterContainer
    static void close() {
        database.close();
        pool.dispose();
    }

    @Property(tries = 4)
    void everyCampaignHistoryKeepsTheInvariants(@ForAll("histories") CampaignHistory history) {
        model.run(history);
    }

    @Property(tries = 40)
    @Tag("slow")
    void fortyCampaignHistoriesKeepTheInvariants(@ForAll("histories") CampaignHistory history) {
        model.run(history);
    }

    @Provide
    Arbitrary<CampaignHistory> histories() {
        return CampaignHistories.histories(30);
    }
}
