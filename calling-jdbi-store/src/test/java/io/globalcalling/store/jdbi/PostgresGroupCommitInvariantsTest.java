package io.globalcalling.store.jdbi;

import io.globalcalling.core.invariants.CallPathModel;
import io.globalcalling.core.invariants.CampaignHistories;
import io.globalcalling.core.invariants.CampaignHistory;
import io.globalcalling.core.invariants.CampaignModel;
import io.globalcalling.core.invariants.Histories;
import io.globalcalling.core.invariants.History;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tag;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.h2.jdbcx.JdbcConnectionPool;

/**
 * The call path's and campaigns' invariants (see {@link CallPathModel}, {@link CampaignModel}) with the PostgreSQL
 * store and ledger writing through group commit on two writers: a few histories, more when slow.
 */
class PostgresGroupCommitInvariantsTest {

    private static JdbcConnectionPool pool;
    private static JdbiCallingDatabase database;
    private static CallPathModel calls;
    private static CampaignModel campaigns;

    @BeforeContainer
    static void open() {
        pool = Postgres.newDatabase();
        database = JdbiCallingDatabase.postgres(pool,
                StoreSettings.builder().groupCommit(true).groupCommitWriters(2).build());
        calls = new CallPathModel(new DatabaseBackend(database));
        campaigns = new CampaignModel(new DatabaseBackend(database));
    }

    @AfterContainer
    static void close() {
        database.close();
        pool.dispose();
    }

    @Property(tries = 30)
    void everyHistoryKeepsTheInvariants(@ForAll("histories") History history) {
        calls.run(history);
    }

    // fewer than the store without group commit runs (300 and 40): the model is the same, this covers the path
    @Property(tries = 150)
    @Tag("slow")
    void aHundredAndFiftyHistoriesKeepTheInvariants(@ForAll("histories") History history) {
        calls.run(history);
    }

    @Property(tries = 4)
    void everyCampaignHistoryKeepsTheInvariants(@ForAll("campaignHistories") CampaignHistory history) {
        campaigns.run(history);
    }

    @Property(tries = 20)
    @Tag("slow")
    void twentyCampaignHistoriesKeepTheInvariants(@ForAll("campaignHistories") CampaignHistory history) {
        campaigns.run(history);
    }

    @Provide
    Arbitrary<History> histories() {
        return Histories.histories(40);
    }

    @Provide
    Arbitrary<CampaignHistory> campaignHistories() {
        return CampaignHistories.histories(30);
    }
}
