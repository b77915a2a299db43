package io.globalcalling.store.jdbi;

import io.globalcalling.CallRecord;
import io.globalcalling.CallRequest;
import io.globalcalling.CallStatus;
import io.globalcalling.Money;
import io.globalcalling.WebhookRequest;
import io.globalcalling.core.GlobalCallingManager;
import io.globalcalling.core.lifecycle.CallStatusChanged;
import io.globalcalling.spi.CallingProvider;
import io.globalcalling.spi.ProviderConfig;
import io.globalcalling.spi.store.CallStore;
import io.globalcalling.spi.store.CallUpdate;
import io.globalcalling.testkit.FakeCallProvider;
import io.globalcalling.testkit.MutableClock;
import org.h2.jdbcx.JdbcConnectionPool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Waiting for a call on one node (two managers, each with its own pool, store and ledger, on one database) while
 * another node ends it: the waiter hears of the end, and so does one whose own settlement lost the call's one
 * {@code settled} note to the other node. A node following a customer's calls hears the moves the other node applied.
 */
class CrossNodeAwaitTest {

    private static final String INDIA = "+919876543210";
    private static final AtomicInteger H2_DATABASES = new AtomicInteger();
    private static final Duration WAIT = Duration.ofSeconds(10);

    enum Backend {
        H2, POSTGRES
    }

