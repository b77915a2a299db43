package io.globalcalling.store.jdbi;

import io.globalcalling.Money;
import io.globalcalling.spi.store.LimitLedger;
import io.globalcalling.spi.store.LimitLedger.PeriodCap;
import io.globalcalling.spi.store.LimitLedger.WindowCap;
import io.globalcalling.testkit.Race;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.transaction.DelegatingTransactionHandler;
import org.jdbi.v3.core.transaction.TransactionHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 9: H2 can lose an update to a contended counter row (docs/H2-LEDGER-DEFECT.md), so the ledger
 * serialises its H2 writes by customer. These tests check that no two ledger transactions of one
 * customer ever run at once, and that the ledger stays exact on fresh databases under contention and load.
 */
class H2LedgerExactnessTest {

    private static final PeriodCap DAY = new PeriodCap("day", "2026-11-24", Money.inr("500"));
    private static final WindowCap MINUTE = new WindowCap("minute", Instant.parse("2026-11-24T10:15:00Z"), 100);

    @TempDir
    Path folder;

    /** Counts the transactions in flight and remembers the most at once. */
    private static final class OverlapMeter extends DelegatingTransactionHandler {
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger most = new AtomicInteger();

        OverlapMeter(TransactionHandler delegate) {
            super(delegate);
        }

        @Override
        public <R, X extends Exception> R inTransaction(Handle handle, HandleCallback<R, X> callback) throws X {
            most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try {
                return super.inTransaction(handle, callback);
            } finally {
                inFlight.decrementAndGet();
            }
        }
    }

    @Test
    void noTwoLedgerTransactionsOfOneCustomerRunAtOnce() throws Exception {
        try (JdbiCallingDatabase db = JdbiCallingDatabase.h2File(folder.resolve("overlap"))) {
            OverlapMeter meter = new OverlapMeter(db.jdbi().getTransactionHandler());
            db.jdbi().setTransactionHandler(meter);
            LimitLedger ledger = db.limitLedger();

            Race.run(32, t -> {
                for (int i = 0; i < 5; i++) {
                    String id = "h-" + t + "-" + i;
                    if (ledger.reserve(id, "one-customer", Money.inr("3"), List.of(DAY), false).accepted()) {
                        ledger.count("one-customer", List.of(MINUTE), false);
                        ledger.settle(id, Money.inr("1"));
                    }
                }
                return null;
            });

            assertThat(meter.most.get()).isEqualTo(1);
            assertThat(ledger.usage("one-customer", List.of(DAY)).get(0).used()).isEqualTo(Money.inr("160"));
        }
    }

    @Test
    void theH2LedgerIsExactOnFreshDatabasesUnderContentionAndLoad() throws Exception {
        List<H2LedgerStress.Outcome> outcomes = new ArrayList<>();
        AtomicBoolean busy = new AtomicBoolean(true);
        List<Thread> spinners = spin(busy);
        try {
            for (int i = 0; i < 3; i++) {
                outcomes.add(H2LedgerStress.run(folder.resolve("db-" + i), true, 4));
            }
        } finally {
            busy.set(false);
            for (Thread t : spinners) t.join();
        }

        assertThat(outcomes).allSatisfy(o -> assertThat(o.used()).isEqualByComparingTo(o.settled()));
    }

    /** One busy thread per core, so the racing transactions are preempted at arbitrary points. */
    private static List<Thread> spin(AtomicBoolean busy) {
        List<Thread> spinners = new ArrayList<>();
        for (int i = 0; i < Runtime.getRuntime().availableProcessors(); i++) {
            Thread t = new Thread(() -> {
                while (busy.get()) Thread.onSpinWait();
            }, "spinner-" + i);
            t.setDaemon(true);
            t.start();
            spinners.add(t);
        }
        return spinners;
    }
}
