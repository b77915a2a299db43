package io.globalcalling.store.jdbi;

import io.globalcalling.core.invariants.CallPathModel;
import io.globalcalling.spi.store.CallStore;
import io.globalcalling.spi.store.LimitLedger;

import java.time.Instant;

/** The call-path model's backend on one database, emptied before each history. */
final class DatabaseBackend implements CallPathModel.Backend {

    private final JdbiCallingDatabase database;
    private final JdbiCallStore store;
    private final JdbiLimitLedger ledger;

    DatabaseBackend(JdbiCallingDatabase database) {
        this.database = database;
        this.store = database.callStore();
        this.ledger = database.limitLedger();
    }

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
        Tables.clear(database.jdbi());
    }

    @Override
    public void purgeBefore(Instant cutoff) {
        store.purgeBefore(cutoff);
    }
}
