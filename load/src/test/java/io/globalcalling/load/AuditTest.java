package io.globalcalling.load;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The audit fed with bad data: each violation of a claim fails that claim's check, naming what was wrong, and leaves
 * the others passing. The tables are the store's, cut to the columns the audit reads.
 */
class AuditTest {

    private static final List<String> CUSTOMERS = List.of("load-1", "load-2");

    private Connection db;
    private final Map<String, Object> simulator = new LinkedHashMap<>();
    private final List<Map<String, Object>> simulated = new ArrayList<>();
    private final Map<String, Object> host = new LinkedHashMap<>();
    private final Map<String, Long> outcomes = new LinkedHashMap<>();

    @BeforeEach
    void cleanRun() throws SQLException {
        db = DriverManager.getConnection("jdbc:h2:mem:audit-" + UUID.randomUUID(), "sa", "");
        sql("CREATE TABLE calling_call (call_id VARCHAR(128) NOT NULL UNIQUE, customer_id VARCHAR(128) NOT NULL,"
                + " terminal BOOLEAN NOT NULL, needs_reconciliation BOOLEAN NOT NULL, cost_amount NUMERIC(30, 10),"
                + " status VARCHAR(32) NOT NULL, duration_seconds INTEGER)");
        sql("CREATE TABLE calling_spend_hold (hold_id VARCHAR(128) PRIMARY KEY, customer_id VARCHAR(128) NOT NULL,"
                + " state VARCHAR(16) NOT NULL, settled NUMERIC(30, 10))");
        sql("CREATE TABLE calling_spend_period (customer_id VARCHAR(128) NOT NULL, period VARCHAR(64) NOT NULL,"
                + " used NUMERIC(30, 10) NOT NULL)");
        // two calls, one answered (5 minutes, 0.10 USD: 10 INR at the host's rate), one busy (nothing spent), each
        // held and settled, each ended at the simulator as recorded
        call("call-1", "load-1", "completed", 300, "10");
        call("call-2", "load-2", "busy", 0, "0");
        simulated("call-1", "completed", "300", "-0.10000");
        simulated("call-2", "busy", "0", "0.00000");
        hold("call-1", "load-1", "settled", "10");
        hold("call-2", "load-2", "settled", "0");
        sql("INSERT INTO calling_spend_period VALUES ('load-1', 'daily', 10), ('load-2', 'daily', 0)");
        simulator.put("creates", 2L);
        simulator.put("callbackUrls", 2);
        simulator.put("maxCreatesPerCallbackUrl", 1);
        simulator.put("callbacksDelivered", 7L);
        simulator.put("callbacksAbandoned", 0L);
        simulator.put("callbacksPending", 0L);
        outcomes.put("HANDLED", 7L);
        outcomes.put("BAD_SIGNATURE", 0L);
        host.put("callbacks", outcomes);
        host.put("reportingCurrency", "INR");
        host.put("usdRate", "100");
    }

    @AfterEach
    void close() throws SQLException {
        db.close();
    }

    @Test
    void aCleanRunPassesEveryCheck() throws SQLException {
        assertThat(audit(Set.of("call-1", "call-2"), Map.of())).hasSize(8).allMatch(Audit.Check::passed);
    }

    @Test
    void aRefusedCallFailsTheApiCheck() throws SQLException {
        assertThat(failed(audit(Set.of("call-1", "call-2"), Map.of("HTTP 500", 1L))))
                .containsExactly("the API accepted every call: 2 accepted, refused: {HTTP 500=1}");
    }

    @Test
    void aMissingOrExtraRecordFailsTheRecordCheck() throws SQLException {
        assertThat(failed(audit(Set.of("call-1", "call-2", "call-3"), Map.of())))
                .anyMatch(f -> f.startsWith("every call has exactly one record:") && f.contains("missing 1 e.g. [call-3]"));
        assertThat(failed(audit(Set.of("call-1"), Map.of())))
                .anyMatch(f -> f.startsWith("every call has exactly one record:") && f.contains("extra 1 e.g. [call-2]"));
    }

