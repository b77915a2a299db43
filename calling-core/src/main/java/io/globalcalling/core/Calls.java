package io.globalcalling.core;

import io.globalcalling.core.lifecycle.CallLifecycle;
import io.globalcalling.core.lifecycle.CallStatusChanged;
import io.globalcalling.CallStatus;
import io.globalcalling.InboundMessage;
import io.globalcalling.Endpoint;
import io.globalcalling.CallRecord;
import io.globalcalling.spi.store.CallStats;
import io.globalcalling.spi.store.CallStore;
import io.globalcalling.spi.store.StoredEvent;
import org.jspecify.annotations.Nullable;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Read access to every call on record, whatever store backs the manager, and waiting for calls to end.
 *
 * <p>A call's end is settled by the node its provider's callback reached, or whose reconciliation found it: with
 * several nodes sharing one store, not necessarily the one where someone waits for it. So while anyone waits here,
 * this node also reads the calls waited for from the store, all in one read, every poll interval
 * ({@code GlobalCallingManager.Builder.awaitPollInterval}, a second by default), and completes the waits of those
 * that have ended; it reads nothing while no one waits.
 */
public final class Calls {

    private static final int MAX_LIMIT = 10_000;
    private static final Duration LONGEST_WAIT = Duration.ofNanos(Long.MAX_VALUE);
    private final CallStore store;
    /** Who waits for which call; completed by the lifecycle once the call's end is settled, or by a poll. */
    private final ConcurrentMap<String, Set<CompletableFuture<CallRecord>>> waiters = new ConcurrentHashMap<>();
    private final StatusFeed feed;
    private final StorePoll poll;

    /** How many status changes a follower may leave untaken before it is dropped (see {@link #follow}). */
    public static final int FOLLOW_BACKLOG = 10_000;

    /** With the follow polls and every follower's changes on the scheduler's own thread: for tests that run it by hand. */
    Calls(CallStore store, CallLifecycle lifecycle, Clock clock, ScheduledExecutorService scheduler,
          Duration pollInterval, Duration followPollInterval) {
        this(store, lifecycle, clock, scheduler, Runnable::run, pollInterval, followPollInterval, FOLLOW_BACKLOG);
    }

    /**
     * @param work          where the follow polls run and followers are told (the manager's work executor)
     * @param followBacklog how many changes a follower may leave untaken before it is dropped
     */
    Calls(CallStore store, CallLifecycle lifecycle, Clock clock, ScheduledExecutorService scheduler, Executor work,
          Duration pollInterval, Duration followPollInterval, int followBacklog) {
        this.store = store;
        this.poll = new StorePoll("the calls waited for", scheduler, Runnable::run, nanos(pollInterval),
                this::readWaitedFor, () -> !waiters.isEmpty());
        this.feed = new StatusFeed(store, lifecycle, clock, scheduler, work, nanos(followPollInterval), followBacklog);
        lifecycle.onSettled(this::ended);
    }

    private static long nanos(Duration interval) {
        return interval.compareTo(LONGEST_WAIT) >= 0 ? Long.MAX_VALUE : interval.toNanos();
    }

    public Optional<CallRecord> find(String callId) {
        return store.find(Objects.requireNonNull(callId, "callId"));
    }

    /** The customer's call placed under {@code idempotencyKey}, if there is one. */
    public Optional<CallRecord> byIdempotencyKey(String customerId, String idempotencyKey) {
        return store.findByIdempotencyKey(Objects.requireNonNull(customerId, "customerId"),
                Objects.requireNonNull(idempotencyKey, "idempotencyKey"));
    }

    /** The newest calls first. */
    public List<CallRecord> recent(int limit) {
        return store.recent(checkLimit(limit));
    }

    /** Calls to or from a number (E.164, sip:, URL or imei:), newest first. */
    public List<CallRecord> byNumber(String number, int limit) {
        return store.findByNumber(Endpoint.parse(number).value(), checkLimit(limit));
    }

    public List<CallRecord> byStatus(CallStatus status, int limit) {
        return store.findByStatus(Objects.requireNonNull(status, "status"), checkLimit(limit));
    }

