package io.globalcalling.load;

import io.globalcalling.CallStatus;
import io.globalcalling.Money;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Currency;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a run must leave behind, checked in the store's tables and against the simulator's and the host's
 * counts: every call the API accepted has exactly one record, in a terminal status; every hold is settled or
 * released; the ledger holds exactly the settled costs; each call ended as the simulator played it out (status, talk
 * time, the price it reported, converted); no create was sent twice; no callback was lost.
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
     * @param simulated  the simulator's {@code /calls}: how each call it created ended
     * @param host       the host's {@code /load/stats}
     */
    static List<Check> run(Connection db, List<String> customers, Set<String> placed, Map<String, Long> refusals,
                           Map<String, Object> simulator, List<Map<String, Object>> simulated,
                           Map<String, Object> host) throws SQLException {
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
        Map<String, Ending> endings = new HashMap<>();
        try (ResultSet rs = query(db, "SELECT call_id, terminal, needs_reconciliation, cost_amount, customer_id, status,"
                + " duration_seconds FROM calling_call WHERE customer_id IN " + in, customers)) {
            while (rs.next()) {
                rows++;
                recorded.add(rs.getString(1));
                if (!rs.getBoolean(2)) nonTerminal++;
                if (rs.getBoolean(3)) unresolved++;
                BigDecimal cost = rs.getBigDecimal(4);
                callCosts.put(rs.getString(1), cost == null ? BigDecimal.ZERO : cost);
                long seconds = rs.getLong(7); // none kept is no talk, as the simulator reports a call not answered
                endings.put(rs.getString(1), new Ending(rs.getString(6).strip(), seconds,
                        cost == null ? BigDecimal.ZERO : cost));
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

        a.matchSimulator(placed, endings, simulated, host);

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

    /** How a call the simulator never created must end: failed, nothing talked, nothing spent. */
    private static final Ending NEVER_CREATED = new Ending(CallStatus.FAILED.wireName(), 0, BigDecimal.ZERO);

    /** How a call ended: its status (the store's name), talk seconds and cost in the reporting currency. */
    record Ending(String status, long seconds, BigDecimal cost) {
        @Override
        public boolean equals(Object o) { // costs compared by value: 0 and 0.0000000000 are one cost
            return o instanceof Ending e && status.equals(e.status) && seconds == e.seconds && cost.compareTo(e.cost) == 0;
        }

        @Override
        public int hashCode() {
            return Objects.hash(status, seconds, cost.stripTrailingZeros());
        }

        @Override
        public String toString() {
            return status + " " + seconds + " s " + cost.stripTrailingZeros().toPlainString();
        }
    }

    /**
     * Call by call, the record's end against the simulator's: the status, the talk time and the cost, which is what the
     * host settles (Settlement): the provider's price converted to the reporting currency and rounded to its minor
     * unit; the simulator's callbacks carry no price, as Twilio's do not, so the host prices from its deck, which the
     * harness sets to the simulated account's price. Totals agreeing are not enough: a call the host failed that the
     * simulator completed, or a talk time lost so the call settled at nothing, is seen here.
     */
    private void matchSimulator(Set<String> placed, Map<String, Ending> endings, List<Map<String, Object>> simulated,
                                Map<String, Object> host) {
        String currency = (String) host.get("reportingCurrency");
        Object rate = host.get("usdRate");
        Map<String, Ending> played = new HashMap<>();
        Map<String, String> unreadable = new HashMap<>();
        for (Map<String, Object> call : simulated) {
            String id = (String) call.get("callId");
            if (id == null) continue;
            try {
                played.put(id, ending(call, currency, rate));
            } catch (RuntimeException e) { // not ended, or no price the host's rate converts
                unreadable.put(id, String.valueOf(e.getMessage()));
            }
        }
        long matched = 0;
        Map<String, String> differ = new TreeMap<>();
        for (String id : placed) {
            Ending record = endings.get(id);
            if (record == null) continue; // the record check names it
            Ending sim = played.get(id);
            if (sim == null && !unreadable.containsKey(id) && record.equals(NEVER_CREATED)) {
                matched++; // a create that never arrived, ended failed with nothing talked or spent, as it must
            } else if (sim == null) {
                differ.put(id, "host " + record + ", simulator " + unreadable.getOrDefault(id, "no call"));
            } else if (!record.equals(sim)) {
                differ.put(id, "host " + record + ", simulator " + sim);
            } else {
                matched++;
            }
        }
        check("every call ended as the simulator played it out", differ.isEmpty(),
                matched + " calls matched the simulator's status, talk time and price (at " + rate + " " + currency
                        + " a USD), " + differ.size() + " differ" + (differ.isEmpty() ? "" : " e.g. "
                        + differ.entrySet().stream().limit(3).map(e -> e.getKey() + " (" + e.getValue() + ")").toList()));
    }

    /** The simulator's end of a call as the host would keep it: the store's status name, talk seconds, cost. */
    private static Ending ending(Map<String, Object> call, String currency, Object usdRate) {
        // duration and price appear once a call has ended
        if (call.get("duration") == null || call.get("price") == null) {
            throw new IllegalStateException(call.get("status") + ", not ended");
        }
        CallStatus status = CallStatus.fromWireName((String) call.get("status")); // no-answer is the store's no_answer
        long seconds = Long.parseLong(String.valueOf(call.get("duration")));
        if (!"USD".equals(call.get("price_unit")) || usdRate == null || currency == null) {
            throw new IllegalStateException("priced in " + call.get("price_unit") + ", which the host's rate does not convert");
        }
        // Twilio reports what it charged as a negative amount; the host keeps it positive, converted and rounded
        BigDecimal price = new BigDecimal((String) call.get("price")).abs();
        BigDecimal cost = Money.of(price.multiply(new BigDecimal(String.valueOf(usdRate))),
                Currency.getInstance(currency)).rounded().amount();
        return new Ending(status.wireName(), seconds, cost);
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