    @Test
    void aRecordNotTerminalOrAwaitingReconciliationFailsTheStatusCheck() throws SQLException {
        sql("UPDATE calling_call SET terminal = FALSE WHERE call_id = 'call-1'");
        sql("UPDATE calling_call SET needs_reconciliation = TRUE WHERE call_id = 'call-2'");

        assertThat(failed(audit(Set.of("call-1", "call-2"), Map.of()))).containsExactly(
                "every record is in a terminal status: 1 not terminal, 1 awaiting reconciliation");
    }

    @Test
    void anOpenHoldFailsTheHoldCheck() throws SQLException {
        sql("UPDATE calling_spend_hold SET state = 'open', settled = NULL WHERE hold_id = 'call-2'");

        assertThat(failed(audit(Set.of("call-1", "call-2"), Map.of())))
                .anyMatch(f -> f.startsWith("every hold is settled or released:") && f.contains("1 open"));
    }

    @Test
    void aCallWithoutAHoldFailsTheHoldCheckEvenWhenAHoldOfNoRecordedCallMakesTheCountsAgree() throws SQLException {
        // call-2 was never held; a hold of a call the run has no record of stands in its place
        sql("DELETE FROM calling_spend_hold WHERE hold_id = 'call-2'");
        hold("call-9", "load-2", "settled", "0");

        assertThat(failed(audit(Set.of("call-1", "call-2"), Map.of()))).containsExactly(
                "every hold is settled or released: 2 closed, 0 open, for 2 calls; calls without a hold 1 e.g. [call-2],"
                        + " holds of no recorded call 1 e.g. [call-9]");
    }

    @Test
    void aLedgerOrACostThatDiffersFromTheSettledHoldsFailsTheLedgerCheck() throws SQLException {
        sql("UPDATE calling_spend_period SET used = 12 WHERE customer_id = 'load-1'");
        assertThat(failed(audit(Set.of("call-1", "call-2"), Map.of()))).singleElement().asString()
                .startsWith("the ledger equals the sum of settled costs: ledger 12");

        sql("UPDATE calling_spend_period SET used = 10 WHERE customer_id = 'load-1'");
        sql("UPDATE calling_call SET cost_amount = 11 WHERE call_id = 'call-1'");
        simulated.set(0, outcome("call-1", "completed", "300", "-0.11000")); // as the simulator priced it
        assertThat(failed(audit(Set.of("call-1", "call-2"), Map.of()))).singleElement().asString()
                .startsWith("the ledger equals the sum of settled costs:").contains("calls' costs 11");
    }

    @Test
    void aSettlementChargedToAnotherCustomersLedgerFailsTheLedgerCheckThoughTheTotalsAgree() throws SQLException {
        sql("UPDATE calling_spend_period SET used = 0 WHERE customer_id = 'load-1'");
        sql("UPDATE calling_spend_period SET used = 10 WHERE customer_id = 'load-2'");

        assertThat(failed(audit(Set.of("call-1", "call-2"), Map.of()))).singleElement().asString()
                .startsWith("the ledger equals the sum of settled costs:")
                .endsWith("; customers whose ledger, settled holds and calls' costs differ 2 e.g. [load-1, load-2]");
    }

    @Test
    void aHoldSettledAtAnotherCallsCostFailsTheLedgerCheckThoughTheTotalsAgree() throws SQLException {
        // two calls of one customer whose settlements were swapped: each hold carries the other call's cost
        call("call-3", "load-2", "completed", 120, "4");
        simulated("call-3", "completed", "120", "-0.04000");
        hold("call-3", "load-2", "settled", "0");
        sql("UPDATE calling_spend_hold SET settled = 4 WHERE hold_id = 'call-2'");
        sql("UPDATE calling_spend_period SET used = 4 WHERE customer_id = 'load-2'");
        simulator.put("creates", 3L);
        simulator.put("callbackUrls", 3);

        assertThat(failed(audit(Set.of("call-1", "call-2", "call-3"), Map.of()))).singleElement().asString()
                .startsWith("the ledger equals the sum of settled costs:")
                .endsWith("; calls whose hold was settled at another amount than their cost 2 e.g. [call-2, call-3]");
    }

