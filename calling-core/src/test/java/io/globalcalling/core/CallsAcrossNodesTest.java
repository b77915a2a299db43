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
import io.globalcalling.core.store.InMemoryLimitLedger;
import io.globalcalling.spi.CallEvent;
import io.globalcalling.spi.ProviderConfig;
import io.globalcalling.spi.store.CallStore;
import io.globalcalling.spi.store.CallUpdate;
import io.globalcalling.testkit.FakeCallProvider;
import io.globalcalling.testkit.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Waiting for calls that another node, sharing the store, ends: the waiting node reads the calls waited for from the
 * store, in one read a poll, while anyone waits, and not otherwise. Following calls' status changes likewise hears the
 * moves another node applied, reading only while someone follows.
 */
class CallsAcrossNodesTest {

    private static final String INDIA = "+919876543210";

    private final MutableClock clock = MutableClock.create();
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) toClose.get(i).close();
    }

    @Test
    void aCallerWaitingOnOneManagerHearsOfAnEndAnotherManagerOnTheSameStoreSettled() throws Exception {
        InMemoryCallStore store = new InMemoryCallStore();
        InMemoryLimitLedger ledger = new InMemoryLimitLedger();
        FakeCallProvider provider = FakeCallProvider.builder().clock(clock).build();
        GlobalCallingManager placing = manager(store, ledger, provider);
        GlobalCallingManager other = manager(store, ledger, FakeCallProvider.builder().clock(clock).build());
        CallRecord call = placing.call(CallRequest.to(INDIA).build());
        CompletableFuture<CallRecord> ended = placing.calls().whenEnded(call.callId());

        other.webhooks().handle("fake", provider.callback(call.providerCallId(), CallStatus.COMPLETED,
                Duration.ofSeconds(90)));

        CallRecord done = ended.get(10, TimeUnit.SECONDS);
        assertThat(done.status()).isEqualTo(CallStatus.COMPLETED);
        assertThat(done.cost()).isEqualTo(Money.inr("2"));
    }

    @Test
    void nothingIsReadWhileNoOneWaitsAndEveryCallWaitedForIsReadInOneReadAPoll() throws Exception {
        ReadCountingStore store = new ReadCountingStore(new InMemoryCallStore());
        ManualScheduler scheduler = new ManualScheduler();
        Calls calls = new Calls(store.proxy(), new CallLifecycle(store.proxy(), clock, (r, e) -> Money.inr("0")),
                clock, scheduler.proxy(), Duration.ofSeconds(1), Duration.ofSeconds(1));
        store.delegate.create(call("call-1"));
        store.delegate.create(call("call-2"));
        assertThat(scheduler.tasks).isEmpty();

        CompletableFuture<CallRecord> first = calls.whenEnded("call-1");
        CompletableFuture<CallRecord> again = calls.whenEnded("call-1");
        CompletableFuture<CallRecord> second = calls.whenEnded("call-2");
        assertThat(scheduler.tasks).hasSize(1);
        assertThat(scheduler.delays).containsExactly(TimeUnit.SECONDS.toNanos(1));

        scheduler.runNext();   // nothing has ended: the next poll is scheduled
        assertThat(store.reads).singleElement().satisfies(ids -> assertThat(ids)
                .containsExactlyInAnyOrder("call-1", "call-2"));
        assertThat(first).isNotDone();
        assertThat(scheduler.tasks).hasSize(1);

        // ended elsewhere: its status, then its cost, the way a settlement stores them
        store.delegate.update(CallUpdate.of("call-1", clock.instant()).status(CallStatus.COMPLETED));
        scheduler.runNext();
        assertThat(first).isNotDone();
        store.delegate.update(CallUpdate.of("call-1", clock.instant()).cost(Money.inr("2")));
        scheduler.runNext();
        assertThat(first.get().cost()).isEqualTo(Money.inr("2"));
        assertThat(again.get()).isEqualTo(first.get());
        assertThat(second).isNotDone();
        assertThat(store.reads.get(store.reads.size() - 1)).containsExactlyInAnyOrder("call-1", "call-2");

        second.cancel(false);   // no one waits any more: the poll under way reads nothing and schedules no other
        scheduler.runNext();
        assertThat(store.reads).hasSize(3);
        assertThat(scheduler.tasks).isEmpty();

        calls.whenEnded("call-2");   // waiting again polls again
        assertThat(scheduler.tasks).hasSize(1);
    }

    @Test
    void aCallThatHasEndedAlreadyIsAnsweredWithoutPolling() {
        ManualScheduler scheduler = new ManualScheduler();
        InMemoryCallStore store = new InMemoryCallStore();
        Calls calls = new Calls(store, new CallLifecycle(store, clock, (r, e) -> Money.inr("0")), clock,
                scheduler.proxy(), Duration.ofSeconds(1), Duration.ofSeconds(1));
        store.create(call("call-1"));
        store.update(CallUpdate.of("call-1", clock.instant()).status(CallStatus.FAILED).cost(Money.inr("0")));

        assertThat(calls.whenEnded("call-1")).isCompleted();
        assertThat(scheduler.tasks).isEmpty();
    }

    @Test
    void aFollowerOnOneManagerHearsTheMovesAnotherManagerOnTheSameStoreAppliedOnceAndInOrder() throws Exception {
        InMemoryCallStore store = new InMemoryCallStore();
        InMemoryLimitLedger ledger = new InMemoryLimitLedger();
        FakeCallProvider provider = FakeCallProvider.builder().clock(clock).build();
        GlobalCallingManager following = manager(store, ledger, FakeCallProvider.builder().clock(clock).build());
        GlobalCallingManager placing = manager(store, ledger, provider);
        List<CallStatusChanged> heard = new CopyOnWriteArrayList<>();
        CompletableFuture<CallStatusChanged> ended = new CompletableFuture<>();
        following.calls().follow("acme", change -> {
            heard.add(change);
            if (change.current().isTerminal()) ended.complete(change);
        });

        CallRecord theirs = placing.call(CallRequest.to(INDIA).customerId("globex").build());
        CallRecord mine = placing.call(CallRequest.to(INDIA).customerId("acme").build());
        placing.webhooks().handle("fake", provider.callback(theirs.providerCallId(), CallStatus.COMPLETED,
                Duration.ofSeconds(90)));
        placing.webhooks().handle("fake", provider.callback(mine.providerCallId(), CallStatus.COMPLETED,
                Duration.ofSeconds(90)));

        CallStatusChanged end = ended.get(10, TimeUnit.SECONDS);
        assertThat(end.record().callId()).isEqualTo(mine.callId());
        assertThat(end.current()).isEqualTo(CallStatus.COMPLETED);
        assertThat(end.record().cost()).isEqualTo(Money.inr("2"));
        assertThat(heard).allSatisfy(c -> assertThat(c.record().customerId()).isEqualTo("acme"));
        assertThat(heard.get(0).previous()).isEqualTo(CallStatus.INITIATED);
        for (int i = 1; i < heard.size(); i++) assertThat(heard.get(i).previous()).isEqualTo(heard.get(i - 1).current());
    }

    @Test
    void followingReadsOnlyWhileSomeoneFollowsAndTellsEachMoveOnceWhetherHeardHereOrRead() throws Exception {
        ReadCountingStore store = new ReadCountingStore(new InMemoryCallStore());
        ManualScheduler scheduler = new ManualScheduler();
        CallLifecycle lifecycle = new CallLifecycle(store.proxy(), clock, (r, e) -> Money.inr("0"));
        Calls calls = new Calls(store.proxy(), lifecycle, clock, scheduler.proxy(), Duration.ofSeconds(1),
                Duration.ofMillis(500));
        InMemoryCallStore other = store.delegate;   // what another node writes
        other.create(call("ended-before"));
        other.update(CallUpdate.of("ended-before", clock.instant()).status(CallStatus.COMPLETED).cost(Money.inr("2")));
        other.create(call("in-flight"));
        other.update(CallUpdate.of("in-flight", clock.instant()).status(CallStatus.RINGING));
        assertThat(scheduler.tasks).isEmpty();
        assertThat(store.methods).isEmpty();

        List<CallStatusChanged> heard = new CopyOnWriteArrayList<>();
        Subscription following = calls.follow("acme", heard::add);
        assertThat(scheduler.delays).containsExactly(TimeUnit.MILLISECONDS.toNanos(500));

        clock.advance(Duration.ofSeconds(1));
        other.update(CallUpdate.of("in-flight", clock.instant()).status(CallStatus.ANSWERED));
        other.create(call("placed-there"));
        other.update(CallUpdate.of("placed-there", clock.instant()).status(CallStatus.RINGING));
        other.create(CallRecord.initiated("theirs", "globex", CallCategory.INTERNET_VOIP, null, INDIA, Purpose.SUPPORT,
                Priority.NORMAL, null, null, Money.inr("3"), Money.inr("2"), List.of(), false, clock.instant(), Map.of()));
        other.update(CallUpdate.of("theirs", clock.instant()).status(CallStatus.RINGING));
        scheduler.runNext();
        assertThat(heard).extracting(c -> c.record().callId() + ":" + c.previous() + ">" + c.current())
                .containsExactly("in-flight:RINGING>ANSWERED", "placed-there:INITIATED>RINGING");
        assertThat(store.reads).singleElement().satisfies(ids -> assertThat(ids).containsExactly("in-flight"));

        // applied here: told at once, on the applying thread, and not again when the next poll reads it
        lifecycle.apply(CallEvent.status("fake", null, "placed-there", CallStatus.COMPLETED, clock.instant()));
        assertThat(heard).hasSize(3).last().satisfies(c -> assertThat(c.previous()).isEqualTo(CallStatus.RINGING));
        scheduler.runNext();
        assertThat(heard).hasSize(3);

        // ended there, its cost not stored yet: held back one poll, then told with its cost
        other.update(CallUpdate.of("in-flight", clock.instant()).status(CallStatus.COMPLETED));
        scheduler.runNext();
        assertThat(heard).hasSize(3);
        other.update(CallUpdate.of("in-flight", clock.instant()).cost(Money.inr("2")));
        scheduler.runNext();
        assertThat(heard).hasSize(4).last().satisfies(c -> {
            assertThat(c.previous()).isEqualTo(CallStatus.ANSWERED);
            assertThat(c.current()).isEqualTo(CallStatus.COMPLETED);
            assertThat(c.record().cost()).isEqualTo(Money.inr("2"));
        });
        scheduler.runNext();
        assertThat(heard).hasSize(4);

        following.close();   // no one follows any more: the poll under way reads nothing and schedules no other
        int reads = store.methods.size();
        scheduler.runNext();
        assertThat(store.methods).hasSize(reads);
        assertThat(scheduler.tasks).isEmpty();
    }

    @Test
    void aCallThatMovedMoreThanOnceBetweenTwoPollsIsToldEachMoveItsLogShows() {
        ReadCountingStore store = new ReadCountingStore(new InMemoryCallStore());
        ManualScheduler scheduler = new ManualScheduler();
        Calls calls = new Calls(store.proxy(), new CallLifecycle(store.proxy(), clock, (r, e) -> Money.inr("0")),
                clock, scheduler.proxy(), Duration.ofSeconds(1), Duration.ofSeconds(1));
        InMemoryCallStore other = store.delegate;   // what another node writes, through its own lifecycle
        CallLifecycle there = new CallLifecycle(other, clock, (r, e) -> Money.inr("2"));
        other.create(call("in-flight"));
        there.apply(CallEvent.status("fake", null, "in-flight", CallStatus.QUEUED, clock.instant()));
        List<CallStatusChanged> heard = new CopyOnWriteArrayList<>();
        calls.follow("acme", heard::add);

        clock.advance(Duration.ofSeconds(1));
        there.apply(CallEvent.status("fake", null, "in-flight", CallStatus.RINGING, clock.instant()));
        there.apply(CallEvent.status("fake", null, "in-flight", CallStatus.ANSWERED, clock.instant().plusMillis(1)));
        other.create(call("placed-there"));
        there.apply(CallEvent.status("fake", null, "placed-there", CallStatus.ANSWERED, clock.instant()));
        there.apply(CallEvent.status("fake", null, "placed-there", CallStatus.RINGING, clock.instant()));   // late
        scheduler.runNext();

        assertThat(heard).extracting(c -> c.record().callId() + ":" + c.previous() + ">" + c.current())
                .containsExactly("in-flight:QUEUED>RINGING", "in-flight:RINGING>ANSWERED",
                        "placed-there:INITIATED>ANSWERED");
        assertThat(heard.get(0).record().answeredAt()).as("ringing, not answered yet").isNull();

        there.apply(CallEvent.status("fake", null, "in-flight", CallStatus.WAITING_FOR_AGENT, clock.instant()));
        there.apply(CallEvent.status("fake", null, "in-flight", CallStatus.WITH_AGENT, clock.instant()));
        there.apply(CallEvent.status("fake", null, "in-flight", CallStatus.COMPLETED, clock.instant()));
        scheduler.runNext();

        assertThat(heard.subList(3, heard.size())).extracting(c -> c.previous() + ">" + c.current())
                .containsExactly("ANSWERED>WAITING_FOR_AGENT", "WAITING_FOR_AGENT>WITH_AGENT", "WITH_AGENT>COMPLETED");
        assertThat(heard.get(3).record().cost()).as("the cost is the end's").isNull();
        assertThat(heard.get(heard.size() - 1).record().cost()).isEqualTo(Money.inr("2"));
    }

    /** Nearly every answered call passes a status between two polls (its end): their logs are one read, not one each. */
    @Test
    void thePollReadsTheLogsOfEveryCallThatPassedAStatusInOneRead() {
        ReadCountingStore store = new ReadCountingStore(new InMemoryCallStore());
        ManualScheduler scheduler = new ManualScheduler();
        Calls calls = new Calls(store.proxy(), new CallLifecycle(store.proxy(), clock, (r, e) -> Money.inr("0")),
                clock, scheduler.proxy(), Duration.ofSeconds(1), Duration.ofSeconds(1));
        InMemoryCallStore other = store.delegate;   // what another node writes, through its own lifecycle
        CallLifecycle there = new CallLifecycle(other, clock, (r, e) -> Money.inr("2"));
        for (String id : List.of("first", "second", "third")) {
            other.create(call(id));
            there.apply(CallEvent.status("fake", null, id, CallStatus.QUEUED, clock.instant()));
        }
        List<CallStatusChanged> heard = new CopyOnWriteArrayList<>();
        calls.follow("acme", heard::add);
        scheduler.runNext();

        clock.advance(Duration.ofSeconds(1));
        for (String id : List.of("first", "second")) {
            there.apply(CallEvent.status("fake", null, id, CallStatus.RINGING, clock.instant()));
            there.apply(CallEvent.status("fake", null, id, CallStatus.ANSWERED, clock.instant().plusMillis(1)));
        }
        there.apply(CallEvent.status("fake", null, "third", CallStatus.RINGING, clock.instant()));
        store.eventReads.clear();
        scheduler.runNext();

        assertThat(heard).extracting(c -> c.record().callId() + ":" + c.previous() + ">" + c.current())
                .containsExactlyInAnyOrder("first:QUEUED>RINGING", "first:RINGING>ANSWERED", "second:QUEUED>RINGING",
                        "second:RINGING>ANSWERED", "third:QUEUED>RINGING");
        assertThat(store.eventReads).as("the two calls that leapt a status, read together")
                .singleElement().satisfies(ids -> assertThat(ids).containsExactlyInAnyOrder("first", "second"));
    }

    @Test
    void followingWhileTheStoreCannotBeReadStartsAtTheFirstPollThatReadsIt() {
        InMemoryCallStore other = new InMemoryCallStore();
        AtomicBoolean down = new AtomicBoolean(true);
        CallStore flaky = (CallStore) Proxy.newProxyInstance(CallStore.class.getClassLoader(),
                new Class<?>[] {CallStore.class}, (proxy, method, args) -> {
                    if (down.get() && method.getName().startsWith("find")) throw new IllegalStateException("store down");
                    try {
                        return method.invoke(other, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        ManualScheduler scheduler = new ManualScheduler();
        Calls calls = new Calls(flaky, new CallLifecycle(flaky, clock, (r, e) -> Money.inr("0")), clock,
                scheduler.proxy(), Duration.ofSeconds(1), Duration.ofSeconds(1));
        other.create(call("in-flight"));
        other.update(CallUpdate.of("in-flight", clock.instant()).status(CallStatus.RINGING));
        List<CallStatusChanged> heard = new CopyOnWriteArrayList<>();

        calls.follow("acme", heard::add);   // a stream opening while the database is away is not refused
        scheduler.runNext();   // still away: tried again
        down.set(false);
        scheduler.runNext();   // where the calls stand: nothing told
        assertThat(heard).isEmpty();
        other.update(CallUpdate.of("in-flight", clock.instant()).status(CallStatus.ANSWERED));
        scheduler.runNext();

        assertThat(heard).extracting(c -> c.previous() + ">" + c.current()).containsExactly("RINGING>ANSWERED");
    }

    private GlobalCallingManager manager(CallStore store, InMemoryLimitLedger ledger, FakeCallProvider provider) {
        GlobalCallingManager m = GlobalCallingManager.builder().discoverProviders(false).config(ProviderConfig.empty())
                .store(store).ledger(ledger).clock(clock).provider(provider).awaitPollInterval(Duration.ofMillis(10))
                .followPollInterval(Duration.ofMillis(10)).build();
        toClose.add(m);
        return m;
    }

    private CallRecord call(String callId) {
        return CallRecord.initiated(callId, "acme", CallCategory.INTERNET_VOIP, null, INDIA, Purpose.SUPPORT,
                Priority.NORMAL, null, null, Money.inr("3"), Money.inr("2"), List.of(), false, clock.instant(), Map.of());
    }

    /** A store that notes the call ids of every {@code findByCallIds}, and every read. */
    private static final class ReadCountingStore {
        final InMemoryCallStore delegate;
        final List<Collection<String>> reads = new CopyOnWriteArrayList<>();
        /** The call ids of every read of events: one for {@code events(String)}, all for {@code events(Collection)}. */
        final List<Collection<String>> eventReads = new CopyOnWriteArrayList<>();
        /** The name of every read ({@code find...}) asked of it. */
        final List<String> methods = new CopyOnWriteArrayList<>();

        ReadCountingStore(InMemoryCallStore delegate) {
            this.delegate = delegate;
        }

        CallStore proxy() {
            return (CallStore) Proxy.newProxyInstance(CallStore.class.getClassLoader(), new Class<?>[] {CallStore.class},
                    (proxy, method, args) -> {
                        if (method.getName().startsWith("find")) methods.add(method.getName());
                        if (method.getName().equals("findByCallIds")) {
                            @SuppressWarnings("unchecked") Collection<String> ids = (Collection<String>) args[0];
                            reads.add(List.copyOf(ids));
                        }
                        if (method.getName().equals("events")) {
                            @SuppressWarnings("unchecked") Collection<String> ids = args[0] instanceof String id
                                    ? List.of(id) : (Collection<String>) args[0];
                            eventReads.add(List.copyOf(ids));
                        }
                        try {
                            return method.invoke(delegate, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        }
    }

    /** A scheduler that only keeps what it is asked to run later, until the test runs it. */
    private static final class ManualScheduler {
        final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
        final List<Long> delays = new CopyOnWriteArrayList<>();

        ScheduledExecutorService proxy() {
            return (ScheduledExecutorService) Proxy.newProxyInstance(ScheduledExecutorService.class.getClassLoader(),
                    new Class<?>[] {ScheduledExecutorService.class}, (proxy, method, args) -> {
                        if (method.getName().equals("schedule") && args[0] instanceof Runnable task) {
                            tasks.add(task);
                            delays.add(((TimeUnit) args[2]).toNanos((Long) args[1]));
                            return null;
                        }
                        throw new UnsupportedOperationException(method.getName());
                    });
        }

        void runNext() {
            Runnable task = tasks.poll();
            assertThat(task).as("a scheduled poll").isNotNull();
            task.run();
        }
    }
}
