package io.globalcalling.store.jdbi;

import io.globalcalling.Money;
import io.globalcalling.spi.store.LimitLedger;
import io.globalcalling.spi.store.StoreException;
import io.globalcalling.store.jdbi.internal.Dialect;
import io.globalcalling.store.jdbi.internal.Sql;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.statement.Update;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * A {@link LimitLedger} in the database, correct across application nodes that share it. A count or
 * a hold is one transaction of conditional increments ({@code SET used = used + ? WHERE used + ? <= cap})
 * over every window or period, rolled back as a whole when any would pass its cap; rows are touched
 * in one fixed order so that racing transactions queue instead of deadlocking. Counter rows are created
 * first in that transaction with an insert that ignores an existing row, so no two nodes race to create one.
 * Get one from {@link JdbiCallingDatabase}.
 *
 * <p><b>H2.</b> Under contention H2 (2.3 and 2.4) can lose an update to a contended row: two
 * transactions both write from the same committed value, or a rolled-back statement restores a value
 * another transaction has since changed (see docs/H2-LEDGER-DEFECT.md). On H2 the ledger therefore
 * serialises its writes in this JVM with a lock striped by customer, so no two transactions ever touch
 * one customer's counters at once; every operation touches one customer's rows only, and takes one
 * stripe, so the stripes cannot deadlock. H2 serves a single JVM; several nodes share a PostgreSQL ledger,
 * where row locks alone keep it exact.
 *
 * <p><b>Retention.</b> {@link #purgeExpired()} forgets what can no longer change: holds closed before the
 * retention, windows and periods that a newer one of the same name has followed and that nothing has
 * touched within the retention (periods still charged by an open hold are kept), and the alert marks of
 * periods gone. A settle or release of a forgotten hold finds no open hold and changes nothing, as for
 * any unknown hold, so forgetting never counts money twice. Open holds are never forgotten.
 */
public final class JdbiLimitLedger implements LimitLedger {

    private static final Comparator<WindowCap> WINDOW_ORDER =
            Comparator.comparing(WindowCap::window).thenComparing(WindowCap::start);

    /** Unwinds a transaction when a cap would be passed, naming the counter; carries no stack trace. */
    private static final class CapReached extends RuntimeException {
        final transient Object counter;

        CapReached(Object counter) {
            super("cap reached", null, false, false);
            this.counter = counter;
        }
    }

    private record PeriodId(String period, String periodKey) implements Comparable<PeriodId> {
        static PeriodId of(PeriodCap p) {
            return new PeriodId(p.period(), p.periodKey());
        }

        @Override
        public int compareTo(PeriodId o) {
            int c = period.compareTo(o.period);
            return c != 0 ? c : periodKey.compareTo(o.periodKey);
        }
    }

    /** Stripes of the lock that serialises H2 writes; a power of two keeps the index cheap. */
    private static final int STRIPES = 64;

    private final Jdbi jdbi;
    private final Dialect dialect;
    private final StoreSettings settings;
    /** One lock per stripe of customers, or null where the database's row locks suffice (PostgreSQL). */
    private final ReentrantLock[] stripes;

    JdbiLimitLedger(Jdbi jdbi, Dialect dialect, StoreSettings settings) {
        this(jdbi, dialect, settings, dialect == Dialect.H2);
    }

    /** With {@code serialiseWrites} false on H2 the ledger shows H2's defect; for the reproduction in tests only. */
    JdbiLimitLedger(Jdbi jdbi, Dialect dialect, StoreSettings settings, boolean serialiseWrites) {
        this.jdbi = jdbi;
        this.dialect = dialect;
        this.settings = settings;
        this.stripes = serialiseWrites ? new ReentrantLock[STRIPES] : null;
        if (stripes != null) Arrays.setAll(stripes, i -> new ReentrantLock());
    }

    /** Runs {@code work} holding the customer's stripe when writes are serialised; see the class doc. */
    private <T> T forCustomer(String customerId, Supplier<T> work) {
        if (stripes == null) return work.get();
        ReentrantLock lock = stripes[customerId.hashCode() & (STRIPES - 1)];
        lock.lock();
        try {
            return work.get();
        } finally {
            lock.unlock();
        }
    }

    private <T> T db(String what, HandleCallback<T, RuntimeException> work) {
        return Sql.withHandle(jdbi, what, work);
    }

    // ---- call-rate windows ----

    @Override
    public WindowResult count(String customerId, List<WindowCap> windows, boolean bypass) {
        Objects.requireNonNull(customerId, "customerId");
        Objects.requireNonNull(windows, "windows");
        if (windows.isEmpty()) return new WindowResult(true, Optional.empty(), 0);
        Map<String, WindowCap> distinct = new TreeMap<>();
        windows.stream().sorted(WINDOW_ORDER).forEach(w -> distinct.putIfAbsent(w.window() + '\u0000' + w.start(), w));
        try {
            return forCustomer(customerId, () -> countIn(customerId, distinct.values(), windows.get(0), bypass));
        } catch (CapReached e) {
            // Report the first full window in the caller's order; the one that refused if none is full by now.
            for (WindowCap w : windows) {
                long calls = db("read a rate window", h -> calls(h, customerId, w));
                if (calls >= w.cap()) return new WindowResult(false, Optional.of(w), calls);
            }
            WindowCap refused = (WindowCap) e.counter;
            return new WindowResult(false, Optional.of(refused), db("read a rate window", h -> calls(h, customerId, refused)));
        }
    }

    /** Counts the call in every one of the {@code ordered} windows, or throws {@link CapReached} having counted none. */
    private WindowResult countIn(String customerId, Collection<WindowCap> ordered, WindowCap first, boolean bypass) {
        return db("count a call", h -> h.inTransaction(tx -> {
            // in the transaction that counts in them, as a hold's periods are (see reserveIn)
            for (WindowCap w : ordered) {
                insertIfAbsent(tx, "calling_limit_window", Map.of("customer_id", customerId, "window_name", w.window(),
                        "window_start", Sql.instant(w.start())), Map.of("calls", 0L));
            }
            long firstCalls = 0;
            for (WindowCap w : ordered) {
                // each count yields the window's calls after it, which stay so (the row is locked) until the commit
                Optional<Long> counted = tx.createQuery(dialect.updateReturning("UPDATE calling_limit_window"
                                + " SET calls = calls + 1 WHERE customer_id = :customer AND window_name = :window"
                                + " AND window_start = :start" + (bypass ? "" : " AND calls + 1 <= :cap"), "calls"))
                        .bind("customer", customerId).bind("window", w.window())
                        .bind("start", Sql.instant(w.start())).bindMap(bypass ? Map.of() : Map.of("cap", w.cap()))
                        .mapTo(Long.class).findOne();
                if (counted.isEmpty()) throw new CapReached(w);
                if (w.window().equals(first.window()) && w.start().equals(first.start())) firstCalls = counted.get();
            }
            return new WindowResult(true, Optional.empty(), firstCalls);
        }));
    }

    private static long calls(Handle h, String customerId, WindowCap w) {
        return h.createQuery("SELECT calls FROM calling_limit_window WHERE customer_id = :customer"
                        + " AND window_name = :window AND window_start = :start")
                .bind("customer", customerId).bind("window", w.window()).bind("start", Sql.instant(w.start()))
                .mapTo(Long.class).findOne().orElse(0L);
    }

    // ---- spending holds ----

    @Override
    public HoldResult reserve(String holdId, String customerId, Money amount, List<PeriodCap> periods, boolean bypass) {
        Objects.requireNonNull(holdId, "holdId");
        Objects.requireNonNull(customerId, "customerId");
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(periods, "periods");
        if (amount.isNegative()) throw new IllegalArgumentException("amount " + amount + " must not be negative");
        Currency currency = amount.currency();
        Map<PeriodId, PeriodCap> ordered = new TreeMap<>();
        for (PeriodCap p : periods) {
            if (!p.cap().currency().equals(currency)) {
                throw new IllegalArgumentException("cap " + p.cap() + " of period " + p.period() + " is not in "
                        + currency + ", the currency of amount " + amount);
            }
            ordered.putIfAbsent(PeriodId.of(p), p);
        }
        try {
            return forCustomer(customerId, () -> reserveIn(holdId, customerId, amount, periods, ordered.values(), bypass));
        } catch (CapReached e) {
            // Report the first period in the caller's order that cannot take the amount now; settles may have
            // freed room since the refusal, and then the period that refused is named.
            List<PeriodUsage> usage = usage(customerId, periods);
            for (int i = 0; i < periods.size(); i++) {
                if (usage.get(i).used().plus(amount).isGreaterThan(periods.get(i).cap())) {
                    return new HoldResult(false, Optional.of(periods.get(i)), usage);
                }
            }
            return new HoldResult(false, Optional.of((PeriodCap) e.counter), usage);
        } catch (JdbiException e) {
            if (Dialect.isUniqueViolation(e)) {
                throw new IllegalArgumentException("hold id '" + holdId + "' is already known");
            }
            throw Sql.failure("reserve hold '" + holdId + "'", e);
        }
    }

    /** Takes the hold in every one of the {@code ordered} periods, or throws {@link CapReached} having taken none. */
    private HoldResult reserveIn(String holdId, String customerId, Money amount, List<PeriodCap> periods,
                                 Collection<PeriodCap> ordered, boolean bypass) {
        Currency currency = amount.currency();
        Instant now = settings.clock().instant();
        return jdbi.inTransaction(tx -> {
            // in the transaction that charges them, not each committed on its own: a racing insert of the same row
            // waits for this transaction and then inserts nothing (H2's stripe keeps it from racing at all)
            for (PeriodCap p : ordered) {
                insertIfAbsent(tx, "calling_spend_period", Map.of("customer_id", customerId, "period", p.period(),
                        "period_key", p.periodKey()), Map.of("used", BigDecimal.ZERO, "currency",
                        currency.getCurrencyCode(), "created_at", Sql.instant(now), "changed_at", Sql.instant(now)));
            }
            tx.createUpdate("INSERT INTO calling_spend_hold (hold_id, customer_id, amount, currency, bypass, state,"
                            + " created_at) VALUES (:id, :customer, :amount, :currency, :bypass, 'open', :at)")
                    .bind("id", holdId).bind("customer", customerId).bind("amount", amount.amount())
                    .bind("currency", currency.getCurrencyCode()).bind("bypass", bypass)
                    .bind("at", Sql.instant(now))
                    .execute();
            // each charge yields the period's use after it, which stays so (the row is locked) until the commit
            Map<PeriodId, Money> used = new TreeMap<>();
            for (PeriodCap p : ordered) {
                Optional<Money> charged = tx.createQuery(dialect.updateReturning("UPDATE calling_spend_period"
                                + " SET used = used + :amount, cap = :cap, changed_at = :at WHERE customer_id = :customer"
                                + " AND period = :period AND period_key = :key AND currency = :currency"
                                + (bypass ? "" : " AND used + :amount <= :cap"), "used, currency"))
                        .bind("amount", amount.amount()).bind("cap", p.cap().amount()).bind("at", Sql.instant(now))
                        .bind("customer", customerId).bind("period", p.period()).bind("key", p.periodKey())
                        .bind("currency", currency.getCurrencyCode())
                        .map((rs, ctx) -> Sql.money(rs, "used", "currency")).findOne();
                if (charged.isEmpty()) {
                    requireCountedIn(tx, customerId, p, amount);
                    throw new CapReached(p);
                }
                used.put(PeriodId.of(p), charged.get());
                tx.createUpdate("INSERT INTO calling_spend_hold_period (hold_id, period, period_key)"
                                + " VALUES (:id, :period, :key)")
                        .bind("id", holdId).bind("period", p.period()).bind("key", p.periodKey()).execute();
            }
            List<PeriodUsage> usage = periods.stream()
                    .map(p -> new PeriodUsage(p.period(), p.periodKey(), used.get(PeriodId.of(p)), p.cap())).toList();
            return new HoldResult(true, Optional.empty(), usage);
        });
    }

    /** Refuses a hold whose currency is not the one the period's counter was created in (its row's currency never changes). */
    private static void requireCountedIn(Handle tx, String customerId, PeriodCap p, Money amount) {
        String counted = tx.createQuery("SELECT currency FROM calling_spend_period WHERE customer_id = :customer"
                        + " AND period = :period AND period_key = :key")
                .bind("customer", customerId).bind("period", p.period()).bind("key", p.periodKey())
                .mapTo(String.class).one().strip();
        if (!counted.equals(amount.currency().getCurrencyCode())) {
            throw new IllegalArgumentException("period " + p.period() + " " + p.periodKey() + " of customer '" + customerId
                    + "' is counted in " + counted + "; a hold of " + amount + " cannot be added to it");
        }
    }

    @Override
    public List<PeriodUsage> settle(String holdId, Money actual) {
        Objects.requireNonNull(holdId, "holdId");
        Objects.requireNonNull(actual, "actual");
        if (actual.isNegative()) throw new IllegalArgumentException("actual " + actual + " must not be negative");
        // Row locks keep PostgreSQL exact: the hold's customer is needed first only to pick H2's stripe.
        if (stripes == null) return settleIn(holdId, actual);
        // The customer names the stripe to hold; a hold that is closed, forgotten or unknown has nothing to settle.
        Optional<String> customer = db("find hold '" + holdId + "'", h -> h.createQuery(
                        "SELECT customer_id FROM calling_spend_hold WHERE hold_id = :id AND state = 'open'")
                .bind("id", holdId).mapTo(String.class).findOne());
        if (customer.isEmpty()) return List.of();
        return forCustomer(customer.get(), () -> settleIn(holdId, actual));
    }

    private List<PeriodUsage> settleIn(String holdId, Money actual) {
        Instant now = settings.clock().instant();
        return Sql.inTransaction(jdbi, "settle hold '" + holdId + "'", tx -> {
            // Closing the hold first makes settling idempotent: a second settle finds it closed. The close yields the
            // hold's customer, amount and currency, which never change.
            Optional<Map<String, Object>> closed = tx.createQuery(dialect.updateReturning("UPDATE calling_spend_hold"
                            + " SET state = 'settled', settled = :actual, settled_at = :at WHERE hold_id = :id"
                            + " AND state = 'open'", "customer_id, amount, currency"))
                    .bind("actual", actual.amount()).bind("at", Sql.instant(now))
                    .bind("id", holdId).mapToMap().findOne();
            if (closed.isEmpty()) return List.<PeriodUsage>of();
            Map<String, Object> hold = closed.get();
            String customerId = (String) hold.get("customer_id");
            BigDecimal held = (BigDecimal) hold.get("amount");
            String currency = ((String) hold.get("currency")).strip();
            if (!actual.currency().getCurrencyCode().equals(currency)) {
                throw new IllegalArgumentException("actual " + actual + " is not in " + currency
                        + ", the currency of hold '" + holdId + "'");
            }
            List<PeriodId> charged = tx.createQuery("SELECT period, period_key FROM calling_spend_hold_period"
                            + " WHERE hold_id = :id ORDER BY period, period_key")
                    .bind("id", holdId)
                    .map((rs, ctx) -> new PeriodId(rs.getString("period"), rs.getString("period_key"))).list();
            List<PeriodUsage> usage = new ArrayList<>();
            for (PeriodId p : charged) {
                usage.add(tx.createQuery(dialect.updateReturning("UPDATE calling_spend_period"
                                + " SET used = used - :held + :actual, changed_at = :at"
                                + " WHERE customer_id = :customer AND period = :period AND period_key = :key",
                                "used, cap, currency"))
                        .bind("held", held).bind("actual", actual.amount()).bind("at", Sql.instant(now))
                        .bind("customer", customerId).bind("period", p.period()).bind("key", p.periodKey())
                        .map((rs, ctx) -> new PeriodUsage(p.period(), p.periodKey(),
                                Sql.money(rs, "used", "currency"), Sql.money(rs, "cap", "currency")))
                        .one());
            }
            return usage;
        });
    }

    @Override
    public List<PeriodUsage> usage(String customerId, List<PeriodCap> periods) {
        Objects.requireNonNull(customerId, "customerId");
        Objects.requireNonNull(periods, "periods");
        return db("read spending", h -> usage(h, customerId, periods));
    }

    private static List<PeriodUsage> usage(Handle h, String customerId, List<PeriodCap> periods) {
        List<PeriodUsage> usage = new ArrayList<>();
        for (PeriodCap p : periods) {
            Money used = h.createQuery("SELECT used, currency FROM calling_spend_period WHERE customer_id = :customer"
                            + " AND period = :period AND period_key = :key")
                    .bind("customer", customerId).bind("period", p.period()).bind("key", p.periodKey())
                    .map((rs, ctx) -> Sql.money(rs, "used", "currency"))
                    .findOne().orElse(Money.zero(p.cap().currency()));
            usage.add(new PeriodUsage(p.period(), p.periodKey(), used, p.cap()));
        }
        return usage;
    }

    // ---- alerts ----

    @Override
    public boolean markAlert(String customerId, String period, String periodKey, int thresholdPercent) {
        Objects.requireNonNull(customerId, "customerId");
        Objects.requireNonNull(period, "period");
        Objects.requireNonNull(periodKey, "periodKey");
        Instant now = settings.clock().instant();
        return forCustomer(customerId, () -> db("mark an alert", h -> insertIfAbsent(h, "calling_alert_mark",
                Map.of("customer_id", customerId, "period", period, "period_key", periodKey,
                        "threshold_percent", thresholdPercent), Map.of("marked_at", Sql.instant(now)))));
    }

    // ---- retention ----

    /**
     * Forgets what the retention ({@link StoreSettings#retention()}, counted back from the settings' clock)
     * no longer needs; see the class doc. {@link JdbiCallingDatabase#purgeExpired()} runs it with the call store's purge.
     */
    public LedgerPurgeResult purgeExpired() {
        return purgeBefore(settings.clock().instant().minus(settings.retention()));
    }

    /**
     * Forgets holds closed before {@code cutoff}; windows started before it and periods last changed before
     * it, each once a newer one of the same name exists for the customer (and a period only when no open
     * hold is charged to it); and alert marks made before it whose period is gone. Works in chunks of
     * {@link StoreSettings#chunkSize()} rows, so no lock is held for long.
     */
    public LedgerPurgeResult purgeBefore(Instant cutoff) {
        Objects.requireNonNull(cutoff, "cutoff");
        int holds = purgeInChunks("purge closed holds", cutoff,
                "SELECT hold_id FROM calling_spend_hold WHERE state <> 'open' AND settled_at < :cutoff",
                "DELETE FROM calling_spend_hold_period WHERE hold_id = :hold_id",
                "DELETE FROM calling_spend_hold WHERE hold_id = :hold_id AND state <> 'open'");
        int windows = purgeInChunks("purge past rate windows", cutoff,
                "SELECT customer_id, window_name, window_start FROM calling_limit_window w"
                        + " WHERE window_start < :cutoff AND EXISTS (SELECT 1 FROM calling_limit_window n"
                        + " WHERE n.customer_id = w.customer_id AND n.window_name = w.window_name"
                        + " AND n.window_start > w.window_start)",
                "DELETE FROM calling_limit_window WHERE customer_id = :customer_id AND window_name = :window_name"
                        + " AND window_start = :window_start");
        int periods = purgeInChunks("purge past spending periods", cutoff,
                "SELECT customer_id, period, period_key FROM calling_spend_period p WHERE changed_at < :cutoff"
                        + " AND EXISTS (SELECT 1 FROM calling_spend_period n WHERE n.customer_id = p.customer_id"
                        + " AND n.period = p.period AND n.created_at > p.created_at)"
                        + " AND NOT EXISTS (SELECT 1 FROM calling_spend_hold_period hp JOIN calling_spend_hold h"
                        + " ON h.hold_id = hp.hold_id WHERE hp.period = p.period AND hp.period_key = p.period_key"
                        + " AND h.customer_id = p.customer_id AND h.state = 'open')",
                "DELETE FROM calling_spend_period WHERE customer_id = :customer_id AND period = :period"
                        + " AND period_key = :period_key AND changed_at < :cutoff");
        int alerts = purgeInChunks("purge alert marks", cutoff,
                "SELECT customer_id, period, period_key, threshold_percent FROM calling_alert_mark m"
                        + " WHERE marked_at < :cutoff AND NOT EXISTS (SELECT 1 FROM calling_spend_period p"
                        + " WHERE p.customer_id = m.customer_id AND p.period = m.period AND p.period_key = m.period_key)",
                "DELETE FROM calling_alert_mark WHERE customer_id = :customer_id AND period = :period"
                        + " AND period_key = :period_key AND threshold_percent = :threshold_percent");
        return new LedgerPurgeResult(holds, windows, periods, alerts);
    }

    /**
     * Selects up to a chunk of row keys with {@code select} and deletes each with every one of
     * {@code deletes} (bound by column name, and {@code :cutoff}) in one transaction, until a chunk comes
     * back short; returns the rows the last delete removed.
     */
    private int purgeInChunks(String what, Instant cutoff, String select, String... deletes) {
        int chunk = settings.chunkSize();
        int removed = 0;
        while (true) {
            int[] done = Sql.inTransaction(jdbi, what, tx -> {
                List<Map<String, Object>> keys = tx.createQuery(select + " ORDER BY 1 FETCH FIRST " + chunk + " ROWS ONLY")
                        .bind("cutoff", Sql.instant(cutoff)).mapToMap().list();
                int deleted = 0;
                for (Map<String, Object> key : keys) {
                    for (int i = 0; i < deletes.length; i++) {
                        Update delete = tx.createUpdate(deletes[i]);
                        key.forEach(delete::bind);
                        if (deletes[i].contains(":cutoff")) delete.bind("cutoff", Sql.instant(cutoff));
                        int n = delete.execute();
                        if (i == deletes.length - 1) deleted += n;
                    }
                }
                return new int[] {keys.size(), deleted};
            });
            removed += done[1];
            if (done[0] < chunk) return removed;
        }
    }

    /**
     * Inserts a row unless one with the same key exists; true when this call inserted it. PostgreSQL
     * uses {@code ON CONFLICT DO NOTHING}; H2 a {@code MERGE ... WHEN NOT MATCHED}, where losing a
     * race to a concurrent insert shows as a unique violation.
     */
    private boolean insertIfAbsent(Handle h, String table, Map<String, Object> key, Map<String, Object> rest) {
        Map<String, Object> row = new LinkedHashMap<>(new TreeMap<>(key));
        row.putAll(new TreeMap<>(rest));
        String columns = String.join(", ", row.keySet());
        String values = ":" + String.join(", :", row.keySet());
        String sql;
        if (dialect == Dialect.POSTGRESQL) {
            sql = "INSERT INTO " + table + " (" + columns + ") VALUES (" + values + ") ON CONFLICT DO NOTHING";
        } else {
            StringBuilder on = new StringBuilder();
            for (String k : new TreeMap<>(key).keySet()) {
                if (on.length() > 0) on.append(" AND ");
                on.append("t.").append(k).append(" = :").append(k);
            }
            sql = "MERGE INTO " + table + " t USING DUAL ON " + on + " WHEN NOT MATCHED THEN INSERT (" + columns
                    + ") VALUES (" + values + ")";
        }
        Update insert = h.createUpdate(sql);
        row.forEach((column, value) -> {
            if (value instanceof org.jdbi.v3.core.argument.Argument a) insert.bind(column, a);
            else insert.bind(column, value);
        });
        try {
            return insert.execute() == 1;
        } catch (JdbiException e) {
            if (Dialect.isUniqueViolation(e)) return false;
            throw e;
        }
    }

    @Override
    public String toString() {
        return "JdbiLimitLedger[" + dialect + "]";
    }
}
