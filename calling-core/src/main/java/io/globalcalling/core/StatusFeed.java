package io.globalcalling.core;

import io.globalcalling.CallRecord;
import io.globalcalling.CallStatus;
import io.globalcalling.core.lifecycle.CallLifecycle;
import io.globalcalling.core.lifecycle.CallStatusChanged;
import io.globalcalling.spi.store.CallStore;
import io.globalcalling.spi.store.StoredEvent;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;

/**
 * The status changes of calls, whichever node sharing the store applied them, for {@link Calls#follow}: the moves
 * applied here as they happen, the others' as the store shows them, read only while someone follows. Followers of one
 * scope (one customer's calls, or every call) share its reads. Each poll reads the scope's calls not yet seen ended, by
 * id in one read, and the calls started since the last read, by start time; at the start the scope's unended calls are
 * read once (by status) so that their later moves are told. A call read more than one status further than told may
 * have passed statuses meanwhile: its event log (one read a call) shows which, and each such move is told in turn. A
 * call told as {@code previous → status} never goes back and is told each status once, whether a local move or a read
 * brought it first.
 *
 * <p>The scheduler only times the polls: each runs on the work executor. Each follower has its own backlog of changes
 * not yet taken, handed to it in order, one at a time, on the work executor; so a follower that blocks (an event
 * stream whose client stopped reading) holds up neither the thread that applied a move, nor the polls, nor the other
 * followers. One whose backlog reaches its bound is dropped: told nothing more, and told why.
 */
final class StatusFeed {

    /**
     * How far before the newest start time already read the next read of new calls begins: a record committed late,
     * or written by a node whose clock is a little behind, is still seen.
     */
    static final Duration OVERLAP = Duration.ofSeconds(5);
    /** How long an ended call is remembered after its end was told, so that a late local report of it is not retold. */
    static final Duration REMEMBER_ENDED = Duration.ofMinutes(1);
    private static final int PAGE = 500;
    private static final Logger log = LoggerFactory.getLogger(StatusFeed.class);

    private final CallStore store;
    private final Clock clock;
    private final Executor work;
    private final int backlog;
    /** The scopes someone follows; changed under {@code this}. */
    private final List<Scope> scopes = new CopyOnWriteArrayList<>();
    private final StorePoll poll;

    /**
     * @param work    where the polls run and followers are told, never the applying thread
     * @param backlog how many changes a follower may leave untaken before it is dropped
     */
    StatusFeed(CallStore store, CallLifecycle lifecycle, Clock clock, ScheduledExecutorService scheduler, Executor work,
               long pollNanos, int backlog) {
        if (backlog < 1) throw new IllegalArgumentException("backlog " + backlog + " must be at least 1");
        this.store = store;
        this.clock = clock;
        this.work = work;
        this.backlog = backlog;
        this.poll = new StorePoll("the calls followed", scheduler, work, pollNanos, () -> scopes.forEach(Scope::poll),
                () -> !scopes.isEmpty());
        lifecycle.onStatusChange(change -> {
            for (Scope s : scopes) {
                if (s.covers(change.record())) s.offer(change.record(), change.previous(), false);
            }
        });
    }

    Subscription follow(@Nullable String customerId, Consumer<CallStatusChanged> listener,
                        Consumer<String> onDropped) {
        Objects.requireNonNull(listener, "listener");
        Objects.requireNonNull(onDropped, "onDropped");
        Follower follower = new Follower(listener, onDropped);
        Scope scope;
        synchronized (this) {
            scope = scopes.stream().filter(s -> Objects.equals(s.customerId, customerId)).findFirst().orElse(null);
            if (scope == null) {
                scope = new Scope(customerId);
                try {
                    scope.start();
                } catch (RuntimeException e) {
                    log.warn("reading the calls to follow failed ({}); read again at the next poll", e.toString());
                }
                scopes.add(scope);
            }
            Scope followed = scope;
            follower.subscription = Subscription.of(() -> {
                follower.stop();
                synchronized (this) {
                    followed.followers.remove(follower);
                    if (followed.followers.isEmpty()) scopes.remove(followed);
                }
            });
            scope.followers.add(follower);
        }
        poll.start();
        return follower.subscription;
    }

    /** What a scope last told of a call. */
    private record Told(CallStatus status, Instant startedAt, @Nullable Instant endToldAt, boolean heldBack) {
    }

    private Told told(CallRecord r) {
        return new Told(r.status(), r.startedAt(), r.status().isTerminal() ? clock.instant() : null, false);
    }

