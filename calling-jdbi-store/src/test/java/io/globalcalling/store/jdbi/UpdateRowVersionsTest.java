package io.globalcalling.store.jdbi;

import io.globalcalling.CallRecord;
import io.globalcalling.CallStatus;
import io.globalcalling.Money;
import io.globalcalling.spi.store.CallUpdate;
import org.h2.api.Trigger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.sql.Connection;
import java.util.concurrent.atomic.AtomicInteger;

import static io.globalcalling.store.jdbi.GroupCommitSuite.T0;
import static io.globalcalling.store.jdbi.GroupCommitSuite.call;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * An update writes one new row version (every version touches each of the call table's indexes), alone
 * and with group commit; and an update whose status does not move still applies its fields by their own
 * rules. Row versions are counted by an H2 trigger.
 */
class UpdateRowVersionsTest {

    @TempDir
    Path folder;
    private JdbiCallingDatabase database;
    private JdbiCallStore store;

    /** Counts the rows updated in calling_call. */
    public static final class CountingTrigger implements Trigger {
        static final AtomicInteger UPDATES = new AtomicInteger();

        @Override
        public void fire(Connection connection, Object[] oldRow, Object[] newRow) {
            UPDATES.incrementAndGet();
        }
    }

    private void open(boolean groupCommit) {
        database = JdbiCallingDatabase.h2File(folder.resolve("calls"),
                StoreSettings.builder().groupCommit(groupCommit).build());
        store = database.callStore();
        database.jdbi().useHandle(h -> h.execute("CREATE TRIGGER calling_call_updates AFTER UPDATE ON calling_call"
                + " FOR EACH ROW CALL \"" + CountingTrigger.class.getName() + "\""));
        store.create(call("call-1"));
        CountingTrigger.UPDATES.set(0);
    }

    @AfterEach
    void close() {
        database.close();
    }

    @ParameterizedTest(name = "group commit {0}")
    @ValueSource(booleans = {false, true})
    void anUpdateThatMovesTheStatusAndSetsFieldsWritesOneRowVersion(boolean groupCommit) {
        open(groupCommit);

        boolean moved = store.update(CallUpdate.of("call-1", T0.plusSeconds(60)).status(CallStatus.COMPLETED)
                .durationSeconds(50).cost(Money.inr("1")).endedAt(T0.plusSeconds(60)));

        assertThat(moved).isTrue();
        assertThat(CountingTrigger.UPDATES).hasValue(1);
        CallRecord r = store.find("call-1").orElseThrow();
        assertThat(r.status()).isEqualTo(CallStatus.COMPLETED);
        assertThat(r.durationSeconds()).isEqualTo(50);
        assertThat(r.cost()).isEqualTo(Money.inr("1"));
        assertThat(r.endedAt()).isEqualTo(T0.plusSeconds(60));
        assertThat(r.updatedAt()).isEqualTo(T0.plusSeconds(60));
    }

    @ParameterizedTest(name = "group commit {0}")
    @ValueSource(booleans = {false, true})
    void aStatusThatDoesNotMoveStillLetsALiveCallTakeItsFields(boolean groupCommit) {
        open(groupCommit);
        store.update(CallUpdate.of("call-1", T0.plusSeconds(5)).status(CallStatus.ANSWERED));

        boolean lateQueued = store.update(CallUpdate.of("call-1", T0.plusSeconds(6)).status(CallStatus.QUEUED)
                .provider("twilio", "CA1").attempt(1));
        boolean sameAgain = store.update(CallUpdate.of("call-1", T0.plusSeconds(7)).status(CallStatus.ANSWERED)
                .answeredAt(T0.plusSeconds(5)));

        assertThat(lateQueued).isFalse();
        assertThat(sameAgain).isFalse();
        CallRecord r = store.find("call-1").orElseThrow();
        assertThat(r.status()).isEqualTo(CallStatus.ANSWERED);
        assertThat(r.providerCallId()).isEqualTo("CA1");
        assertThat(r.attempt()).isEqualTo(1);
        assertThat(r.answeredAt()).isEqualTo(T0.plusSeconds(5));
        assertThat(r.updatedAt()).isEqualTo(T0.plusSeconds(7));
    }

    @ParameterizedTest(name = "group commit {0}")
    @ValueSource(booleans = {false, true})
    void aStatusAfterTheEndTakesNoBilledFieldButItsUnbilledOnes(boolean groupCommit) {
        open(groupCommit);
        store.update(CallUpdate.of("call-1", T0.plusSeconds(60)).status(CallStatus.NO_ANSWER));
        CountingTrigger.UPDATES.set(0);

        boolean billedOnly = store.update(CallUpdate.of("call-1", T0.plusSeconds(61)).status(CallStatus.COMPLETED)
                .durationSeconds(30));
        boolean withError = store.update(CallUpdate.of("call-1", T0.plusSeconds(62)).status(CallStatus.FAILED)
                .durationSeconds(40).cost(Money.inr("3")).error("LATE", "a late failure"));

        assertThat(billedOnly).isFalse();
        assertThat(withError).isFalse();
        CallRecord r = store.find("call-1").orElseThrow();
        assertThat(r.status()).isEqualTo(CallStatus.NO_ANSWER);
        assertThat(r.durationSeconds()).isNull();
        assertThat(r.cost()).as("no cost yet: the first one is taken").isEqualTo(Money.inr("3"));
        assertThat(r.errorReason()).isEqualTo("LATE");
        assertThat(r.updatedAt()).isEqualTo(T0.plusSeconds(62));
        assertThat(CountingTrigger.UPDATES).as("the billed-only update touched nothing").hasValue(1);
    }
}
