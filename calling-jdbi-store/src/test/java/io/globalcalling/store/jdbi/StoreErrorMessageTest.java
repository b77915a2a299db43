package io.globalcalling.store.jdbi;

import io.globalcalling.CallCategory;
import io.globalcalling.CallRecord;
import io.globalcalling.Money;
import io.globalcalling.Priority;
import io.globalcalling.Secret;
import io.globalcalling.spi.store.CallUpdate;
import io.globalcalling.spi.store.LimitLedger.PeriodCap;
import io.globalcalling.spi.store.StoreException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * A store error's message may be logged by the host: it names what could not be done and the database's SQL state,
 * never the statement's bound values (phone numbers, transcripts, customer ids), which the driver's and JDBI's
 * messages carry. Nor may any message down its chain (JDBI's exception, the driver's below it), which a host or the
 * SDK logging the error with its stack trace prints: on H2, and on PostgreSQL, whose error detail quotes the row.
 */
class StoreErrorMessageTest {

    private static final Instant T0 = Instant.parse("2026-03-01T09:00:00Z");
    private static final String NUMBER = "+447700900123";
    private static final String TRANSCRIPT = "my card number is 4111 1111 1111 1111";

    @TempDir
    Path folder;
    private JdbiCallingDatabase database;

    @BeforeEach
    void open() {
        database = JdbiCallingDatabase.h2File(folder.resolve("calls"), StoreSettings.builder().groupCommit(false).build());
    }

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void aFailedCallUpdateNamesTheOperationAndSqlStateButNoBoundValue() {
        StoreException e = failedCallUpdate(database);

        assertThat(e).isNotNull();
        assertThat(e.getMessage()).contains("call-1").contains("23513")
                .doesNotContain(TRANSCRIPT).doesNotContain("4111").doesNotContain(NUMBER);
        assertThat(chain(e)).as("the whole chain").contains("calling_call")
                .doesNotContain(TRANSCRIPT).doesNotContain("4111").doesNotContain(NUMBER);
    }

    @Test
    void aFailedCallUpdateOnPostgresHasNoBoundValueAnywhereInItsChain() {
        try (JdbiCallingDatabase postgres = JdbiCallingDatabase.postgres(newPostgresDatabase("update"), "postgres",
                Secret.of("unused-by-the-test-server"), StoreSettings.builder().groupCommit(false).build())) {
            StoreException e = failedCallUpdate(postgres);

            assertThat(e).isNotNull();
            assertThat(e.getMessage()).contains("call-1").contains("23514");
            assertThat(chain(e)).as("the whole chain").contains("calling_call").contains("host_rule")
                    .doesNotContain(TRANSCRIPT).doesNotContain("4111").doesNotContain(NUMBER);
        }
    }

    @Test
    void aFailedHoldOnPostgresHasNoBoundValueAnywhereInItsChain() {
        try (JdbiCallingDatabase postgres = JdbiCallingDatabase.postgres(newPostgresDatabase("hold"), "postgres",
                Secret.of("unused-by-the-test-server"), StoreSettings.builder().groupCommit(false).build())) {
            StoreException e = failedHold(postgres);

            assertThat(e).isNotNull();
            assertThat(e.getMessage()).contains("hold-1").contains("23514");
            assertThat(chain(e)).as("the whole chain").contains("calling_spend_hold").doesNotContain(NUMBER);
        }
    }

    /** An update setting a transcript, made to fail by a host's own rule on the table. */
    private static StoreException failedCallUpdate(JdbiCallingDatabase database) {
        database.callStore().create(CallRecord.initiated("call-1", "cust-1", CallCategory.INTERNET_VOIP, null, NUMBER,
                null, Priority.NORMAL, null, null, Money.inr("1"), Money.inr("0.20"), List.of(), false, T0, Map.of()));
        // a host's own rule on the table makes the statement fail
        database.jdbi().useHandle(h -> h.execute("ALTER TABLE calling_call ADD CONSTRAINT host_rule CHECK (transcript IS NULL)"));

        return catchThrowableOfType(StoreException.class, () -> database.callStore()
                .update(CallUpdate.of("call-1", T0.plusSeconds(30)).transcript(TRANSCRIPT)));
    }

    @Test
    void aFailedHoldNamesTheOperationAndSqlStateButNoBoundValue() {
        StoreException e = failedHold(database);

        assertThat(e).isNotNull();
        assertThat(e.getMessage()).contains("hold-1").contains("23513").doesNotContain(NUMBER);
        assertThat(chain(e)).as("the whole chain").contains("calling_spend_hold").doesNotContain(NUMBER);
    }

    /** A hold for a customer whose id holds a number, made to fail by a host's own rule on the table. */
    private static StoreException failedHold(JdbiCallingDatabase database) {
        // not naming the value: a rule that did would put it in the driver's message itself
        database.jdbi().useHandle(h -> h.execute("ALTER TABLE calling_spend_hold ADD CONSTRAINT host_rule"
                + " CHECK (char_length(customer_id) < 10)"));

        return catchThrowableOfType(StoreException.class, () -> database.limitLedger().reserve("hold-1",
                "cust-" + NUMBER, Money.inr("40"), List.of(new PeriodCap("day", "2026-03-01", Money.inr("100"))), false));
    }

    /** Every message and toString() down the chain, and the stack trace a logger prints. */
    private static String chain(Throwable e) {
        StringWriter out = new StringWriter();
        e.printStackTrace(new PrintWriter(out));
        for (Throwable t = e; t != null; t = t.getCause()) {
            out.append('\n').append(String.valueOf(t.getMessage())).append('\n').append(t.toString());
            if (t instanceof SQLException sql && sql.getNextException() != null) {
                out.append('\n').append(chain(sql.getNextException()));
            }
        }
        return out.toString();
    }

    /** The URL of a fresh database on the tests' PostgreSQL server. */
    private static String newPostgresDatabase(String suffix) {
        String name = "calling_error_message_" + suffix;
        try (Connection c = Postgres.server().getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create database " + name, e);
        }
        return Postgres.server().getJdbcUrl("postgres", name);
    }
}