    /**
     * The call as it stood at a status it passed, read from its log: the record read, its status wound back, without
     * what only a later status brings (the answer and its time before an answer, the end, its talk time, cost, error,
     * recording and transcript), updated when the log says the move happened.
     */
    static CallRecord asAt(CallRecord r, CallStatus status, Instant at) {
        return new CallRecord(r.callId(), r.customerId(), r.category(), r.providerId(), r.providerCallId(),
                r.fromNumber(), r.toNumber(), status, r.purpose(), r.priority(), r.attempt(), r.idempotencyKey(),
                r.campaignId(), r.heldAmount(), r.estimatedCost(), null, null, null, null, null, r.routeReasons(), null,
                null, r.needsReconciliation(), r.limitBypass(), r.simulated(), r.startedAt(),
                status.isAnswered() ? r.answeredAt() : null, null, r.createdAt(), at, r.metadata(),
                r.requestFingerprint());
    }

    /** One customer's calls, or every call when {@code customerId} is null, and who follows them. */
    private final class Scope {
        final @Nullable String customerId;
        final List<Follower> followers = new CopyOnWriteArrayList<>();
        /** Each call's status last told; guarded by {@code this}, which also keeps one call's moves in order. */
        private final Map<String, Told> told = new HashMap<>();
        /** Where the next read of new calls starts; guarded by {@code this}. */
        private Instant since;
        /** Whether {@link #start()} has read where the scope's calls stood. */
        private volatile boolean started;

        Scope(@Nullable String customerId) {
            this.customerId = customerId;
            this.since = clock.instant().minus(OVERLAP);
        }

        boolean covers(CallRecord r) {
            return customerId == null || customerId.equals(r.customerId());
        }

        /** Notes where the scope's calls stand now, telling nothing: their later moves are told. */
        void start() {
            List<CallRecord> now = new ArrayList<>();
            Instant cutoff = clock.instant().plus(OVERLAP);
            for (List<CallRecord> page = store.findUnendedBefore(cutoff, null, PAGE); !page.isEmpty();
                 page = page.size() < PAGE ? List.of() : store.findUnendedBefore(cutoff, page.get(PAGE - 1), PAGE)) {
                now.addAll(page);
            }
            for (List<CallRecord> page = store.findNeedingReconciliation(null, PAGE); !page.isEmpty();
                 page = page.size() < PAGE ? List.of() : store.findNeedingReconciliation(page.get(PAGE - 1), PAGE)) {
                now.addAll(page);
            }
            now.addAll(startedSince(since));
            synchronized (this) {
                for (CallRecord r : now) {
                    // a move heard here meanwhile (when a failed start is read again) is not undone
                    if (covers(r)) told.merge(r.callId(), told(r), (heard, read) -> heard.status().rank()
                            >= read.status().rank() ? heard : read);
                }
            }
            started = true;
        }

        private List<CallRecord> startedSince(Instant from) {
            List<CallRecord> found = new ArrayList<>();
            for (List<CallRecord> page = store.findStartedSince(from, customerId, null, PAGE); !page.isEmpty();
                 page = page.size() < PAGE ? List.of() : store.findStartedSince(from, customerId, page.get(PAGE - 1), PAGE)) {
                found.addAll(page);
            }
            return found;
        }

        void poll() {
            if (!started) {
                start();
                return;
            }
            List<String> unended;
            Instant from;
            synchronized (this) {
                unended = told.entrySet().stream().filter(e -> !e.getValue().status().isTerminal())
                        .map(Map.Entry::getKey).toList();
                from = since;
            }
            // read outside the lock, so that a slow store never holds up a local move's thread; one record a call
            Map<String, CallRecord> read = new LinkedHashMap<>();
            if (!unended.isEmpty()) store.findByCallIds(unended).forEach(r -> read.put(r.callId(), r));
            List<CallRecord> started = startedSince(from);
            started.forEach(r -> read.put(r.callId(), r));
            List<CallRecord> leapt;
            synchronized (this) {
                leapt = read.values().stream().filter(this::mayHavePassedAStatus).toList();
            }
            // a call that may have passed a status since the last read: its log shows which, all of them read together
            Map<String, List<StoredEvent>> logs = leapt.isEmpty() ? Map.of()
                    : store.events(leapt.stream().map(CallRecord::callId).toList());
            synchronized (this) {
                unended.forEach(id -> {
                    if (!read.containsKey(id)) told.remove(id);   // no longer on record (erased)
                });
                for (CallRecord r : read.values()) {
                    for (CallRecord passed : passed(r, logs.getOrDefault(r.callId(), List.of()))) {
                        offer(passed, CallStatus.INITIATED, true);
                    }
                    offer(r, CallStatus.INITIATED, true);
                }
                Instant newest = started.isEmpty() ? null : started.get(started.size() - 1).startedAt();
                if (newest != null && newest.minus(OVERLAP).isAfter(since)) since = newest.minus(OVERLAP);
                Instant forget = clock.instant().minus(REMEMBER_ENDED);
                told.values().removeIf(t -> t.endToldAt() != null && t.endToldAt().isBefore(forget)
                        && t.startedAt().isBefore(since));
            }
        }

