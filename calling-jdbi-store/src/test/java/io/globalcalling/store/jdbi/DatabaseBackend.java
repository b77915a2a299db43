package io.globalcalling.store.jdbi;

import io.globalcalling.Secret;
import io.globalcalling.core.invariants.CallPathModel;
import io.globalcalling.spi.store.CallStore;
import io.globalcalling.spi.store.LimitLedger;
import io.globalcalling.store.jdbi.internal.Dialect;

import java.time.Instant;
import java.util.function.BiConsumer;

/** The call-path model's backend on one database, emptied before each history. */
final class DatabaseBackend implements CallPathModel.Backend {

    private final JdbiCallingDatabase database;
    private final JdbiCallStore store;
    private final JdbiLimitLedger ledger;
    private final JdbiCallStore erasing;

    DatabaseBackend(JdbiCallingDatabase database) {
        this.database = database;
        this.store = database.callStore();
        this.ledger = database.limitLedger();
        // the database's own store has no erasure key; this one, on the same tables, has
        this.erasing = new JdbiCallStore(database.jdbi(), Dialect.valueOf(database.databaseKind()),
                StoreSettings.builder().erasureKey(Secret.of("model-erasure-key")).build());
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

    @Override
    public boolean erase(String number, BiConsumer<String, String> atProviders) {
        erasing.erase(number);
        continueErasures(atProviders);
        return true;
    }

    @Override
    public void continueErasures(BiConsumer<String, String> atProviders) {
        erasing.continueErasures(atProviders::accept);
    }
}
