package io.globalcalling.store.jdbi;

import io.globalcalling.testkit.Race;
import io.globalcalling.spi.CallCategory;
import io.globalcalling.spi.CallStatus;
import io.globalcalling.spi.Money;
import io.globalcalling.spi.Priority;
import io.globalcalling.spi.store.CallRecord;
import io.globalcalling.spi.store.CallStore;
import io.globalcalling.spi.store.CallUpdate;
import io.globalcalling.spi.store.Campaign;
import io.globalcalling.spi.store.CampaignTarget;
import io.globalcalling.spi.store.LimitLedger;
import io.globalcalling.spi.store.LimitLedger.HoldResult;
import io.globalcalling.spi.store.LimitLedger.PeriodCap;
import io.globalcalling.spi.store.LimitLedger.PeriodUsage;
import io.globalcalling.spi.store.LimitLedger.WindowCap;
import org.h2.jdbcx.JdbcConnectionPool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two application nodes, each with its own connection pool and its own store and ledger, sharing one
 * PostgreSQL database; 32 threads on each node race for the same budget, windows, calls and targets.
 */
class CrossNodePostgresTest {

    private static final int THREADS_PER_NODE = 32;
    private static final Instant T0 = Instant.parse("2026-03-01T09:00:00Z");

    private static JdbcConnectionPool poolA;
    private static JdbcConnectionPool poolB;
    private static JdbiCallingDatabase nodeA;
    private static JdbiCallingDatabase nodeB;

    @BeforeAll
    static void twoNodes() {
        poolA = Postgres.newDatabase();
        String database = Postgres.jdbcUrl(poolA).replaceAll(".*/([^/?]+).*", "$1");
        poolB = Postgres.pool(database);
        nodeA = JdbiCallingDatabase.postgres(poolA);
        nodeB = JdbiCallingDatabase.postgres(poolB);
    }

    @AfterAll
    static void stop() {
        nodeA.close();
        nodeB.close();
        poolA.dispose();
        poolB.dispose();
    }

    @AfterEach
    void empty() {
        Tables.clear(nodeA.jdbi());
    }

    /** Runs {@code task(n)} on 32 threads per node, thread n getting node A's or B's database. */
    private static <T> List<T> onBothNodes(IntFunction<Callable<T>> task) throws Exception {
        return Race.run(2 * THREADS_PER_NODE, n -> task.apply(n).call());
    }

    @FunctionalInterface
    private interface Callable<T> {
        T call() throws Exception;
    }

    private static JdbiCallingDatabase node(int n) {
        return n % 2 == 0 ? nodeA : nodeB;
    }

    @Test
    void budgetIsNeverOvershotByTwoNodes() throws Exception {
        List<PeriodCap> budget = List.of(new PeriodCap("day", "2026-03-01", Money.inr("1000")),
                new PeriodCap("month", "2026-03", Money.inr("5000")));
        Map<String, Money> charged = new ConcurrentHashMap<>();
        AtomicBoolean done = new AtomicBoolean();
        List<String> overshoots = Collections.synchronizedList(new ArrayList<>());
        Thread auditor = new Thread(() -> {
            while (!done.get()) {
                Money used = nodeA.limitLedger().usage("cust-1", budget).get(0).used();
                if (used.isGreaterThan(Money.inr("1000"))) overshoots.add(used.toString());
            }
        });
        auditor.start();
        try {
            onBothNodes(n -> () -> {
                LimitLedger ledger = node(n).limitLedger();
                for (int i = 0; i < 10; i++) {
                    String holdId = "hold-" + n + "-" + i;
                    HoldResult hold = ledger.reserve(holdId, "cust-1", Money.inr("13"), budget, false);
                    if (!hold.accepted()) continue;
                    if (i % 2 == 0) {
                        // Settle half of them below the estimate: freed room goes to the other racers.
                        node(n + 1).limitLedger().settle(holdId, Money.inr("5.5"));
                        charged.put(holdId, Money.inr("5.5"));
                    } else {
                        charged.put(holdId, Money.inr("13"));
                    }
                }
                return null;
            });
        } finally {
            done.set(true);
            auditor.join();
        }

        Money expected = charged.values().stream().reduce(Money.inr("0"), Money::plus);
        List<PeriodUsage> usage = nodeB.limitLedger().usage("cust-1", budget);
        assertThat(overshoots).isEmpty();
        assertThat(usage.get(0).used()).isEqualTo(expected);
        assertThat(usage.get(1).used()).isEqualTo(expected);
        assertThat(expected.amount()).isLessThanOrEqualTo(new BigDecimal("1000"));
        // 640 attempts of 13 could never all fit: the budget really was contended.
        assertThat(charged).hasSizeLessThan(640).hasSizeGreaterThan(76);
    }

