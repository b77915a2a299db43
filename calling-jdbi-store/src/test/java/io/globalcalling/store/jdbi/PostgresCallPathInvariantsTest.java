package io.globalcalling.store.jdbi;

import io.globalcalling.core.invariants.CallPathModel;
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

/** The call path's invariants (see {@link CallPathModel}) with the PostgreSQL store and ledger. */
class PostgresCallPathInvariantsTest {

    private static JdbcConnectionPool pool;
    private static JdbiCallingDatabase database;
    private static CallPathModel model;

    @BeforeContainer
    static void open() {
        pool = Postgres.newDatabase();
        database = JdbiCallingDatabase.postgres(pool);
        model = new CallPathModel(new DatabaseBackend(database));
    }

    @AfterContainer
    static void close() {
        database.close();
        pool.dispose();
    }

    @Property(tries = 30)
    void everyHistoryKeepsTheInvariants(@ForAll("histories") History history) {
        model.run(history);
    }

    @Property(tries = 300)
    @Tag("slow")
    void threeHundredHistoriesKeepTheInvariants(@ForAll("histories") History history) {
        model.run(history);
    }

    @Provide
    Arbitrary<History> histories() {
        return Histories.histories(40);
    }
}
