package io.globalcalling.store.jdbi;

import io.globalcalling.CallCategory;
import io.globalcalling.CallRecord;
import io.globalcalling.CallStatus;
import io.globalcalling.Endpoint;
import io.globalcalling.InboundMessage;
import io.globalcalling.Money;
import io.globalcalling.Priority;
import io.globalcalling.spi.store.CallUpdate;
import io.globalcalling.spi.store.CampaignTarget;
import io.globalcalling.spi.store.LimitLedger.PeriodCap;
import io.globalcalling.spi.store.StoreException;
import io.globalcalling.spi.store.StoredEvent;
import org.h2.jdbcx.JdbcConnectionPool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Every write path whose failure leaves the store, on the failures whose driver messages quote values: H2's
 * unique-key and value-too-long messages, and PostgreSQL's through a host's own DataSource (the driver's
 * {@code logServerErrorDetail} left on, so "Key (col)=(value)" and "Failing row contains (...)" are in its messages).
 * The store's exception names the operation, the table, the constraint or column and the SQL state; neither it nor
 * anything down its chain (what a host logs with the stack trace) holds a bound value.
 */
class StoreFailureChainTest {

    private static final Instant T0 = Instant.parse("2026-03-01T09:00:00Z");
    private static final String NUMBER = "+447700900123";
    private static final String DIGITS = "7700900123";

    @TempDir
    Path folder;

    private static CallRecord call(String id, String customer) {
        return CallRecord.initiated(id, customer, CallCategory.INTERNET_VOIP, null, NUMBER, null, Priority.NORMAL, null,
                null, Money.inr("1"), Money.inr("0.20"), List.of(), false, T0, Map.of());
    }

    private JdbiCallingDatabase h2() {
        return JdbiCallingDatabase.h2File(folder.resolve("calls"), StoreSettings.builder().groupCommit(false).build());
    }

    @Test
    void aCallUpdateTooLongForItsColumnOnH2() {
        try (JdbiCallingDatabase db = h2()) {
            db.callStore().create(call("call-1", "cust-1"));

            StoreException e = catchThrowableOfType(StoreException.class, () -> db.callStore()
                    .update(CallUpdate.of("call-1", T0.plusSeconds(30)).error("failed", ("no answer from " + NUMBER).repeat(200))));

            assertNamesWithoutValues(e, "update call 'call-1'", "22001", "error_message");
        }
    }

    @Test
    void aCallCollidingOnAHostsUniqueIndexOnH2() {
        try (JdbiCallingDatabase db = h2()) {
            db.callStore().create(call("call-1", "cust-1"));
            db.jdbi().useHandle(h -> h.execute("CREATE UNIQUE INDEX host_one_call_per_number ON calling_call (to_number)"));

            StoreException e = catchThrowableOfType(StoreException.class, () -> db.callStore().create(call("call-2", "cust-1")));

            assertNamesWithoutValues(e, "call 'call-2'", "23505", "host_one_call_per_number");
        }
    }

    @Test
    void aHoldForACustomerIdTooLongForItsColumnOnH2() {
        try (JdbiCallingDatabase db = h2()) {
            StoreException e = catchThrowableOfType(StoreException.class, () -> db.limitLedger().reserve("hold-1",
                    ("cust-" + NUMBER).repeat(10), Money.inr("40"),
                    List.of(new PeriodCap("day", "2026-03-01", Money.inr("100"))), false));

            assertNamesWithoutValues(e, "could not", "22001", "customer_id");
        }
    }

