package io.globalcalling.core.store;

import io.globalcalling.CallStatus;
import io.globalcalling.InboundMessage;
import io.globalcalling.Money;
import io.globalcalling.CallRecord;
import io.globalcalling.CallCategory;
import io.globalcalling.Secret;
import io.globalcalling.spi.store.CallStats;
import io.globalcalling.spi.store.CallStore;
import io.globalcalling.spi.store.CallUpdate;
import io.globalcalling.spi.store.Campaign;
import io.globalcalling.spi.store.CampaignTarget;
import io.globalcalling.spi.store.DuplicateCallException;
import io.globalcalling.spi.store.DuplicateCampaignException;
import io.globalcalling.spi.store.StoredEvent;
import io.globalcalling.spi.store.TargetCounts;
import org.jspecify.annotations.Nullable;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.Currency;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * The default {@link CallStore}: everything in memory, lost when the process ends. Thread-safe: a
 * call is updated, and an event appended, atomically with {@link ConcurrentHashMap#compute}; campaign
 * claims take a lock. Fit for one node, tests and the sandbox; use the JDBI store to keep calls.
 *
 * <p>Memory stays bounded by the retention, as in the JDBI store: a call that started longer than the retention
 * ago is forgotten with its events once it can no longer change what is billed (it has ended and waits for no
 * reconciliation), and so are inbound messages received before then. Calls are forgotten in the order they
 * came to an end, as calls are created; {@link #purgeExpired()} does it at once. A forgotten call's
 * idempotency key may be used again. So are campaigns that finished before then with their targets, unless an
 * attempt of theirs is still under way.
 */
public final class InMemoryCallStore implements CallStore {

    /** A call's place in the newest-first index: by startedAt, then by insertion. */
    private record Started(Instant startedAt, long seq, String callId) {
    }

    /** Written out rather than composed from Comparator's combinators: each call's insert runs it some 40 times. */
    private static final Comparator<Started> NEWEST_FIRST = (a, b) -> {
        int byTime = b.startedAt().compareTo(a.startedAt());
        return byTime != 0 ? byTime : Long.compare(b.seq(), a.seq());
    };

    private record IdempotencyKey(String customerId, String key) {
    }

    private record ProviderCallKey(String providerId, String providerCallId) {
    }

    /** An event log begun for a call the store did not keep, and when. */
    private record Orphan(String callId, Instant loggedAt) {
    }

    private final Clock clock;
    private final Duration retention;
    private final Map<String, CallRecord> calls = new ConcurrentHashMap<>();
    /** Calls that have ended and wait for no reconciliation, in that order: what may be forgotten, oldest first. */
    private final Queue<String> done = new ConcurrentLinkedQueue<>();
    private final ReentrantLock forgetting = new ReentrantLock();
    /** When, in the clock's epoch milliseconds, creating a call next looks for what has expired. */
    private volatile long nextForget;
    private final Map<IdempotencyKey, String> byIdempotencyKey = new ConcurrentHashMap<>();
    private final Map<ProviderCallKey, String> byProviderCallId = new ConcurrentHashMap<>();
    private final ConcurrentSkipListSet<Started> newestFirst = new ConcurrentSkipListSet<>(NEWEST_FIRST);
    /** Each customer's calls, newest first: a customer's list never waits behind other customers' calls. */
    private final Map<String, ConcurrentSkipListSet<Started>> byCustomer = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong();
    /** Each customer's id as first seen, so that all of a customer's records share one copy of it. */
    private final Map<String, String> customerIds = new ConcurrentHashMap<>();
    /** What many calls have in common, kept once: route reasons, metadata, amounts and event details. */
    private final RecentValues<List<String>> reasons = new RecentValues<>(256);
    private final RecentValues<Map<String, String>> details = new RecentValues<>(256);
    private final RecentValues<Money> amounts = new RecentValues<>(256);

    private static final StoredEvent[] NO_EVENTS = {};
    /**
     * Each call's events in append order: an array replaced whole by each append (inside the map's compute),
     * so that a reader needs no lock and a log has no spare room. No dedup key is kept: a new event is
     * compared with the call's few events. An event whose details equal an earlier one's (a provider's
     * successive status events) shares that event's map.
     */
    private final Map<String, StoredEvent[]> events = new ConcurrentHashMap<>();
    /**
     * Logs begun while their call was not kept (a late report of a call already forgotten, or one forgotten while
     * the report was being appended), oldest first: forgotten in their turn once older than the retention, as the
     * JDBI store's purge deletes every event older than it of a call it no longer keeps. A call's own logs go with
     * the call.
     */
    private final Queue<Orphan> orphans = new ConcurrentLinkedQueue<>();
    /** Inbound messages in arrival order, and the provider message ids already kept; guarded by {@code inbound}. */
    private final List<InboundMessage> inbound = new ArrayList<>();
    private final Set<List<String>> inboundKeys = new HashSet<>();
    private final Map<String, Campaign> campaigns = new ConcurrentHashMap<>();
    /** Which campaign each customer's idempotency key names; guarded by itself. */
    private final Map<IdempotencyKey, String> campaignKeys = new HashMap<>();
    /** Per campaign paused by its budget: the hold the budget refused. */
    private final Map<String, Money> budgetNeeds = new ConcurrentHashMap<>();
    /** The do-not-call list: customer id, a line break, the number. */
    private final Set<String> suppressed = ConcurrentHashMap.newKeySet();
    /** Targets per campaign, in insertion order; guarded by the map's own monitor. */
    private final Map<String, LinkedHashMap<String, CampaignTarget>> targets = new ConcurrentHashMap<>();
    /** Keys request fingerprints: random, as the calls it keys live no longer than this store. */
    private final Secret fingerprintKey = randomKey();

    /** A store on the system clock that keeps calls for {@link CallStore#DEFAULT_RETENTION}. */
    public InMemoryCallStore() {
        this(Clock.systemUTC(), DEFAULT_RETENTION);
    }

    /**
     * @param clock     tells which calls are older than the retention
     * @param retention how long after it started a call is kept once it is done
     */
    public InMemoryCallStore(Clock clock, Duration retention) {
        this.clock = Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(retention, "retention");
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("retention " + retention + " must be positive");
        }
        this.retention = retention;
    }

    // ---- call records ----

    @Override
    public void create(CallRecord given) {
        Objects.requireNonNull(given, "record");
        forgetExpired();
        CallRecord record = sharingCommonValues(given);
        // Lock-free: claim the call id first, then the idempotency key, so whoever owns a key already has
        // its record in place; a loser of the key race withdraws its record, which nobody else knows of.
        if (calls.putIfAbsent(record.callId(), record) != null) {
            throw new DuplicateCallException(record.callId(), "call '" + record.callId() + "' already exists");
        }
        IdempotencyKey key = idempotencyKey(record);
        if (key != null) {
            String existing = byIdempotencyKey.putIfAbsent(key, record.callId());
            if (existing != null) {
                calls.remove(record.callId(), record);
                throw new DuplicateCallException(existing, "customer '" + record.customerId()
                        + "' already used idempotency key '" + record.idempotencyKey() + "' for call '" + existing + "'");
            }
        }
        indexProviderCallId(record);
        Started started = new Started(record.startedAt(), sequence.incrementAndGet(), record.callId());
        newestFirst.add(started);
        byCustomer.computeIfAbsent(record.customerId(), c -> new ConcurrentSkipListSet<>(NEWEST_FIRST)).add(started);
        if (isDone(record)) done.add(record.callId());
    }

    /** Whether nothing billed can change any more: the call has ended and waits for no reconciliation. */
    private static boolean isDone(CallRecord r) {
        return r.status().isTerminal() && !r.needsReconciliation();
    }

    /** The same record, its parts that other records have too (customer id, route reasons, ...) shared with them. */
    private CallRecord sharingCommonValues(CallRecord r) {
        return new CallRecord(r.callId(), customerIds.computeIfAbsent(r.customerId(), id -> id), r.category(),
                r.providerId(), r.providerCallId(), r.fromNumber(), r.toNumber(), r.status(), r.purpose(),
                r.priority(), r.attempt(), r.idempotencyKey(), r.campaignId(), shared(r.heldAmount()),
                shared(r.estimatedCost()), shared(r.cost()), r.durationSeconds(), r.recordingUrl(), r.transcript(),
                r.aiSentiment(), reasons.shared(r.routeReasons()), r.errorReason(), r.errorMessage(),
                r.needsReconciliation(), r.limitBypass(), r.simulated(), r.startedAt(), r.answeredAt(), r.endedAt(),
                r.createdAt(), r.updatedAt(), details.shared(r.metadata()), r.requestFingerprint());
    }

    private @Nullable Money shared(@Nullable Money amount) {
        return amount == null ? null : amounts.shared(amount);
    }

    private static IdempotencyKey idempotencyKey(CallRecord r) {
        return r.idempotencyKey() == null ? null : new IdempotencyKey(r.customerId(), r.idempotencyKey());
    }

    private void indexProviderCallId(CallRecord r) {
        if (r.providerId() != null && r.providerCallId() != null) {
            byProviderCallId.put(new ProviderCallKey(r.providerId(), r.providerCallId()), r.callId());
        }
    }

    @Override
    public Optional<CallRecord> find(String callId) {
        Objects.requireNonNull(callId, "callId");
        return Optional.ofNullable(calls.get(callId));
    }

    @Override
    public List<CallRecord> findByCallIds(Collection<String> callIds) {
        Objects.requireNonNull(callIds, "callIds");
        return callIds.stream().distinct().map(calls::get).filter(Objects::nonNull).toList();
    }

    @Override
    public Optional<Secret> requestFingerprintKey() {
        return Optional.of(fingerprintKey);
    }

    /** 256 random bits, as hex. */
    private static Secret randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Secret.of(HexFormat.of().formatHex(key));
    }

    @Override
    public Optional<CallRecord> findByIdempotencyKey(String customerId, String idempotencyKey) {
        Objects.requireNonNull(customerId, "customerId");
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        return Optional.ofNullable(byIdempotencyKey.get(new IdempotencyKey(customerId, idempotencyKey)))
                .map(calls::get);
    }

    @Override
    public Optional<CallRecord> findByProviderCallId(String providerId, String providerCallId) {
        Objects.requireNonNull(providerId, "providerId");
        Objects.requireNonNull(providerCallId, "providerCallId");
        // The index may still name a call whose provider id has since changed: check the record itself.
        return Optional.ofNullable(byProviderCallId.get(new ProviderCallKey(providerId, providerCallId)))
                .map(calls::get)
                .filter(r -> providerId.equals(r.providerId()) && providerCallId.equals(r.providerCallId()));
    }

    @Override
    public boolean update(CallUpdate u) {
        Objects.requireNonNull(u, "update");
        AtomicReference<CallRecord> was = new AtomicReference<>();
        CallRecord updated = calls.computeIfPresent(u.callId(), (id, r) -> {
            was.set(r);
            return applied(r, u, moves(r, u));
        });
        if (updated == null) return false;
        CallRecord before = was.get();
        if (before.providerCallId() != null && !(before.providerCallId().equals(updated.providerCallId())
                && Objects.equals(before.providerId(), updated.providerId()))) {
            // failed over: the first provider's id no longer finds the call, so it need not be kept
            byProviderCallId.remove(new ProviderCallKey(before.providerId(), before.providerCallId()), u.callId());
        }
        indexProviderCallId(updated);
        if (!isDone(before) && isDone(updated)) done.add(u.callId());
        return moves(before, u);
    }

    private static boolean moves(CallRecord r, CallUpdate u) {
        return u.status() != null && r.status().canMoveTo(u.status());
    }

    /** The record after the update, or the same record when nothing in it applies; see {@link CallUpdate}. */
    private static CallRecord applied(CallRecord r, CallUpdate u, boolean move) {
        // The check is the record as it was: an update that makes the call terminal still applies its own fields.
        boolean open = !r.status().isTerminal();
        boolean costApplies = u.cost() != null && (open || r.cost() == null);
        boolean unbilled = u.recordingUrl() != null || u.transcript() != null || u.aiSentiment() != null
                || u.errorReason() != null || u.errorMessage() != null || u.needsReconciliation() != null;
        if (!move && !(open && u.hasFields()) && !costApplies && !unbilled) return r;
        return new CallRecord(r.callId(), r.customerId(), r.category(), billed(open, u.providerId(), r.providerId()),
                billed(open, u.providerCallId(), r.providerCallId()), r.fromNumber(), r.toNumber(),
                move ? u.status() : r.status(), r.purpose(), r.priority(), billed(open, u.attempt(), r.attempt()),
                r.idempotencyKey(), r.campaignId(), r.heldAmount(), r.estimatedCost(),
                costApplies ? u.cost() : r.cost(), billed(open, u.durationSeconds(), r.durationSeconds()),
                or(u.recordingUrl(), r.recordingUrl()), or(u.transcript(), r.transcript()),
                or(u.aiSentiment(), r.aiSentiment()), r.routeReasons(), or(u.errorReason(), r.errorReason()),
                or(u.errorMessage(), r.errorMessage()), or(u.needsReconciliation(), r.needsReconciliation()),
                r.limitBypass(), billed(open, u.simulated(), r.simulated()), r.startedAt(),
                billed(open, u.answeredAt(), r.answeredAt()), billed(open, u.endedAt(), r.endedAt()), r.createdAt(),
                u.at(), r.metadata(), r.requestFingerprint());
    }

    /** A billed fact changes only while the call has not ended. */
    private static <T> T billed(boolean open, T value, T current) {
        return open ? or(value, current) : current;
    }

    private static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }

    @Override
    public List<CallRecord> recent(int limit) {
        return newest(limit, r -> true);
    }

    @Override
    public List<CallRecord> findByNumber(String number, int limit) {
        Objects.requireNonNull(number, "number");
        return newest(limit, r -> number.equals(r.toNumber()) || number.equals(r.fromNumber()));
    }

    @Override
    public List<CallRecord> findByStatus(CallStatus status, int limit) {
        Objects.requireNonNull(status, "status");
        return newest(limit, r -> r.status() == status);
    }

    @Override
    public List<CallRecord> findByCustomer(String customerId, @Nullable CallStatus status, @Nullable String number,
                                           int limit) {
        Objects.requireNonNull(customerId, "customerId");
        if (limit < 1 || limit > MAX_CUSTOMER_CALLS) {
            throw new IllegalArgumentException("limit " + limit + " must be between 1 and " + MAX_CUSTOMER_CALLS);
        }
        Set<Started> theirs = byCustomer.get(customerId);
        if (theirs == null) return List.of();
        return newest(theirs, limit, r -> (status == null || r.status() == status)
                        && (number == null || number.equals(r.toNumber()) || number.equals(r.fromNumber())));
    }

    @Override
    public List<CallRecord> findNeedingReconciliation(@Nullable CallRecord after, int limit) {
        return oldestBefore(Instant.MAX, after, limit, CallRecord::needsReconciliation);
    }

    @Override
    public List<CallRecord> findUnendedBefore(Instant cutoff, @Nullable CallRecord after, int limit) {
        Objects.requireNonNull(cutoff, "cutoff");
        return oldestBefore(cutoff, after, limit, r -> !r.status().isTerminal() && !r.needsReconciliation());
    }

    @Override
    public List<CallRecord> findStartedSince(Instant since, @Nullable String customerId, @Nullable CallRecord after,
                                             int limit) {
        Objects.requireNonNull(since, "since");
        NavigableSet<Started> index = customerId == null ? newestFirst : byCustomer.get(customerId);
        if (index == null) return List.of();
        Instant from = after != null && after.startedAt().isAfter(since) ? after.startedAt() : since;
        return oldest(index, from, Instant.MAX, after, limit, r -> !r.startedAt().isBefore(since));
    }

    private List<CallRecord> oldestBefore(Instant cutoff, @Nullable CallRecord after, int limit,
                                          Predicate<CallRecord> filter) {
        return oldest(newestFirst, after == null ? null : after.startedAt(), cutoff, after, limit, filter);
    }

    /**
     * The calls of {@code index} started at or after {@code from} (from the oldest when it is null) and before
     * {@code cutoff} that pass {@code filter}, oldest first by start time then call id, after {@code after} in that
     * order when it is given. The index orders calls of one start time by insertion, so each such group is sorted by
     * call id before it is handed out.
     */
    private List<CallRecord> oldest(NavigableSet<Started> index, @Nullable Instant from, Instant cutoff,
                                    @Nullable CallRecord after, int limit, Predicate<CallRecord> filter) {
        requirePositive(limit);
        Set<Started> oldestFirst = from == null ? index.descendingSet()
                : index.headSet(new Started(from, Long.MIN_VALUE, ""), true).descendingSet();
        List<CallRecord> found = new ArrayList<>();
        List<CallRecord> sameStart = new ArrayList<>();
        for (Started s : oldestFirst) {
            if (!s.startedAt().isBefore(cutoff)) break;
            if (!sameStart.isEmpty() && !sameStart.get(0).startedAt().equals(s.startedAt())
                    && handOut(sameStart, found, limit)) {
                return found;
            }
            CallRecord r = calls.get(s.callId());
            if (r != null && filter.test(r) && (after == null || isAfter(r, after))) {
                sameStart.add(r);
            }
        }
        handOut(sameStart, found, limit);
        return found;
    }

    private static boolean isAfter(CallRecord r, CallRecord after) {
        int byStart = r.startedAt().compareTo(after.startedAt());
        return byStart > 0 || byStart == 0 && r.callId().compareTo(after.callId()) > 0;
    }

    /** Moves a group of calls with one start time to {@code found} by call id; true once {@code found} is full. */
    private static boolean handOut(List<CallRecord> sameStart, List<CallRecord> found, int limit) {
        sameStart.sort(Comparator.comparing(CallRecord::callId));
        for (CallRecord r : sameStart) {
            found.add(r);
            if (found.size() == limit) return true;
        }
        sameStart.clear();
        return false;
    }

    @Override
    public int countNeedingReconciliation() {
        int unresolved = 0;
        for (CallRecord r : calls.values()) {
            if (r.needsReconciliation()) unresolved++;
        }
        return unresolved;
    }

    private List<CallRecord> newest(int limit, Predicate<CallRecord> filter) {
        return newest(newestFirst, limit, filter);
    }

    private List<CallRecord> newest(Set<Started> order, int limit, Predicate<CallRecord> filter) {
        requirePositive(limit);
        List<CallRecord> found = new ArrayList<>();
        for (Started s : order) {
            CallRecord r = calls.get(s.callId());
            if (r != null && filter.test(r)) {
                found.add(r);
                if (found.size() == limit) break;
            }
        }
        return found;
    }

    private static void requirePositive(int limit) {
        if (limit < 1) throw new IllegalArgumentException("limit " + limit + " must be at least 1");
    }

    // ---- retention ----

    /**
     * Forgets now what is older than the retention, instead of as calls are created.
     *
     * @return how many calls were forgotten
     */
    public int purgeExpired() {
        return purgeBefore(clock.instant().minus(retention));
    }

    /**
     * Forgets now the calls started before {@code cutoff} that can no longer change what is billed, taking them in
     * the order they came to an end up to the first that started later, inbound messages received before it, and
     * campaigns that finished before it with no attempt under way, with their targets.
     *
     * @return how many calls were forgotten
     */
    public int purgeBefore(Instant cutoff) {
        Objects.requireNonNull(cutoff, "cutoff");
        forgetting.lock();
        try {
            return forget(cutoff);
        } finally {
            forgetting.unlock();
        }
    }

    /** Forgets what has expired, at most once a second and unless another thread is doing it already. */
    private void forgetExpired() {
        long now = clock.millis();
        if (now < nextForget || !forgetting.tryLock()) return;
        try {
            nextForget = now + 1_000;
            forget(clock.instant().minus(retention));
        } finally {
            forgetting.unlock();
        }
    }

    private int forget(Instant cutoff) {
        int forgotten = 0;
        for (String callId = done.peek(); callId != null; callId = done.peek()) {
            CallRecord r = calls.get(callId);
            if (r != null && !r.startedAt().isBefore(cutoff)) break;
            done.poll();
            if (r != null && forgetCall(callId)) forgotten++;
        }
        for (Orphan o = orphans.peek(); o != null && o.loggedAt().isBefore(cutoff); o = orphans.peek()) {
            orphans.poll();
            if (!calls.containsKey(o.callId())) events.remove(o.callId());
        }
        synchronized (inbound) {
            int old = 0;
            while (old < inbound.size() && inbound.get(old).receivedAt().isBefore(cutoff)) old++;
            List<InboundMessage> expired = inbound.subList(0, old);
            for (InboundMessage m : expired) {
                m.providerMessageId().ifPresent(id -> inboundKeys.remove(List.of(m.providerId(), id)));
            }
            expired.clear();
        }
        forgetCampaigns(cutoff);
        return forgotten;
    }

    /** Campaigns are few: each pass looks at all of them. */
    private void forgetCampaigns(Instant cutoff) {
        for (Campaign c : campaigns.values()) {
            boolean finished = c.status() == Campaign.Status.COMPLETED || c.status() == Campaign.Status.CANCELED;
            if (!finished || c.completedAt() == null || !c.completedAt().isBefore(cutoff)) continue;
            LinkedHashMap<String, CampaignTarget> of = targets.get(c.campaignId());
            if (of != null) {
                synchronized (of) {
                    // a claimed target's call is still to be counted in its campaign
                    if (of.values().stream().anyMatch(t -> t.state() == CampaignTarget.State.CLAIMED)) continue;
                    targets.remove(c.campaignId(), of);
                }
            }
            campaigns.remove(c.campaignId());
            budgetNeeds.remove(c.campaignId());
            if (c.idempotencyKey() != null) {
                synchronized (campaignKeys) {
                    campaignKeys.remove(new IdempotencyKey(c.customerId(), c.idempotencyKey()), c.campaignId());
                }
            }
        }
    }

    /** Removes a call and what points at it, unless it has been flagged for reconciliation again meanwhile. */
    private boolean forgetCall(String callId) {
        AtomicReference<CallRecord> removed = new AtomicReference<>();
        calls.computeIfPresent(callId, (id, r) -> {
            if (!isDone(r)) return r;
            removed.set(r);
            return null;
        });
        CallRecord r = removed.get();
        if (r == null) return false;
        IdempotencyKey key = idempotencyKey(r);
        if (key != null) byIdempotencyKey.remove(key, callId);
        if (r.providerId() != null && r.providerCallId() != null) {
            byProviderCallId.remove(new ProviderCallKey(r.providerId(), r.providerCallId()), callId);
        }
        // its index entries are the ones with its start time (all in one spot of the order) and its id
        Set<Started> sameStart = newestFirst.subSet(new Started(r.startedAt(), Long.MAX_VALUE, callId), true,
                new Started(r.startedAt(), Long.MIN_VALUE, callId), true);
        Started started = sameStart.stream().filter(s -> s.callId().equals(callId)).findFirst().orElse(null);
        if (started != null) {
            newestFirst.remove(started);
            Set<Started> theirs = byCustomer.get(r.customerId());
            if (theirs != null) theirs.remove(started);
        }
        events.remove(callId);
        return true;
    }

    /** Provider call ids indexed; for tests of the memory bound. */
    int indexedProviderCallIds() {
        return byProviderCallId.size();
    }

    // ---- events ----

    @Override
    public boolean appendEvent(StoredEvent event) {
        Objects.requireNonNull(event, "event");
        AtomicBoolean added = new AtomicBoolean();
        events.compute(event.callId(), (id, log) -> {
            StoredEvent[] past = log == null ? NO_EVENTS : log;
            Map<String, String> data = null;
            for (StoredEvent e : past) {
                if (e.isSameReportAs(event)) return log;
                if (data == null && e.data().equals(event.data())) data = e.data();
            }
            StoredEvent[] next = Arrays.copyOf(past, past.length + 1);
            next[past.length] = withData(event, data != null ? data : details.shared(event.data()));
            added.set(true);
            return next;
        });
        // checked after the append: a call forgotten meanwhile has already dropped its log, so this one is left
        if (added.get() && !calls.containsKey(event.callId())) orphans.add(new Orphan(event.callId(), clock.instant()));
        return added.get();
    }

    private static StoredEvent withData(StoredEvent e, Map<String, String> data) {
        return data == e.data() ? e : new StoredEvent(e.callId(), e.source(), e.type(), e.status(), e.occurredAt(), data);
    }

    @Override
    public List<StoredEvent> events(String callId) {
        Objects.requireNonNull(callId, "callId");
        StoredEvent[] log = events.get(callId);
        return log == null ? List.of() : List.of(log);
    }

    // ---- inbound messages ----

    @Override
    public boolean appendInbound(InboundMessage message) {
        Objects.requireNonNull(message, "message");
        synchronized (inbound) {
            if (message.providerMessageId().isPresent()
                    && !inboundKeys.add(List.of(message.providerId(), message.providerMessageId().get()))) {
                return false;
            }
            inbound.add(message);
            return true;
        }
    }

    @Override
    public List<InboundMessage> findInbound(String from, int limit) {
        if (limit < 1) throw new IllegalArgumentException("limit " + limit + " must be at least 1");
        List<InboundMessage> found = new ArrayList<>();
        synchronized (inbound) {
            for (int i = inbound.size() - 1; i >= 0; i--) {
                InboundMessage m = inbound.get(i);
                if (from == null || m.from().value().equals(from)) found.add(m);
            }
        }
        // stable: messages received at one instant stay newest-appended first
        found.sort(Comparator.comparing(InboundMessage::receivedAt).reversed());
        return List.copyOf(found.subList(0, Math.min(limit, found.size())));
    }

    @Override
    public List<InboundMessage> findInboundForCall(String callId) {
        Objects.requireNonNull(callId, "callId");
        synchronized (inbound) {
            return inbound.stream().filter(m -> m.callId().filter(callId::equals).isPresent()).toList();
        }
    }

    // ---- campaigns ----

    @Override
    public void createCampaign(Campaign campaign) {
        Objects.requireNonNull(campaign, "campaign");
        if (campaign.idempotencyKey() == null) {
            putNewCampaign(campaign);
            return;
        }
        // Under one lock, so a racer that finds the key taken also finds the campaign it names.
        IdempotencyKey key = new IdempotencyKey(campaign.customerId(), campaign.idempotencyKey());
        synchronized (campaignKeys) {
            String existing = campaignKeys.get(key);
            if (existing != null) {
                throw new DuplicateCampaignException(existing, "customer '" + campaign.customerId()
                        + "' already used idempotency key '" + campaign.idempotencyKey() + "' for campaign '" + existing + "'");
            }
            putNewCampaign(campaign);
            campaignKeys.put(key, campaign.campaignId());
        }
    }

    private void putNewCampaign(Campaign campaign) {
        if (campaigns.putIfAbsent(campaign.campaignId(), campaign) != null) {
            throw new IllegalArgumentException("campaign '" + campaign.campaignId() + "' already exists");
        }
    }

    @Override
    public Optional<Campaign> findCampaign(String campaignId) {
        Objects.requireNonNull(campaignId, "campaignId");
        return Optional.ofNullable(campaigns.get(campaignId));
    }

    @Override
    public void updateCampaignStatus(String campaignId, Campaign.Status status, Instant startedAt, Instant completedAt) {
        Objects.requireNonNull(status, "status");
        changeCampaign(campaignId, c -> new Campaign(c.campaignId(), c.customerId(), c.name(), c.category(),
                c.scriptTemplate(), c.totalNumbers(), c.completedCalls(), c.successfulCalls(), c.failedCalls(),
                c.totalCost(), status, c.scheduledAt(), or(startedAt, c.startedAt()),
                or(completedAt, c.completedAt()), c.createdAt(), c.policy(), c.statusReason(), c.idempotencyKey()));
    }

    @Override
    public void recordCampaignOutcome(String campaignId, boolean successful, Money cost) {
        changeCampaign(campaignId, c -> new Campaign(c.campaignId(), c.customerId(), c.name(), c.category(),
                c.scriptTemplate(), c.totalNumbers(), c.completedCalls() + 1,
                c.successfulCalls() + (successful ? 1 : 0), c.failedCalls() + (successful ? 0 : 1),
                cost == null ? c.totalCost() : c.totalCost().plus(cost), c.status(), c.scheduledAt(),
                c.startedAt(), c.completedAt(), c.createdAt(), c.policy(), c.statusReason(), c.idempotencyKey()));
    }

    private void changeCampaign(String campaignId, java.util.function.UnaryOperator<Campaign> change) {
        Objects.requireNonNull(campaignId, "campaignId");
        if (campaigns.computeIfPresent(campaignId, (id, c) -> change.apply(c)) == null) {
            throw new IllegalArgumentException("campaign '" + campaignId + "' is unknown");
        }
    }

    @Override
    public int addTargets(List<CampaignTarget> list) {
        Objects.requireNonNull(list, "targets");
        int added = 0;
        for (CampaignTarget t : list) {
            LinkedHashMap<String, CampaignTarget> of = targetsOf(t.campaignId());
            synchronized (of) {
                if (of.putIfAbsent(t.targetId(), t) == null) added++;
            }
        }
        return added;
    }

    private LinkedHashMap<String, CampaignTarget> targetsOf(String campaignId) {
        return targets.computeIfAbsent(campaignId, id -> new LinkedHashMap<>());
    }

    @Override
    public List<CampaignTarget> claimTargets(String campaignId, int max, String owner, Instant now, Instant leaseUntil) {
        Objects.requireNonNull(campaignId, "campaignId");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(leaseUntil, "leaseUntil");
        requirePositive(max);
        LinkedHashMap<String, CampaignTarget> of = targets.get(campaignId);
        if (of == null) return List.of();
        List<CampaignTarget> claimed = new ArrayList<>();
        synchronized (of) {
            List<CampaignTarget> due = of.values().stream().filter(t -> claimable(t, now))
                    .sorted(Comparator.comparing(CampaignTarget::nextAttemptAt,
                            Comparator.nullsFirst(Comparator.naturalOrder())))
                    .limit(max).toList();
            for (CampaignTarget t : due) {
                CampaignTarget lease = t.with(CampaignTarget.State.CLAIMED, t.attempts(), t.nextAttemptAt(), owner,
                        leaseUntil, t.lastCallId(), t.lastOutcome());
                of.put(t.targetId(), lease);
                claimed.add(lease);
            }
        }
        return claimed;
    }

    @Override
    public List<CampaignTarget> claimTargets(String campaignId, int max, int maxClaimed, String owner, Instant now,
                                             Instant leaseUntil) {
        Objects.requireNonNull(campaignId, "campaignId");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(leaseUntil, "leaseUntil");
        requirePositive(max);
        if (maxClaimed < 0) throw new IllegalArgumentException("maxClaimed " + maxClaimed + " must not be negative");
        LinkedHashMap<String, CampaignTarget> of = targets.get(campaignId);
        if (of == null) return List.of();
        List<CampaignTarget> claimed = new ArrayList<>();
        synchronized (of) {
            long room = maxClaimed - of.values().stream().filter(t -> t.state() == CampaignTarget.State.CLAIMED).count();
            List<CampaignTarget> due = of.values().stream().filter(t -> claimable(t, now))
                    .sorted(Comparator.comparing((CampaignTarget t) -> t.state() != CampaignTarget.State.CLAIMED)
                            .thenComparing(CampaignTarget::nextAttemptAt, Comparator.nullsFirst(Comparator.naturalOrder())))
                    .toList();
            for (CampaignTarget t : due) {
                if (claimed.size() == max) break;
                if (t.state() == CampaignTarget.State.PENDING && room-- <= 0) break;
                CampaignTarget lease = t.with(CampaignTarget.State.CLAIMED, t.attempts(), t.nextAttemptAt(), owner,
                        leaseUntil, t.lastCallId(), t.lastOutcome());
                of.put(t.targetId(), lease);
                claimed.add(lease);
            }
        }
        return claimed;
    }

    @Override
    public List<CampaignTarget> claimLapsedTargets(Set<Campaign.Status> campaignStatuses, int max, String owner,
                                                   Instant now, Instant leaseUntil) {
        Objects.requireNonNull(campaignStatuses, "campaignStatuses");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(leaseUntil, "leaseUntil");
        requirePositive(max);
        List<CampaignTarget> claimed = new ArrayList<>();
        for (Campaign c : campaigns.values()) {
            if (claimed.size() == max) break;
            LinkedHashMap<String, CampaignTarget> of = campaignStatuses.contains(c.status()) ? targets.get(c.campaignId()) : null;
            if (of == null) continue;
            synchronized (of) {
                for (CampaignTarget t : List.copyOf(of.values())) {
                    if (claimed.size() == max) break;
                    boolean lapsed = t.leaseUntil() != null && !t.leaseUntil().isAfter(now);
                    if (t.state() != CampaignTarget.State.CLAIMED || !lapsed) continue;
                    CampaignTarget lease = t.with(CampaignTarget.State.CLAIMED, t.attempts(), t.nextAttemptAt(), owner,
                            leaseUntil, t.lastCallId(), t.lastOutcome());
                    of.put(t.targetId(), lease);
                    claimed.add(lease);
                }
            }
        }
        return claimed;
    }

    @Override
    public boolean renewLease(String campaignId, String targetId, String owner, int attempts, Instant leaseUntil) {
        Objects.requireNonNull(campaignId, "campaignId");
        Objects.requireNonNull(targetId, "targetId");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(leaseUntil, "leaseUntil");
        LinkedHashMap<String, CampaignTarget> of = targets.get(campaignId);
        if (of == null) return false;
        synchronized (of) {
            CampaignTarget t = of.get(targetId);
            if (t == null || t.state() != CampaignTarget.State.CLAIMED || !owner.equals(t.leaseOwner())
                    || t.attempts() != attempts) {
                return false;
            }
            of.put(targetId, t.with(t.state(), t.attempts(), t.nextAttemptAt(), owner, leaseUntil, t.lastCallId(),
                    t.lastOutcome()));
            return true;
        }
    }

    private static boolean claimable(CampaignTarget t, Instant now) {
        return switch (t.state()) {
            case PENDING -> t.nextAttemptAt() == null || !t.nextAttemptAt().isAfter(now);
            case CLAIMED -> t.leaseUntil() == null || !t.leaseUntil().isAfter(now);
            default -> false;
        };
    }

    @Override
    public void updateTarget(CampaignTarget target) {
        Objects.requireNonNull(target, "target");
        LinkedHashMap<String, CampaignTarget> of = targets.get(target.campaignId());
        CampaignTarget current = null;
        if (of != null) {
            synchronized (of) {
                current = of.get(target.targetId());
                if (current != null) {
                    of.put(target.targetId(), replaced(current, target));
                }
            }
        }
        if (current == null) {
            throw new IllegalArgumentException("target '" + target.targetId() + "' of campaign '"
                    + target.campaignId() + "' is unknown");
        }
    }

    @Override
    public List<CampaignTarget> targets(String campaignId) {
        Objects.requireNonNull(campaignId, "campaignId");
        LinkedHashMap<String, CampaignTarget> of = targets.get(campaignId);
        if (of == null) return List.of();
        synchronized (of) {
            return List.copyOf(of.values());
        }
    }

    @Override
    public Map<String, Integer> countPendingTargetsByZone(String campaignId) {
        Objects.requireNonNull(campaignId, "campaignId");
        LinkedHashMap<String, CampaignTarget> of = targets.get(campaignId);
        Map<String, Integer> counts = new HashMap<>();
        if (of == null) return counts;
        synchronized (of) {
            for (CampaignTarget t : of.values()) {
                if (t.state() == CampaignTarget.State.PENDING) {
                    counts.merge(t.timeZone() != null ? t.timeZone() : t.toNumber(), 1, Integer::sum);
                }
            }
        }
        return counts;
    }

    /** The stored target with the changeable fields of {@code next}; its number, variables and zone stay. */
    private static CampaignTarget replaced(CampaignTarget current, CampaignTarget next) {
        return current.with(next.state(), next.attempts(), next.nextAttemptAt(), next.leaseOwner(), next.leaseUntil(),
                next.lastCallId(), next.lastOutcome());
    }

    @Override
    public Optional<CampaignTarget> findTarget(String campaignId, String targetId) {
        Objects.requireNonNull(campaignId, "campaignId");
        Objects.requireNonNull(targetId, "targetId");
        LinkedHashMap<String, CampaignTarget> of = targets.get(campaignId);
        if (of == null) return Optional.empty();
        synchronized (of) {
            return Optional.ofNullable(of.get(targetId));
        }
    }

    @Override
    public List<Campaign> findCampaigns(Campaign.Status status, @Nullable Campaign after, int limit) {
        Objects.requireNonNull(status, "status");
        requirePositive(limit);
        Comparator<Campaign> order = Comparator.comparing(Campaign::createdAt).thenComparing(Campaign::campaignId);
        return campaigns.values().stream().filter(c -> c.status() == status)
                .filter(c -> after == null || order.compare(c, after) > 0)
                .sorted(order).limit(limit).toList();
    }

    @Override
    public List<Campaign> findDueCampaigns(Instant now, int limit) {
        Objects.requireNonNull(now, "now");
        requirePositive(limit);
        return campaigns.values().stream().filter(c -> c.status() == Campaign.Status.SCHEDULED)
                .filter(c -> c.scheduledAt() != null && !c.scheduledAt().isAfter(now))
                .sorted(Comparator.comparing(Campaign::scheduledAt).thenComparing(Campaign::createdAt)
                        .thenComparing(Campaign::campaignId))
                .limit(limit).toList();
    }

    @Override
    public List<Campaign> findCampaignsByCustomer(@Nullable String customerId, int limit) {
        if (limit < 1 || limit > MAX_CUSTOMER_CAMPAIGNS) {
            throw new IllegalArgumentException("limit " + limit + " must be between 1 and " + MAX_CUSTOMER_CAMPAIGNS);
        }
        return campaigns.values().stream().filter(c -> customerId == null || c.customerId().equals(customerId))
                .sorted(Comparator.comparing(Campaign::createdAt).thenComparing(Campaign::campaignId).reversed())
                .limit(limit).toList();
    }

    @Override
    public boolean changeCampaignStatus(String campaignId, Set<Campaign.Status> from, Campaign.Status to,
                                        @Nullable String reason, @Nullable Instant startedAt,
                                        @Nullable Instant completedAt) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        boolean[] moved = {false};
        changeCampaign(campaignId, c -> {
            if (!from.contains(c.status())) return c;
            moved[0] = true;
            return new Campaign(c.campaignId(), c.customerId(), c.name(), c.category(), c.scriptTemplate(),
                    c.totalNumbers(), c.completedCalls(), c.successfulCalls(), c.failedCalls(), c.totalCost(), to,
                    c.scheduledAt(), or(startedAt, c.startedAt()), or(completedAt, c.completedAt()), c.createdAt(),
                    c.policy(), reason, c.idempotencyKey());
        });
        return moved[0];
    }

    @Override
    public void setCampaignTotal(String campaignId, int totalNumbers) {
        changeCampaign(campaignId, c -> new Campaign(c.campaignId(), c.customerId(), c.name(), c.category(),
                c.scriptTemplate(), totalNumbers, c.completedCalls(), c.successfulCalls(), c.failedCalls(),
                c.totalCost(), c.status(), c.scheduledAt(), c.startedAt(), c.completedAt(), c.createdAt(), c.policy(),
                c.statusReason(), c.idempotencyKey()));
    }

    @Override
    public void setCampaignBudgetNeed(String campaignId, @Nullable Money hold) {
        // under the campaign's entry, so that it is never kept for a campaign that is gone
        changeCampaign(campaignId, c -> {
            if (hold == null) {
                budgetNeeds.remove(campaignId);
            } else {
                budgetNeeds.put(campaignId, hold);
            }
            return c;
        });
    }

    @Override
    public Optional<Money> findCampaignBudgetNeed(String campaignId) {
        Objects.requireNonNull(campaignId, "campaignId");
        return Optional.ofNullable(budgetNeeds.get(campaignId));
    }

    @Override
    public boolean updateTargetIf(CampaignTarget target, CampaignTarget.State expectedState, int expectedAttempts) {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(expectedState, "expectedState");
        LinkedHashMap<String, CampaignTarget> of = targets.get(target.campaignId());
        if (of == null) return false;
        synchronized (of) {
            CampaignTarget current = of.get(target.targetId());
            if (current == null || current.state() != expectedState || current.attempts() != expectedAttempts) {
                return false;
            }
            of.put(target.targetId(), replaced(current, target));
            return true;
        }
    }

    @Override
    public boolean finishTarget(CampaignTarget target, int expectedAttempts, boolean counted, boolean successful,
                                @Nullable Money cost) {
        Objects.requireNonNull(target, "target");
        if (!target.isFinished()) {
            throw new IllegalArgumentException("state " + target.state() + " does not finish a target");
        }
        LinkedHashMap<String, CampaignTarget> of = targets.get(target.campaignId());
        if (of == null) return false;
        // the target's monitor is held while the counters change, so no reader sees one without the other
        synchronized (of) {
            CampaignTarget current = of.get(target.targetId());
            if (current == null || current.isFinished() || current.attempts() != expectedAttempts) return false;
            if (counted) {
                recordCampaignOutcome(target.campaignId(), successful, cost);
            } else if (cost != null) {
                changeCampaign(target.campaignId(), c -> new Campaign(c.campaignId(), c.customerId(), c.name(),
                        c.category(), c.scriptTemplate(), c.totalNumbers(), c.completedCalls(), c.successfulCalls(),
                        c.failedCalls(), c.totalCost().plus(cost), c.status(), c.scheduledAt(), c.startedAt(),
                        c.completedAt(), c.createdAt(), c.policy(), c.statusReason(), c.idempotencyKey()));
            }
            of.put(target.targetId(), replaced(current, target));
            return true;
        }
    }

    @Override
    public TargetCounts countTargets(String campaignId) {
        Objects.requireNonNull(campaignId, "campaignId");
        LinkedHashMap<String, CampaignTarget> of = targets.get(campaignId);
        if (of == null) return TargetCounts.NONE;
        int pending = 0, claimed = 0, inFlight = 0, done = 0, failed = 0, skipped = 0, retrying = 0;
        long attempts = 0;
        synchronized (of) {
            for (CampaignTarget t : of.values()) {
                attempts += t.attempts();
                switch (t.state()) {
                    case PENDING -> {
                        pending++;
                        if (t.attempts() > 0) retrying++;
                    }
                    case CLAIMED -> {
                        claimed++;
                        if (t.attemptUnderWay()) inFlight++;
                    }
                    case DONE -> done++;
                    case FAILED -> failed++;
                    case SKIPPED -> skipped++;
                }
            }
            return new TargetCounts(of.size(), pending, claimed, inFlight, done, failed, skipped, retrying, attempts);
        }
    }

    @Override
    public List<CampaignTarget> targets(String campaignId, int offset, int limit) {
        Objects.requireNonNull(campaignId, "campaignId");
        if (offset < 0) throw new IllegalArgumentException("offset " + offset + " must not be negative");
        requirePositive(limit);
        LinkedHashMap<String, CampaignTarget> of = targets.get(campaignId);
        if (of == null) return List.of();
        synchronized (of) {
            return of.values().stream().skip(offset).limit(limit).toList();
        }
    }

    @Override
    public boolean suppress(String customerId, String number) {
        return suppressed.add(suppressionKey(customerId, number));
    }

    @Override
    public boolean unsuppress(String customerId, String number) {
        return suppressed.remove(suppressionKey(customerId, number));
    }

    @Override
    public boolean isSuppressed(String customerId, String number) {
        return suppressed.contains(suppressionKey(customerId, number));
    }

    private static String suppressionKey(String customerId, String number) {
        return Objects.requireNonNull(customerId, "customerId") + "\n" + Objects.requireNonNull(number, "number");
    }
    // ---- statistics ----

    /** Groups the calls as the database stores' GROUP BY does, then adds them up the same way. */
    @Override
    public CallStats stats(Instant since) {
        Objects.requireNonNull(since, "since");
        record Key(CallCategory category, long epochHour, @Nullable Currency currency) {
        }
        Map<Key, CallStats.Group> groups = new HashMap<>();
        for (CallRecord r : calls.values()) {
            if (r.startedAt().isBefore(since)) continue;
            Money cost = r.cost();
            Key key = new Key(r.category(), Math.floorDiv(r.startedAt().getEpochSecond(), 3600),
                    cost == null ? null : cost.currency());
            groups.merge(key, new CallStats.Group(key.category(), key.epochHour(), key.currency(), 1,
                            cost == null ? null : cost.amount()),
                    (a, b) -> new CallStats.Group(a.category(), a.epochHour(), a.currency(), a.calls() + b.calls(),
                            a.cost() == null ? null : a.cost().add(b.cost())));
        }
        return CallStats.of(since, List.copyOf(groups.values()));
    }
}
