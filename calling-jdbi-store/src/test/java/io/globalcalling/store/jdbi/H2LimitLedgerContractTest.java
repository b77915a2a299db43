package io.globalcalling.store.jdbi;

import io.globalcalling.spi.store.LimitLedger;
import io.globalcalling.store.jdbi.internal.Dialect;
import io.globalcalling.testkit.LimitLedgerContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/** The testkit's ledger contract on an H2 file database, each test on empty tables. */
class H2LimitLedgerContractTest extends LimitLedgerContract {

    /** A system property that turns the ledger's H2 serialisation off, to show the defect it avoids. */
    static final String UNSERIALISED = "calling.h2.unserialised";

    @TempDir
    static Path folder;
    private static JdbiCallingDatabase database;

    @BeforeAll
    static void open() {
        database = JdbiCallingDatabase.h2File(folder.resolve("ledger-contract"));
    }

    @AfterAll
    static void close() {
        database.close();
    }

    @Override
    protected LimitLedger createLedger() {
        Tables.clear(database.jdbi());
        // Only for measuring H2's defect (docs/H2-LEDGER-DEFECT.md): the ledger without its serialisation.
        if (Boolean.getBoolean(UNSERIALISED)) {
            return new JdbiLimitLedger(database.jdbi(), Dialect.H2, StoreSettings.defaults(), false);
        }
        return database.limitLedger();
    }

    @Override
    protected void forgetClosedHolds() {
        database.limitLedger().purgeBefore(Instant.now().plus(Duration.ofDays(1)));
    }
}
