package io.globalcalling.store.jdbi;

import io.globalcalling.core.invariants.CallPathModel;
import io.globalcalling.core.invariants.Histories;
import io.globalcalling.core.invariants.History;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tag;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** The call path's invariants (see {@link CallPathModel}) with the H2 store and ledger. */
class H2CallPathInvariantsTest {

    private static Path folder;
    private static JdbiCallingDatabase database;
    private static CallPathModel model;

    @BeforeContainer
    static void open() {
        try {
            folder = Files.createTempDirectory("call-path-h2");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        database = JdbiCallingDatabase.h2File(folder.resolve("calls"));
        model = new CallPathModel(new DatabaseBackend(database));
    }

    @AfterContainer
    static void close() throws IOException {
        database.close();
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }

    @Property(tries = 60)
    void everyHistoryKeepsTheInvariants(@ForAll("histories") History history) {
        model.run(history);
    }

    @Property(tries = 500)
    @Tag("slow")
    void fiveHundredHistoriesKeepTheInvariants(@ForAll("histories") History history) {
        model.run(history);
    }

    @Provide
    Arbitrary<History> histories() {
        return Histories.histories(40);
    }
}
