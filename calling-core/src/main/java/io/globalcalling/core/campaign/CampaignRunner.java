package io.globalcalling.core.campaign;

import io.globalcalling.CallRecord;
import io.globalcalling.CallRequest;
import io.globalcalling.CallStatus;
import io.globalcalling.CallingException;
import io.globalcalling.ErrorReason;
import io.globalcalling.Money;
import io.globalcalling.PhoneNumber;
import io.globalcalling.core.CallFailedException;
import io.globalcalling.core.Subscription;
import io.globalcalling.core.campaign.internal.RecipientZones;
import io.globalcalling.core.cost.CostEstimator;
import io.globalcalling.core.lifecycle.CallLifecycle;
import io.globalcalling.core.lifecycle.Reconciler;
import io.globalcalling.core.limits.CallLimits;
import io.globalcalling.core.limits.LimitExceededException;
import io.globalcalling.core.placement.CallPlacer;
import io.globalcalling.spi.CallEvent;
import io.globalcalling.spi.store.CallStore;
import io.globalcalling.spi.store.CallUpdate;
import io.globalcalling.spi.store.Campaign;
import io.globalcalling.spi.store.CampaignTarget;
import io.globalcalling.spi.store.LimitLedger;
import io.globalcalling.spi.store.StoreException;
import io.globalcalling.spi.store.TargetCounts;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Runs campaigns on one node. Each attempt follows the outbox rule: the target's attempt number is
 * raised in the store (a compare-and-set) before the call is placed, and the call carries the
 * idempotency key {@code campaign:<id>:<number>:<attempt>}, so its record is written before any provider
 * is asked and can always be found again. A target whose lease lapsed mid-attempt (its node died: a live
 * node renews the lease while the call is placed) is picked up by any node: no record means no provider
 * was asked and the same attempt is placed; a record is followed to its end, and one whose placement may
 * have been sent without an answer is handed to reconciliation, never dialled again blindly. This holds
 * for paused and cancelled campaigns too, whose lapsed leases every pass takes up although it places none
 * of their calls.
 */
