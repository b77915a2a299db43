package io.globalcalling.store.jdbi;

import io.globalcalling.spi.store.CallStore;
import io.globalcalling.testkit.CallStoreContract;
import org.h2.jdbcx.JdbcConnectionPool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The store's contract with group commit on. */
class PostgresGroupCommitCallStoreContractTest extends CallStoreContract {

    private static JdbcConnectionPool pool;
    private static JdbiCallingDatabase database;

    @BeforeAll
    static void open() {
        pool = Postgres.newDatabase();
        database = JdbiCallingDatabase.postgres(pool, StoreSettings.builder().groupCommit(true).build());
    }

    @AfterAll
    static void close() {
        database.close();
        pool.dispose();
    }

    @Override
    protected CallStore createStore() {
        return database.callStore();
    }

    @Override
    protected void cleanUp(CallStore store) {
        Tables.clear(database.jdbi());
    }
}