    /**
     * One customer's calls, newest first, found however many calls other customers placed since: all of
     * them, or only those with a status, to or from a number (E.164, sip:, URL or imei:), or both.
     *
     * @param status null for every status
     * @param number null for every number
     * @param limit  how many at most, 1 to {@value CallStore#MAX_CUSTOMER_CALLS}
     * @throws IllegalArgumentException the limit is outside 1 to {@value CallStore#MAX_CUSTOMER_CALLS}, or the
     *                                  number is not one
     */
    public List<CallRecord> byCustomer(String customerId, @Nullable CallStatus status, @Nullable String number,
                                       int limit) {
        Objects.requireNonNull(customerId, "customerId");
        if (limit < 1 || limit > CallStore.MAX_CUSTOMER_CALLS) {
            throw new IllegalArgumentException("limit " + limit + " must be between 1 and " + CallStore.MAX_CUSTOMER_CALLS);
        }
        String stored = number == null ? null : Endpoint.parse(number).value();
        return store.findByCustomer(customerId, status, stored, limit);
    }

    /** The messages terminals sent (replies, positions, delivery confirmations), newest first. */
    public List<InboundMessage> inbound(int limit) {
        return store.findInbound(null, checkLimit(limit));
    }

    /** The messages a terminal or endpoint ({@code imei:...}, E.164, ...) sent, newest first. */
    public List<InboundMessage> inboundFrom(String endpoint, int limit) {
        return store.findInbound(Endpoint.parse(Objects.requireNonNull(endpoint, "endpoint")).value(), checkLimit(limit));
    }

    /** The messages that refer to the call, oldest first. */
    public List<InboundMessage> inboundFor(String callId) {
        return store.findInboundForCall(Objects.requireNonNull(callId, "callId"));
    }

    /**
     * Calls whose placement outcome is unknown, oldest first: {@code reconcile()} has not resolved them
     * yet, and their holds are still held. A person can look into them, or a later reconcile will.
     */
    public List<CallRecord> needingReconciliation(int limit) {
        return store.findNeedingReconciliation(checkLimit(limit));
    }

    /** How many calls {@link #needingReconciliation} would list without a limit, counted by the store. */
    public int countNeedingReconciliation() {
        return store.countNeedingReconciliation();
    }

    /**
     * What the calls started at or after {@code since} add up to: per category their number and settled cost,
     * per UTC clock hour their number (for dashboards), counted by the store in one read.
     */
    public CallStats stats(Instant since) {
        return store.stats(Objects.requireNonNull(since, "since"));
    }

    /** A call's event log, oldest first. */
    public List<StoredEvent> events(String callId) {
        return store.events(Objects.requireNonNull(callId, "callId"));
    }

    /**
     * Tells {@code listener} of each forward move of one customer's calls, or of every call when {@code customerId}
     * is null, whichever node sharing the store applied it: for live views (an event stream to a browser). A move
     * applied on this node is told at once; one another node applied is told at the next poll of the store
     * ({@code GlobalCallingManager.Builder.followPollInterval}, a second by default). Each status of a call is told at
     * most once and never after a later one. A call that moved more than once between two polls is told each move its
     * event log shows (a call placed on another node from {@code initiated}): such a move's record is the one read
     * with its status wound back, without what only a later status brings (the answer's time before an answer, the
     * end, talk time, cost, error, recording, transcript). An end read before its node stored its cost is held back
     * one poll so that it comes with its cost. Only moves after this call are told.
     *
     * <p>Each follower is told on the manager's work threads, never on the thread that applied the move (a webhook's,
     * the placer's) nor on its scheduler: one change at a time, in the order told. A listener that blocks (a send to a
     * client that stopped reading) delays only itself, its changes waiting in its backlog meanwhile; one that leaves
     * {@value #FOLLOW_BACKLOG} changes untaken is dropped: it is told nothing more, and the drop is logged with its
     * reason. {@link #follow(String, Consumer, Consumer)} also tells the listener's owner.
     *
     * <p>While anyone follows, each poll reads the followed calls not yet seen ended, by id in one read (a read per
     * thousand), and those started since the poll before, by start time, and the event log of each call read more than
     * one status further than told; following starts with one read of the calls not ended. Nothing is read while no one follows, and followers of one customer, or of every call, share their
     * reads.
     *
     * @param customerId the customer whose calls are followed, or null for every call
     * @return closing it stops following; after the last follower of a customer (or of every call) leaves, nothing is
     *         read for it
     */
    public Subscription follow(@Nullable String customerId, Consumer<CallStatusChanged> listener) {
        return feed.follow(customerId, listener, reason -> { });
    }

