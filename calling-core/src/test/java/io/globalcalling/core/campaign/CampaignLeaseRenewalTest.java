package io.globalcalling.core.campaign;

import io.globalcalling.CallCategory;
import io.globalcalling.CallRecord;
import io.globalcalling.CallStatus;
import io.globalcalling.Money;
import io.globalcalling.core.GlobalCallingManager;
import io.globalcalling.core.store.InMemoryCallStore;
import io.globalcalling.core.store.InMemoryLimitLedger;
import io.globalcalling.spi.ProviderConfig;
import io.globalcalling.spi.store.CallStore;
import io.globalcalling.spi.store.CampaignTarget;
import io.globalcalling.spi.store.StoreException;
import io.globalcalling.testkit.MutableClock;
import io.globalcalling.testkit.ScriptedProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A placement that outlasts its target's lease (a slow provider, pacing, a long timeout): the node placing it renews
 * the lease while it runs, so no other node takes the target over and ends the call as not placed while its request
 * is still out, and a node whose lease was taken over all the same does not write over the new holder's target.
 */
class CampaignLeaseRenewalTest {

    private static final String INDIA = "+919876543210";
    /** Short, so that the heartbeat (a fraction of it) beats many times while a test runs. */
    private static final Duration LEASE = Duration.ofMillis(300);

    private final MutableClock clock = MutableClock.at(Instant.parse("2026-01-14T09:00:00Z"));
    /** On the test's clock: the store forgets ended calls older than its retention by the clock it is given. */
    private final InMemoryCallStore memory = new InMemoryCallStore(clock, CallStore.DEFAULT_RETENTION);
    private final CountDownLatch placing = new CountDownLatch(1);
    private final CountDownLatch answer = new CountDownLatch(1);
    private final AtomicInteger sends = new AtomicInteger();
    /** The first send hangs until the test lets it answer; any later one is answered at once. */
    private final ScriptedProvider provider = ScriptedProvider.builder().id("slow").clock(clock)
            .categories(CallCategory.AI_AUTOMATED).perMinute(Money.inr("2.00")).reconcileGrace(Duration.ofMillis(500))
            .onPlace(call -> {
                if (sends.incrementAndGet() > 1) return;
                placing.countDown();
                try {
                    if (!answer.await(30, TimeUnit.SECONDS)) throw new IllegalStateException("never let answer");
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }).build();
    /** A permit per lease renewal the store was asked for. */
    private final Semaphore renewals = new Semaphore(0);
    private final AtomicBoolean renewalsFail = new AtomicBoolean();
    /** Store calls that stall once (a pause, a slow database) until the test lets them go on. */
    private final List<Stall> stalls = new CopyOnWriteArrayList<>();
    private final CallStore store = (CallStore) Proxy.newProxyInstance(CallStore.class.getClassLoader(),
            new Class<?>[] {CallStore.class}, (proxy, method, args) -> {
                boolean renewal = method.getName().equals("renewLease");
                if (renewal && renewalsFail.get()) throw new StoreException("the database is unreachable");
                for (Stall stall : stalls) {
                    if (stall.method.equals(method.getName()) && stall.armed.compareAndSet(true, false)) {
                        stall.reached.countDown();
                        if (!stall.goOn.await(30, TimeUnit.SECONDS)) throw new IllegalStateException("never let go on");
                    }
                }
                try {
                    return method.invoke(memory, args);
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                } finally {
                    if (renewal) renewals.release();
                }
            });
    private final List<GlobalCallingManager> managers = new ArrayList<>();
    /** The nodes' shared limit counters, as a database ledger is: a campaign's pace is counted across them. */
    private final InMemoryLimitLedger ledger = new InMemoryLimitLedger();

    @AfterEach
    void close() {
        answer.countDown();
        stalls.forEach(stall -> stall.goOn.countDown());
        managers.forEach(GlobalCallingManager::close);
    }

    /** The next call of {@code method} on the store stalls until {@code goOn}; {@code reached} once it does. */
    private record Stall(String method, AtomicBoolean armed, CountDownLatch reached, CountDownLatch goOn) {
        void proceed() {
            goOn.countDown();
        }

        void await() throws InterruptedException {
            assertThat(reached.await(10, TimeUnit.SECONDS)).as("a call of " + method + " stalled").isTrue();
        }
    }

    private Stall stall(String method) {
        Stall stall = new Stall(method, new AtomicBoolean(true), new CountDownLatch(1), new CountDownLatch(1));
        stalls.add(stall);
        return stall;
    }

    private GlobalCallingManager manager(String node, Duration lease) {
        GlobalCallingManager m = GlobalCallingManager.builder().discoverProviders(false).config(ProviderConfig.empty())
                .store(store).ledger(ledger).clock(clock).provider(provider).campaignNode(node, lease, Duration.ZERO, 2)
                .build();
        managers.add(m);
        return m;
    }

    private String startedCampaign(GlobalCallingManager m) {
        return startedCampaign(m, 50);
    }

    private String startedCampaign(GlobalCallingManager m, int callsPerSecond) {
        String id = m.campaigns().create(NewCampaign.named("Renewals").customerId("cust-1")
                .category(CallCategory.AI_AUTOMATED).script("Hello, your plan renews soon.")
                .policy(CampaignPolicy.builder().callsPerSecond(callsPerSecond).maxInFlight(10)
                        .windows(CallingWindows.always())
                        .retry(Outcome.FAILED, Duration.ZERO, 3).build()).build());
        m.campaigns().addTargets(id, List.of(Target.of(INDIA, Map.of())));
        m.campaigns().start(id);
        return id;
    }

    /** Node a's pass, on a thread of its own, once its first call hangs in the provider. */
    private CompletableFuture<Integer> passHangingInItsPlacement(GlobalCallingManager a) throws InterruptedException {
        CompletableFuture<Integer> pass = CompletableFuture.supplyAsync(() -> a.campaigns().runOnce());
        assertThat(placing.await(10, TimeUnit.SECONDS)).as("the placement reached the provider").isTrue();
        return pass;
    }

    /**
     * Waits (a second at most, one renewal at a time) until the target's lease reaches past the clock; a node that
     * does not renew it leaves it lapsed, and the test goes on with it lapsed.
     */
    private void awaitLeaseBeyondNow(String campaignId) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        while (true) {
            Instant until = memory.findTarget(campaignId, INDIA).orElseThrow().leaseUntil();
            if (until != null && until.isAfter(clock.instant())) return;
            long left = deadline - System.nanoTime();
            if (left <= 0 || !renewals.tryAcquire(left, TimeUnit.NANOSECONDS)) return;
        }
    }

