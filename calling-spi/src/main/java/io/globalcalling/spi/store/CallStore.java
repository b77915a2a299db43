package io.globalcalling.spi.store;

import io.globalcalling.CallRecord;

import io.globalcalling.CallStatus;
import io.globalcalling.InboundMessage;
import io.globalcalling.Money;
import io.globalcalling.Secret;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Where calls, their events and campaigns are kept. Implementations are thread-safe, and a store
 * shared by several application nodes (a database) is correct across them: status updates are
 * conditional, campaign claims never hand one target to two workers.
 *
 * <p>Every implementation must pass {@code io.globalcalling.testkit.CallStoreContract}.
 */
public interface CallStore extends AutoCloseable {

    /** The most calls {@link #findByCustomer} returns at once. */
    int MAX_CUSTOMER_CALLS = 1000;

    /** The most campaigns {@link #findCampaignsByCustomer} returns at once. */
    int MAX_CUSTOMER_CAMPAIGNS = 1000;

    /** How long the SDK's stores keep a call that can no longer change unless told otherwise: 90 days. */
    Duration DEFAULT_RETENTION = Duration.ofDays(90);

    // ---- call records ----

    /**
     * Writes a new record.
     *
     * @throws DuplicateCallException when the call id, or the customer's idempotency key, is taken;
     *                                the existing call id is in the exception
     */
    void create(CallRecord record);

    Optional<CallRecord> find(String callId);

    /**
     * The records of those of {@code callIds} that are on record, each once, in no particular order (an unknown id is
     * left out): a node waiting for many calls to end reads them together. The default finds them one by one; a store
     * should read them in one go.
     */
    default List<CallRecord> findByCallIds(Collection<String> callIds) {
        return Objects.requireNonNull(callIds, "callIds").stream().distinct().map(this::find)
                .flatMap(Optional::stream).toList();
    }

    Optional<CallRecord> findByIdempotencyKey(String customerId, String idempotencyKey);

    /**
     * The secret the manager keys each keyed call's {@linkplain CallRecord#requestFingerprint() request fingerprint}
     * with (HMAC-SHA256), so that a fingerprint lets no one who lacks it confirm a guessed number or script. A store
     * that offers one keeps every record's fingerprint as it was created, and its secret is the same for every node
     * that shares the store and stays the same for as long as the store keeps calls: under another secret, a retry
     * would be told its key was used for another request. The default offers none: the store keeps no fingerprint,
     * and a request under a key on record is compared with what its record keeps (destination, pinned category,
     * caller id, purpose, priority and metadata).
     */
    default Optional<Secret> requestFingerprintKey() {
        return Optional.empty();
    }

    Optional<CallRecord> findByProviderCallId(String providerId, String providerCallId);

    /**
     * Applies an update as {@link CallUpdate} describes: the status only when it moves the call
     * forward, the other non-null fields while the record is not terminal (an update that makes it
     * terminal included), and once it is terminal only what is not billed: the cost once while it is
     * null, the {@code needsReconciliation} flag, the error, a recording, transcript or sentiment.
     * Atomic per call, across nodes too: the check of the record's state and the write are one step.
     *
     * @return true when the status moved; false when it did not (unknown call, or no forward move)
     */
    boolean update(CallUpdate update);

    /**
     * {@link #update} and the record as it is after it, which the manager reads after each update of a call it moves
     * or settles. The default updates, then {@linkplain #find finds} the call; a store whose database can return the
     * row its update wrote (an {@code UPDATE ... RETURNING}) should, saving that read.
     */
    default Updated updateAndFind(CallUpdate update) {
        boolean moved = update(update);
        return new Updated(moved, find(update.callId()));
    }

