package io.globalcalling.store.jdbi;

import org.h2.jdbcx.JdbcConnectionPool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

class PostgresCallStatsTest extends CallStatsSuite {

    private static JdbcConnectionPool pool;
    private static JdbiCallingDatabase database;

    @BeforeAll
    static void open() {
        pool = Postgres.newDatabase();
        database = JdbiCallingDatabase.postgres(pool, StoreSettings.defaults());
    }

    @AfterAll
    static void close() {
        database.close();
        pool.dispose();
    }

    @Override
    JdbiCallingDatabase database() {
        return database;
    }
}