final class CampaignRunner implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CampaignRunner.class);
    static final String BUDGET = "budget: ";
    /** How the reason of a campaign paused by a provider outage starts; the host resumes it. */
    static final String OUTAGE = "outage: ";
    /** The longest a target waits after its call was refused by every provider, unless its policy's delay is longer. */
    private static final Duration OUTAGE_BACKOFF_MAX = Duration.ofMinutes(15);
    /** The call record's metadata keys naming its campaign target and attempt. */
    static final String TARGET = "campaignTarget";
    static final String ATTEMPT = "campaignAttempt";
    private static final int PAGE = 500;
    private static final int CAMPAIGNS_PER_PASS = 100;
    /** The most lapsed leases of paused and cancelled campaigns one pass takes up. */
    private static final int LAPSED_PER_PASS = 20;
    /** The campaigns a pass does not work, whose lapsed attempts it still follows to their end. */
    private static final Set<Campaign.Status> HALTED = Set.of(Campaign.Status.PAUSED, Campaign.Status.CANCELED);
    /** The most openings and closings an estimate of the time left walks through (beyond, it counts all time open). */
    private static final int MAX_WINDOW_STEPS = 10_000;

    private final CallStore store;
    private final CallPlacer placer;
    private final Reconciler reconciler;
    private final CallLifecycle lifecycle;
    private final LimitLedger ledger;
    private final CallLimits limits;
    private final CostEstimator estimator;
    private final Consumer<String> hangUp;
    private final Clock clock;
    private final String nodeId;
    private final Duration lease;
    private final ExecutorService workers;
    /** Renews the leases of the targets whose calls are being placed; see {@link Heartbeat}. */
    private final ScheduledThreadPoolExecutor heartbeats;
    private final List<Consumer<? super CampaignEvent>> listeners = new CopyOnWriteArrayList<>();
    /** Per campaign: the epoch second whose pace this node found used up, so it claims nothing more in it. */
    private final Map<String, Long> pacedOut = new ConcurrentHashMap<>();
    private final List<Subscription> subscriptions = new ArrayList<>();
    /**
     * Per campaign paused by a budget here: the hold the budget refused, for a store that keeps none (the store keeps
     * it for every node; see {@link CallStore#setCampaignBudgetNeed}).
     */
    private final Map<String, Money> budgetNeeds = new ConcurrentHashMap<>();
    /**
     * Per running campaign: the targets whose calls every provider refused since a provider last took one of its calls
     * placed here; {@link CampaignPolicy#outagePause()} of them pause the campaign.
     */
    private final Map<String, Set<String>> outageStreaks = new ConcurrentHashMap<>();
    /** Where the next pass goes on among the paused and the running campaigns (null: from the oldest). */
    private final AtomicReference<@Nullable Campaign> nextPaused = new AtomicReference<>();
    private final AtomicReference<@Nullable Campaign> nextRunning = new AtomicReference<>();
    private volatile @Nullable RecipientZones zones;
    private @Nullable ScheduledExecutorService scheduler;
    /** Looks for another node's campaign until the scheduler starts; see {@link #lookOutUntilScheduled}. */
    private @Nullable ScheduledFuture<?> lookout;

    CampaignRunner(CampaignParts p) {
        this.store = p.store();
        this.placer = p.placer();
        this.reconciler = p.reconciler();
        this.lifecycle = p.lifecycle();
        this.ledger = p.ledger();
        this.limits = p.limits();
        this.estimator = p.estimator();
        this.hangUp = p.hangUp();
        this.clock = p.clock();
        this.nodeId = p.nodeId();
        this.lease = p.lease();
        AtomicInteger n = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(p.workers(), r -> {
            Thread t = new Thread(r, "calling-campaign-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.heartbeats = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "calling-campaign-lease");
            t.setDaemon(true);
            return t;
        });
        heartbeats.setRemoveOnCancelPolicy(true);
        subscriptions.add(lifecycle.onSettled(this::callEndedQuietly));
        subscriptions.add(lifecycle.onEvent(this::eventAppliedQuietly));
    }

    // ---------------------------------------------------------------- status changes

    void start(Campaign c) {
        switch (c.status()) {
            case IN_PROGRESS -> { }
            case SCHEDULED -> {
                if (store.changeCampaignStatus(c.campaignId(), Set.of(Campaign.Status.SCHEDULED),
                        Campaign.Status.IN_PROGRESS, null, clock.instant(), null)) {
                    emit(new CampaignEvent.Started(c.campaignId(), clock.instant()));
                } else {
                    start(reread(c));
                }
            }
            case PAUSED -> throw refused(c, "started; resume it");
            case COMPLETED, CANCELED -> throw refused(c, "started");
        }
    }

    void pause(Campaign c, String reason) {
        switch (c.status()) {
            case PAUSED -> {
                // a pause by a budget resumes on its own once the budget has room; a pause asked for on top must not
                boolean budgetOnly = c.statusReason() != null && c.statusReason().startsWith(BUDGET);
                if (budgetOnly && !reason.startsWith(BUDGET) && !store.changeCampaignStatus(c.campaignId(),
                        Set.of(Campaign.Status.PAUSED), Campaign.Status.PAUSED, reason, null, null)) {
                    pause(reread(c), reason);
                }
            }
            case SCHEDULED, IN_PROGRESS -> {
                if (store.changeCampaignStatus(c.campaignId(), Set.of(Campaign.Status.SCHEDULED,
                        Campaign.Status.IN_PROGRESS), Campaign.Status.PAUSED, reason, null, null)) {
                    log.info("campaign {} paused: {}", c.campaignId(), reason);
                    emit(new CampaignEvent.Paused(c.campaignId(), reason, clock.instant()));
                } else {
                    pause(reread(c), reason);
                }
            }
            case COMPLETED, CANCELED -> throw refused(c, "paused");
        }
    }

    void resume(Campaign c) {
        switch (c.status()) {
            case IN_PROGRESS -> { }
            case PAUSED -> {
                if (store.changeCampaignStatus(c.campaignId(), Set.of(Campaign.Status.PAUSED),
                        Campaign.Status.IN_PROGRESS, null, clock.instant(), null)) {
                    outageStreaks.remove(c.campaignId());
                    emit(new CampaignEvent.Resumed(c.campaignId(), clock.instant()));
                } else {
                    resume(reread(c));
                }
            }
            case SCHEDULED -> throw refused(c, "resumed; start it");
            case COMPLETED, CANCELED -> throw refused(c, "resumed");
        }
    }

    void cancel(Campaign c) {
        switch (c.status()) {
            case CANCELED -> { }
            case SCHEDULED, IN_PROGRESS, PAUSED -> {
                if (store.changeCampaignStatus(c.campaignId(), Set.of(Campaign.Status.SCHEDULED,
                        Campaign.Status.IN_PROGRESS, Campaign.Status.PAUSED), Campaign.Status.CANCELED,
                        "cancelled by the host", null, clock.instant())) {
                    emit(new CampaignEvent.Canceled(c.campaignId(), clock.instant()));
                } else {
                    cancel(reread(c));
                }
            }
            case COMPLETED -> throw refused(c, "cancelled");
        }
    }

    /**
     * Finishes every target of a cancelled campaign that waits for an attempt (skipped, outcome cancelled),
     * adding what its earlier attempts cost. A target whose attempt is under way is finished when its call
     * ends; one a node claims meanwhile keeps its attempt count, so the store lets only one side win.
     */
    void skipOpenTargets(Campaign c) {
        if (c.status() != Campaign.Status.CANCELED) return;
        for (int offset = 0; ; offset += PAGE) {
            List<CampaignTarget> page = store.targets(c.campaignId(), offset, PAGE);
            for (CampaignTarget t : page) {
                if (!t.isFinished() && !t.attemptUnderWay()) skip(c, t);
            }
            if (page.size() < PAGE) break;
        }
    }

    /**
     * Follows targets just added to a campaign that ended while they were being added (the import had checked it was
     * open): a campaign completed meanwhile, its earlier targets all done, works again so that they are called, and
     * one cancelled meanwhile skips them as its cancel() would have.
     */
    void targetsAdded(String campaignId) {
        Campaign c = store.findCampaign(campaignId).orElseThrow();
        if (c.status() == Campaign.Status.COMPLETED && store.changeCampaignStatus(campaignId,
                Set.of(Campaign.Status.COMPLETED), Campaign.Status.IN_PROGRESS, null, null, null)) {
            log.info("campaign {} completed while targets were added to it; it works again", campaignId);
            emit(new CampaignEvent.Resumed(campaignId, clock.instant()));
        } else if (c.status() == Campaign.Status.CANCELED) {
            skipOpenTargets(c);
        }
    }

    private Campaign reread(Campaign c) {
        return store.findCampaign(c.campaignId()).orElseThrow();
    }

    private static IllegalStateException refused(Campaign c, String what) {
        return new IllegalStateException("campaign '" + c.campaignId() + "' has status " + c.status().wireName()
                + "; it cannot be " + what);
    }

    // ---------------------------------------------------------------- the scheduling pass

    int runOnce() {
        Instant now = clock.instant();
        // only the due ones: each leaves the list as it starts, however many are scheduled for later
        for (Campaign c : store.findDueCampaigns(now, CAMPAIGNS_PER_PASS)) {
            start(c);
        }
        for (Campaign c : nextPage(Campaign.Status.PAUSED, nextPaused)) {
            if (c.statusReason() != null && c.statusReason().startsWith(BUDGET) && budgetHasRoom(c)) resume(c);
        }
        int placed = 0;
        for (Campaign c : nextPage(Campaign.Status.IN_PROGRESS, nextRunning)) {
            placed += work(c);
        }
        recoverHalted(now);
        return placed;
    }

    /**
     * This pass's campaigns with {@code status}: the page after the last one served, from the oldest again once
     * the end was reached. Paused and running campaigns stay where they are, so a pass that always read the oldest
     * would never reach those after the first page.
     */
    private List<Campaign> nextPage(Campaign.Status status, AtomicReference<@Nullable Campaign> next) {
        Campaign after = next.get();
        List<Campaign> page = store.findCampaigns(status, after, CAMPAIGNS_PER_PASS);
        if (page.isEmpty() && after != null) page = store.findCampaigns(status, null, CAMPAIGNS_PER_PASS);
        next.set(page.size() == CAMPAIGNS_PER_PASS ? page.get(CAMPAIGNS_PER_PASS - 1) : null);
        return page;
    }

    /**
     * Takes up the lapsed leases of paused and cancelled campaigns, which the pass does not work: a node that
     * died mid-attempt left its target claimed, its call perhaps unresolved and its hold open. Each is handled
     * as a lapsed lease of a running campaign is, then finished (cancelled) or made pending again (paused).
     * Costs one indexed query over the claimed targets and at most {@link #LAPSED_PER_PASS} targets a pass.
     */
    private void recoverHalted(Instant now) {
        for (CampaignTarget t : store.claimLapsedTargets(HALTED, LAPSED_PER_PASS, nodeId, now, now.plus(lease))) {
            try {
                Campaign c = store.findCampaign(t.campaignId()).orElseThrow();
                process(c.campaignId(), CampaignSettings.fromText(c.policy()), t);
            } catch (RuntimeException e) {
                log.warn("campaign {}: a lapsed target could not be taken up; its lease lapses and it is taken up again",
                        t.campaignId(), e);
            }
        }
    }

    private int work(Campaign c) {
        CampaignSettings settings = CampaignSettings.fromText(c.policy());
        CampaignPolicy policy = settings.policy();
        TargetCounts counts = store.countTargets(c.campaignId());
        if (counts.open() == 0) {
            complete(c);
            return 0;
        }
        Instant now = clock.instant();
        Long pacedSecond = pacedOut.get(c.campaignId());
        if (pacedSecond != null && pacedSecond >= now.getEpochSecond()) return 0;
        // The in-flight cap is the store's: a claimed target holds a place from its claim until its attempt ends
        // (or it is released), and the store counts and claims in one atomic step, so no two nodes share a place.
        List<CampaignTarget> claimed = store.claimTargets(c.campaignId(), policy.callsPerSecond(),
                policy.maxInFlight(), nodeId, now, now.plus(lease));
        List<Callable<Integer>> work = new ArrayList<>();
        for (CampaignTarget t : claimed) {
            work.add(() -> process(c.campaignId(), settings, t));
        }
        int placed = 0;
        try {
            for (Future<Integer> f : workers.invokeAll(work)) placed += f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            log.warn("campaign {}: a target could not be processed; its lease lapses and it is taken up again",
                    c.campaignId(), e.getCause());
        }
        return placed;
    }

    private void complete(Campaign c) {
        if (store.changeCampaignStatus(c.campaignId(), Set.of(Campaign.Status.IN_PROGRESS), Campaign.Status.COMPLETED,
                null, null, clock.instant())) {
            log.info("campaign {} completed", c.campaignId());
            outageStreaks.remove(c.campaignId());
            emit(new CampaignEvent.Completed(c.campaignId(), clock.instant()));
        }
    }

    /** @return 1 when a call was placed */
    private int process(String campaignId, CampaignSettings settings, CampaignTarget t) {
        Campaign c = store.findCampaign(campaignId).orElseThrow();
        if (t.attemptUnderWay()) return recover(c, settings, t);
        Instant now = clock.instant();
        if (c.status() == Campaign.Status.CANCELED) {
            skip(c, t);
            return 0;
        }
        if (c.status() != Campaign.Status.IN_PROGRESS) {
            release(t, t.nextAttemptAt());
            return 0;
        }
        if (store.isSuppressed(c.customerId(), t.toNumber())) {
            finish(c, t, t.attempts(), CampaignTarget.State.SKIPPED, Outcome.SUPPRESSED, null, false);
            return 0;
        }
        CampaignPolicy policy = settings.policy();
        Instant opens = nextOpening(policy.windows(), t, now);
        if (opens.isAfter(now)) {
            release(t, opens);
            return 0;
        }
        Instant uncapped = uncappedFrom(policy, t.toNumber(), now);
        if (uncapped.isAfter(now)) {
            release(t, uncapped);
            return 0;
        }
        Instant slot = takeSlot(c, policy);
        if (slot == null) {
            release(t, Instant.ofEpochSecond(now.getEpochSecond() + 1));
            return 0;
        }
        // the outbox: the attempt is on record before its call is placed
        CampaignTarget attempt = t.with(CampaignTarget.State.CLAIMED, t.attempts() + 1, null, nodeId,
                now.plus(lease), null, null);
        if (!store.updateTargetIf(attempt, CampaignTarget.State.CLAIMED, t.attempts())) return 0;
        return place(c, settings, attempt, slot);
    }

    /** A target whose attempt is under way, taken over after its lease lapsed (or checked back on). */
    private int recover(Campaign c, CampaignSettings settings, CampaignTarget t) {
        int n = t.attempts();
        Optional<CallRecord> found = store.findByIdempotencyKey(c.customerId(), attemptKey(c.campaignId(), t, n));
        Instant now = clock.instant();
        // What was read is acted on only while this node still holds the target: one that stalled past its lease may
        // have read the call of a node that took the target up meanwhile and is placing it, and would end it as never
        // sent, or flag it as its node gone, and have the number dialled again.
        if (!store.renewLease(c.campaignId(), t.targetId(), nodeId, n, now.plus(lease))) return 0;
        if (found.isEmpty()) {
            // nothing on record: no provider was asked, so this very attempt may be placed now
            if (c.status() != Campaign.Status.IN_PROGRESS) {
                CampaignTarget back = unrecord(t, now);
                if (back != null && c.status() == Campaign.Status.CANCELED) skip(c, back);
                return 0;
            }
            // what was checked before the attempt was recorded may have changed while its node was gone
            if (store.isSuppressed(c.customerId(), t.toNumber())) {
                CampaignTarget back = unrecord(t, now);
                if (back != null) {
                    finish(c, back, back.attempts(), CampaignTarget.State.SKIPPED, Outcome.SUPPRESSED, null, false);
                }
                return 0;
            }
            Instant allowed = nextOpening(settings.policy().windows(), t, now);
            Instant uncapped = uncappedFrom(settings.policy(), t.toNumber(), now);
            if (uncapped.isAfter(allowed)) allowed = uncapped;
            if (allowed.isAfter(now)) {
                unrecord(t, allowed);
                return 0;
            }
            Instant slot = takeSlot(c, settings.policy());
            if (slot == null) {
                // only while this node still holds it: one that stalled past its lease would take the target back
                // from the node that took it up meanwhile and is placing this very attempt
                store.renewLease(c.campaignId(), t.targetId(), nodeId, n, Instant.ofEpochSecond(now.getEpochSecond() + 1));
                return 0;
            }
            return place(c, settings, t, slot);
        }
        CallRecord r = found.get();
        if (isSettled(r)) {
            callEnded(r);
            return 0;
        }
        // an end whose settlement has not finished (it failed, or runs on another node) is asked about below, as an
        // end not yet reported is: its settlement, here or wherever it finishes, applies it to the target
        if (!r.status().isTerminal() && r.providerId() == null && !r.updatedAt().plus(lease).isAfter(now)) {
            // recorded, but its node stopped before naming a provider, which it does before asking one: never sent
            return retryNeverSent(c, t, r);
        }
        if (!r.status().isTerminal() && !r.needsReconciliation()) {
            boolean placingNodeGone = r.providerCallId() == null && !r.updatedAt().plus(lease).isAfter(now);
            boolean overdue = !r.startedAt().plus(settings.policy().callTimeout()).isAfter(now);
            if (placingNodeGone || overdue) {
                log.info("campaign {}: call {} of attempt {} has no known end; it is reconciled with its provider",
                        c.campaignId(), r.callId(), n);
                store.update(CallUpdate.of(r.callId(), now).needsReconciliation(true).error(
                        ErrorReason.OUTCOME_UNKNOWN.name(), placingNodeGone
                                ? "the node placing it stopped before the provider's answer was recorded"
                                : "no end was reported within the campaign's call timeout"));
            }
        }
        // Only this attempt's own call is asked about, once per lapsed lease: the campaign needs no more, and
        // the rest of the store's unknown calls are for reconcile() on the host's schedule, not the campaign's.
        // the lease is renewed below only while the target still waits on this attempt (a resolved end moved it on)
        // and this node still holds it: one whose lease lapsed meanwhile (a stall, a slow look-up) must not take the
        // target back from the node that took it up, which may be placing this attempt and renewing its lease
        store.find(r.callId()).ifPresent(reconciler::reconcile);
        Instant until = clock.instant().plus(lease);
        if (store.renewLease(c.campaignId(), t.targetId(), nodeId, n, until)) {
            store.updateTargetIf(t.with(CampaignTarget.State.CLAIMED, n, null, nodeId, until, r.callId(), null),
                    CampaignTarget.State.CLAIMED, n);
        }
        return 0;
    }

    /**
     * Ends a recorded attempt that no provider was asked for (its hold released, listeners told) and makes
     * the target due again at once, whatever the retry rules say: the recipient was never called. In a
     * cancelled campaign the target is skipped instead.
     */
    private int retryNeverSent(Campaign c, CampaignTarget t, CallRecord r) {
        int n = t.attempts();
        log.info("campaign {}: call {} of attempt {} was recorded but never sent; the target is due again",
                c.campaignId(), r.callId(), n);
        CampaignTarget due = t.with(CampaignTarget.State.PENDING, n, clock.instant(), null, null, r.callId(), "not_sent");
        if (store.updateTargetIf(due, CampaignTarget.State.CLAIMED, n)) {
            lifecycle.record(CallUpdate.of(r.callId(), clock.instant()).status(CallStatus.FAILED)
                    .endedAt(clock.instant()).error(ErrorReason.UNAVAILABLE.name(),
                            "never sent: the node placing it stopped before asking a provider"));
            if (c.status() == Campaign.Status.CANCELED) skip(c, due);
        }
        return 0;
    }

    private int place(Campaign c, CampaignSettings settings, CampaignTarget t, Instant slot) {
        int n = t.attempts();
        // Read again now that the attempt is on record: a pause or cancel that returned while this pass decided on
        // the target (its campaign read as running) must place nothing more; one after this read finds the attempt
        // in flight, and calls in flight finish.
        if (reread(c).status() != Campaign.Status.IN_PROGRESS) {
            CampaignTarget back = unrecord(t, clock.instant());
            if (back != null) skippedIfCanceled(c.campaignId(), back);
            return 0;
        }
        CallRequest.Builder request = CallRequest.to(t.toNumber()).customerId(c.customerId())
                .campaignId(c.campaignId()).idempotencyKey(attemptKey(c.campaignId(), t, n))
                .variables(t.variables()).metadata(TARGET, t.targetId()).metadata(ATTEMPT, Integer.toString(n))
                .metadata("campaignAttemptAt", slot.toString())
                .machineDetection(settings.policy().machineAction() != null);
        if (c.category() != null) request.category(c.category());
        if (c.scriptTemplate() != null) request.script(c.scriptTemplate());
        if (settings.purpose() != null) request.purpose(settings.purpose());
        if (settings.from() != null) request.from(settings.from());
        CallRecord r;
        Heartbeat heartbeat = new Heartbeat(t);
        try {
            // a pause or cancel that returns while the call waits for its provider's pace keeps it unsent: it ends as
            // never sent, and its target is due again, its attempt counted against nothing
            r = placer.callOnce(request.build(), () -> reread(c).status() == Campaign.Status.IN_PROGRESS).call();
        } catch (CallFailedException e) {
            store.find(e.callId()).ifPresent(this::callEnded);
            return 1;
        } catch (LimitExceededException e) {
            if (!heartbeat.held()) return 0;   // the node that took the target over places the attempt itself
            // nothing was recorded: the attempt is taken back and waits for the limit
            boolean budget = e.reason() == ErrorReason.SPEND_LIMIT;
            // a budget pauses the whole campaign, which resumes when the budget has room: the target is due then
            CampaignTarget back = unrecord(t, budget || !e.retryAt().isAfter(clock.instant()) ? clock.instant()
                    : e.retryAt());
            if (back != null && skippedIfCanceled(c.campaignId(), back)) return 0;
            if (budget) {
                // kept before the pause, so that no node finds the campaign paused by its budget without it
                Money hold = e.requested().orElse(null);
                store.setCampaignBudgetNeed(c.campaignId(), hold);
                if (hold == null) {
                    budgetNeeds.remove(c.campaignId());
                } else {
                    budgetNeeds.put(c.campaignId(), hold);
                }
                pause(reread(c), BUDGET + e.getMessage());
            }
            return 0;
        } catch (StoreException e) {
            // not a refusal: the attempt may be on record, even sent; its lease lapses and recover() follows it up
            throw e;
        } catch (IllegalArgumentException | CallingException e) {
            if (!heartbeat.held()) return 0;
            // refused before anything was recorded or sent (invalid number, policy, no route): never retried
            // the refusal names the number (the policy's, the number's own): masked like the number itself
            log.info("campaign {}: number {} refused: {}", c.campaignId(), PhoneNumber.mask(t.toNumber()),
                    PhoneNumber.maskNumbersIn(String.valueOf(e.getMessage())));
            finish(c, t, n, CampaignTarget.State.FAILED, Outcome.REFUSED, null, false);
            return 0;
        } finally {
            heartbeat.stop();
        }
        // a provider took the call: the providers are up, whatever came before
        if (r.providerCallId() != null) outageStreaks.remove(c.campaignId());
        if (r.status().isTerminal()) {
            callEnded(r);
        } else if (heartbeat.held()) {
            store.updateTargetIf(t.with(CampaignTarget.State.CLAIMED, n, null, nodeId, clock.instant().plus(lease),
                    r.callId(), null), CampaignTarget.State.CLAIMED, n);
        } else {
            log.info("campaign {}: call {} of attempt {} was placed after another node took its target over; that node"
                    + " follows it up", c.campaignId(), r.callId(), n);
        }
        return 1;
    }

    /**
     * Renews the lease of a target while its call is placed, every third of the lease, so that a placement that
     * outlasts the lease (a slow provider, pacing, resends) keeps its target: another node would take the target
     * over, find its call without an answer, and once the provider's search still missed it end it as not placed
     * and dial the number again. A renewal the store refuses means another node holds the target (the lease lapsed
     * all the same, the store down for a while): this node then leaves the target's outcome to that node.
     */
    private final class Heartbeat {
        private final CampaignTarget target;
        private final ScheduledFuture<?> beats;
        private boolean stopped;   // guarded by this
        private boolean lost;      // guarded by this
        private int failures;      // guarded by this

        Heartbeat(CampaignTarget target) {
            this.target = target;
            long every = Math.max(1, lease.toMillis() / 3);
            this.beats = heartbeats.scheduleWithFixedDelay(this::beat, every, every, TimeUnit.MILLISECONDS);
        }

        private synchronized void beat() {
            if (stopped || lost) return;
            try {
                lost = !renew();
            } catch (RuntimeException e) {
                // the next beat tries again; once warned of, the same failure at every beat is no news
                if (failures++ == 0) {
                    log.warn("campaign {}: the lease of an attempt being placed could not be renewed; the next beat"
                            + " tries again", target.campaignId(), e);
                } else {
                    log.debug("campaign {}: the lease could not be renewed again: {}", target.campaignId(), e.toString());
                }
            }
        }

        private boolean renew() {
            return store.renewLease(target.campaignId(), target.targetId(), nodeId, target.attempts(),
                    clock.instant().plus(lease));
        }

        /** Ends the beats: none runs once this returns. */
        void stop() {
            beats.cancel(false);
            synchronized (this) {
                stopped = true;
            }
        }

        /** Ends the beats; @return whether this node still holds the target, its lease renewed once more */
        boolean held() {
            stop();
            synchronized (this) {
                if (lost) return false;
            }
            return renew();
        }
    }

    /** Takes back attempt n, which was never placed; @return the target pending again, null if another node moved it */
    private @Nullable CampaignTarget unrecord(CampaignTarget t, Instant next) {
        int previous = t.attempts() - 1;
        CampaignTarget back = t.with(CampaignTarget.State.PENDING, previous, next, null, null, t.lastCallId(),
                previous > 0 ? "deferred" : null);
        return store.updateTargetIf(back, CampaignTarget.State.CLAIMED, t.attempts()) ? back : null;
    }

    /** Finishes a target of a cancelled campaign that has no attempt under way: skipped, its attempts' costs added. */
    private void skip(Campaign c, CampaignTarget t) {
        finish(c, t, t.attempts(), CampaignTarget.State.SKIPPED, Outcome.CANCELED, null, false);
    }

    private void release(CampaignTarget t, @Nullable Instant next) {
        CampaignTarget back = t.with(CampaignTarget.State.PENDING, t.attempts(), next, null, null, t.lastCallId(),
                t.lastOutcome());
        if (store.updateTargetIf(back, CampaignTarget.State.CLAIMED, t.attempts())) {
            skippedIfCanceled(t.campaignId(), back);
        }
    }

    /**
     * Skips a target just made pending again when its campaign was cancelled meanwhile: cancel()'s sweep passes over
     * a claimed target, and no pass takes up a pending one of a cancelled campaign. Read after the write, so either
     * this or the sweep sees it pending.
     *
     * @return true when the campaign is cancelled
     */
    private boolean skippedIfCanceled(String campaignId, CampaignTarget pending) {
        Campaign c = store.findCampaign(campaignId).orElse(null);
        if (c == null || c.status() != Campaign.Status.CANCELED) return false;
        skip(c, pending);
        return true;
    }

    /** The idempotency key of attempt n (keys take no '+', so the number goes in by its digits). */
    static String attemptKey(String campaignId, CampaignTarget t, int attempt) {
        return "campaign:" + campaignId + ":" + t.targetId().replace("+", "") + ":" + attempt;
    }

    /** A slot of the campaign's pace in the current second, counted in the shared ledger; null when used up. */
    private @Nullable Instant takeSlot(Campaign c, CampaignPolicy policy) {
        Instant now = clock.instant();
        long second = now.getEpochSecond();
        Long paced = pacedOut.get(c.campaignId());
        if (paced != null && paced >= second) return null;
        LimitLedger.WindowResult result = ledger.count("campaign:" + c.campaignId(),
                List.of(new LimitLedger.WindowCap("cps", Instant.ofEpochSecond(second), policy.callsPerSecond())), false);
        if (!result.allowed()) {
            pacedOut.put(c.campaignId(), second);
            return null;
        }
        return now;
    }

    /**
     * Whether calling windows are closed at {@code now} in a zone of {@code zoneOrNumber}: a time zone id, or a
     * number (every zone it may ring in).
     */
    boolean outsideWindows(CallingWindows windows, String zoneOrNumber, Instant now) {
        return nextOpening(windows, zonesOfKey(zoneOrNumber), now).isAfter(now);
    }

    /**
     * The zones of a key the store counts pending targets by: a target's time zone, else its number. A number
     * erased since is a pseudonym that is neither: it rings in no zone (UTC), as the runner places its target.
     */
    private Set<ZoneId> zonesOfKey(String zoneOrNumber) {
        // a zone first: an offset such as +05:30 starts with '+' as a number does, and is placed by ZoneId.of;
        // no valid number parses as an offset (those are at most six digits, the hours at most 18)
        try {
            return Set.of(ZoneId.of(zoneOrNumber));
        } catch (DateTimeException e) {
            return zones().zonesOf(zoneOrNumber);
        }
    }

    /**
     * How long from {@code now} until {@code work} of calling is done, counting only the time the windows are open
     * for some of {@code keys} (the store's keys of pending targets; see {@link #zonesOfKey}); {@code work} itself when
     * there are none, as calls under way end whatever the windows.
     */
    Duration withinWindows(CallingWindows windows, Collection<String> keys, Instant now, Duration work) {
        Set<Set<ZoneId>> groups = new HashSet<>();
        for (String key : keys) groups.add(zonesOfKey(key));
        Set<ZoneId> zones = new HashSet<>();
        groups.forEach(zones::addAll);
        Instant at = now;
        Duration left = work;
        for (int step = 0; step < MAX_WINDOW_STEPS && !zones.isEmpty(); step++) {
            Instant from = at;
            Instant change = null;   // the next moment a window opens or closes in one of the zones
            for (ZoneId zone : zones) {
                ZonedDateTime local = ZonedDateTime.ofInstant(from, zone);
                Instant next = (windows.isOpen(local) ? windows.closing(local) : windows.nextOpening(local)).toInstant();
                if (change == null || next.isBefore(change)) change = next;
            }
            boolean open = groups.stream().anyMatch(g -> g.stream()
                    .allMatch(zone -> windows.isOpen(ZonedDateTime.ofInstant(from, zone))));
            if (open) {
                Duration span = Duration.between(from, change);
                if (span.compareTo(left) >= 0) break;
                left = left.minus(span);
            }
            at = change;
        }
        return Duration.between(now, at.plus(left));
    }

    /** The number's time zone when it rings in one only, else null (it may ring in several). */
    @Nullable String zoneOf(String number) {
        Set<ZoneId> zoneIds = zones().zonesOf(number);
        return zoneIds.size() == 1 ? zoneIds.iterator().next().getId() : null;
    }

    /** When the recipient's windows next open, in every zone the number may ring in. */
    private Instant nextOpening(CallingWindows windows, CampaignTarget t, Instant now) {
        return nextOpening(windows, t.timeZone() != null ? Set.of(ZoneId.of(t.timeZone())) : zones().zonesOf(t.toNumber()),
                now);
    }

    /** When the windows next open in every one of {@code zoneIds}. */
    private static Instant nextOpening(CallingWindows windows, Set<ZoneId> zoneIds, Instant now) {
        Instant at = now;
        for (int round = 0; round < 16; round++) {
            Instant latest = at;
            for (ZoneId zone : zoneIds) {
                Instant opens = windows.nextOpening(ZonedDateTime.ofInstant(at, zone)).toInstant();
                if (opens.isAfter(latest)) latest = opens;
            }
            if (latest.equals(at)) return at;
            at = latest;
        }
        return at;   // zones whose windows barely overlap: try again then
    }

    /** When the number is under every frequency cap again (now when it is). */
    private Instant uncappedFrom(CampaignPolicy policy, String number, Instant now) {
        Instant from = now;
        for (FrequencyCap cap : policy.frequencyCaps()) {
            List<CallRecord> within = callsSince(number, now.minus(cap.per()), cap.maxCalls());
            if (within.size() >= cap.maxCalls()) {
                Instant oldest = within.get(within.size() - 1).startedAt();
                Instant free = oldest.plus(cap.per());
                if (free.isAfter(from)) from = free;
            }
        }
        return from;
    }

    /**
     * The newest calls to the number started after {@code since}, at most {@code max}, leaving out those no provider
     * was asked for (their node stopped first): they rang no one. The store finds calls to or from the number, and
     * one that had it as its caller id rang someone else. Reads more while such calls fill a page.
     */
    private List<CallRecord> callsSince(String number, Instant since, int max) {
        for (int limit = max; ; limit = limit > Integer.MAX_VALUE / 2 ? Integer.MAX_VALUE : limit * 2) {
            List<CallRecord> recent = store.findByNumber(number, limit);
            List<CallRecord> rang = recent.stream().filter(r -> number.equals(r.toNumber())
                            && r.startedAt().isAfter(since) && !calledNoOne(r))
                    .limit(max).toList();
            if (rang.size() == max || recent.size() < limit || !recent.get(recent.size() - 1).startedAt().isAfter(since)) {
                return rang;
            }
        }
    }

    private RecipientZones zones() {
        RecipientZones z = zones;
        if (z == null) {
            synchronized (this) {
                if (zones == null) zones = RecipientZones.load();
                z = zones;
            }
        }
        return z;
    }

    // ---------------------------------------------------------------- outcomes

    private void callEndedQuietly(CallRecord r) {
        if (r.campaignId() == null) return;
        try {
            callEnded(r);
        } catch (RuntimeException e) {
            log.warn("campaign {}: the end of call {} could not be applied now; it is applied when its target is "
                    + "taken up again", r.campaignId(), r.callId(), e);
        }
    }

    /**
     * Applies an ended call to its target: finished, or a retry scheduled. Exactly once, on any node. Only once its
     * settlement stored its cost, which the campaign's cost adds up when the target finishes: an end whose settlement
     * has not finished is applied when it does (its settled listeners, or the target taken up again).
     */
    void callEnded(CallRecord r) {
        String targetId = r.metadata().get(TARGET);
        String attempt = r.metadata().get(ATTEMPT);
        if (r.campaignId() == null || targetId == null || attempt == null || !isSettled(r)) return;
        int n = Integer.parseInt(attempt);
        // The target first: an end told twice (by settlement, then by the placement it ended) stops here.
        CampaignTarget t = store.findTarget(r.campaignId(), targetId).orElse(null);
        if (t == null || t.attempts() != n || t.isFinished() || !t.attemptUnderWay()) return;   // told already
        Campaign c = store.findCampaign(r.campaignId()).orElse(null);
        if (c == null) return;
        if (neverSent(r) || withdrawn(r)) {
            // ended by reconciliation before a node took the target up (retryNeverSent's case), or withdrawn while it
            // waited for its provider's pace (the campaign paused meanwhile): no one was called
            CampaignTarget due = t.with(CampaignTarget.State.PENDING, n, clock.instant(), null, null, r.callId(),
                    "not_sent");
            if (store.updateTargetIf(due, t.state(), n)) skippedIfCanceled(c.campaignId(), due);
            return;
        }
        CampaignPolicy policy = CampaignSettings.fromText(c.policy()).policy();
        if (refusedByEveryOption(r)) {
            refusedByEveryProvider(c, policy, t, r);
            return;
        }
        Outcome outcome = outcomeOf(r, policy);
        boolean success = outcome == Outcome.COMPLETED;
        // only MachineAction.RETRY makes a machine a retry outcome; hang-up finishes the target whatever the rules say
        RetryRule rule = outcome == Outcome.MACHINE && policy.machineAction() != MachineAction.RETRY ? null
                : policy.retries().get(outcome);
        if (!success && rule != null && !c.isFinished()
                && (n < rule.maxAttempts() || attemptsSent(c, t, n) < rule.maxAttempts())) {
            Instant due = clock.instant().plus(rule.delay());
            CampaignTarget retry = t.with(CampaignTarget.State.PENDING, n, due, null, null, r.callId(),
                    outcome.wireName());
            if (store.updateTargetIf(retry, t.state(), n) && !skippedIfCanceled(c.campaignId(), retry)) {
                emit(new CampaignEvent.RetryScheduled(c.campaignId(), t.toNumber(), outcome, n, due));
            }
            return;
        }
        finish(c, t, n, success ? CampaignTarget.State.DONE : CampaignTarget.State.FAILED, outcome, r.callId(), true);
    }

    /**
     * A provider outage: every provider refused attempt n before taking it, so no one was called. Counted against no
     * retry rule, the target is tried again after a backoff until {@link CampaignPolicy#outageAttempts()} of its
     * attempts were refused so, then it fails as {@link Outcome#UNAVAILABLE}; and once
     * {@link CampaignPolicy#outagePause()} targets in a row were refused, the campaign pauses rather than walk its list.
     */
    private void refusedByEveryProvider(Campaign c, CampaignPolicy policy, CampaignTarget t, CallRecord r) {
        int n = t.attempts();
        int refused = 1;
        int inARow = 1;
        for (int k = n - 1; k >= 1; k--) {
            boolean alsoRefused = store.findByIdempotencyKey(c.customerId(), attemptKey(c.campaignId(), t, k))
                    .filter(CampaignRunner::refusedByEveryOption).isPresent();
            if (alsoRefused) refused++;
            if (alsoRefused && inARow == n - k) inARow++;
        }
        if (c.isFinished() || refused >= policy.outageAttempts()) {
            log.info("campaign {}: call {} of attempt {} was refused by every provider ({}), {} time(s) in all; the "
                    + "target fails as unavailable", c.campaignId(), r.callId(), n, r.errorReason(), refused);
            finish(c, t, n, CampaignTarget.State.FAILED, Outcome.UNAVAILABLE, r.callId(), true);
        } else {
            Instant due = clock.instant().plus(outageBackoff(policy.outageDelay(), inARow));
            log.info("campaign {}: call {} of attempt {} was refused by every provider ({}); the target is tried again"
                    + " at {}", c.campaignId(), r.callId(), n, r.errorReason(), due);
            CampaignTarget later = t.with(CampaignTarget.State.PENDING, n, due, null, null, r.callId(),
                    Outcome.UNAVAILABLE.wireName());
            if (!store.updateTargetIf(later, t.state(), n) || skippedIfCanceled(c.campaignId(), later)) return;
            emit(new CampaignEvent.RetryScheduled(c.campaignId(), t.toNumber(), Outcome.UNAVAILABLE, n, due));
        }
        if (c.status() != Campaign.Status.IN_PROGRESS) return;
        Set<String> streak = outageStreaks.computeIfAbsent(c.campaignId(), id -> ConcurrentHashMap.newKeySet());
        streak.add(t.targetId());
        if (streak.size() >= policy.outagePause() && outageStreaks.remove(c.campaignId(), streak)) {
            pause(reread(c), OUTAGE + "every provider refused the calls of " + streak.size() + " targets in a row before"
                    + " taking them (the last: " + r.errorReason() + "); resume the campaign once they are back");
        }
    }

    /** {@code delay}, doubled for each of the {@code inARow} refused attempts but the last, at most 15 minutes. */
    private static Duration outageBackoff(Duration delay, int inARow) {
        Duration max = delay.compareTo(OUTAGE_BACKOFF_MAX) > 0 ? delay : OUTAGE_BACKOFF_MAX;
        Duration wait = delay;
        for (int k = 1; k < inARow && wait.compareTo(max) < 0; k++) wait = wait.multipliedBy(2);
        return wait.compareTo(max) < 0 ? wait : max;
    }

    /**
     * Whether every provider option refused the call before taking it (unavailable, rate-limited, its credentials
     * refused: the reasons the placer fails over on, its pacing queue full included), so no one was called. The
     * record keeps the last option's reason: a pacing queue that had no turn (PACING_TIMEOUT) asked no provider.
     */
    private static boolean refusedByEveryOption(CallRecord r) {
        return r.status() == CallStatus.FAILED && r.providerId() != null && r.providerCallId() == null
                && r.answeredAt() == null && !r.needsReconciliation()
                && (ErrorReason.PACING_TIMEOUT.name().equals(r.errorReason()) || Arrays.stream(ErrorReason.values())
                        .anyMatch(e -> CallPlacer.failsOver(e) && e.name().equals(r.errorReason())));
    }

    /**
     * How many of attempts 1 to n called someone: an attempt its node recorded and stopped before sending, one
     * withdrawn before it was sent, or one every provider refused, called no one, so it uses up none of the retry
     * rule's attempts.
     */
    private int attemptsSent(Campaign c, CampaignTarget t, int n) {
        int sent = n;
        for (int k = 1; k < n; k++) {
            if (store.findByIdempotencyKey(c.customerId(), attemptKey(c.campaignId(), t, k))
                    .filter(this::calledNoOne).isPresent()) {
                sent--;
            }
        }
        return sent;
    }

    /** Whether the call ended and its settlement stored its cost. */
    private static boolean isSettled(CallRecord r) {
        return r.status().isTerminal() && r.cost() != null;
    }

    /** Whether the call rang no one: never sent, withdrawn before it was sent, or refused by every provider. */
    private boolean calledNoOne(CallRecord r) {
        return neverSent(r) || withdrawn(r) || refusedByEveryOption(r);
    }

    /** Whether the placer withdrew the call before sending it, its campaign no longer running when its turn came. */
    private boolean withdrawn(CallRecord r) {
        return r.status() == CallStatus.FAILED && r.providerCallId() == null
                && ErrorReason.NOT_PLACED.name().equals(r.errorReason())
                && store.events(r.callId()).stream().anyMatch(e -> CallPlacer.WITHDRAWN.equals(e.type()));
    }

    /**
     * Whether the call ended without any provider asked for it: its node stopped before naming one, and a taking-up
     * node ({@link #retryNeverSent}) or reconciliation ended it so.
     */
    private static boolean neverSent(CallRecord r) {
        return r.status().isTerminal() && r.providerId() == null
                && (ErrorReason.UNAVAILABLE.name().equals(r.errorReason())
                        || ErrorReason.NOT_PLACED.name().equals(r.errorReason()));
    }

    /**
     * Finishes the target and adds what every attempt of it cost to the campaign's total, from their calls'
     * settled costs, in the store's one conditional step that finishes the target: each attempt is counted
     * exactly once, whichever node applies the outcome and however often it is told, and a target finished
     * without a call of its own (suppressed or refused at a later attempt) still counts its earlier calls.
     */
    private void finish(Campaign c, CampaignTarget t, int expectedAttempts, CampaignTarget.State state, Outcome outcome,
                        @Nullable String callId, boolean counted) {
        // a number refused before its call was recorded takes its attempt back; one its provider refused keeps it
        int attempts = outcome == Outcome.REFUSED && callId == null ? expectedAttempts - 1 : expectedAttempts;
        if (store.finishTarget(t.with(state, attempts, null, null, null, callId, outcome.wireName()), expectedAttempts,
                counted, outcome == Outcome.COMPLETED, costOfAttempts(c, t, attempts))) {
            emit(new CampaignEvent.TargetDone(c.campaignId(), t.toNumber(), outcome, attempts, clock.instant()));
        }
    }

    private @Nullable Money costOfAttempts(Campaign c, CampaignTarget t, int attempts) {
        Money total = null;
        for (int n = 1; n <= attempts; n++) {
            Money cost = store.findByIdempotencyKey(c.customerId(), attemptKey(c.campaignId(), t, n))
                    .map(CallRecord::cost).orElse(null);
            if (cost != null) total = total == null ? cost : total.plus(cost);
        }
        return total;
    }

    private Outcome outcomeOf(CallRecord r, CampaignPolicy policy) {
        MachineAction action = policy.machineAction();
        if (action != null && machineAnswered(r.callId())) {
            return action == MachineAction.LEAVE_MESSAGE && r.status() == CallStatus.COMPLETED
                    ? Outcome.COMPLETED : Outcome.MACHINE;
        }
        // a person picked up: reached, whatever ended the call (a hang-up, a drop), and never dialled again
        if (r.answeredAt() != null) return Outcome.COMPLETED;
        if (ErrorReason.INVALID_DESTINATION.name().equals(r.errorReason())
                || ErrorReason.NOT_PERMITTED.name().equals(r.errorReason())) {
            return Outcome.REFUSED;
        }
        return switch (r.status()) {
            case COMPLETED -> Outcome.COMPLETED;
            case BUSY -> Outcome.BUSY;
            case NO_ANSWER -> Outcome.NO_ANSWER;
            default -> Outcome.FAILED;
        };
    }

    private boolean machineAnswered(String callId) {
        return store.events(callId).stream().anyMatch(e -> isMachine(e.data().get("answeredBy")));
    }

    private static boolean isMachine(@Nullable String answeredBy) {
        return answeredBy != null && (answeredBy.startsWith("machine") || answeredBy.equals("fax"));
    }

    /**
     * Hangs up a live, answered call of a campaign that hangs up on machines once a machine verdict is known:
     * on the move to answered when the verdict came with or before it, or on the later event that brings it.
     */
    private void eventAppliedQuietly(CallRecord r, CallEvent event) {
        if (r.campaignId() == null || r.status().isTerminal() || !r.status().isAnswered()) return;
        if (event.status() != CallStatus.ANSWERED && !isMachine(event.answeredBy())) return;
        try {
            Campaign c = store.findCampaign(r.campaignId()).orElse(null);
            if (c == null) return;
            MachineAction action = CampaignSettings.fromText(c.policy()).policy().machineAction();
            if ((action == MachineAction.HANG_UP || action == MachineAction.RETRY) && machineAnswered(r.callId())) {
                hangUp.accept(r.callId());
            }
        } catch (RuntimeException e) {
            log.warn("campaign {}: call {} answered by a machine could not be hung up", r.campaignId(), r.callId(), e);
        }
    }

    // ---------------------------------------------------------------- budget

    /**
     * Whether every budget period has room for the hold that was refused, as the store keeps it for every node (for
     * any hold, when neither the store nor this node knows it).
     */
    private boolean budgetHasRoom(Campaign c) {
        Money needed = store.findCampaignBudgetNeed(c.campaignId()).orElseGet(() -> budgetNeeds.get(c.campaignId()));
        return limits.budgetUsage(c.customerId()).stream().allMatch(u -> needed == null
                ? u.used().compareTo(u.cap()) < 0 : u.cap().minus(u.used()).compareTo(needed) >= 0);
    }

    CampaignEstimate estimate(Campaign c) {
        CampaignSettings settings = CampaignSettings.fromText(c.policy());
        Money total = Money.zero(limits.currency());
        int priced = 0;
        int unroutable = 0;
        for (int offset = 0; ; offset += PAGE) {
            List<CampaignTarget> page = store.targets(c.campaignId(), offset, PAGE);
            for (CampaignTarget t : page) {
                if (t.isFinished()) continue;
                try {
                    CallRequest.Builder request = CallRequest.to(t.toNumber()).customerId(c.customerId())
                            .variables(t.variables());
                    if (c.category() != null) request.category(c.category());
                    if (c.scriptTemplate() != null) request.script(c.scriptTemplate());
                    if (settings.purpose() != null) request.purpose(settings.purpose());
                    total = total.plus(estimator.estimate(placer.plan(request.build()).primary(),
                            settings.policy().expectedTalkTime()).total());
                    priced++;
                } catch (RuntimeException e) {
                    unroutable++;
                }
            }
            if (page.size() < PAGE) break;
        }
        Money tightest = null;
        String period = null;
        for (LimitLedger.PeriodUsage u : limits.budgetUsage(c.customerId())) {
            Money left = u.cap().minus(u.used());
            if (tightest == null || left.compareTo(tightest) < 0) {
                tightest = left;
                period = u.period();
            }
        }
        return new CampaignEstimate(total, priced, unroutable, tightest, period);
    }

    // ---------------------------------------------------------------- report

    void exportReport(Campaign c, Appendable out) {
        try {
            out.append("number,state,attempts,last_outcome,attempt,call_id,status,started_at,ended_at,"
                    + "duration_seconds,cost,target_cost\n");
            for (int offset = 0; ; offset += PAGE) {
                List<CampaignTarget> page = store.targets(c.campaignId(), offset, PAGE);
                for (CampaignTarget t : page) {
                    String head = csv(t.toNumber()) + "," + t.state().wireName() + "," + t.attempts() + ","
                            + csv(t.lastOutcome());
                    if (t.attempts() == 0) out.append(head).append(",,,,,,,,\n");
                    List<Optional<CallRecord>> calls = new ArrayList<>();
                    Money targetCost = null;
                    for (int n = 1; n <= t.attempts(); n++) {
                        Optional<CallRecord> r = store.findByIdempotencyKey(c.customerId(),
                                attemptKey(c.campaignId(), t, n));
                        calls.add(r);
                        Money cost = r.map(CallRecord::cost).orElse(null);
                        if (cost != null) targetCost = targetCost == null ? cost : targetCost.plus(cost);
                    }
                    String tail = targetCost == null ? "" : csv(targetCost.toString());
                    for (int n = 1; n <= t.attempts(); n++) {
                        Optional<CallRecord> r = calls.get(n - 1);
                        out.append(head).append(',').append(Integer.toString(n)).append(',');
                        if (r.isEmpty()) {
                            out.append(",,,,,,").append(tail).append('\n');
                            continue;
                        }
                        CallRecord call = r.get();
                        out.append(call.callId()).append(',').append(call.status().wireName()).append(',')
                                .append(String.valueOf(call.startedAt())).append(',')
                                .append(call.endedAt() == null ? "" : call.endedAt().toString()).append(',')
                                .append(call.durationSeconds() == null ? "" : call.durationSeconds().toString())
                                .append(',').append(call.cost() == null ? "" : csv(call.cost().toString()))
                                .append(',').append(tail).append('\n');
                    }
                }
                if (page.size() < PAGE) break;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the report of campaign '" + c.campaignId() + "' could not be written", e);
        }
    }

    private static String csv(@Nullable String value) {
        if (value == null) return "";
        if (value.indexOf(',') < 0 && value.indexOf('"') < 0 && value.indexOf('\n') < 0) return value;
        return '"' + value.replace("\"", "\"\"") + '"';
    }

    // ---------------------------------------------------------------- events and lifecycle

    Subscription onEvent(Consumer<? super CampaignEvent> listener) {
        Objects.requireNonNull(listener, "listener");
        listeners.add(listener);
        return Subscription.of(() -> listeners.remove(listener));
    }

    private void emit(CampaignEvent event) {
        for (Consumer<? super CampaignEvent> l : listeners) {
            try {
                l.accept(event);
            } catch (RuntimeException e) {
                log.warn("campaign listener {} failed on {}: {}", l, event, e.toString());
            }
        }
    }

    /**
     * Until the scheduler starts, runs {@code look} once a lease, on the lease renewals' thread (a few reads, once a
     * lease, on a node with no campaign of its own): a target of a node that stopped is taken up once its lease has
     * lapsed, so looking more often would gain nothing.
     */
    synchronized void lookOutUntilScheduled(Runnable look) {
        Objects.requireNonNull(look, "look");
        if (scheduler != null || lookout != null) return;
        lookout = heartbeats.scheduleWithFixedDelay(() -> {
            try {
                look.run();
            } catch (RuntimeException e) {   // out of the executor, it would end the look-out unlogged
                log.debug("looking for campaigns of other nodes failed; the next look tries again: {}", e.toString());
            }
        }, Math.max(1, lease.toMillis()), Math.max(1, lease.toMillis()), TimeUnit.MILLISECONDS);
    }

    synchronized void startScheduler(Duration tick) {
        Objects.requireNonNull(tick, "tick");
        if (tick.isZero() || tick.isNegative()) throw new IllegalArgumentException("tick " + tick + " must be positive");
        if (scheduler != null) return;
        if (lookout != null) lookout.cancel(false);
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "calling-campaign-scheduler");
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                runOnce();
            } catch (RuntimeException | Error e) {   // out of the executor, it would end the schedule unlogged
                log.warn("campaign scheduling pass failed; the next one tries again", e);
            }
        }, 0, tick.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void close() {
        subscriptions.forEach(Subscription::close);
        if (scheduler != null) scheduler.shutdownNow();
        workers.shutdownNow();
        heartbeats.shutdownNow();
    }
}
