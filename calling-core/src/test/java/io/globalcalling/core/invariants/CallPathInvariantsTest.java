package io.globalcalling.core.invariants;

import io.globalcalling.core.store.InMemoryCallStore;
import io.globalcalling.core.store.InMemoryLimitLedger;
import io.globalcalling.spi.store.CallStore;
import io.globalcalling.spi.store.LimitLedger;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tag;

/**
 * The call path's invariants (see {@link CallPathModel}) over random histories, on the in-memory
 * store and ledger: a few hundred histories in every build, ten thousand in the {@code slow} group.
 * A failure prints the shrunk history and jqwik's seed; {@code @Property(seed = "...")} replays it.
 */
class CallPathInvariantsTest {

    private final CallPathModel model = new CallPathModel(new CallPathModel.Backend() {
        private CallStore store;
        private LimitLedger ledger;

        @Override
        public CallStore store() {
            return store;
        }

        @Override
        public LimitLedger ledger() {
            return ledger;
        }

        @Override
        public void reset() {
            store = new InMemoryCallStore();
            ledger = new InMemoryLimitLedger();
        }
    });

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
