package io.globalcalling.store.jdbi;

import org.h2.jdbcx.JdbcConnectionPool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

class PostgresCampaignRunTest extends CampaignRunSuite {

    private static JdbcConnectionPool pool;
    private static JdbiCallingDatabase database;

    @BeforeAll
    static void open() {
        pool = Postgres.newDatabase();
        database = JdbiCallingDatabase.postgres(pool);
    }

    @AfterAll
    static void closeDatabase() {
        database.close();
        pool.dispose();
    }

    @Override
    protected JdbiCallingDatabase database() {
        return database;
    }
}
