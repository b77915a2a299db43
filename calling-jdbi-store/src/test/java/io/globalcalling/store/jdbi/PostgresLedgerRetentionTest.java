package io.globalcalling.store.jdbi;

import org.h2.jdbcx.JdbcConnectionPool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

class PostgresLedgerRetentionTest extends LedgerRetentionSuite {

    private static JdbcConnectionPool pool;
    private static JdbiCallingDatabase database;

    @BeforeAll
    static void open() {
        pool = Postgres.newDatabase();
        database = JdbiCallingDatabase.postgres(pool, settings());
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
