package io.globalcalling.core;

import io.globalcalling.CallCategory;
import io.globalcalling.CallRecord;
import io.globalcalling.CallRequest;
import io.globalcalling.CallStatus;
import io.globalcalling.Money;
import io.globalcalling.Priority;
import io.globalcalling.Purpose;
import io.globalcalling.core.lifecycle.CallLifecycle;
import io.globalcalling.core.lifecycle.CallStatusChanged;
import io.globalcalling.core.store.InMemoryCallStore;
import io.globalcalling.spi.CallEvent;
import io.globalcalling.spi.ProviderConfig;
import io.globalcalling.spi.store.CallStore;
import io.globalcalling.testkit.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A follower that stops taking changes (an event stream whose client stopped reading, its send blocked) delays only
 * itself: not the thread that applied the move, not the manager's scheduler that times the sandbox's calls, not the
 * other followers; one that cannot keep up is dropped, and told why, instead of its backlog growing without bound.
 */
class SlowFollowerTest {

    private static final String INDIA = "+919876543210";
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final CountDownLatch release = new CountDownLatch(1);
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        release.countDown();
        for (int i = toClose.size() - 1; i >= 0; i--) toClose.get(i).close();
    }

    @Test
    void aFollowerBlockedInASendHoldsUpNeitherThePlacingThreadNorTheSandboxNorAnotherFollower() throws Exception {
        GlobalCallingManager m = sandboxManager(new InMemoryCallStore());
        CountDownLatch stuck = new CountDownLatch(1);
        m.calls().follow("slow", change -> block(stuck));
        List<CallStatusChanged> heard = new CopyOnWriteArrayList<>();
        CompletableFuture<CallStatusChanged> ended = new CompletableFuture<>();
        m.calls().follow("acme", change -> {
            heard.add(change);
            if (change.current().isTerminal()) ended.complete(change);
        });

        CompletableFuture<CallRecord> slowCall = CompletableFuture.supplyAsync(
                () -> m.call(CallRequest.to(INDIA).customerId("slow").build()));
        assertThat(stuck.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("the slow follower was told a move").isTrue();
        assertThat(slowCall).as("the placement whose move the blocked follower is told").succeedsWithin(WAIT);

        CallRecord mine = m.call(CallRequest.to(INDIA).customerId("acme").build());
        CallRecord done = m.calls().await(mine.callId(), WAIT);   // the sandbox times the call on the scheduler

        assertThat(done.status().isTerminal()).isTrue();
        assertThat(ended).succeedsWithin(WAIT).satisfies(c -> assertThat(c.record().callId()).isEqualTo(mine.callId()));
        for (int i = 1; i < heard.size(); i++) assertThat(heard.get(i).previous()).isEqualTo(heard.get(i - 1).current());
    }

    @Test
    void aReadOfTheFollowedCallsThatHangsDoesNotHoldUpTheSandboxsCalls() throws Exception {
        InMemoryCallStore memory = new InMemoryCallStore();
        AtomicBoolean hang = new AtomicBoolean();
        CountDownLatch hanging = new CountDownLatch(1);
        CallStore store = (CallStore) Proxy.newProxyInstance(CallStore.class.getClassLoader(),
                new Class<?>[] {CallStore.class}, (proxy, method, args) -> {
                    // the feed's read of new calls: a database that stopped answering
                    if (hang.get() && method.getName().equals("findStartedSince")) block(hanging);
                    try {
                        return method.invoke(memory, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        GlobalCallingManager m = sandboxManager(store);
        m.calls().follow("acme", change -> { });
        hang.set(true);
        assertThat(hanging.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("a poll of the feed hangs").isTrue();

        CallRecord call = m.call(CallRequest.to(INDIA).customerId("globex").build());

        assertThat(m.calls().await(call.callId(), WAIT).status().isTerminal()).isTrue();
    }

    @Test
    void aFollowerThatLeavesItsBacklogUntakenIsDroppedAndToldWhyWhileAnotherHearsEveryMove() throws Exception {
        InMemoryCallStore store = new InMemoryCallStore();
        MutableClock clock = MutableClock.create();
        CallLifecycle lifecycle = new CallLifecycle(store, clock, (r, e) -> Money.inr("0"));
        ExecutorService work = Executors.newCachedThreadPool();
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        toClose.add(scheduler::shutdownNow);
        toClose.add(work::shutdownNow);
        Calls calls = new Calls(store, lifecycle, clock, scheduler, work, Duration.ofSeconds(1), Duration.ofHours(1), 3);
        CountDownLatch stuck = new CountDownLatch(1);
        AtomicInteger slowHeard = new AtomicInteger();
        CompletableFuture<String> dropped = new CompletableFuture<>();
        calls.follow("acme", change -> {
            slowHeard.incrementAndGet();
            block(stuck);
        }, dropped::complete);
        Semaphore heard = new Semaphore(0);
        calls.follow("acme", change -> heard.release());

        move(store, lifecycle, clock, "call-1");
        assertThat(stuck.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("the slow follower took the first").isTrue();
        // each move waits for the other follower to hear it, so that only the slow one falls behind
        assertThat(heard.tryAcquire(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        for (int i = 2; i <= 4; i++) {
            move(store, lifecycle, clock, "call-" + i);   // the slow one's backlog fills: 3
            assertThat(heard.tryAcquire(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        }
        assertThat(dropped).isNotDone();
        for (int i = 5; i <= 6; i++) {
            move(store, lifecycle, clock, "call-" + i);
            assertThat(heard.tryAcquire(WAIT.toSeconds(), TimeUnit.SECONDS)).as("the other follower hears").isTrue();
        }

        assertThat(dropped).succeedsWithin(WAIT).asString().contains("3 status changes untaken");
        release.countDown();
        work.shutdown();
        assertThat(work.awaitTermination(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(slowHeard).as("a dropped follower is told nothing more").hasValue(1);
    }

    private static void move(InMemoryCallStore store, CallLifecycle lifecycle, MutableClock clock, String callId) {
        store.create(CallRecord.initiated(callId, "acme", CallCategory.INTERNET_VOIP, null, INDIA, Purpose.SUPPORT,
                Priority.NORMAL, null, null, Money.inr("3"), Money.inr("2"), List.of(), false, clock.instant(), Map.of()));
        lifecycle.apply(CallEvent.status("fake", null, callId, CallStatus.RINGING, clock.instant()));
    }

    private void block(CountDownLatch entered) {
        entered.countDown();
        try {
            release.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private GlobalCallingManager sandboxManager(CallStore store) {
        GlobalCallingManager m = GlobalCallingManager.builder().config(ProviderConfig.empty()).store(store)
                .awaitPollInterval(Duration.ofMillis(10)).followPollInterval(Duration.ofMillis(10)).build();
        toClose.add(m);
        return m;
    }
}
