package io.globalcalling.store.jdbi.internal;

import io.globalcalling.spi.store.StoreException;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A transaction the database aborted to break a deadlock is run again, from nothing; no other failure is. */
class SqlRerunTest {

    private static final AtomicInteger DATABASES = new AtomicInteger();

    private Jdbi jdbi;
    private final AtomicInteger runs = new AtomicInteger();

    @BeforeEach
    void database() {
        jdbi = Jdbi.create("jdbc:h2:mem:rerun-" + DATABASES.incrementAndGet() + ";DB_CLOSE_DELAY=-1");
        jdbi.useHandle(h -> h.execute("CREATE TABLE written (run INT)"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"40001", "40P01"})
    void anAbortedTransactionIsRunAgainAndOnlyTheRunThatCommittedIsKept(String sqlState) {
        int result = Sql.inTransactionRerunIfAborted(jdbi, "write", h -> write(h, sqlState, 2));

        assertThat(result).isEqualTo(3);
        assertThat(written()).as("the aborted runs' rows rolled back").containsExactly(3);
    }

    @Test
    void anotherFailureIsNotRunAgain() {
        assertThatThrownBy(() -> Sql.inTransactionRerunIfAborted(jdbi, "write", h -> write(h, "23505", 1)))
                .isInstanceOf(StoreException.class)
                .hasMessageStartingWith("could not write: ").hasMessageContaining("SQLState 23505");
        assertThat(runs).hasValue(1);
    }

    @Test
    void aTransactionAbortedEveryTimeFailsAfterFiveRuns() {
        assertThatThrownBy(() -> Sql.inTransactionRerunIfAborted(jdbi, "write", h -> write(h, "40001", 10)))
                .isInstanceOf(StoreException.class).hasMessageContaining("SQLState 40001");
        assertThat(runs).hasValue(5);
        assertThat(written()).isEmpty();
    }

    private List<Integer> written() {
        try (Handle h = jdbi.open()) {
            return h.createQuery("SELECT run FROM written").mapTo(Integer.class).list();
        }
    }

    /** Writes a row, then fails as the database would with {@code sqlState} in each of the first {@code failing} runs. */
    private int write(Handle h, String sqlState, int failing) {
        int run = runs.incrementAndGet();
        h.createUpdate("INSERT INTO written (run) VALUES (:run)").bind("run", run).execute();
        if (run <= failing) {
            throw new UnableToExecuteStatementException(new SQLException("aborted", sqlState), null);
        }
        return run;
    }
}
