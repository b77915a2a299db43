package io.globalcalling.core.store;

import io.globalcalling.spi.store.CallStore;
import io.globalcalling.testkit.CallStoreContract;

class InMemoryCallStoreContractTest extends CallStoreContract {

    @Override
    protected CallStore createStore() {
        return new InMemoryCallStore();
    }
}
