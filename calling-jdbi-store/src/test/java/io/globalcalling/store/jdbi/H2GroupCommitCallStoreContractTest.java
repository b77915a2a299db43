package io.globalcalling.store.jdbi;

import io.globalcalling.spi.store.CallStore;
import io.globalcalling.testkit.CallStoreContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** The store's contract with group commit on. */
class H2GroupCommitCallStoreContractTest extends CallStoreContract {

    @TempDir
    static Path folder;
    private static JdbiCallingDatabase database;

    @BeforeAll
    static void open() {
        database = JdbiCallingDatabase.h2File(folder.resolve("calls"), StoreSettings.builder().groupCommit(true).build());
    }

    @AfterAll
    static void close() {
        database.close();
    }

    @Override
    protected CallStore createStore() {
        return database.callStore();
    }

    @Override
    protected void cleanUp(CallStore store) {
        Tables.clear(database.jdbi());
    }
}
