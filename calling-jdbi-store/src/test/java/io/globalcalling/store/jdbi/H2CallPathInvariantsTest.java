package io.globalcalling.store.jdbi;

import io.globalcalling.core.invariants.CallPathModel;
import io.globalcalling.core.invariants.Histories;
import io.globalcalling.CallStatus;
import io.globalcalling.core.invariants.History;
import io.globalcalling.core.invariants.History.Deliver;
import io.globalcalling.core.invariants.History.LifeEvent;
import io.globalcalling.core.invariants.History.Place;
import io.globalcalling.core.invariants.History.Stamp;
import io.globalcalling.testkit.ScriptedProvider.Outcome;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
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
import java.util.List;
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

    /**
     * An erasure while one call is under way and another has ended: the ended one is erased at once, the one under
     * way keeps its number until it is settled, and late reports bring nothing back; every hold still closes once.
     */
    @Example
    void anErasureAmidCallsChangesNothingBilled() {
        Outcome queued = Outcome.accept(CallStatus.QUEUED);
        List<LifeEvent> talked = List.of(new LifeEvent(CallStatus.RINGING, 1, null, null),
                new LifeEvent(CallStatus.ANSWERED, 6, null, null), new LifeEvent(CallStatus.COMPLETED, 66, 60, null));
        model.run(new History(List.of(
                new Place(queued, queued, talked),
                new Deliver(0, 2, Stamp.TRUE, true),
                new Place(queued, queued, talked),
                new Deliver(1, 1, Stamp.TRUE, true),
                new History.Erase(),
                new Deliver(1, 2, Stamp.TRUE, true),
                new Deliver(0, 2, Stamp.LATE, true),
                new History.Erase(),
                new Deliver(1, 0, Stamp.TRUE, false))));
    }

    @Provide
    Arbitrary<History> histories() {
        return Histories.histories(40);
    }
}
