package io.globalcalling.store.jdbi;

import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

class H2IdempotencyKeyReuseTest extends IdempotencyKeyReuseSuite {

    @TempDir
    static Path folder;

    @Override
    JdbiCallingDatabase open() {
        return JdbiCallingDatabase.h2File(folder.resolve("idempotency"), settings());
    }
}
