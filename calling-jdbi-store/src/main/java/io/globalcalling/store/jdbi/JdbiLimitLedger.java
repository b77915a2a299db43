package io.globalcalling.store.jdbi;

import io.globalcalling.spi.Money;
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
import java.util.Comparator;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A {@link LimitLedger} in the database, correct across application nodes that share it. A count or
 * a hold is one transaction of conditional increments ({@code SET used = used + ? WHERE used + ? <= cap})
 * over every window or period, rolled back as a whole when any would pass its cap; rows are touched
 * in one fixed order so that racing transactions queue instead of deadlocking. Counter rows are
 * created beforehand with an insert that ignores an existing row, so no two nodes race to create one.
 * Get one from {@link JdbiCallingDatabase}.
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

    private final Jdbi jdbi;
    private final Dialect dialect;
    private final StoreSettings settings;

    JdbiLimitLedger(Jdbi jdbi, Dialect dialect, StoreSettings settings) {
        this.jdbi = jdbi;
        this.dialect = dialect;
        this.settings = settings;
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
        db("create rate windows", h -> {
            for (WindowCap w : distinct.values()) {
                insertIfAbsent(h, "calling_limit_window", Map.of("customer_id", customerId, "window_name", w.window(),
                        "window_start", Sql.instant(w.start())), Map.of("calls", 0L));
            }
            return null;
        });
        try {
            return db("count a call", h -> h.inTransaction(tx -> {
                for (WindowCap w : distinct.values()) {
                    int counted = tx.createUpdate("UPDATE calling_limit_window SET calls = calls + 1"
                                    + " WHERE customer_id = :customer AND window_name = :window AND window_start = :start"
                                    + (bypass ? "" : " AND calls + 1 <= :cap"))
                            .bind("customer", customerId).bind("window", w.window())
                            .bind("start", Sql.instant(w.start())).bindMap(bypass ? Map.of() : Map.of("cap", w.cap()))
                            .execute();
                    if (counted == 0) throw new CapReached(w);
                }
                return new WindowResult(true, Optional.empty(), calls(tx, customerId, windows.get(0)));
            }));
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
        db("create spending periods", h -> {
            for (PeriodCap p : ordered.values()) {
                insertIfAbsent(h, "calling_spend_period", Map.of("customer_id", customerId, "period", p.period(),
                        "period_key", p.periodKey()), Map.of("used", BigDecimal.ZERO, "currency",
                        currency.getCurrencyCode()));
            }
            return null;
        });
        try {
            return jdbi.inTransaction(tx -> {
                tx.createUpdate("INSERT INTO calling_spend_hold (hold_id, customer_id, amount, currency, bypass, state,"
                                + " created_at) VALUES (:id, :customer, :amount, :currency, :bypass, 'open', :at)")
                        .bind("id", holdId).bind("customer", customerId).bind("amount", amount.amount())
                        .bind("currency", currency.getCurrencyCode()).bind("bypass", bypass)
                        .bind("at", Sql.instant(settings.clock().instant()))
                        .execute();
                for (PeriodCap p : ordered.values()) {
                    Update charge = tx.createUpdate("UPDATE calling_spend_period SET used = used + :amount, cap = :cap"
                                    + " WHERE customer_id = :customer AND period = :period AND period_key = :key"
                                    + (bypass ? "" : " AND used + :amount <= :cap"))
                            .bind("amount", amount.amount()).bind("cap", p.cap().amount())
                            .bind("customer", customerId).bind("period", p.period()).bind("key", p.periodKey());
                    if (charge.execute() == 0) throw new CapReached(p);
                    tx.createUpdate("INSERT INTO calling_spend_hold_period (hold_id, period, period_key)"
                                    + " VALUES (:id, :period, :key)")
                            .bind("id", holdId).bind("period", p.period()).bind("key", p.periodKey()).execute();
                }
                return new HoldResult(true, Optional.empty(), usage(tx, customerId, periods));
            });
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
            throw new StoreException("could not reserve hold '" + holdId + "': " + e.getMessage(), e);
        }
    }

    @Override
    public List<PeriodUsage> settle(String holdId, Money actual) {
        Objects.requireNonNull(holdId, "holdId");
        Objects.requireNonNull(actual, "actual");
        if (actual.isNegative()) throw new IllegalArgumentException("actual " + actual + " must not be negative");
        return Sql.inTransaction(jdbi, "settle hold '" + holdId + "'", tx -> {
            // Closing the hold first makes settling idempotent: a second settle finds it closed.
            int closed = tx.createUpdate("UPDATE calling_spend_hold SET state = 'settled', settled = :actual,"
                            + " settled_at = :at WHERE hold_id = :id AND state = 'open'")
                    .bind("actual", actual.amount()).bind("at", Sql.instant(settings.clock().instant()))
                    .bind("id", holdId).execute();
            if (closed == 0) return List.<PeriodUsage>of();
            Map<String, Object> hold = tx.createQuery("SELECT customer_id, amount, currency FROM calling_spend_hold"
                    + " WHERE hold_id = :id").bind("id", holdId).mapToMap().one();
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
                tx.createUpdate("UPDATE calling_spend_period SET used = used - :held + :actual"
                                + " WHERE customer_id = :customer AND period = :period AND period_key = :key")
                        .bind("held", held).bind("actual", actual.amount()).bind("customer", customerId)
                        .bind("period", p.period()).bind("key", p.periodKey()).execute();
                usage.add(tx.createQuery("SELECT used, cap, currency FROM calling_spend_period"
                                + " WHERE customer_id = :customer AND period = :period AND period_key = :key")
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
        return db("mark an alert", h -> insertIfAbsent(h, "calling_alert_mark", Map.of("customer_id", customerId,
                "period", period, "period_key", periodKey, "threshold_percent", thresholdPercent),
                Map.of("marked_at", Sql.instant(now))));
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
