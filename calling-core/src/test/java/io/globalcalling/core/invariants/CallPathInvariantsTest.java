package io.globalcalling.core.invariants;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tag;

/**
 * The call path's invariants (see {@link CallPathModel}) over random histories, on the in-memory
 * store and ledger: a few hundred histories in every build, ten thousand in the {@code slow} group
 * ({@code mvn -Pslow ...}). A failure prints the shrunk history and jqwik's seed;
 * {@code @Property(seed = "...")} replays it.
 */
class CallPathInvariantsTest {

    private final CallPathModel model = CallPathModel.inMemory();

    @Property(tries = 500)
    void everyHistoryKeepsTheInvariants(@ForAll("histories") History history) {
        model.run(history);
    }

    @Property(tries = 10_000)
    @Tag("slow")
    void tenThousandHistoriesKeepTheInvariants(@ForAll("histories") History history) {
        model.run(history);
    }

    @Provide
    Arbitrary<History> histories() {
        return Histories.histories(40);
    }
}