    /**
     * {@link #appendEvent} of {@code event} and {@link #updateAndFind} of {@code update}, both of one call, whatever
     * the append returned (a report delivered again moves the call as it did the first time, which changes nothing):
     * how the manager records a provider's report, and a call its provider took. The default runs the two in turn;
     * a store that can should write both in one transaction, one commit where there were two.
     *
     * @throws IllegalArgumentException when the event and the update are of different calls
     */
    default Updated appendEventAndUpdate(StoredEvent event, CallUpdate update) {
        if (!event.callId().equals(update.callId())) {
            throw new IllegalArgumentException("event of call '" + event.callId() + "' and update of call '"
                    + update.callId() + "': one call's, both");
        }
        appendEvent(event);
        return updateAndFind(update);
    }

    /**
     * What {@link #updateAndFind} did: whether the status moved, as {@link #update} says, and the record after the
     * update (empty for a call not on record).
     */
    record Updated(boolean moved, Optional<CallRecord> record) {
        public Updated {
            Objects.requireNonNull(record, "record");
        }
    }

    /** The newest calls first, by {@code startedAt}. */
    List<CallRecord> recent(int limit);

    /** Calls to or from the number (as stored: E.164, sip:, URL or imei:), newest first. */
    List<CallRecord> findByNumber(String number, int limit);

    List<CallRecord> findByStatus(CallStatus status, int limit);

    /**
     * One customer's calls, newest first by {@code startedAt}, however many calls other customers have placed
     * since: all of them, or only those with {@code status}, to or from {@code number} (as stored: E.164, sip:,
     * URL or imei:), or both.
     *
     * @param status null for every status
     * @param number null for every number
     * @param limit  how many at most, 1 to {@link #MAX_CUSTOMER_CALLS}
     * @throws IllegalArgumentException when the limit is outside 1 to {@link #MAX_CUSTOMER_CALLS}
     */
    List<CallRecord> findByCustomer(String customerId, @Nullable CallStatus status, @Nullable String number, int limit);

    /** Calls whose placement outcome is unknown, oldest first: the first page of {@link #findNeedingReconciliation(CallRecord, int)}. */
    default List<CallRecord> findNeedingReconciliation(int limit) {
        return findNeedingReconciliation(null, limit);
    }

    /**
     * Calls whose placement outcome is unknown, oldest first by {@code startedAt} then call id: those after
     * {@code after} in that order (the last call of the page before), or from the oldest when it is null. The
     * reconciler reads them a page a pass, so that calls it cannot resolve never keep it from newer ones.
     */
    List<CallRecord> findNeedingReconciliation(@Nullable CallRecord after, int limit);

    /** The first page of {@link #findUnendedBefore(Instant, CallRecord, int)}. */
    default List<CallRecord> findUnendedBefore(Instant cutoff, int limit) {
        return findUnendedBefore(cutoff, null, limit);
    }

    /**
     * Calls started before {@code cutoff} that have not ended and wait for no reconciliation, oldest first by
     * {@code startedAt} then call id, after {@code after} in that order when it is not null: those whose end should
     * have been reported by then ({@code GlobalCallingManager.reconcile()} asks their providers, a page a pass).
     */
    List<CallRecord> findUnendedBefore(Instant cutoff, @Nullable CallRecord after, int limit);

    /**
     * The calls started at or after {@code since}, ended or not, oldest first by {@code startedAt} then call id:
     * those after {@code after} in that order (the last call of the page before), or from {@code since} when it is
     * null; one customer's, or every customer's when {@code customerId} is null. A node following calls' status
     * changes ({@code calls().follow}) reads the calls another node placed since its last read this way. The default
     * reads the newest calls ({@link #recent}), more each time, until it reaches back before {@code since}; a store
     * should read them by its index on {@code startedAt}.
     *
     * @param customerId null for every customer
     * @param limit      how many at most, at least 1
     */
    default List<CallRecord> findStartedSince(Instant since, @Nullable String customerId, @Nullable CallRecord after,
                                              int limit) {
        Objects.requireNonNull(since, "since");
        if (limit < 1) throw new IllegalArgumentException("limit " + limit + " must be at least 1");
        List<CallRecord> newest;
        for (int n = 256; ; n *= 2) {
            newest = recent(n);
            if (newest.size() < n || newest.get(n - 1).startedAt().isBefore(since) || n > Integer.MAX_VALUE / 4) break;
        }
        Comparator<CallRecord> oldestFirst = Comparator.comparing(CallRecord::startedAt)
                .thenComparing(CallRecord::callId);
        return newest.stream().filter(r -> !r.startedAt().isBefore(since))
                .filter(r -> customerId == null || customerId.equals(r.customerId()))
                .filter(r -> after == null || oldestFirst.compare(r, after) > 0)
                .sorted(oldestFirst).limit(limit).toList();
    }

