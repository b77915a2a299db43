package io.globalcalling.store.jdbi;

import org.h2.jdbcx.JdbcConnectionPool;
import org.junit.jupiter.api.AfterEach;

import javax.sql.DataSource;
import java.util.Map;

import static java.util.Map.entry;

class PostgresRoundTripsPerCallTest extends RoundTripsPerCallSuite {

    private JdbcConnectionPool pool;

    @Override
    DataSource newDatabase() {
        pool = Postgres.newDatabase();
        return pool;
    }

    @AfterEach
    void dispose() {
        pool.dispose();
    }

    /** As measured (see docs/BENCHMARKS.md); the same with group commit, under which a lone call's writes each commit alone. */
    @Override
    Expected expected(boolean groupCommit) {
        return new Expected(Map.ofEntries(
                entry("INSERT calling_call", 1),
                entry("INSERT calling_call_event", 6),
                entry("INSERT calling_spend_hold", 1),
                entry("INSERT calling_spend_hold_period", 1),
                entry("INSERT calling_spend_period", 1),
                entry("SELECT calling_call by call_id", 4),
                entry("SELECT calling_spend_hold by hold_id", 0),
                entry("SELECT calling_spend_hold_period by hold_id", 1),
                entry("UPDATE calling_call by call_id", 6),
                entry("UPDATE calling_spend_hold by hold_id", 1),
                entry("UPDATE calling_spend_period by customer_id, period, period_key", 1),
                entry("UPDATE calling_spend_period by customer_id, period, period_key, currency", 1)), 15);
    }
}
