package io.globalcalling.store.jdbi;

import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

class H2GroupCommitTest extends GroupCommitSuite {

    @TempDir
    Path folder;

    @Override
    protected JdbiCallingDatabase open(StoreSettings settings) {
        return JdbiCallingDatabase.h2File(folder.resolve("calls"), settings);
    }

    @Override
    protected Jdbi direct() {
        return Jdbi.create(JdbiCallingDatabase.h2Url(folder.resolve("calls").toAbsolutePath().toString()), "sa", "");
    }
}