        /** Whether a status lies between the one last told of {@code r} (initiated for a call not told of) and its own. */
        private boolean mayHavePassedAStatus(CallRecord r) {
            Told last = told.get(r.callId());
            CallStatus at = last != null ? last.status() : CallStatus.INITIATED;
            return at.canMoveTo(r.status()) && r.status().rank() - at.rank() > 1;
        }

        /**
         * The moves {@code r}'s log shows it made after the status last told and before its own, in the order they
         * were applied, each as {@link #asAt} the record stood then: the statuses its events reported, as the state
         * machine took them (a late report of an earlier status moved nothing, and is not told).
         */
        private List<CallRecord> passed(CallRecord r, List<StoredEvent> log) {
            Told last = told.get(r.callId());
            CallStatus at = last != null ? last.status() : CallStatus.INITIATED;
            List<CallRecord> passed = new ArrayList<>();
            for (StoredEvent e : log) {
                CallStatus s = e.status();
                if (s == null || !at.canMoveTo(s)) continue;
                if (s.rank() >= r.status().rank()) break;   // where it stands, or further: the read tells it
                passed.add(asAt(r, s, e.occurredAt()));
                at = s;
            }
            return passed;
        }

        /**
         * Tells the followers of {@code r}'s status when it is a forward move from the status last told, or from
         * {@code previous} for a call not told of yet. A read end whose cost is not stored yet (its node is settling
         * it) is held back one poll, so that it is told with its cost as a local end is.
         */
        synchronized void offer(CallRecord r, CallStatus previous, boolean read) {
            Told last = told.get(r.callId());
            CallStatus from = last != null ? last.status() : previous;
            if (!from.canMoveTo(r.status())) {
                if (last == null) told.put(r.callId(), told(r));
                return;
            }
            if (read && r.status().isTerminal() && r.cost() == null && (last == null || !last.heldBack())) {
                told.put(r.callId(), new Told(from, r.startedAt(), null, true));
                return;
            }
            told.put(r.callId(), told(r));
            CallStatusChanged change = new CallStatusChanged(r, from);
            // handed over under this lock, so that each follower takes one call's moves in the order told
            for (Follower f : followers) f.offer(change);
        }
    }

    /**
     * One listener and the changes not yet handed to it: they are handed over in order, one at a time, on the work
     * executor, so that a listener that blocks delays only itself.
     */
    private final class Follower {
        final Consumer<CallStatusChanged> listener;
        final Consumer<String> onDropped;
        /** Set before the follower is told anything; closed when it is dropped. */
        volatile Subscription subscription = () -> { };
        /** The changes not yet handed over; guarded by {@code this}. */
        private final ArrayDeque<CallStatusChanged> untaken = new ArrayDeque<>();
        /** Whether a task is handing changes over; guarded by {@code this}. */
        private boolean handing;
        /** Whether the follower is told nothing more; guarded by {@code this}. */
        private boolean stopped;

        Follower(Consumer<CallStatusChanged> listener, Consumer<String> onDropped) {
            this.listener = listener;
            this.onDropped = onDropped;
        }

        /** Adds a change to the backlog without waiting; a backlog at its bound drops the follower instead. */
        void offer(CallStatusChanged change) {
            synchronized (this) {
                if (stopped) return;
                if (untaken.size() >= backlog) {
                    stopped = true;
                    untaken.clear();
                    work(this::dropped);
                    return;
                }
                untaken.add(change);
                if (handing) return;
                handing = true;
            }
            work(this::hand);
        }

        /** Tells the follower nothing more, whatever its backlog holds. */
        synchronized void stop() {
            stopped = true;
            untaken.clear();
        }

        private void hand() {
            while (true) {
                CallStatusChanged next;
                synchronized (this) {
                    next = stopped ? null : untaken.poll();
                    if (next == null) {
                        handing = false;
                        return;
                    }
                }
                try {
                    listener.accept(next);
                } catch (RuntimeException e) {
                    log.warn("status listener {} failed on {}: {}", listener, next.record().callId(), e.toString());
                }
            }
        }

        /** Runs on the work executor, not under the scope's lock: leaving takes the feed's. */
        private void dropped() {
            String reason = "it left " + backlog + " status changes untaken; a follower that cannot keep up is dropped";
            log.warn("status listener {} dropped: {}", listener, reason);
            subscription.close();
            try {
                onDropped.accept(reason);
            } catch (RuntimeException e) {
                log.warn("status listener {} failed on being dropped: {}", listener, e.toString());
            }
        }

        private void work(Runnable task) {
            try {
                work.execute(task);
            } catch (RejectedExecutionException e) {
                stop();   // the manager closed: nothing is told any more
            }
        }
    }
}
