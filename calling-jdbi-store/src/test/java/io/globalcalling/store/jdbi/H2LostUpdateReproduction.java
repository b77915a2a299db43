package io.globalcalling.store.jdbi;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A plain-JDBC reproduction of H2 losing updates to one contended row (docs/H2-LEDGER-DEFECT.md): many
 * threads, each on its own connection, reserve, settle and release amounts against one counter row with
 * conditional increments, each in its own transaction, and the counter's final value is compared with
 * the sum the threads committed. On a correct database the two are equal every time.
 *
 * <p>Run it with {@code mvn -q -o -pl calling-jdbi-store -am test-compile} and then
 * {@code java -cp <test classes, main classes, h2 jar> io.globalcalling.store.jdbi.H2LostUpdateReproduction [runs] [threads]};
 * the doc gives the whole command. It touches nothing of the SDK: only {@code java.sql} and the H2 driver.
 */
public final class H2LostUpdateReproduction {

    static final String CAP = "500.00";

    /** One run's outcome: what the threads committed and what the counter row holds. */
    record Outcome(BigDecimal committed, BigDecimal counter) {
        boolean lost() {
            return committed.compareTo(counter) != 0;
        }
    }

    private H2LostUpdateReproduction() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 64;
        Path folder = Files.createTempDirectory("h2-lost-update");
        int lost = 0;
        for (int run = 0; run < runs; run++) {
            Outcome o = run(folder.resolve("run-" + run), threads, 30);
            if (o.lost()) lost++;
            System.out.printf("run %d: committed %s, counter %s%s%n", run, o.committed(), o.counter(),
                    o.lost() ? "   <-- LOST UPDATE" : "");
        }
        System.out.printf("%d of %d runs lost an update (H2 %s, %d threads)%n", lost, runs,
                org.h2.engine.Constants.FULL_VERSION, threads);
    }

    /** One run on a fresh H2 file database at {@code file}. */
    static Outcome run(Path file, int threads, int holdsPerThread) throws Exception {
        String url = "jdbc:h2:file:" + file.toAbsolutePath() + ";LOCK_TIMEOUT=10000";
        try (Connection setup = DriverManager.getConnection(url, "sa", "");
             Statement s = setup.createStatement()) {
            s.execute("CREATE TABLE period (id INT PRIMARY KEY, used NUMERIC(30, 10) NOT NULL)");
            s.execute("CREATE TABLE hold (id VARCHAR(64) PRIMARY KEY, amount NUMERIC(30, 10) NOT NULL,"
                    + " state VARCHAR(16) NOT NULL)");
            s.execute("INSERT INTO period VALUES (1, 0)");
            AtomicLong committedCents = new AtomicLong();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                Thread worker = new Thread(() -> {
                    try (Connection c = DriverManager.getConnection(url, "sa", "")) {
                        c.setAutoCommit(false);
                        start.await();
                        work(c, thread, holdsPerThread, committedCents);
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                });
                worker.start();
                workers.add(worker);
            }
            start.countDown();
            for (Thread w : workers) w.join();
            if (failure.get() != null) throw new IllegalStateException("a worker failed", failure.get());
            try (var rs = s.executeQuery("SELECT used FROM period WHERE id = 1")) {
                rs.next();
                return new Outcome(BigDecimal.valueOf(committedCents.get(), 2), rs.getBigDecimal(1).stripTrailingZeros());
            } finally {
                s.execute("SHUTDOWN");
            }
        }
    }

    /** A thread's holds: reserve within the cap, then settle at a random cost or release. */
    private static void work(Connection c, int thread, int holds, AtomicLong committedCents) throws SQLException {
        Random random = new Random(31L * thread);
        try (PreparedStatement insertHold = c.prepareStatement("INSERT INTO hold VALUES (?, ?, 'open')");
             PreparedStatement reserve = c.prepareStatement(
                     "UPDATE period SET used = used + ? WHERE id = 1 AND used + ? <= " + CAP);
             PreparedStatement close = c.prepareStatement(
                     "UPDATE hold SET state = 'closed' WHERE id = ? AND state = 'open'");
             PreparedStatement settle = c.prepareStatement("UPDATE period SET used = used - ? + ? WHERE id = 1")) {
            for (int i = 0; i < holds; i++) {
                String id = "h-" + thread + "-" + i;
                long cents = 1 + random.nextInt(3_000);
                BigDecimal amount = BigDecimal.valueOf(cents, 2);
                // Transaction 1: take the hold, or roll back when it would pass the cap.
                insertHold.setString(1, id);
                insertHold.setBigDecimal(2, amount);
                insertHold.executeUpdate();
                reserve.setBigDecimal(1, amount);
                reserve.setBigDecimal(2, amount);
                if (reserve.executeUpdate() == 0) {
                    c.rollback();
                    continue;
                }
                c.commit();
                // Transaction 2: settle at a cost up to the hold, or release it (cost 0).
                long actualCents = random.nextBoolean() ? random.nextInt((int) cents + 1) : 0;
                close.setString(1, id);
                if (close.executeUpdate() == 1) {
                    settle.setBigDecimal(1, amount);
                    settle.setBigDecimal(2, BigDecimal.valueOf(actualCents, 2));
                    settle.executeUpdate();
                }
                c.commit();
                committedCents.addAndGet(actualCents);
            }
        }
    }
}