    @Test
    @DisplayName("a placement that outlasts many leases keeps its target: no other node takes it over, ends the call as"
            + " not placed and dials the number again")
    void aLongPlacementKeepsItsLease() throws Exception {
        GlobalCallingManager a = manager("node-a", LEASE);
        GlobalCallingManager b = manager("node-b", LEASE);
        String id = startedCampaign(a);
        CompletableFuture<Integer> pass = passHangingInItsPlacement(a);

        // node b works the campaign every 200 ms of the clock while the first send hangs for 4 s: past the lease, the
        // reconcile grace and the retry delay many times over
        for (int step = 0; step < 20 && sends.get() < 2; step++) {
            clock.advance(Duration.ofMillis(200));
            awaitLeaseBeyondNow(id);
            b.campaigns().runOnce();
        }
        answer.countDown();
        assertThat(pass.get(10, TimeUnit.SECONDS)).isEqualTo(1);

        assertThat(provider.attempts()).as("sends to the number").hasSize(1);
        CallRecord call = memory.findByIdempotencyKey("cust-1", CampaignRunner.attemptKey(id,
                memory.findTarget(id, INDIA).orElseThrow(), 1)).orElseThrow();
        assertThat(call.status()).isEqualTo(CallStatus.QUEUED);
        assertThat(call.providerCallId()).isNotNull();
        CampaignTarget t = memory.findTarget(id, INDIA).orElseThrow();
        assertThat(t.state()).isEqualTo(CampaignTarget.State.CLAIMED);
        assertThat(t.attempts()).isEqualTo(1);
        assertThat(t.leaseOwner()).isEqualTo("node-a");
        assertThat(t.lastCallId()).isEqualTo(call.callId());
        // the heartbeat ended with the placement: no renewal comes after it
        renewals.drainPermits();
        assertThat(renewals.tryAcquire(4 * LEASE.toMillis(), TimeUnit.MILLISECONDS)).as("a renewal after the end").isFalse();
    }

    @Test
    @DisplayName("a node whose lease another node took over while its placement hung leaves the target to that node")
    void aLeaseTakenOverIsNotWrittenOver() throws Exception {
        GlobalCallingManager a = manager("node-a", LEASE);
        GlobalCallingManager b = manager("node-b", Duration.ofSeconds(30));
        String id = startedCampaign(a);
        renewalsFail.set(true);   // node a cannot renew: its lease lapses
        CompletableFuture<Integer> pass = passHangingInItsPlacement(a);

        clock.advance(Duration.ofSeconds(1));
        b.campaigns().runOnce();
        CampaignTarget taken = memory.findTarget(id, INDIA).orElseThrow();
        assertThat(taken.leaseOwner()).isEqualTo("node-b");
        renewalsFail.set(false);
        answer.countDown();
        assertThat(pass.get(10, TimeUnit.SECONDS)).isEqualTo(1);

        assertThat(provider.attempts()).hasSize(1);
        CampaignTarget t = memory.findTarget(id, INDIA).orElseThrow();
        assertThat(t.state()).isEqualTo(CampaignTarget.State.CLAIMED);
        assertThat(t.attempts()).isEqualTo(1);
        assertThat(t.leaseOwner()).as("the target's lease holder").isEqualTo("node-b");
        assertThat(t.leaseUntil()).isEqualTo(taken.leaseUntil());
    }