    /**
     * How many calls' placement outcome is unknown, all of them (for gauges). The default lists them; a store
     * should count them where they are kept instead.
     */
    default int countNeedingReconciliation() {
        return findNeedingReconciliation(Integer.MAX_VALUE).size();
    }

    // ---- events (append-only) ----

    /**
     * Appends an event to its call's log unless the log already holds the same report, one with the
     * same {@link StoredEvent#dedupKey()}: a replayed callback is stored once. Atomic, across nodes too.
     *
     * @return true when the event was new and stored; false when it was already there
     */
    boolean appendEvent(StoredEvent event);

    /** A call's events in the order they were appended. */
    List<StoredEvent> events(String callId);

    /**
     * The events of each of {@code callIds}, by call id, each call's as {@link #events(String)} gives them (in the
     * order they were appended; an empty list for a call with none, or not on record): for a reader of many calls'
     * logs at once, as the status feed is after a poll, of each call that may have passed a status since the one
     * before. The default reads them one by one; a store should read them in one go.
     */
    default Map<String, List<StoredEvent>> events(Collection<String> callIds) {
        Map<String, List<StoredEvent>> logs = new LinkedHashMap<>();
        for (String callId : Objects.requireNonNull(callIds, "callIds")) {
            logs.computeIfAbsent(Objects.requireNonNull(callId, "callId"), this::events);
        }
        return logs;
    }

    // ---- inbound messages (append-only) ----

    /**
     * Keeps a message a terminal sent, whether or not it belongs to a call, unless the store already
     * holds one from the same provider with the same {@link InboundMessage#providerMessageId()}: a
     * redelivered message is kept once. Atomic, across nodes too.
     *
     * @return true when the message was new and stored; false when it was already there
     */
    boolean appendInbound(InboundMessage message);

    /**
     * The newest messages first, by {@code receivedAt}: those from the endpoint {@code from} (as stored:
     * E.164, sip:, URL or imei:), or from every endpoint when {@code from} is null.
     */
    List<InboundMessage> findInbound(String from, int limit);

    /** The messages that refer to our call {@code callId}, oldest first. */
    List<InboundMessage> findInboundForCall(String callId);

    // ---- campaigns ----

    /**
     * Writes a new campaign. A campaign with an {@link Campaign#idempotencyKey()} is written only when its
     * customer has no campaign under that key: checking and writing are one atomic step, across nodes too, so
     * racing creates with one key leave one campaign.
     *
     * @throws IllegalArgumentException    when the campaign id is taken
     * @throws DuplicateCampaignException when the customer's idempotency key is taken; the existing campaign id
     *                                    is in the exception
     */
    void createCampaign(Campaign campaign);

    Optional<Campaign> findCampaign(String campaignId);

    /** Sets the status and, when not null, startedAt / completedAt. */
    void updateCampaignStatus(String campaignId, Campaign.Status status, @Nullable Instant startedAt,
                              @Nullable Instant completedAt);

    /** Counts one finished call in the campaign's counters, atomically. */
    void recordCampaignOutcome(String campaignId, boolean successful, Money cost);

    /** Adds targets; a target id already present is skipped. Returns how many were added. */
    int addTargets(List<CampaignTarget> targets);