    @Test
    void rateWindowsAreNeverOvershotByTwoNodes() throws Exception {
        List<WindowCap> windows = List.of(new WindowCap("minute", T0, 100), new WindowCap("hour", T0, 250));

        List<Integer> allowed = onBothNodes(n -> () -> {
            int count = 0;
            for (int i = 0; i < 5; i++) {
                if (node(n).limitLedger().count("cust-1", windows, false).allowed()) count++;
            }
            return count;
        });

        assertThat(allowed.stream().mapToInt(Integer::intValue).sum()).isEqualTo(100);
        assertThat(nodeB.limitLedger().count("cust-1", List.of(new WindowCap("hour", T0, 250)), false).count())
                .isEqualTo(101);
    }

    @Test
    void alertFiresOnceAcrossNodes() throws Exception {
        List<Boolean> marked = onBothNodes(n -> () -> node(n).limitLedger().markAlert("cust-1", "day", "2026-03-01", 80));

        assertThat(marked).containsOnlyOnce(true);
    }

    @Test
    void statusUpdatesFromTwoNodesNeverMoveACallBack() throws Exception {
        for (int c = 0; c < 8; c++) {
            nodeA.callStore().create(CallRecord.initiated("call-" + c, "cust-1", CallCategory.INTERNET_VOIP, null,
                    "+9198765432" + c + "0", null, Priority.NORMAL, null, null, null, null, null, false, T0,
                    null));
        }
        List<CallStatus> sequence = List.of(CallStatus.QUEUED, CallStatus.RINGING, CallStatus.ANSWERED,
                CallStatus.COMPLETED, CallStatus.FAILED, CallStatus.RINGING, CallStatus.NO_ANSWER);
        Map<String, List<CallStatus>> moves = new ConcurrentHashMap<>();

        onBothNodes(n -> () -> {
            CallStore store = node(n).callStore();
            for (int c = 0; c < 8; c++) {
                CallStatus s = sequence.get((n + c) % sequence.size());
                if (store.update(CallUpdate.of("call-" + c, T0.plusSeconds(n)).status(s))) {
                    moves.computeIfAbsent("call-" + c, k -> Collections.synchronizedList(new ArrayList<>())).add(s);
                }
            }
            return null;
        });

        for (int c = 0; c < 8; c++) {
            CallStatus last = nodeB.callStore().find("call-" + c).orElseThrow().status();
            List<CallStatus> moved = moves.get("call-" + c);
            assertThat(last.isTerminal()).isTrue();
            assertThat(moved.stream().filter(CallStatus::isTerminal)).containsExactly(last);
            // Each status that moved the call was of a higher rank than every move before it.
            assertThat(moved.stream().map(CallStatus::rank).distinct().count()).isEqualTo(moved.size());
        }
    }

    @Test
    void campaignTargetsAreClaimedOnceAcrossNodes() throws Exception {
        nodeA.callStore().createCampaign(new Campaign("camp-1", "cust-1", "Renewals", CallCategory.AI_AUTOMATED,
                "Hello", 600, 0, 0, 0, Money.inr("0"), Campaign.Status.IN_PROGRESS, null, T0, null, T0));
        List<CampaignTarget> targets = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            targets.add(CampaignTarget.pending("camp-1", "t" + i, "+91980000" + String.format("%04d", i), null, T0));
        }
        nodeA.callStore().addTargets(targets);
        Map<String, String> owners = new ConcurrentHashMap<>();
        AtomicInteger doubleClaims = new AtomicInteger();

        onBothNodes(n -> () -> {
            String owner = "node-" + (n % 2) + "-worker-" + n;
            List<CampaignTarget> batch;
            do {
                batch = node(n).callStore().claimTargets("camp-1", 5, owner, T0.plusSeconds(1), T0.plusSeconds(300));
                for (CampaignTarget t : batch) {
                    if (owners.putIfAbsent(t.targetId(), owner) != null) doubleClaims.incrementAndGet();
                    node(n).callStore().recordCampaignOutcome("camp-1", true, Money.inr("0.5"));
                }
            } while (!batch.isEmpty());
            return null;
        });

        assertThat(doubleClaims).hasValue(0);
        assertThat(owners).hasSize(600);
        assertThat(owners.values().stream().map(o -> o.substring(0, 6)).distinct()).hasSize(2);
        Campaign campaign = nodeB.callStore().findCampaign("camp-1").orElseThrow();
        assertThat(campaign.completedCalls()).isEqualTo(600);
        assertThat(campaign.totalCost()).isEqualTo(Money.inr("300"));
    }
}
