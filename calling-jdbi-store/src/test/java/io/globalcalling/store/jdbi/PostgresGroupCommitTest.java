package io.globalcalling.store.jdbi;

import org.h2.jdbcx.JdbcConnectionPool;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;

class PostgresGroupCommitTest extends GroupCommitSuite {

    private JdbcConnectionPool pool;

    @Override
    protected JdbiCallingDatabase open(StoreSettings settings) {
        if (pool == null) pool = Postgres.newDatabase();
        return JdbiCallingDatabase.postgres(pool, settings);
    }

    @Override
    protected Jdbi direct() {
        return Jdbi.create(pool);
    }

    @AfterEach
    void disposePool() {
        pool.dispose();
    }
}