    private final MutableClock clock = MutableClock.create();
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final List<JdbiCallingDatabase> nodes = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) toClose.get(i).close();
    }

    private void twoNodes(Backend backend) {
        List<JdbcConnectionPool> pools = new ArrayList<>();
        if (backend == Backend.POSTGRES) {
            pools.add(Postgres.newDatabase());
            pools.add(Postgres.pool(Postgres.jdbcUrl(pools.get(0)).replaceAll(".*/([^/?]+).*", "$1")));
        } else {
            String url = "jdbc:h2:mem:cross-node-await-" + H2_DATABASES.incrementAndGet()
                    + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000";
            pools.add(JdbcConnectionPool.create(url, "sa", ""));
            pools.add(JdbcConnectionPool.create(url, "sa", ""));
        }
        for (JdbcConnectionPool pool : pools) {
            toClose.add(pool::dispose);
            JdbiCallingDatabase database = JdbiCallingDatabase.open(pool, StoreSettings.builder().build());
            toClose.add(database);
            nodes.add(database);
        }
    }

    private GlobalCallingManager manager(CallStore store, JdbiCallingDatabase database, CallingProvider provider) {
        GlobalCallingManager m = GlobalCallingManager.builder().discoverProviders(false).config(ProviderConfig.empty())
                .store(store).ledger(database.limitLedger()).clock(clock).provider(provider)
                .followPollInterval(Duration.ofMillis(50)).build();
        toClose.add(m);
        return m;
    }

    private FakeCallProvider fake() {
        return FakeCallProvider.builder().clock(clock).build();
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aCallerWaitingOnOneNodeHearsOfAnEndTheOtherNodeSettled(Backend backend) throws Exception {
        twoNodes(backend);
        FakeCallProvider provider = fake();
        GlobalCallingManager placing = manager(nodes.get(0).callStore(), nodes.get(0), provider);
        GlobalCallingManager other = manager(nodes.get(1).callStore(), nodes.get(1), fake());
        CallRecord call = placing.call(CallRequest.to(INDIA).customerId("acme").build());
        CompletableFuture<CallRecord> ended = placing.calls().whenEnded(call.callId());

        assertThat(other.webhooks().handle("fake",
                provider.callback(call.providerCallId(), CallStatus.COMPLETED, Duration.ofSeconds(90))).status())
                .isEqualTo(200);

        CallRecord done = ended.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(done.status()).isEqualTo(CallStatus.COMPLETED);
        assertThat(done.cost()).isEqualTo(Money.inr("2"));
        assertThat(placing.calls().await(call.callId(), WAIT)).isEqualTo(done);
    }

    /**
     * The placing node settles the call's end while the other node settles a redelivery of it: the other node's note
     * of the settlement is the one the store keeps, so the placing node's settlement announces nothing; its waiter still
     * hears of the end.
     */
    @ParameterizedTest
    @EnumSource(Backend.class)
    void aCallerWaitingOnANodeWhoseSettlementLostItsNoteToTheOtherNodeHearsOfTheEnd(Backend backend) throws Exception {
        twoNodes(backend);
        FakeCallProvider provider = fake();
        AtomicReference<Runnable> beforeCost = new AtomicReference<>();
        GlobalCallingManager placing = manager(runningBeforeCost(nodes.get(0).callStore(), beforeCost), nodes.get(0),
                provider);
        GlobalCallingManager other = manager(nodes.get(1).callStore(), nodes.get(1), fake());
        List<CallRecord> announcedByPlacing = new CopyOnWriteArrayList<>();
        List<CallRecord> announcedByOther = new CopyOnWriteArrayList<>();
        placing.onSettled(announcedByPlacing::add);
        other.onSettled(announcedByOther::add);
        CallRecord call = placing.call(CallRequest.to(INDIA).customerId("acme").build());
        WebhookRequest completed = provider.callback(call.providerCallId(), CallStatus.COMPLETED, Duration.ofSeconds(90));
        CompletableFuture<CallRecord> ended = placing.calls().whenEnded(call.callId());
        // the redelivery reaches the other node just as the placing node is about to store the cost
        beforeCost.set(() -> assertThat(other.webhooks().handle("fake", completed).status()).isEqualTo(200));

        assertThat(placing.webhooks().handle("fake", completed).status()).isEqualTo(200);

        assertThat(announcedByPlacing).isEmpty();
        assertThat(announcedByOther).singleElement().extracting(CallRecord::cost).isEqualTo(Money.inr("2"));
        CallRecord done = ended.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(done.status()).isEqualTo(CallStatus.COMPLETED);
        assertThat(done.cost()).isEqualTo(Money.inr("2"));
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aFollowerOnOneNodeHearsTheMovesTheOtherNodeApplied(Backend backend) throws Exception {
        twoNodes(backend);
        FakeCallProvider provider = fake();
        GlobalCallingManager following = manager(nodes.get(0).callStore(), nodes.get(0), fake());
        GlobalCallingManager placing = manager(nodes.get(1).callStore(), nodes.get(1), provider);
        List<CallStatusChanged> heard = new CopyOnWriteArrayList<>();
        CompletableFuture<CallStatusChanged> ended = new CompletableFuture<>();
        following.calls().follow("acme", change -> {
            heard.add(change);
            if (change.current().isTerminal()) ended.complete(change);
        });
        CallRecord theirs = placing.call(CallRequest.to(INDIA).customerId("globex").build());
        CallRecord call = placing.call(CallRequest.to(INDIA).customerId("acme").build());

        assertThat(placing.webhooks().handle("fake",
                provider.callback(theirs.providerCallId(), CallStatus.COMPLETED, Duration.ofSeconds(90))).status())
                .isEqualTo(200);
        assertThat(placing.webhooks().handle("fake",
                provider.callback(call.providerCallId(), CallStatus.COMPLETED, Duration.ofSeconds(90))).status())
                .isEqualTo(200);

        CallStatusChanged end = ended.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(end.record().callId()).isEqualTo(call.callId());
        assertThat(end.record().cost()).isEqualTo(Money.inr("2"));
        assertThat(heard).allSatisfy(c -> assertThat(c.record().callId()).isEqualTo(call.callId()));
        assertThat(heard.get(0).previous()).isEqualTo(CallStatus.INITIATED);
        for (int i = 1; i < heard.size(); i++) assertThat(heard.get(i).previous()).isEqualTo(heard.get(i - 1).current());
    }

    /** The follower's node reads nothing while the other node moves the call three times: each move is still told. */
    @ParameterizedTest
    @EnumSource(Backend.class)
    void aFollowerHearsEachMoveTheOtherNodeAppliedBetweenTwoReadsFromTheCallsLog(Backend backend) throws Exception {
        twoNodes(backend);
        FakeCallProvider provider = fake();
        CountDownLatch reading = new CountDownLatch(1);
        CountDownLatch readAgain = new CountDownLatch(1);
        AtomicBoolean hold = new AtomicBoolean();
        CallStore held = (CallStore) Proxy.newProxyInstance(CallStore.class.getClassLoader(),
                new Class<?>[] {CallStore.class}, (proxy, method, args) -> {
                    if (method.getName().equals("findByCallIds") && hold.get()) {
                        reading.countDown();
                        readAgain.await(WAIT.toSeconds(), TimeUnit.SECONDS);
                    }
                    try {
                        return method.invoke(nodes.get(0).callStore(), args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        GlobalCallingManager following = manager(held, nodes.get(0), fake());
        GlobalCallingManager placing = manager(nodes.get(1).callStore(), nodes.get(1), provider);
        List<CallStatusChanged> heard = new CopyOnWriteArrayList<>();
        CompletableFuture<CallStatusChanged> queued = new CompletableFuture<>();
        CompletableFuture<CallStatusChanged> ended = new CompletableFuture<>();
        following.calls().follow("acme", change -> {
            heard.add(change);
            if (change.current() == CallStatus.QUEUED) queued.complete(change);
            if (change.current().isTerminal()) ended.complete(change);
        });
        CallRecord call = placing.call(CallRequest.to(INDIA).customerId("acme").build());
        assertThat(queued).succeedsWithin(WAIT);
        hold.set(true);
        assertThat(reading.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("a read is held").isTrue();

        for (CallStatus status : List.of(CallStatus.RINGING, CallStatus.ANSWERED)) {
            assertThat(placing.webhooks().handle("fake", provider.callback(call.providerCallId(), status)).status())
                    .isEqualTo(200);
        }
        assertThat(placing.webhooks().handle("fake",
                provider.callback(call.providerCallId(), CallStatus.COMPLETED, Duration.ofSeconds(90))).status())
                .isEqualTo(200);
        readAgain.countDown();

        assertThat(ended).succeedsWithin(WAIT);
        assertThat(heard).extracting(c -> c.previous() + ">" + c.current()).containsExactly("INITIATED>QUEUED",
                "QUEUED>RINGING", "RINGING>ANSWERED", "ANSWERED>COMPLETED");
        assertThat(heard.get(2).record().answeredAt()).isNotNull();
        assertThat(heard.get(2).record().cost()).isNull();
        assertThat(heard.get(3).record().cost()).isEqualTo(Money.inr("2"));
    }

    /** {@code store} that runs what {@code before} holds, once, just before it is first asked to store a cost. */
    private static CallStore runningBeforeCost(CallStore store, AtomicReference<Runnable> before) {
        return (CallStore) Proxy.newProxyInstance(CallStore.class.getClassLoader(), new Class<?>[] {CallStore.class},
                (proxy, method, args) -> {
                    if (Set.of("update", "updateAndFind").contains(method.getName()) && ((CallUpdate) args[0]).cost() != null) {
                        Runnable once = before.getAndSet(null);
                        if (once != null) once.run();
                    }
                    try {
                        return method.invoke(store, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
