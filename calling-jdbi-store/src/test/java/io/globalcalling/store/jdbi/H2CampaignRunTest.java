package io.globalcalling.store.jdbi;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

class H2CampaignRunTest extends CampaignRunSuite {

    @TempDir
    static Path folder;
    private static JdbiCallingDatabase database;

    @BeforeAll
    static void open() {
        database = JdbiCallingDatabase.h2File(folder.resolve("campaigns"));
    }

    @AfterAll
    static void closeDatabase() {
        database.close();
    }

    @Override
    protected JdbiCallingDatabase database() {
        return database;
    }
}
