package io.globalcalling.store.jdbi;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

class H2CallStatsTest extends CallStatsSuite {

    @TempDir
    static Path folder;
    private static JdbiCallingDatabase database;

    @BeforeAll
    static void open() {
        database = JdbiCallingDatabase.h2File(folder.resolve("stats"), StoreSettings.defaults());
    }

    @AfterAll
    static void close() {
        database.close();
    }

    @Override
    JdbiCallingDatabase database() {
        return database;
    }
}
