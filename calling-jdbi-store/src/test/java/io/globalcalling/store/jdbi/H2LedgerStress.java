package io.globalcalling.store.jdbi;

import io.globalcalling.Money;
import io.globalcalling.spi.store.LimitLedger;
import io.globalcalling.spi.store.LimitLedger.HoldResult;
import io.globalcalling.spi.store.LimitLedger.PeriodCap;
import io.globalcalling.store.jdbi.internal.Dialect;
import io.globalcalling.testkit.Race;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The workload of the contract's "reserve, settle and release together" race on a fresh H2 file
 * database, with the ledger's in-process serialisation on or off. {@link H2LedgerExactnessTest} runs it
 * with serialisation on; {@link #main} measures how often H2 loses money with it off
 * (docs/H2-LEDGER-DEFECT.md).
 */
final class H2LedgerStress {

    static final int THREADS = 64;
    private static final PeriodCap CAP = new PeriodCap("day", "2026-11-24", Money.inr("500"));

    /** What the threads settled, and what the ledger says the period holds once every hold is closed. */
    record Outcome(BigDecimal settled, BigDecimal used) {
        boolean exact() {
            return settled.compareTo(used) == 0;
        }
    }

    private H2LedgerStress() {
    }

    /**
     * One run on a fresh database at {@code file}: the race twice, the tables emptied in between as the
     * contract tests do, so that the second race re-creates a counter row deleted a moment before.
     */
    static Outcome run(Path file, boolean serialised, int holdsPerThread) throws Exception {
        try (JdbiCallingDatabase db = JdbiCallingDatabase.h2File(file)) {
            LimitLedger ledger = new JdbiLimitLedger(db.jdbi(), Dialect.H2, StoreSettings.defaults(), serialised);
            race(ledger, holdsPerThread);
            Tables.clear(db.jdbi());
            return race(ledger, holdsPerThread);
        }
    }

    /** Every thread reserves holds and settles each at a random cost up to it, or releases it. */
    private static Outcome race(LimitLedger ledger, int holdsPerThread) throws Exception {
        AtomicLong settledPaise = new AtomicLong();
        Race.run(THREADS, t -> {
            Random random = new Random(31L * t);
            for (int i = 0; i < holdsPerThread; i++) {
                String id = "h-" + t + "-" + i;
                long paise = 1 + random.nextInt(3_000);
                HoldResult r = ledger.reserve(id, "race", paise(paise), List.of(CAP), false);
                if (!r.accepted()) continue;
                if (random.nextBoolean()) {
                    long actual = random.nextInt((int) paise + 1);
                    if (!ledger.settle(id, paise(actual)).isEmpty()) settledPaise.addAndGet(actual);
                } else {
                    ledger.release(id, Money.inr("0"));
                }
            }
            return null;
        });
        BigDecimal used = ledger.usage("race", List.of(CAP)).get(0).used().amount();
        return new Outcome(BigDecimal.valueOf(settledPaise.get(), 2), used);
    }

    private static Money paise(long paise) {
        return new Money(BigDecimal.valueOf(paise, 2), Money.INR);
    }

    /** {@code [runs] [on|off]}: runs the workload on fresh databases and counts the runs that lost money. */
    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        boolean serialised = args.length < 2 || !args[1].equals("off");
        Path folder = Files.createTempDirectory("h2-ledger-stress");
        int wrong = 0;
        for (int run = 0; run < runs; run++) {
            Outcome o = run(folder.resolve("run-" + run), serialised, 30);
            if (!o.exact()) wrong++;
            System.out.printf("run %d: settled %s, ledger %s%s%n", run, o.settled(), o.used().stripTrailingZeros(),
                    o.exact() ? "" : "   <-- WRONG");
        }
        System.out.printf("serialisation %s: %d of %d runs wrong (H2 %s)%n", serialised ? "on" : "off", wrong, runs,
                org.h2.engine.Constants.FULL_VERSION);
    }
}
