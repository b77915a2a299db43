package io.globalcalling.core.store;

import io.globalcalling.spi.store.LimitLedger;
import io.globalcalling.testkit.LimitLedgerContract;

class InMemoryLimitLedgerContractTest extends LimitLedgerContract {

    @Override
    protected LimitLedger createLedger() {
        return new InMemoryLimitLedger();
    }
}
