package io.globalcalling.store.jdbi;

import io.globalcalling.CallRecord;
import io.globalcalling.CallRequest;
import io.globalcalling.CallStatus;
import io.globalcalling.Money;
import io.globalcalling.WebhookResponse;
import io.globalcalling.core.GlobalCallingManager;
import io.globalcalling.core.limits.Budget;
import io.globalcalling.spi.CallEvent;
import io.globalcalling.spi.ProviderConfig;
import io.globalcalling.spi.store.LimitLedger.WindowCap;
import io.globalcalling.spi.store.LimitLedger.WindowResult;
import io.globalcalling.testkit.MutableClock;
import io.globalcalling.testkit.ScriptedProvider;
import io.globalcalling.testkit.ScriptedProvider.Outcome;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The database round trips of one call's whole life on the JDBI store (issue 18), through a real manager: placed
 * (record, routed event, hold, provider create, placed event and status), then three status callbacks through
 * {@code webhooks().handle} as a provider posts them (ringing, answered, completed with its talk time), the last
 * settling the hold at the provider's rate. A first call is placed and ended before the one counted, so that what
 * happens once per customer or node (the budget period's row, the fingerprint key) is not counted. Each statement
 * executed counts (a batch once), and each transaction committed, an autocommitted statement being one. The counts are
 * pinned as upper bounds: a change that adds a round trip fails here, naming the statement that grew.
 */
abstract class RoundTripsPerCallSuite {

    private static final String INDIA = "+919876543210";

    /** A fresh database, behind the DataSource the store will use. */
    abstract DataSource newDatabase();

    /** The statements and transactions of one call's life, as measured; {@code groupCommit} says in which mode. */
    abstract Expected expected(boolean groupCommit);

    /** Most statements of each kind, most statements and transactions in all, for one call's life. */
    record Expected(Map<String, Integer> statements, int transactions) {
        int statementCount() {
            return statements.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    @Test
    void oneCallsLifeWithoutGroupCommit() {
        check(false);
    }

    @Test
    void oneCallsLifeWithGroupCommit() {
        check(true);
    }

    private void check(boolean groupCommit) {
        RoundTripCounter counter = new RoundTripCounter(newDatabase());
        StoreSettings settings = StoreSettings.builder().groupCommit(groupCommit).build();
        MutableClock clock = MutableClock.create();
        ScriptedProvider provider = ScriptedProvider.builder().id("scripted").clock(clock).perMinute(Money.inr("1"))
                .build();
        try (JdbiCallingDatabase database = JdbiCallingDatabase.open(counter, settings);
             GlobalCallingManager manager = GlobalCallingManager.builder().discoverProviders(false)
                     .config(ProviderConfig.empty()).store(database.callStore()).ledger(database.limitLedger())
                     .clock(clock).provider(provider)
                     .limits(l -> l.rateWindows().budgets(Budget.daily(Money.inr("1000000")))).build()) {
            live(manager, provider, clock);
            counter.reset();
            String callId = live(manager, provider, clock);
            Map<String, Integer> statements = counter.statements();
            int total = statements.values().stream().mapToInt(Integer::intValue).sum();
            int transactions = counter.transactions();
            CallRecord ended = manager.calls().find(callId).orElseThrow();
            String mode = database.databaseKind() + (groupCommit ? " with" : " without") + " group commit";
            System.out.println(report("One call's life, " + mode, statements, total, transactions));

            assertThat(ended.status()).isEqualTo(CallStatus.COMPLETED);
            assertThat(ended.cost()).isEqualTo(Money.inr("1.00"));
            assertThat(counter.rollbacks()).as("transactions rolled back in " + mode).isZero();
            assertWithin(expected(groupCommit), statements, transactions, "per call life in " + mode);
        }
    }

    /**
     * The rate windows' share of a call, which the life above leaves out as the load host does (a manager's defaults
     * are three windows): one call counted in three windows whose rows exist, in one transaction.
     */
    @Test
    void oneCallCountedInThreeRateWindows() {
        RoundTripCounter counter = new RoundTripCounter(newDatabase());
        Instant now = Instant.parse("2026-12-03T10:00:00Z");
        List<WindowCap> windows = List.of(new WindowCap("minute", now, 100), new WindowCap("hour", now, 1_000),
                new WindowCap("day", now, 10_000));
        try (JdbiCallingDatabase database = JdbiCallingDatabase.open(counter, StoreSettings.defaults())) {
            database.limitLedger().count("acme", windows, false);
            counter.reset();
            WindowResult counted = database.limitLedger().count("acme", windows, false);
            Map<String, Integer> statements = counter.statements();
            int transactions = counter.transactions();
            String mode = "One call counted in three rate windows, " + database.databaseKind();
            System.out.println(report(mode, statements, statements.values().stream().mapToInt(Integer::intValue).sum(),
                    transactions));

            assertThat(counted).isEqualTo(new WindowResult(true, Optional.empty(), 2));
            assertThat(counter.rollbacks()).as("transactions rolled back in " + mode).isZero();
            assertWithin(new Expected(Map.of("INSERT calling_limit_window", 3,
                    "UPDATE calling_limit_window by customer_id, window_name, window_start", 3), 1),
                    statements, transactions, "in " + mode);
        }
    }

    private static void assertWithin(Expected expected, Map<String, Integer> statements, int transactions, String what) {
        for (Map.Entry<String, Integer> e : statements.entrySet()) {
            assertThat(e.getValue()).as("'%s' %s (a round trip was added: see the breakdown printed above)",
                    e.getKey(), what).isLessThanOrEqualTo(expected.statements().getOrDefault(e.getKey(), 0));
        }
        assertThat(statements.values().stream().mapToInt(Integer::intValue).sum()).as("statements " + what)
                .isLessThanOrEqualTo(expected.statementCount());
        assertThat(transactions).as("transactions " + what).isLessThanOrEqualTo(expected.transactions());
    }

    /** Places a call and has its provider report it ringing, answered and completed after a minute's talk. */
    private static String live(GlobalCallingManager manager, ScriptedProvider provider, MutableClock clock) {
        provider.next(Outcome.accept(CallStatus.QUEUED));
        CallRecord placed = manager.call(CallRequest.to(INDIA).customerId("acme").build());
        String providerCallId = provider.providerCallIdOf(placed.callId()).orElseThrow();
        long sequence = 0;
        for (CallStatus status : new CallStatus[] {CallStatus.RINGING, CallStatus.ANSWERED, CallStatus.COMPLETED}) {
            clock.advance(status == CallStatus.COMPLETED ? Duration.ofSeconds(60) : Duration.ofSeconds(3));
            CallEvent.Builder event = CallEvent.builder(provider.id(), clock.instant()).callId(placed.callId())
                    .providerCallId(providerCallId).status(status).sequence(++sequence);
            if (status == CallStatus.COMPLETED) event.duration(Duration.ofSeconds(60));
            WebhookResponse answer = manager.webhooks().handle(provider.id(), provider.callback(event.build()));
            assertThat(answer.status()).as("the answer to the " + status.wireName() + " callback").isLessThan(300);
        }
        return placed.callId();
    }

    private static String report(String title, Map<String, Integer> statements, int total, int transactions) {
        StringBuilder s = new StringBuilder(title + ": " + total + " statements, " + transactions
                + " transactions\n");
        new TreeMap<>(statements).forEach((sql, n) -> s.append(String.format("%4d  %s%n", n, sql)));
        return s.toString();
    }
}
