package io.globalcalling.store.jdbi;

import io.globalcalling.spi.store.LimitLedger;
import io.globalcalling.testkit.LimitLedgerContract;
import org.h2.jdbcx.JdbcConnectionPool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.time.Duration;
import java.time.Instant;

/** The testkit's ledger contract on a real PostgreSQL server, each test on empty tables. */
class PostgresLimitLedgerContractTest extends LimitLedgerContract {

    private static JdbcConnectionPool pool;
    private static JdbiCallingDatabase database;

    @BeforeAll
    static void open() {
        pool = Postgres.newDatabase();
        database = JdbiCallingDatabase.postgres(pool);
    }

    @AfterAll
    static void close() {
        database.close();
        pool.dispose();
    }

    @Override
    protected LimitLedger createLedger() {
        Tables.clear(database.jdbi());
        return database.limitLedger();
    }

    @Override
    protected void forgetClosedHolds() {
        database.limitLedger().purgeBefore(Instant.now().plus(Duration.ofDays(1)));
    }
}