    /**
     * Leases up to {@code max} targets that are PENDING and due ({@code nextAttemptAt <= now}), or
     * CLAIMED with a lapsed lease, to {@code owner} until {@code leaseUntil}. No target is ever
     * handed to two owners at once.
     */
    List<CampaignTarget> claimTargets(String campaignId, int max, String owner, Instant now, Instant leaseUntil);

    /**
     * Like {@link #claimTargets(String, int, String, Instant, Instant)}, but a PENDING target is claimed only
     * while the campaign's CLAIMED targets (its attempts in flight, lapsed leases included) stay at most
     * {@code maxClaimed}: counting and claiming are one atomic step, across nodes too, so the cap is never
     * passed. A lapsed lease is taken over whatever the count: it is counted already. A claim ends, and its
     * place frees, exactly once, when a conditional update moves the target out of CLAIMED.
     */
    List<CampaignTarget> claimTargets(String campaignId, int max, int maxClaimed, String owner, Instant now,
                                      Instant leaseUntil);

    /**
     * Leases up to {@code max} CLAIMED targets whose lease lapsed (their node died), across the campaigns whose
     * status is one of {@code campaignStatuses}, to {@code owner} until {@code leaseUntil}: the campaigns a
     * scheduling pass no longer works (paused, cancelled) still have their attempts followed to their end.
     * No target is ever handed to two owners at once; each one leased is left alone by the next call until its
     * new lease lapses in turn, so {@code max} per call reaches them all.
     */
    List<CampaignTarget> claimLapsedTargets(Set<Campaign.Status> campaignStatuses, int max, String owner, Instant now,
                                            Instant leaseUntil);

    /**
     * Extends the lease of a target {@code owner} still holds for attempt {@code attempts} to {@code leaseUntil}: a
     * node renews it while a placement that may outlast the lease runs, so that no other node takes the target over
     * (and follows its call up as one whose node died) meanwhile. Only while the target is CLAIMED by {@code owner}
     * with {@code attempts}, in one atomic step, across nodes too.
     *
     * @return true when it was renewed; false when another owner holds it or it moved on (no longer claimed, another
     *         attempt): the caller no longer holds it and must leave the target to whoever does
     */
    boolean renewLease(String campaignId, String targetId, String owner, int attempts, Instant leaseUntil);

    /** Replaces a target's state, attempts, next attempt, lease, last call and outcome. */
    void updateTarget(CampaignTarget target);

    List<CampaignTarget> targets(String campaignId);

    Optional<CampaignTarget> findTarget(String campaignId, String targetId);

    /**
     * The campaigns with {@code status}, oldest first, at most {@code limit}: the first page of
     * {@link #findCampaigns(Campaign.Status, Campaign, int)}.
     */
    default List<Campaign> findCampaigns(Campaign.Status status, int limit) {
        return findCampaigns(status, null, limit);
    }

    /**
     * The campaigns with {@code status}, oldest first by {@code createdAt} then campaign id: those after
     * {@code after} in that order (the last campaign of the page before), or from the oldest when it is null. The
     * scheduling pass reads them a page a pass, so that however many there are, each is served in turn.
     */
    List<Campaign> findCampaigns(Campaign.Status status, @Nullable Campaign after, int limit);

    /**
     * The SCHEDULED campaigns whose start time ({@code scheduledAt}) is at or before {@code now}, earliest first,
     * at most {@code limit}: those due to start, however many are scheduled for later.
     */
    List<Campaign> findDueCampaigns(Instant now, int limit);

    /**
     * The newest campaigns first, by {@code createdAt} then campaign id (descending): one customer's, or every
     * customer's when {@code customerId} is null.
     *
     * @param customerId null for every customer
     * @param limit      how many at most, 1 to {@link #MAX_CUSTOMER_CAMPAIGNS}
     * @throws IllegalArgumentException when the limit is outside 1 to {@link #MAX_CUSTOMER_CAMPAIGNS}
     */
    List<Campaign> findCampaignsByCustomer(@Nullable String customerId, int limit);