    /**
     * Follows as {@link #follow(String, Consumer)} does, and tells {@code onDropped}, with the reason, when the
     * listener is dropped for not keeping up: an event stream then ends, so that its client reconnects and reads
     * afresh. It runs on a work thread, once, after the listener was told its last change.
     *
     * @param onDropped told why the listener was dropped
     */
    public Subscription follow(@Nullable String customerId, Consumer<CallStatusChanged> listener,
                               Consumer<String> onDropped) {
        return feed.follow(customerId, listener, onDropped);
    }

    /**
     * Waits until the call has ended (a terminal status, its cost settled) and returns its record.
     * Returns at once for a call that has ended already. An end another node settled (the nodes share the
     * store) is seen at the next poll of the store (see {@link Calls}).
     *
     * @param timeout how long to wait at most; zero only looks
     * @throws CallNotEndedException    the call had not ended in time; it carries the latest record
     * @throws InterruptedException     the waiting thread was interrupted
     * @throws IllegalArgumentException the call id is unknown, or the timeout negative
     */
    public CallRecord await(String callId, Duration timeout) throws CallNotEndedException, InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) throw new IllegalArgumentException("timeout " + timeout + " must not be negative");
        // past about 292 years (ChronoUnit.FOREVER's duration, say) nanoseconds overflow: wait as long as a long counts
        long nanos = timeout.compareTo(LONGEST_WAIT) >= 0 ? Long.MAX_VALUE : timeout.toNanos();
        CompletableFuture<CallRecord> ended = whenEnded(callId);
        try {
            return ended.get(nanos, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            ended.cancel(false);
            throw new CallNotEndedException(find(callId).orElseThrow(), timeout);
        } catch (InterruptedException e) {
            ended.cancel(false);
            throw e;
        } catch (ExecutionException e) {
            throw new IllegalStateException("waiting for call " + callId + " failed", e.getCause());
        }
    }

    /**
     * A future completed with the call's record once it has ended (a terminal status, its cost
     * settled); already complete for a call that has ended. Cancel it to stop waiting. It completes on
     * the thread that ended the call (a webhook's, say), or on the manager's scheduler thread when a poll of the
     * store found the end another node settled (see {@link Calls}): hand long work to an executor with the async
     * methods.
     *
     * @throws IllegalArgumentException the call id is unknown
     */
    public CompletableFuture<CallRecord> whenEnded(String callId) {
        Objects.requireNonNull(callId, "callId");
        if (find(callId).isEmpty()) throw new IllegalArgumentException("callId '" + callId + "' is unknown");
        CompletableFuture<CallRecord> future = new CompletableFuture<>();
        // Register first, then look: an end settled in between is either seen here or completes the waiter.
        waiters.compute(callId, (id, set) -> {
            Set<CompletableFuture<CallRecord>> waiting = set != null ? set : ConcurrentHashMap.newKeySet();
            waiting.add(future);
            return waiting;
        });
        future.whenComplete((r, t) -> waiters.computeIfPresent(callId, (id, set) -> {
            set.remove(future);
            return set.isEmpty() ? null : set;
        }));
        find(callId).filter(Calls::hasEnded).ifPresent(future::complete);
        if (!future.isDone()) poll.start();
        return future;
    }

    /** Reads every call waited for, in one read, and completes the waits of those that have ended. */
    private void readWaitedFor() {
        List<String> waitedFor = List.copyOf(waiters.keySet());
        if (!waitedFor.isEmpty()) store.findByCallIds(waitedFor).stream().filter(Calls::hasEnded).forEach(this::ended);
    }

    private static boolean hasEnded(CallRecord r) {
        return r.status().isTerminal() && r.cost() != null;
    }

    private void ended(CallRecord record) {
        Set<CompletableFuture<CallRecord>> waiting = waiters.remove(record.callId());
        if (waiting != null) waiting.forEach(f -> f.complete(record));
    }

    private static int checkLimit(int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit " + limit + " must be between 1 and " + MAX_LIMIT);
        }
        return limit;
    }
}
