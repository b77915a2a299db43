package io.globalcalling.store.jdbi;

import io.globalcalling.CallRecord;
import io.globalcalling.CallRequest;
import io.globalcalling.CallStatus;
import io.globalcalling.ErrorReason;
import io.globalcalling.core.GlobalCallingManager;
import io.globalcalling.core.lifecycle.UnresolvedCall;
import io.globalcalling.spi.CallingProvider;
import io.globalcalling.spi.ProviderConfig;
import io.globalcalling.spi.ProviderException;
import io.globalcalling.Money;
import io.globalcalling.spi.store.CallStore;
import io.globalcalling.spi.store.LimitLedger;
import io.globalcalling.spi.store.StoreException;
import io.globalcalling.spi.store.StoredEvent;
import io.globalcalling.WebhookRequest;
import io.globalcalling.testkit.FakeCallProvider;
import io.globalcalling.testkit.MutableClock;
import io.globalcalling.testkit.Race;
import org.h2.jdbcx.JdbcConnectionPool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The once-only rules of settlement and reconciliation with two managers (two nodes), each with its own connection
 * pool, store and ledger (and group committer, when on), on one database: the same final callback received by both at
 * once is settled, noted and announced once between them; their reconciliation passes report an overdue call once.
 */
class CrossNodeOnceOnlyTest {

    private static final String INDIA = "+919876543210";
    private static final AtomicInteger H2_DATABASES = new AtomicInteger();

    enum Backend {
        H2(false), H2_GROUP_COMMIT(true), POSTGRES(false), POSTGRES_GROUP_COMMIT(true);

        final boolean groupCommit;

        Backend(boolean groupCommit) {
            this.groupCommit = groupCommit;
        }

        boolean postgres() {
            return this == POSTGRES || this == POSTGRES_GROUP_COMMIT;
        }
    }