    @Test
    void everyWritePathThroughAHostsPostgresDataSource() {
        JdbcConnectionPool pool = Postgres.newDatabase();
        try (JdbiCallingDatabase db = JdbiCallingDatabase.postgres(pool, StoreSettings.builder().groupCommit(false).build())) {
            db.callStore().create(call("call-1", "cust-1"));
            db.jdbi().useHandle(h -> {
                // a host's own rules on the tables make each write fail
                h.execute("ALTER TABLE calling_call ADD CONSTRAINT host_call_rule CHECK (customer_id <> 'cust-refused'"
                        + " AND error_message IS NULL)");
                h.execute("ALTER TABLE calling_call_event ADD CONSTRAINT host_event_rule CHECK (type <> 'refused')");
                h.execute("ALTER TABLE calling_inbound_message ADD CONSTRAINT host_message_rule CHECK (kind <> 'reply')");
                h.execute("ALTER TABLE calling_spend_hold ADD CONSTRAINT host_hold_rule CHECK (char_length(customer_id) < 10)");
                h.execute("ALTER TABLE calling_campaign_target ADD CONSTRAINT host_target_rule CHECK (attempts < 0)");
                h.execute("ALTER TABLE calling_suppression ADD CONSTRAINT host_suppression_rule CHECK (customer_id <> 'cust-1')");
                h.execute("CREATE UNIQUE INDEX host_one_call_per_number ON calling_call (to_number)");
            });

            assertNamesWithoutValues(catchThrowableOfType(StoreException.class, () -> db.callStore()
                    .create(call("call-2", "cust-1"))), "call 'call-2'", "23505", "host_one_call_per_number");
            assertNamesWithoutValues(catchThrowableOfType(StoreException.class, () -> db.callStore()
                    .create(call("call-3", "cust-refused"))), "create call 'call-3'", "23514", "host_call_rule");
            assertNamesWithoutValues(catchThrowableOfType(StoreException.class, () -> db.callStore()
                    .update(CallUpdate.of("call-1", T0.plusSeconds(30)).error("failed", "no answer from " + NUMBER))),
                    "update call 'call-1'", "23514", "host_call_rule");
            assertNamesWithoutValues(catchThrowableOfType(StoreException.class, () -> db.callStore()
                    .appendEvent(new StoredEvent("call-1", "twilio", "refused", CallStatus.RINGING, T0,
                            Map.of("To", NUMBER)))), "call 'call-1'", "23514", "host_event_rule");
            assertNamesWithoutValues(catchThrowableOfType(StoreException.class, () -> db.callStore()
                    .appendInbound(InboundMessage.builder("terminal", Endpoint.parse(NUMBER), InboundMessage.Kind.REPLY)
                            .receivedAt(T0).text("call me on " + NUMBER).providerMessageId("MOMSN-1").build())),
                    "inbound message", "23514", "host_message_rule");
            assertNamesWithoutValues(catchThrowableOfType(StoreException.class, () -> db.limitLedger().reserve("hold-1",
                    "cust-" + NUMBER, Money.inr("40"), List.of(new PeriodCap("day", "2026-03-01", Money.inr("100"))),
                    false)), "hold 'hold-1'", "23514", "host_hold_rule");
            assertNamesWithoutValues(catchThrowableOfType(StoreException.class, () -> db.callStore()
                    .addTargets(List.of(CampaignTarget.pending("camp-1", NUMBER, NUMBER, Map.of("name", "Asha"), T0)))),
                    "campaign targets", "23514", "host_target_rule");
            assertNamesWithoutValues(catchThrowableOfType(StoreException.class, () -> db.callStore()
                    .suppress("cust-1", NUMBER)), "suppress", "23514", "host_suppression_rule");
        } finally {
            pool.dispose();
        }
    }

    /** The message names what failed and how; neither it nor its chain, nor the trace a logger prints, holds the number. */
    private static void assertNamesWithoutValues(StoreException e, String operation, String sqlState, String name) {
        assertThat(e).as("the store's exception").isNotNull();
        assertThat(chain(e)).as("the whole chain of: " + e.getMessage()).doesNotContain(DIGITS).doesNotContain("Asha");
        assertThat(e.getMessage()).contains(operation).contains(sqlState).containsIgnoringCase(name);
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
}
