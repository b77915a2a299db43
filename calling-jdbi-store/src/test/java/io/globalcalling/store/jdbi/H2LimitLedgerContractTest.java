package io.globalcalling.store.jdbi;

import io.globalcalling.spi.store.LimitLedger;
import io.globalcalling.testkit.LimitLedgerContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** The testkit's ledger contract on an H2 file database, each test on empty tables. */
class H2LimitLedgerContractTest extends LimitLedgerContract {

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
        return database.limitLedger();
    }
}