    @Test
    void aCreateSentTwiceFailsTheCreateCheck() throws SQLException {
        simulator.put("creates", 3L);
        simulator.put("maxCreatesPerCallbackUrl", 2);

        assertThat(failed(audit(Set.of("call-1", "call-2"), Map.of()))).containsExactly(
                "no create was sent twice: 3 creates for 2 calls (at most 2 per call), 2 calls placed");
    }

    @Test
    void aCallbackTheHostDidNotApplyOrTheSimulatorGaveUpOrStillHoldsFailsTheCallbackCheck() throws SQLException {
        outcomes.put("HANDLED", 6L);
        assertThat(failed(audit(Set.of("call-1", "call-2"), Map.of()))).singleElement().asString()
                .startsWith("no callback was lost: 7 delivered").contains("6 applied or deduplicated by the host");

        outcomes.put("HANDLED", 7L);
        simulator.put("callbacksAbandoned", 1L);
        outcomes.put("BAD_SIGNATURE", 1L);
        assertThat(failed(audit(Set.of("call-1", "call-2"), Map.of()))).singleElement().asString()
                .contains("1 abandoned").contains("(1 not handled)");

        simulator.put("callbacksAbandoned", 0L);
        outcomes.put("BAD_SIGNATURE", 0L);
        simulator.put("callbacksPending", 2L);
        assertThat(failed(audit(Set.of("call-1", "call-2"), Map.of()))).singleElement().asString()
                .contains("2 pending");
    }

    @Test
    void aCallTheHostFailedThatTheSimulatorCompletedFailsTheSimulatorCheckThoughTheLedgerAgrees() throws SQLException {
        // the host ended call-1 failed and settled nothing, consistently: only the simulator knows it was talked on
        sql("UPDATE calling_call SET status = 'failed', duration_seconds = 0, cost_amount = 0 WHERE call_id = 'call-1'");
        sql("UPDATE calling_spend_hold SET settled = 0 WHERE hold_id = 'call-1'");
        sql("UPDATE calling_spend_period SET used = 0 WHERE customer_id = 'load-1'");

        assertThat(failed(audit(Set.of("call-1", "call-2"), Map.of()))).containsExactly(
                "every call ended as the simulator played it out: 1 calls matched the simulator's status, talk time and"
                        + " price (at 100 INR a USD), 1 differ e.g. [call-1 (host failed 0 s 0, simulator completed 300 s 10)]");
    }

    @Test
    void aTalkTimeLostSoTheCallSettledAtNothingFailsTheSimulatorCheck() throws SQLException {
        // completed, but its duration never kept: the deck priced no talk, and every figure of the ledger agrees
        sql("UPDATE calling_call SET duration_seconds = NULL, cost_amount = 0 WHERE call_id = 'call-1'");
        sql("UPDATE calling_spend_hold SET settled = 0 WHERE hold_id = 'call-1'");
        sql("UPDATE calling_spend_period SET used = 0 WHERE customer_id = 'load-1'");

        assertThat(failed(audit(Set.of("call-1", "call-2"), Map.of()))).singleElement().asString()
                .startsWith("every call ended as the simulator played it out:")
                .endsWith("1 differ e.g. [call-1 (host completed 0 s 0, simulator completed 300 s 10)]");
    }