    /**
     * A node died after recording attempt 1 of the target and before its call was recorded. Node b takes the target
     * up and stalls at {@code stallAt} past its lease; node a takes it up in turn, finds no record and places the
     * attempt, its send hanging; then node b goes on with what it read before, and works the campaign while the
     * send hangs, as in {@link #aLongPlacementKeepsItsLease}.
     */
    private void staleTakeUpWhileAnotherNodePlaces(String stallAt) throws Exception {
        GlobalCallingManager a = manager("node-a", LEASE);
        GlobalCallingManager b = manager("node-b", LEASE);
        String id = startedCampaign(a, 1);   // one call a second: node a takes this second's
        attemptOfANodeGone(id);

        Stall stale = stall(stallAt);
        CompletableFuture<Integer> staleTakeUp = CompletableFuture.supplyAsync(() -> b.campaigns().runOnce());
        stale.await();
        clock.advance(Duration.ofSeconds(1));
        CompletableFuture<Integer> pass = passHangingInItsPlacement(a);
        stale.proceed();
        assertThat(staleTakeUp.get(10, TimeUnit.SECONDS)).as("calls node b placed").isZero();
        assertThat(memory.findTarget(id, INDIA).orElseThrow().leaseOwner()).as("the lease holder once node b went on")
                .isEqualTo("node-a");

        for (int step = 0; step < 20 && sends.get() < 2; step++) {
            clock.advance(Duration.ofMillis(200));
            awaitLeaseBeyondNow(id);
            b.campaigns().runOnce();
        }
        answer.countDown();
        assertThat(pass.get(10, TimeUnit.SECONDS)).isEqualTo(1);

        assertThat(provider.attempts()).as("sends to the number").hasSize(1);
        CampaignTarget after = memory.findTarget(id, INDIA).orElseThrow();
        assertThat(after.state()).isEqualTo(CampaignTarget.State.CLAIMED);
        assertThat(after.attempts()).isEqualTo(1);
        assertThat(after.leaseOwner()).isEqualTo("node-a");
    }

    /** A node recorded attempt 1 of the target and died before its call was recorded: its lease lapsed. */
    private void attemptOfANodeGone(String campaignId) {
        CampaignTarget t = memory.findTarget(campaignId, INDIA).orElseThrow();
        memory.updateTarget(t.with(CampaignTarget.State.CLAIMED, 1, null, "node-gone", clock.instant().minusSeconds(1),
                null, null));
    }

    @Test
    @DisplayName("a node that took a lapsed target up and stalled past its lease, then read the attempt's call just"
            + " recorded by the node that took the target up after it, does not end that call as never sent: the"
            + " number is not dialled again")
    void aStaleTakeUpDoesNotEndTheCallAnotherNodeIsPlacing() throws Exception {
        answer.countDown();   // no send hangs: node a stalls before its send instead
        GlobalCallingManager a = manager("node-a", LEASE);
        GlobalCallingManager b = manager("node-b", LEASE);
        String id = startedCampaign(a);
        attemptOfANodeGone(id);

        Stall stale = stall("findByIdempotencyKey");   // node b, before it reads the attempt's call
        CompletableFuture<Integer> staleTakeUp = CompletableFuture.supplyAsync(() -> b.campaigns().runOnce());
        stale.await();
        clock.advance(Duration.ofSeconds(1));
        Stall recorded = stall("appendEvent");   // node a, its call recorded, before it names the provider
        CompletableFuture<Integer> pass = CompletableFuture.supplyAsync(() -> a.campaigns().runOnce());
        recorded.await();
        clock.advance(Duration.ofSeconds(1));
        awaitLeaseBeyondNow(id);   // node a renews its lease while it places
        stale.proceed();
        assertThat(staleTakeUp.get(10, TimeUnit.SECONDS)).as("calls node b placed").isZero();
        recorded.proceed();
        assertThat(pass.get(10, TimeUnit.SECONDS)).isEqualTo(1);
        for (int step = 0; step < 10; step++) {
            clock.advance(Duration.ofMillis(200));
            b.campaigns().runOnce();
        }

        assertThat(provider.attempts()).as("sends to the number").hasSize(1);
        CampaignTarget t = memory.findTarget(id, INDIA).orElseThrow();
        CallRecord call = memory.findByIdempotencyKey("cust-1", CampaignRunner.attemptKey(id, t, 1)).orElseThrow();
        assertThat(call.status()).as("the call node a placed").isEqualTo(CallStatus.QUEUED);
        assertThat(t.state()).isEqualTo(CampaignTarget.State.CLAIMED);
        assertThat(t.attempts()).isEqualTo(1);
    }

    @Test
    @DisplayName("a node that took a lapsed target up and stalled past its lease, then found this second's pace used up,"
            + " does not take the lease back from the node placing the attempt: the number is not dialled again")
    void aStaleTakeUpOutOfPaceLeavesThePlacingNodesLease() throws Exception {
        staleTakeUpWhileAnotherNodePlaces("isSuppressed");
    }

    @Test
    @DisplayName("a node that took a lapsed target up and stalled past its lease, then found the attempt's call (placed"
            + " by the node that took it up after it) does not take the lease back: the number is not dialled again")
    void aStaleTakeUpFollowingTheCallLeavesThePlacingNodesLease() throws Exception {
        staleTakeUpWhileAnotherNodePlaces("findByIdempotencyKey");
    }
}
