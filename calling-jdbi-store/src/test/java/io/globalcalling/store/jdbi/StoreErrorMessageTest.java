package io.globalcalling.store.jdbi;

import io.globalcalling.CallCategory;
import io.globalcalling.CallRecord;
import io.globalcalling.Money;
import io.globalcalling.Priority;
import io.globalcalling.spi.store.CallUpdate;
import io.globalcalling.spi.store.LimitLedger.PeriodCap;
import io.globalcalling.spi.store.StoreException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * A store error's message may be logged by the host: it names what could not be done and the database's SQL state,
 * never the statement's bound values (phone numbers, transcripts, customer ids), which the driver's and JDBI's
 * messages carry.
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
        database.callStore().create(CallRecord.initiated("call-1", "cust-1", CallCategory.INTERNET_VOIP, null, NUMBER,
                null, Priority.NORMAL, null, null, Money.inr("1"), Money.inr("0.20"), List.of(), false, T0, Map.of()));
        // a host's own rule on the table makes the statement fail
        database.jdbi().useHandle(h -> h.execute("ALTER TABLE calling_call ADD CONSTRAINT host_rule CHECK (transcript IS NULL)"));

        StoreException e = catchThrowableOfType(StoreException.class, () -> database.callStore()
                .update(CallUpdate.of("call-1", T0.plusSeconds(30)).transcript(TRANSCRIPT)));

        assertThat(e).isNotNull();
        assertThat(e.getMessage()).contains("call-1").contains("23513")
                .doesNotContain(TRANSCRIPT).doesNotContain("4111").doesNotContain(NUMBER);
    }

    @Test
    void aFailedHoldNamesTheOperationAndSqlStateButNoBoundValue() {
        database.jdbi().useHandle(h -> h.execute("ALTER TABLE calling_spend_hold ADD CONSTRAINT host_rule"
                + " CHECK (customer_id <> 'cust-" + NUMBER + "')"));

        StoreException e = catchThrowableOfType(StoreException.class, () -> database.limitLedger().reserve("hold-1",
                "cust-" + NUMBER, Money.inr("40"), List.of(new PeriodCap("day", "2026-03-01", Money.inr("100"))), false));

        assertThat(e).isNotNull();
        assertThat(e.getMessage()).contains("hold-1").contains("23513").doesNotContain(NUMBER);
    }
}
