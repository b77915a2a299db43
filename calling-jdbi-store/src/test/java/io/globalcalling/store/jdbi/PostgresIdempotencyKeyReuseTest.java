package io.globalcalling.store.jdbi;

import org.h2.jdbcx.JdbcConnectionPool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

class PostgresIdempotencyKeyReuseTest extends IdempotencyKeyReuseSuite {

    private static JdbcConnectionPool pool;

    @BeforeAll
    static void create() {
        pool = Postgres.newDatabase();
    }

    @AfterAll
    static void dispose() {
        pool.dispose();
    }

    @Override
    JdbiCallingDatabase open() {
        return JdbiCallingDatabase.postgres(pool, settings());
    }
}