    /**
     * Moves a campaign to {@code to} only when its status is one of {@code from}; sets the reason (null
     * clears it) and, when not null, startedAt / completedAt. Atomic, across nodes too: of racing
     * callers exactly one moves it.
     *
     * @return true when it moved; false when its status was not in {@code from}
     * @throws IllegalArgumentException when the campaign is unknown
     */
    boolean changeCampaignStatus(String campaignId, Set<Campaign.Status> from, Campaign.Status to,
                                 @Nullable String reason, @Nullable Instant startedAt, @Nullable Instant completedAt);

    /** Sets the campaign's number of targets. */
    void setCampaignTotal(String campaignId, int totalNumbers);

    /**
     * Keeps with the campaign the spend hold its customer's budget refused as it paused the campaign ({@code null}
     * forgets it), so that whichever node finds the campaign paused by its budget resumes it only once every budget
     * period has room for that hold. The default keeps nothing: each node then learns the hold from its own refusal
     * (one refused attempt per node). A store several nodes share should keep it.
     *
     * @throws IllegalArgumentException when the campaign is unknown (a store that keeps it)
     */
    default void setCampaignBudgetNeed(String campaignId, @Nullable Money hold) {
    }

    /**
     * The spend hold {@link #setCampaignBudgetNeed} kept for the campaign; empty when none is kept (or the store keeps
     * none: the default).
     */
    default Optional<Money> findCampaignBudgetNeed(String campaignId) {
        return Optional.empty();
    }

    /**
     * Replaces the target's state, attempts, next attempt, lease, last call and outcome only while it
     * still has {@code expectedState} and {@code expectedAttempts}: a compare-and-set, atomic across nodes.
     *
     * @return true when it was replaced
     */
    boolean updateTargetIf(CampaignTarget target, CampaignTarget.State expectedState, int expectedAttempts);

    /**
     * Finishes a target (its new state is DONE, FAILED or SKIPPED), adds {@code cost} (what its attempts
     * cost, when known) to the campaign's total cost and, when {@code counted}, counts it in the campaign's
     * completed and successful or failed calls, in one atomic step and only
     * while the target is unfinished with {@code expectedAttempts}: an outcome is counted exactly once,
     * however many nodes learn of it.
     *
     * @return true when this call finished it
     */
    boolean finishTarget(CampaignTarget target, int expectedAttempts, boolean counted, boolean successful,
                         @Nullable Money cost);

    /** How the campaign's targets stand. */
    TargetCounts countTargets(String campaignId);

    /**
     * The campaign's pending targets counted by where they ring: by their time zone, or by their number when
     * they have none (keys of numbers start with {@code +}, as among time zones only an offset such as {@code +05:30}
     * does). For dashboards: one GROUP BY read instead of every target. The default reads the targets; a store
     * should count them.
     */
    default Map<String, Integer> countPendingTargetsByZone(String campaignId) {
        Map<String, Integer> counts = new HashMap<>();
        for (CampaignTarget t : targets(campaignId)) {
            if (t.state() == CampaignTarget.State.PENDING) {
                counts.merge(t.timeZone() != null ? t.timeZone() : t.toNumber(), 1, Integer::sum);
            }
        }
        return counts;
    }

    /** One page of the campaign's targets, in the order they were added. */
    List<CampaignTarget> targets(String campaignId, int offset, int limit);

    // ---- suppression (do-not-call) list ----

    /** Puts {@code number} on the customer's do-not-call list; true when it was not there. */
    boolean suppress(String customerId, String number);

    /** Takes {@code number} off the customer's do-not-call list; true when it was there. */
    boolean unsuppress(String customerId, String number);

    boolean isSuppressed(String customerId, String number);

    // ---- statistics ----

    /**
     * What the calls started at or after {@code since} add up to: per category their number and settled cost,
     * and per UTC clock hour their number (one GROUP BY read, for dashboards).
     */
    CallStats stats(Instant since);

    @Override
    default void close() {
    }
}
