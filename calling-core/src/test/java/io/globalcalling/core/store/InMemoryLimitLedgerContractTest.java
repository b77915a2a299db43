package io.globalcalling.core.store;

import io.globalcalling.spi.store.LimitLedger;
import io.globalcalling.testkit.LimitLedgerContract;
import io.globalcalling.testkit.MutableClock;

import java.time.Duration;

class InMemoryLimitLedgerContractTest extends LimitLedgerContract {

    private static final Duration HORIZON = Duration.ofHours(1);

    private final MutableClock clock = MutableClock.create();
    private InMemoryLimitLedger inMemory;

    @Override
    protected LimitLedger createLedger() {
        inMemory = new InMemoryLimitLedger(clock, HORIZON);
        return inMemory;
    }

    @Override
    protected void forgetClosedHolds() {
        clock.advance(HORIZON.plusSeconds(1));
        inMemory.purgeExpired();
    }
}