    private final MutableClock clock = MutableClock.create();
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final List<JdbiCallingDatabase> nodes = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) toClose.get(i).close();
    }

    /** Two nodes' databases: the same tables, each node with its own pool, store and ledger. */
    private void twoNodes(Backend backend) {
        StoreSettings settings = StoreSettings.builder().groupCommit(backend.groupCommit).groupCommitWriters(2).build();
        List<JdbcConnectionPool> pools = new ArrayList<>();
        if (backend.postgres()) {
            pools.add(Postgres.newDatabase());
            pools.add(Postgres.pool(Postgres.jdbcUrl(pools.get(0)).replaceAll(".*/([^/?]+).*", "$1")));
        } else {
            String url = "jdbc:h2:mem:cross-node-" + H2_DATABASES.incrementAndGet() + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000";
            pools.add(JdbcConnectionPool.create(url, "sa", ""));
            pools.add(JdbcConnectionPool.create(url, "sa", ""));
        }
        for (JdbcConnectionPool pool : pools) {
            toClose.add(pool::dispose);
            JdbiCallingDatabase database = JdbiCallingDatabase.open(pool, settings);
            toClose.add(database);
            nodes.add(database);
        }
    }

    private GlobalCallingManager manager(CallStore store, JdbiCallingDatabase database, CallingProvider provider) {
        return manager(store, database.limitLedger(), provider);
    }

    private GlobalCallingManager manager(CallStore store, LimitLedger ledger, CallingProvider provider) {
        GlobalCallingManager m = GlobalCallingManager.builder().discoverProviders(false).config(ProviderConfig.empty())
                .store(store).ledger(ledger).clock(clock).provider(provider).build();
        toClose.add(m);
        return m;
    }

    private FakeCallProvider fake() {
        return FakeCallProvider.builder().clock(clock).build();
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void theSameFinalCallbackOnTwoNodesAtOnceIsSettledNotedAndAnnouncedOnce(Backend backend) throws Exception {
        twoNodes(backend);
        FakeCallProvider providerA = fake();
        List<GlobalCallingManager> managers = List.of(
                manager(nodes.get(0).callStore(), nodes.get(0), providerA),
                manager(nodes.get(1).callStore(), nodes.get(1), fake()));
        Map<String, AtomicInteger> announced = new ConcurrentHashMap<>();
        managers.forEach(m -> m.onSettled(r -> announced.computeIfAbsent(r.callId(), id -> new AtomicInteger())
                .incrementAndGet()));
        List<CallRecord> calls = new ArrayList<>();
        for (int i = 0; i < 20; i++) calls.add(managers.get(0).call(CallRequest.to(INDIA).customerId("acme").build()));

        for (CallRecord call : calls) {
            // one callback, delivered to both nodes at once, twice each (the provider's retry racing its first try)
            WebhookRequest completed = providerA.callback(call.providerCallId(), CallStatus.COMPLETED, Duration.ofSeconds(90));
            Race.run(4, n -> managers.get(n % 2).webhooks().handle("fake", completed));
        }

        CallStore store = nodes.get(1).callStore();
        for (CallRecord call : calls) {
            CallRecord settled = store.find(call.callId()).orElseThrow();
            assertThat(settled.cost()).as(call.callId()).isNotNull();
            assertThat(announced.get(call.callId())).as(call.callId() + " announced").hasValue(1);
            assertThat(store.events(call.callId())).as(call.callId()).filteredOn(e -> e.type().equals("settled"))
                    .singleElement().extracting(e -> e.data().get("cost")).isEqualTo(settled.cost().toString());
            Map<String, Object> hold = nodes.get(0).jdbi().withHandle(h -> h.createQuery(
                    "SELECT state, settled FROM calling_spend_hold WHERE hold_id = :id").bind("id", call.callId())
                    .mapToMap().one());
            assertThat(hold.get("state")).isEqualTo("settled");
            assertThat(((BigDecimal) hold.get("settled")).compareTo(settled.cost().amount())).isZero();
        }
    }

    /**
     * The first report of the end found the ledger down, so the call ended without its cost; the provider's retry of
     * it then reaches both nodes at once, and both finish the settlement, noting it in the call's log at the same
     * moment (two groups at once, with group commit): the store keeps one note, and one settlement is announced.
     */
    @ParameterizedTest
    @EnumSource(Backend.class)
    void aSettlementBothNodesFinishAtOnceIsNotedAndAnnouncedOnce(Backend backend) throws Exception {
        twoNodes(backend);
        FakeCallProvider providerA = fake();
        AtomicBoolean ledgerDown = new AtomicBoolean();
        AtomicReference<CyclicBarrier> settleTogether = new AtomicReference<>();
        AtomicReference<CyclicBarrier> noteTogether = new AtomicReference<>();
        List<GlobalCallingManager> managers = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            managers.add(manager(notingTogether(nodes.get(i).callStore(), noteTogether),
                    settlingUnless(nodes.get(i).limitLedger(), ledgerDown, settleTogether), i == 0 ? providerA : fake()));
        }
        List<CallRecord> announced = new CopyOnWriteArrayList<>();
        managers.forEach(m -> m.onSettled(announced::add));
        CallRecord call = managers.get(0).call(CallRequest.to(INDIA).customerId("acme").build());
        WebhookRequest completed = providerA.callback(call.providerCallId(), CallStatus.COMPLETED, Duration.ofSeconds(90));
        ledgerDown.set(true);
        assertThat(managers.get(0).webhooks().handle("fake", completed).status()).isEqualTo(500);
        ledgerDown.set(false);
        assertThat(nodes.get(0).callStore().find(call.callId()).orElseThrow().cost()).isNull();

        settleTogether.set(new CyclicBarrier(2));
        noteTogether.set(new CyclicBarrier(2));
        List<Integer> answers = Race.run(2, n -> managers.get(n).webhooks().handle("fake", completed).status());

        assertThat(answers).containsOnly(200);
        CallRecord settled = nodes.get(1).callStore().find(call.callId()).orElseThrow();
        assertThat(settled.cost()).isEqualTo(Money.inr("2"));
        assertThat(announced).singleElement().extracting(CallRecord::cost).isEqualTo(Money.inr("2"));
        assertThat(nodes.get(1).callStore().events(call.callId())).filteredOn(e -> e.type().equals("settled"))
                .singleElement().extracting(e -> e.data().get("cost")).isEqualTo("2 INR");
    }

    /**
     * Both nodes' passes find the same overdue call at once, each having read its log before either reports it. Its
     * provider's look-up failed on each (with each node's own error), so the reports' reasons differ: the call is
     * still reported once between them.
     */
    @ParameterizedTest
    @EnumSource(Backend.class)
    void twoNodesPassesReportAnOverdueCallOnceEvenWhenTheirReasonsDiffer(Backend backend) throws Exception {
        twoNodes(backend);
        FakeCallProvider providerA = fake();
        providerA.failNext(ProviderException.of("fake", ErrorReason.OUTCOME_UNKNOWN, "read timed out after sending"));
        AtomicReference<CyclicBarrier> readTogether = new AtomicReference<>();
        List<GlobalCallingManager> managers = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            String node = i == 0 ? "connect timed out" : "connection reset";
            CallingProvider failing = lookUpFailing(i == 0 ? providerA : fake(), node);
            managers.add(manager(readingTogether(nodes.get(i).callStore(), readTogether), nodes.get(i), failing));
        }
        List<UnresolvedCall> reported = new CopyOnWriteArrayList<>();
        managers.forEach(m -> m.onUnresolved(reported::add));
        CallRecord call = managers.get(0).call(CallRequest.to(INDIA).customerId("acme").build());
        assertThat(call.needsReconciliation()).isTrue();
        clock.advance(Duration.ofMinutes(3));

        readTogether.set(new CyclicBarrier(2));
        Race.run(2, n -> managers.get(n).reconcile());

        assertThat(reported).hasSize(1);
        assertThat(nodes.get(0).callStore().events(call.callId())).filteredOn(e -> e.type().equals("unresolved"))
                .hasSize(1);
    }

    /** {@code provider} whose look-up of a call fails with {@code why}. */
    private static CallingProvider lookUpFailing(CallingProvider provider, String why) {
        return (CallingProvider) Proxy.newProxyInstance(CallingProvider.class.getClassLoader(),
                new Class<?>[] {CallingProvider.class}, (proxy, method, args) -> {
                    if (method.getName().equals("findPlaced")) {
                        throw ProviderException.of("fake", ErrorReason.UNAVAILABLE, why);
                    }
                    try {
                        return method.invoke(provider, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /**
     * {@code ledger} whose settlements fail while {@code down} holds, and start, while a barrier is set, only once both
     * nodes are settling (so that both read the call without its cost).
     */
    private static LimitLedger settlingUnless(LimitLedger ledger, AtomicBoolean down, AtomicReference<CyclicBarrier> barrier) {
        return (LimitLedger) Proxy.newProxyInstance(LimitLedger.class.getClassLoader(), new Class<?>[] {LimitLedger.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("settle") && down.get()) throw new StoreException("ledger unreachable");
                    CyclicBarrier both = barrier.get();
                    if (method.getName().equals("settle") && both != null) both.await(10, TimeUnit.SECONDS);
                    try {
                        return method.invoke(ledger, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /** {@code store} that, while a barrier is set, notes a settlement only once both nodes are about to. */
    private static CallStore notingTogether(CallStore store, AtomicReference<CyclicBarrier> barrier) {
        return (CallStore) Proxy.newProxyInstance(CallStore.class.getClassLoader(), new Class<?>[] {CallStore.class},
                (proxy, method, args) -> {
                    CyclicBarrier both = barrier.get();
                    if (method.getName().equals("appendEvent") && ((StoredEvent) args[0]).type().equals("settled")
                            && both != null) {
                        both.await(10, TimeUnit.SECONDS);
                    }
                    try {
                        return method.invoke(store, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /** {@code store} whose readers of a call's log wait, while a barrier is set, until both nodes have read it. */
    private static CallStore readingTogether(CallStore store, AtomicReference<CyclicBarrier> barrier) {
        return (CallStore) Proxy.newProxyInstance(CallStore.class.getClassLoader(), new Class<?>[] {CallStore.class},
                (proxy, method, args) -> {
                    Object result;
                    try {
                        result = method.invoke(store, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                    CyclicBarrier both = barrier.get();
                    if (method.getName().equals("events") && both != null) both.await(10, TimeUnit.SECONDS);
                    return result;
                });
    }
}
