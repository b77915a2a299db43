package io.globalcalling.load;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a run must leave behind, checked in the store's tables and against the simulator's and the host's
 * counts: every call the API accepted has exactly one record, in a terminal status; every hold is settled or
 * released; the ledger holds exactly the settled costs; no create was sent twice; no callback was lost.
 */
final class Audit {

    /** One audited property: whether it holds, and the figures that say so. */
    record Check(String name, boolean passed, String detail) {
    }

    private final List<Check> checks = new ArrayList<>();

    private Audit() {
    }

    /**
     * @param customers  the run's customers: their calls, holds and budget periods are the run's
     * @param placed     the ids of the calls the API answered 201
     * @param refusals   the API's other answers, by status
     * @param simulator  the simulator's {@code /stats}
     * @param host       the host's {@code /load/stats}
     */
    static List<Check> run(Connection db, List<String> customers, Set<String> placed, Map<String, Long> refusals,
                           Map<String, Object> simulator, Map<String, Object> host) throws SQLException {
        Audit a = new Audit();
        String in = "(" + String.join(",", customers.stream().map(c -> "?").toList()) + ")";

        a.check("the API accepted every call", refusals.isEmpty(), placed.size() + " accepted, refused: " + refusals);

        Set<String> recorded = new HashSet<>();
        long rows = 0;
        long nonTerminal = 0;
        long unresolved = 0;
        BigDecimal costs = BigDecimal.ZERO;
        Map<String, BigDecimal> costsBy = new HashMap<>();
        Map<String, BigDecimal> callCosts = new HashMap<>();
        try (ResultSet rs = query(db, "SELECT call_id, terminal, needs_reconciliation, cost_amount, customer_id"
                + " FROM calling_call WHERE customer_id IN " + in, customers)) {
            while (rs.next()) {
                rows++;
                recorded.add(rs.getString(1));
                if (!rs.getBoolean(2)) nonTerminal++;
                if (rs.getBoolean(3)) unresolved++;
                BigDecimal cost = rs.getBigDecimal(4);
                callCosts.put(rs.getString(1), cost == null ? BigDecimal.ZERO : cost);
                if (cost != null) {
                    costs = costs.add(cost);
                    costsBy.merge(rs.getString(5), cost, BigDecimal::add);
                }
            }
        }
        Set<String> missing = difference(placed, recorded);
        Set<String> extra = difference(recorded, placed);
        a.check("every call has exactly one record", missing.isEmpty() && extra.isEmpty() && rows == recorded.size(),
                rows + " records for " + placed.size() + " calls; missing " + sample(missing) + ", extra " + sample(extra));
        a.check("every record is in a terminal status", nonTerminal == 0 && unresolved == 0,
                nonTerminal + " not terminal, " + unresolved + " awaiting reconciliation");

        long open = 0;
        long closed = 0;
        BigDecimal settled = BigDecimal.ZERO;
        Map<String, BigDecimal> settledBy = new HashMap<>();
        Map<String, BigDecimal> holdSettled = new HashMap<>();
        // a call's hold has the call's id: matched call by call, so a call never held is seen even when a hold of
        // no recorded call makes the counts agree
        Set<String> held = new HashSet<>();
        try (ResultSet rs = query(db, "SELECT hold_id, state, settled, customer_id FROM calling_spend_hold"
                + " WHERE customer_id IN " + in, customers)) {
            while (rs.next()) {
                held.add(rs.getString(1));
                String state = rs.getString(2).strip();
                if (state.equals("open")) {
                    open++;
                } else {
                    closed++;
                    BigDecimal amount = rs.getBigDecimal(3);
                    holdSettled.put(rs.getString(1), amount == null ? BigDecimal.ZERO : amount);
                    if (state.equals("settled") && amount != null) {
                        settled = settled.add(amount);
                        settledBy.merge(rs.getString(4), amount, BigDecimal::add);
                    }
                }
            }
        }
        Set<String> unheld = difference(recorded, held);
        Set<String> stray = difference(held, recorded);
        a.check("every hold is settled or released",
                open == 0 && closed == recorded.size() && unheld.isEmpty() && stray.isEmpty(),
                closed + " closed, " + open + " open, for " + recorded.size() + " calls"
                        + (unheld.isEmpty() && stray.isEmpty() ? "" : "; calls without a hold " + sample(unheld)
                        + ", holds of no recorded call " + sample(stray)));

        BigDecimal ledger = BigDecimal.ZERO;
        Map<String, BigDecimal> ledgerBy = new HashMap<>();
        try (ResultSet rs = query(db, "SELECT customer_id, SUM(used) FROM calling_spend_period WHERE customer_id IN " + in
                + " GROUP BY customer_id", customers)) {
            while (rs.next()) {
                ledger = ledger.add(rs.getBigDecimal(2));
                ledgerBy.put(rs.getString(1), rs.getBigDecimal(2));
            }
        }
        // customer by customer, so a settlement charged to another customer's ledger is seen though the totals agree
        Set<String> unbalanced = new TreeSet<>();
        for (String customer : customers) {
            BigDecimal settledFor = settledBy.getOrDefault(customer, BigDecimal.ZERO);
            if (ledgerBy.getOrDefault(customer, BigDecimal.ZERO).compareTo(settledFor) != 0
                    || costsBy.getOrDefault(customer, BigDecimal.ZERO).compareTo(settledFor) != 0) {
                unbalanced.add(customer);
            }
        }
        // and call by call, so a hold settled at another call's cost is seen though its customer's figures agree
        Set<String> mispriced = new TreeSet<>();
        holdSettled.forEach((call, amount) -> {
            BigDecimal cost = callCosts.get(call);
            if (cost != null && cost.compareTo(amount) != 0) mispriced.add(call);
        });
        a.check("the ledger equals the sum of settled costs",
                ledger.compareTo(settled) == 0 && costs.compareTo(settled) == 0 && unbalanced.isEmpty()
                        && mispriced.isEmpty(),
                "ledger " + ledger.toPlainString() + " INR, settled holds " + settled.toPlainString()
                        + " INR, calls' costs " + costs.toPlainString() + " INR"
                        + (unbalanced.isEmpty() ? "" : "; customers whose ledger, settled holds and calls' costs differ "
                        + sample(unbalanced))
                        + (mispriced.isEmpty() ? "" : "; calls whose hold was settled at another amount than their cost "
                        + sample(mispriced)));

        long creates = number(simulator, "creates");
        long callbackUrls = number(simulator, "callbackUrls");
        long maxCreates = number(simulator, "maxCreatesPerCallbackUrl");
        a.check("no create was sent twice", maxCreates <= 1 && callbackUrls == creates && creates == placed.size(),
                creates + " creates for " + callbackUrls + " calls (at most " + maxCreates + " per call), "
                        + placed.size() + " calls placed");

        long delivered = number(simulator, "callbacksDelivered");
        long abandoned = number(simulator, "callbacksAbandoned");
        long pending = number(simulator, "callbacksPending");
        @SuppressWarnings("unchecked")
        Map<String, Object> outcomes = (Map<String, Object>) host.get("callbacks");
        long handled = number(outcomes, "HANDLED");
        long refused = outcomes.entrySet().stream().filter(e -> !e.getKey().equals("HANDLED"))
                .mapToLong(e -> ((Number) e.getValue()).longValue()).sum();
        a.check("no callback was lost", delivered == handled && abandoned == 0 && pending == 0,
                delivered + " delivered (" + number(simulator, "callbacksDuplicated") + " duplicates, "
                        + number(simulator, "callbacksReordered") + " out of order), " + handled
                        + " applied or deduplicated by the host; " + abandoned + " abandoned, " + pending
                        + " pending, " + number(simulator, "callbacksRetried") + " retried; host outcomes " + outcomes
                        + (refused == 0 ? "" : " (" + refused + " not handled)"));
        return List.copyOf(a.checks);
    }

    private void check(String name, boolean passed, String detail) {
        checks.add(new Check(name, passed, detail));
    }

    private static ResultSet query(Connection db, String sql, List<String> customers) throws SQLException {
        PreparedStatement statement = db.prepareStatement(sql);
        statement.closeOnCompletion();
        for (int i = 0; i < customers.size(); i++) statement.setString(i + 1, customers.get(i));
        return statement.executeQuery();
    }

    private static Set<String> difference(Set<String> a, Set<String> b) {
        Set<String> out = new HashSet<>(a);
        out.removeAll(b);
        return out;
    }

    private static String sample(Set<String> ids) {
        return ids.size() + (ids.isEmpty() ? "" : " e.g. " + ids.stream().limit(3).toList());
    }

    static long number(Map<String, Object> map, String key) {
        Object v = map.get(key);
        return v == null ? 0 : ((Number) v).longValue();
    }
}