    @Test
    void aCallTheSimulatorNeverCreatedOrNeverEndedFailsTheSimulatorCheck() throws SQLException {
        simulated.remove(1);
        assertThat(failed(audit(Set.of("call-1", "call-2"), Map.of()))).filteredOn(f -> f.startsWith("every call ended"))
                .singleElement().asString().endsWith("1 differ e.g. [call-2 (host busy 0 s 0, simulator no call)]");
        // unless the host ended it as a create that never arrived must end: failed, nothing talked or spent
        sql("UPDATE calling_call SET status = 'failed' WHERE call_id = 'call-2'");
        assertThat(failed(audit(Set.of("call-1", "call-2"), Map.of()))).noneMatch(f -> f.startsWith("every call ended"));
        sql("UPDATE calling_call SET status = 'busy' WHERE call_id = 'call-2'");

        Map<String, Object> ringing = outcome("call-2", "ringing", null, null);
        simulated.add(ringing);
        assertThat(failed(audit(Set.of("call-1", "call-2"), Map.of()))).singleElement().asString()
                .endsWith("1 differ e.g. [call-2 (host busy 0 s 0, simulator ringing, not ended)]");
    }

    @Test
    void theCostComparedIsTheSimulatorsPriceConvertedAtTheHostsRateAndRoundedHalfUpToPaise() throws SQLException {
        // a started minute at 0.014 USD is 1.2425 INR at 88.75, which the host settles as 1.24
        host.put("usdRate", "88.75");
        call("call-3", "load-1", "completed", 45, "1.24");
        hold("call-3", "load-1", "settled", "1.24");
        simulated("call-3", "completed", "45", "-0.01400");
        simulated.set(0, outcome("call-1", "completed", "300", "-0.11268")); // 10.00035 INR: 10
        simulator.put("creates", 3L);
        simulator.put("callbackUrls", 3);
        sql("UPDATE calling_spend_period SET used = 11.24 WHERE customer_id = 'load-1'");
        assertThat(audit(Set.of("call-1", "call-2", "call-3"), Map.of())).allMatch(Audit.Check::passed);

        // a wrong status name would not do either: the simulator's no-answer is the store's no_answer
        sql("UPDATE calling_call SET status = 'no_answer' WHERE call_id = 'call-2'");
        simulated.set(1, outcome("call-2", "no-answer", "0", "0.00000"));
        assertThat(audit(Set.of("call-1", "call-2", "call-3"), Map.of())).allMatch(Audit.Check::passed);

        sql("UPDATE calling_call SET cost_amount = 1.25 WHERE call_id = 'call-3'");
        sql("UPDATE calling_spend_hold SET settled = 1.25 WHERE hold_id = 'call-3'");
        sql("UPDATE calling_spend_period SET used = 11.25 WHERE customer_id = 'load-1'");
        assertThat(failed(audit(Set.of("call-1", "call-2", "call-3"), Map.of()))).singleElement().asString()
                .endsWith("1 differ e.g. [call-3 (host completed 45 s 1.25, simulator completed 45 s 1.24)]");
    }

    private List<Audit.Check> audit(Set<String> placed, Map<String, Long> refusals) throws SQLException {
        return Audit.run(db, CUSTOMERS, placed, refusals, simulator, simulated, host);
    }

    /** How the simulator ended a call, as its {@code /calls} shows it. */
    private void simulated(String id, String status, String duration, String price) {
        simulated.add(outcome(id, status, duration, price));
    }

    private static Map<String, Object> outcome(String id, String status, String duration, String price) {
        Map<String, Object> call = new LinkedHashMap<>();
        call.put("callId", id);
        call.put("sid", "CA" + id);
        call.put("status", status);
        call.put("duration", duration);
        call.put("price", price);
        call.put("price_unit", "USD");
        return call;
    }

    private static List<String> failed(List<Audit.Check> checks) {
        return checks.stream().filter(c -> !c.passed()).map(c -> c.name() + ": " + c.detail()).toList();
    }

    private void call(String id, String customer, String status, int seconds, String cost) throws SQLException {
        sql("INSERT INTO calling_call VALUES ('" + id + "', '" + customer + "', TRUE, FALSE, " + cost + ", '" + status
                + "', " + seconds + ")");
    }

    private void hold(String id, String customer, String state, String settled) throws SQLException {
        sql("INSERT INTO calling_spend_hold VALUES ('" + id + "', '" + customer + "', '" + state + "', " + settled + ")");
    }

    private void sql(String sql) throws SQLException {
        try (Statement s = db.createStatement()) {
            s.execute(sql);
        }
    }
}
