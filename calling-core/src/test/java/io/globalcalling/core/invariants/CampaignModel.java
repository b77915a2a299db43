package io.globalcalling.core.invariants;

import io.globalcalling.testkit.RecordingLedger;
import io.globalcalling.CallCategory;
import io.globalcalling.CallRecord;
import io.globalcalling.CallStatus;
import io.globalcalling.ErrorReason;
import io.globalcalling.Money;
import io.globalcalling.core.GlobalCallingManager;
import io.globalcalling.core.ManagerTestAccess;
import io.globalcalling.core.campaign.CallingWindows;
import io.globalcalling.core.campaign.CampaignEvent;
import io.globalcalling.core.campaign.CampaignPolicy;
import io.globalcalling.core.campaign.MachineAction;
import io.globalcalling.core.campaign.NewCampaign;
import io.globalcalling.core.campaign.Outcome;
import io.globalcalling.core.campaign.Target;
import io.globalcalling.core.coverage.Geography;
import io.globalcalling.core.coverage.LibPhoneNumberInfo;
import io.globalcalling.core.coverage.NaturalEarthGeography;
import io.globalcalling.core.coverage.NumberInfo;
import io.globalcalling.core.limits.ClockTimeMeter;
import io.globalcalling.core.invariants.CampaignHistory.Report;
import io.globalcalling.core.invariants.CampaignHistory.Said;
import io.globalcalling.core.invariants.CampaignHistory.Spec;
import io.globalcalling.core.placement.Resend;
import io.globalcalling.spi.CallEvent;
import io.globalcalling.spi.ProviderConfig;
import io.globalcalling.spi.store.CallStore;
import io.globalcalling.spi.store.Campaign;
import io.globalcalling.spi.store.CampaignTarget;
import io.globalcalling.spi.store.TargetCounts;
import io.globalcalling.WebhookResponse;
import io.globalcalling.testkit.MutableClock;
import io.globalcalling.testkit.ScriptedProvider;
import io.globalcalling.testkit.ScriptedProvider.Attempt;
import org.jspecify.annotations.Nullable;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Runs one {@link CampaignHistory} through real managers (one or two nodes over one store, each node
 * killable and restarted) on two real {@link ScriptedProvider}s and a cheaper simulated one, and checks the
 * campaign's promises after every step and, once the campaign has been driven to its end, at the end:
 * <ol>
 *   <li>a call's record exists before any provider is asked to place it; the simulated provider serves none;</li>
 *   <li>no placement whose bytes may have left is followed by another of the same call, unless to the same
 *       provider and it deduplicates;</li>
 *   <li>never more calls of the campaign in flight than its cap;</li>
 *   <li>no call placed while the campaign is paused or cancelled, to a number on the do-not-call list, or
 *       outside the recipient's calling window;</li>
 *   <li>a target is attempted at most as often as its retry rules allow, each attempt a call with its own record
 *       whose hold is closed exactly once, after its end, at the cost the record bills;</li>
 *   <li>the campaign's counters equal a recount of its targets, and its total cost the sum of the settled costs
 *       of its finished targets' attempts (prices reported after the end included);</li>
 *   <li>a call answered by a machine is hung up at once when the campaign hangs up on machines;</li>
 *   <li>through an outage (every provider refusing a call before taking it: unavailable, 429, credentials refused),
 *       an attempt so refused counts against no retry rule: its target waits at least the outage delay and is tried
 *       again, at most the policy's outage attempts in all, then ends as unavailable, never as failed or done; and
 *       the outage pause's number of targets in a row refused so on one node, no call taken in between, pause the
 *       campaign as an outage, which nothing else does;</li>
 *   <li>at the end every target is in exactly one final state, told done exactly once, and the campaign is completed
 *       or cancelled.</li>
 * </ol>
 */
public final class CampaignModel {

    public static final String CUSTOMER = "campaigns";
    /** A Wednesday, 09:00 UTC: 14:30 in India. */
    private static final Instant START = Instant.parse("2026-01-14T09:00:00Z");
    private static final ZoneId INDIA = ZoneId.of("Asia/Kolkata");
    private static final LocalTime OPENS = LocalTime.of(10, 0);
    private static final LocalTime CLOSES = LocalTime.of(16, 0);
    private static final Duration LEASE = Duration.ofSeconds(30);
    private static final Geography GEOGRAPHY = new NaturalEarthGeography();
    private static final NumberInfo NUMBERS = new LibPhoneNumberInfo();

    private final CallPathModel.Backend backend;

    public CampaignModel(CallPathModel.Backend backend) {
        this.backend = backend;
    }

    /** A new in-memory store and ledger for each history. */
    public static CampaignModel inMemory() {
        return new CampaignModel(CallPathModel.inMemoryBackend());
    }

    /** Runs the history on fresh managers and checks every invariant; an AssertionError names the broken one. */
    public void run(CampaignHistory history) {
        backend.reset();
        new Run(history).execute();
    }

    static String number(int target) {
        return "+9198765" + String.format("%05d", target);
    }

    private final class Run {
        final CampaignHistory history;
        final Spec spec;
        final MutableClock clock = MutableClock.at(START);
        final CallStore store = backend.store();
        final RecordingLedger ledger = new RecordingLedger(backend.ledger(), store);
        final List<String> sentBeforeRecorded = new ArrayList<>();
        final ScriptedProvider cheap;
        final ScriptedProvider dear;
        final ScriptedProvider simulated;
        final List<GlobalCallingManager> nodes = new ArrayList<>();
        /** Each node's kill switch, by the node's index. */
        final List<KillSwitch> kills = new ArrayList<>();
        int started;
        String campaignId;
        /** Numbers on the do-not-call list, by the model. */
        final Set<String> suppressed = new LinkedHashSet<>();
        /** Whether the host paused or cancelled the campaign and it has not been resumed since. */
        boolean halted;
        boolean cancelled;
        /** Calls a machine answered, by a report, while they were live. */
        final Set<String> machineAnswered = new LinkedHashSet<>();
        /** While the providers are down, the refusals each takes in turn (empty: they are up). */
        List<ScriptedProvider.Outcome> outage = List.of();
        /** Every call the nodes recorded, in order. */
        final List<String> recorded = java.util.Collections.synchronizedList(new ArrayList<>());
        /** Per node (by index): the targets refused by every provider in a row since a provider took one of its calls. */
        final Map<Integer, Set<String>> streaks = new HashMap<>();
        /** How often each number was told done (a TargetDone event), on any node. */
        final Map<String, Integer> toldDone = new java.util.concurrent.ConcurrentHashMap<>();
        int stepIndex = -1;

        Run(CampaignHistory history) {
            this.history = history;
            this.spec = history.spec();
            this.cheap = scripted("cheap", "1.00").idempotentPlacement(spec.cheapIdempotent()).build();
            this.dear = scripted("dear", "1.50").build();
            this.simulated = scripted("simulated", "0.10").simulated(true).build();
        }

        ScriptedProvider.Builder scripted(String id, String perMinute) {
            // declares the longest search lag a history scripts, so a call it took is never ended as not placed
            return ScriptedProvider.builder().id(id).clock(clock).perMinute(Money.inr(perMinute))
                    .reconcileGrace(Duration.ofSeconds(CampaignHistories.MAX_SEARCH_LAG_SECONDS))
                    .categories(CallCategory.INTERNET_VOIP)
                    .onPlace(call -> {
                        if (store.find(call.callId()).isEmpty()) sentBeforeRecorded.add(call.callId() + " to '" + id + "'");
                    });
        }

        GlobalCallingManager startNode(KillSwitch kill) {
            GlobalCallingManager.Builder b = GlobalCallingManager.builder().discoverProviders(false)
                    .config(ProviderConfig.empty()).store(kill.guard(store)).ledger(ledger).clock(clock).geography(GEOGRAPHY)
                    .numberInfo(NUMBERS).provider(cheap).provider(dear).provider(simulated)
                    .pacing(p -> p.maxWait(Duration.ZERO).timeMeter(new ClockTimeMeter(clock)).clock(clock))
                    .campaignNode("node-" + started++, LEASE, Duration.ZERO, 1);
            ManagerTestAccess.resend(b, new Resend(3, Duration.ofSeconds(1), clock::advance));
            GlobalCallingManager m = b.build();
            m.campaigns().onEvent(e -> {
                if (e instanceof CampaignEvent.TargetDone d) toldDone.merge(d.number(), 1, Integer::sum);
            });
            return m;
        }

        GlobalCallingManager node(int i) {
            return nodes.get(i % nodes.size());
        }

        void execute() {
            for (int i = 0; i < spec.nodes(); i++) {
                kills.add(new KillSwitch(recorded));
                nodes.add(startNode(kills.get(i)));
            }
            try {
                create();
                for (CampaignHistory.Step step : history.steps()) {
                    stepIndex++;
                    apply(step);
                    checkAfterStep();
                }
                stepIndex = history.steps().size();
                drain();
                checkAfterStep();
                checkAtEnd();
                checkRetention();
            } finally {
                nodes.forEach(GlobalCallingManager::close);
            }
        }

        void create() {
            CampaignPolicy.Builder policy = CampaignPolicy.builder().callsPerSecond(spec.callsPerSecond())
                    .maxInFlight(spec.maxInFlight()).machineAction(spec.machineAction())
                    .windows(spec.quietHours() ? CallingWindows.everyDay(OPENS, CLOSES) : CallingWindows.always());
            Duration delay = Duration.ofSeconds(spec.retryDelay());
            if (spec.busy() > 0) policy.retry(Outcome.BUSY, delay, spec.busy());
            if (spec.noAnswer() > 0) policy.retry(Outcome.NO_ANSWER, delay, spec.noAnswer());
            if (spec.failed() > 0) policy.retry(Outcome.FAILED, delay, spec.failed());
            if (spec.machine() > 0) policy.retry(Outcome.MACHINE, delay, spec.machine());
            policy.outageRetries(Duration.ofSeconds(spec.outageDelay()), spec.outageAttempts())
                    .outagePause(spec.outagePause());
            GlobalCallingManager m = node(0);
            campaignId = m.campaigns().create(NewCampaign.named("Model").customerId(CUSTOMER)
                    .category(CallCategory.INTERNET_VOIP).policy(policy.build()).build());
            List<Target> targets = new ArrayList<>();
            for (int i = 0; i < spec.targets(); i++) {
                targets.add(Target.of(number(i)));
                if ((spec.suppressed() & (1 << i)) != 0) suppress(i);
            }
            m.campaigns().addTargets(campaignId, targets);
            m.campaigns().start(campaignId);
        }

        // ------------------------------------------------------------ steps

        void apply(CampaignHistory.Step step) {
            if (step instanceof CampaignHistory.Tick t) {
                tick(t);
            } else if (step instanceof Report r) {
                report(r);
            } else if (step instanceof CampaignHistory.Advance a) {
                clock.advance(Duration.ofSeconds(a.seconds()));
            } else if (step instanceof CampaignHistory.Pause) {
                control(() -> node(0).campaigns().pause(campaignId), true);
            } else if (step instanceof CampaignHistory.Resume) {
                // the resuming node forgets its streak (a resume says the providers are back)
                if (campaign().status() == Campaign.Status.PAUSED) streaks.remove(0);
                control(() -> node(0).campaigns().resume(campaignId), false);
            } else if (step instanceof CampaignHistory.Cancel) {
                control(() -> node(0).campaigns().cancel(campaignId), true);
                cancelled |= campaign().status() == Campaign.Status.CANCELED;
            } else if (step instanceof CampaignHistory.Suppress s) {
                suppress(s.target() % spec.targets());
            } else if (step instanceof CampaignHistory.Restart r) {
                int i = r.node() % nodes.size();
                if (r.midPlacement()) {
                    kills.get(i).armed = true;
                    tick(new CampaignHistory.Tick(i, List.of()));
                }
                nodes.get(i).close();   // its leases lapse; the calls it placed go on
                kills.set(i, new KillSwitch(recorded));
                streaks.remove(i);   // a node's streak is its own memory
                nodes.set(i, startNode(kills.get(i)));
            } else if (step instanceof CampaignHistory.Reconcile r) {
                node(r.node()).reconcile();
            } else if (step instanceof CampaignHistory.Outage o) {
                outage = o.refusals();
            }
        }

        /** Pauses, resumes or cancels; a move the campaign's status does not allow is refused and changes nothing. */
        void control(Runnable move, boolean halts) {
            try {
                move.run();
                if (!cancelled) halted = halts;
            } catch (IllegalStateException refused) {
                // e.g. resuming a completed campaign
            }
        }

        void suppress(int target) {
            node(0).campaigns().suppress(CUSTOMER, number(target));
            suppressed.add(number(target));
        }

        void tick(CampaignHistory.Tick t) {
            // while the providers are down, their refusals (and answers, when they flap) are the script
            if (outage.isEmpty()) t.cheap().forEach(cheap::next);
            for (int i = 0; !outage.isEmpty() && i < 60; i++) {
                cheap.next(outage.get(i % outage.size()));
                dear.next(outage.get(i % outage.size()));
            }
            int before = sends().size();
            int recordedBefore = recorded.size();
            Instant tickStart = clock.instant();
            boolean closed = spec.quietHours() && !open(clock.instant());
            Campaign atStart = campaign();
            try {
                node(t.node()).campaigns().runOnce();
            } catch (NodeKilled dead) {
                // the node died in this pass (a restart killing it mid-placement); the restart replaces it
            } finally {
                cheap.clearScript();
                dear.clearScript();
            }
            if (atStart.status() == Campaign.Status.PAUSED && sends().size() > before) {
                fail("nothing is placed while the campaign is paused", "call " + sends().get(before).callId()
                        + " was sent while it was paused (" + atStart.statusReason() + ")");
            }
            checkOutage(t.node() % nodes.size(), atStart, recorded.subList(recordedBefore, recorded.size()), tickStart);
            for (Attempt a : sends().subList(before, sends().size())) {
                CallRecord r = store.find(a.callId()).orElseThrow();
                if (halted) {
                    fail("nothing is placed while the campaign is paused or cancelled", "call " + a.callId() + " to "
                            + r.toNumber() + " was sent to '" + a.providerId() + "' while it was " + campaign().status());
                }
                if (suppressed.contains(r.toNumber())) {
                    fail("no call to a number on the do-not-call list", "call " + a.callId() + " to " + r.toNumber());
                }
                if (closed) {
                    fail("no call outside the recipient's calling window", "call " + a.callId() + " at "
                            + clock.instant().atZone(INDIA).toLocalTime() + " in India");
                }
            }
        }

        /**
         * Follows the calls node {@code nodeIndex} recorded in a pass, in order, as its streak of targets refused by
         * every provider: a target so refused waits at least the outage delay, the pause's number in a row (a call
         * taken resets it) pause a running campaign as an outage, and nothing else pauses it as one.
         */
        void checkOutage(int nodeIndex, Campaign atStart, List<String> newCalls, Instant tickStart) {
            Set<String> streak = streaks.computeIfAbsent(nodeIndex, i -> new LinkedHashSet<>());
            boolean running = atStart.status() == Campaign.Status.IN_PROGRESS;
            String pausedBy = null;
            for (String callId : List.copyOf(newCalls)) {
                CallRecord r = store.find(callId).orElse(null);
                if (r == null) continue;
                if (r.providerCallId() != null) {
                    streak.clear();
                    continue;
                }
                if (!refusedByAll(r)) continue;
                String targetId = r.metadata().get("campaignTarget");
                CampaignTarget t = targets().stream().filter(x -> x.targetId().equals(targetId)).findFirst().orElseThrow();
                Instant earliest = tickStart.plus(Duration.ofSeconds(spec.outageDelay()));
                if (t.state() == CampaignTarget.State.PENDING && String.valueOf(t.attempts()).equals(
                        r.metadata().get("campaignAttempt")) && (t.nextAttemptAt() == null
                        || t.nextAttemptAt().isBefore(earliest))) {
                    fail("a target every provider refused waits at least the outage delay", t.toNumber()
                            + " is due at " + t.nextAttemptAt() + " after call " + callId + " (" + r.errorReason()
                            + ") was refused at " + tickStart + ", delay " + spec.outageDelay() + " s");
                }
                if (running && pausedBy == null) {
                    streak.add(targetId);
                    if (streak.size() >= spec.outagePause()) {
                        pausedBy = "targets " + streak + ", the last by call " + callId;
                        streak.clear();
                    }
                }
            }
            Campaign after = campaign();
            if (pausedBy != null && !outagePaused(after)) {
                fail("the outage pause's number of targets in a row refused by every provider pause the campaign",
                        spec.outagePause() + " in a row (" + pausedBy + ") on node " + nodeIndex + ", yet it is "
                                + after.status() + " (" + after.statusReason() + ")");
            }
            if (pausedBy == null && outagePaused(after) && !outagePaused(atStart)) {
                fail("only a streak of targets refused by every provider pauses the campaign as an outage", "it was "
                        + atStart.status() + ", now paused (" + after.statusReason() + "), node " + nodeIndex
                        + "'s streak " + streak + " of " + spec.outagePause());
            }
        }

        static boolean outagePaused(Campaign c) {
            return c.status() == Campaign.Status.PAUSED && c.statusReason() != null
                    && c.statusReason().startsWith("outage: ");
        }

        /**
         * Whether every provider refused the call before taking it, by the providers' truth: it failed, no provider
         * holds it, and every request sent for it was refused before it could leave (or none was: the providers'
         * pacing, slowed by a 429, refused it first). A withdrawn call and one not found after it was sent are not.
         */
        boolean refusedByAll(CallRecord r) {
            if (r.status() != CallStatus.FAILED || r.providerId() == null || r.needsReconciliation()
                    || holder(r.callId()) != null || ErrorReason.NOT_PLACED.name().equals(r.errorReason())) {
                return false;
            }
            return sends().stream().filter(a -> a.callId().equals(r.callId())).noneMatch(a -> a.outcome().mayHaveLeft());
        }

        boolean open(Instant at) {
            LocalTime local = at.atZone(INDIA).toLocalTime();
            return !local.isBefore(OPENS) && local.isBefore(CLOSES);
        }

        /** Every placement the real providers received, in order. */
        List<Attempt> sends() {
            List<Attempt> all = new ArrayList<>(cheap.attempts());
            all.addAll(dear.attempts());
            all.sort(Comparator.comparingLong(Attempt::sequence));
            return all;
        }

        /** The calls a provider holds, in the order first sent. */
        List<String> heldCalls() {
            List<String> held = new ArrayList<>();
            for (Attempt a : sends()) {
                if (holder(a.callId()) != null && !held.contains(a.callId())) held.add(a.callId());
            }
            return held;
        }

        @Nullable ScriptedProvider holder(String callId) {
            return cheap.providerCallIdOf(callId).isPresent() ? cheap : dear.providerCallIdOf(callId).isPresent() ? dear : null;
        }

        void report(Report r) {
            List<String> held = heldCalls();
            if (held.isEmpty()) return;
            String callId = held.get(r.call() % held.size());
            ScriptedProvider p = holder(callId);
            String providerCallId = p.providerCallIdOf(callId).orElseThrow();
            // each report is its own moment: the store keeps one event per status and time (a replay)
            clock.advance(Duration.ofSeconds(1));
            boolean wasLive = !p.statusOf(callId).orElseThrow().isTerminal();
            Money price = r.price() == null ? null : Money.inr(r.price());
            CallStatus said = switch (r.said()) {
                case RINGING -> CallStatus.RINGING;
                case ANSWERED, HUMAN, MACHINE -> CallStatus.ANSWERED;
                case COMPLETED -> CallStatus.COMPLETED;
                case BUSY -> CallStatus.BUSY;
                case NO_ANSWER -> CallStatus.NO_ANSWER;
                case FAILED -> CallStatus.FAILED;
            };
            Duration talk = said == CallStatus.COMPLETED ? Duration.ofSeconds(60) : null;
            p.advance(providerCallId, said, talk, price);
            CallStatus truth = p.statusOf(callId).orElseThrow();
            // a report the far end can no longer make (it has ended otherwise) comes as the truth, repeated late
            CallStatus reported = truth.isTerminal() && said.isTerminal() ? truth : said;
            String answeredBy = r.said() == Said.HUMAN ? "human" : r.said() == Said.MACHINE ? "machine_start" : null;
            if (r.said() == Said.MACHINE && wasLive) machineAnswered.add(callId);
            // our call id rides on the per-call callback address, so even a call whose placement answer was lost is found
            CallEvent event = new CallEvent(p.id(), providerCallId, callId, reported, clock.instant(), null,
                    reported == CallStatus.COMPLETED ? Duration.ofSeconds(60) : null, price, null, null, answeredBy,
                    Map.of());
            post(node(r.node()), p, event);
        }

        void post(GlobalCallingManager m, ScriptedProvider provider, CallEvent event) {
            WebhookResponse response = m.webhooks().handle(provider.id(), provider.callback(event));
            if (response.status() >= 500) m.webhooks().handle(provider.id(), provider.callback(event));
        }

        /**
         * Drives the campaign to its end: resumes it if the host paused it, then, round after round, lets every
         * node pass over it, ends every live call and reconciles, time moving on.
         */
        void drain() {
            outage = List.of();
            if (halted && !cancelled) {
                node(0).campaigns().resume(campaignId);
                halted = false;
            }
            for (int round = 0; round < 40 && !atRest(); round++) {
                // the providers are back: the host resumes a campaign an outage paused (a 429's slow-down may still run)
                if (outagePaused(campaign())) node(0).campaigns().resume(campaignId);
                int placed = 0;
                // a few passes a second apart, as a scheduler ticks: a pass takes up an overdue lease first
                for (int pass = 0; pass < 3; pass++) {
                    for (GlobalCallingManager m : nodes) placed += m.campaigns().runOnce();
                    clock.advance(Duration.ofSeconds(1));
                }
                for (String callId : heldCalls()) {
                    ScriptedProvider p = holder(callId);
                    String providerCallId = p.providerCallIdOf(callId).orElseThrow();
                    p.advance(providerCallId, CallStatus.COMPLETED, Duration.ofSeconds(30), null);
                    CallStatus truth = p.statusOf(callId).orElseThrow();
                    if (store.find(callId).orElseThrow().status().isTerminal()) continue;
                    post(node(round), p, new CallEvent(p.id(), providerCallId, callId, truth, clock.instant(), null,
                            truth == CallStatus.COMPLETED ? Duration.ofSeconds(30) : null, null, null, null, null,
                            Map.of()));
                }
                nodes.forEach(GlobalCallingManager::reconcile);
                clock.advance(placed > 0 ? Duration.ofMinutes(10) : Duration.ofHours(2));
                checkAfterStep();
            }
        }

        /**
         * Whether every call has ended and every target is final, the campaign completed or cancelled, but for
         * unresolved calls and the targets that wait on them.
         */
        boolean atRest() {
            boolean callsEnded = attemptCalls().stream().allMatch(r -> r.status().isTerminal() || unresolved(r));
            return callsEnded && (campaign().isFinished() || waiting() > 0)
                    && targets().stream().allMatch(this::finalOrBlocked);
        }

        /**
         * A call whose placement may have been sent and that no provider holds: it stays unknown, its hold held,
         * until a person resolves it (the reconciler never guesses), and its target waits on it.
         */
        boolean unresolved(CallRecord r) {
            return !r.status().isTerminal() && r.needsReconciliation() && holder(r.callId()) == null;
        }

        long waiting() {
            return targets().stream().filter(this::waitsOnUnresolved).count();
        }

        /** Final, or waiting on an unresolved call, or pending while such calls fill the in-flight cap. */
        boolean finalOrBlocked(CampaignTarget t) {
            return t.isFinished() || waitsOnUnresolved(t)
                    || (t.state() == CampaignTarget.State.PENDING && waiting() >= spec.maxInFlight());
        }

        boolean waitsOnUnresolved(CampaignTarget t) {
            return t.attemptUnderWay() && attempt(t, t.attempts()).filter(this::unresolved).isPresent();
        }

        // ------------------------------------------------------------ invariants

        Campaign campaign() {
            return store.findCampaign(campaignId).orElseThrow();
        }

        List<CampaignTarget> targets() {
            return store.targets(campaignId, 0, 100);
        }

        static String attemptKey(String campaignId, CampaignTarget t, int attempt) {
            return "campaign:" + campaignId + ":" + t.targetId().replace("+", "") + ":" + attempt;
        }

        Optional<CallRecord> attempt(CampaignTarget t, int n) {
            return store.findByIdempotencyKey(CUSTOMER, attemptKey(campaignId, t, n));
        }

        /** The call records of every target's attempts. */
        List<CallRecord> attemptCalls() {
            List<CallRecord> calls = new ArrayList<>();
            for (CampaignTarget t : targets()) {
                for (int n = 1; n <= t.attempts(); n++) attempt(t, n).ifPresent(calls::add);
            }
            return calls;
        }

        void checkAfterStep() {
            if (!sentBeforeRecorded.isEmpty()) {
                fail("a record is written before any provider is asked", "call " + sentBeforeRecorded.get(0)
                        + " was sent with no record in the store");
            }
            if (!simulated.attempts().isEmpty()) {
                fail("a simulated provider never serves a call a real one was chosen for",
                        "call " + simulated.attempts().get(0).callId() + " was sent to the simulated provider");
            }
            checkNoResend();
            List<String> ledgerViolations = ledger.violations();
            if (!ledgerViolations.isEmpty()) fail("a hold is closed once, after its call's end", ledgerViolations.get(0));
            List<CampaignTarget> targets = targets();
            long live = attemptCalls().stream().filter(r -> !r.status().isTerminal()).count();
            long claimed = targets.stream().filter(CampaignTarget::attemptUnderWay).count();
            if (Math.max(live, claimed) > spec.maxInFlight()) {
                fail("never more calls in flight than the campaign's cap", live + " calls live, " + claimed
                        + " attempts under way, cap " + spec.maxInFlight() + ": " + targets);
            }
            Map<String, CallRecord> sent = new HashMap<>();
            for (Attempt a : sends()) sent.computeIfAbsent(a.callId(), id -> store.find(id).orElseThrow());
            for (CampaignTarget t : targets) checkTarget(t, sent.values());
            for (CampaignTarget t : targets) {
                int told = toldDone.getOrDefault(t.toNumber(), 0);
                if (told > 1 || (t.isFinished() && told != 1) || (!t.isFinished() && told != 0)) {
                    fail("every target ends exactly once", t.toNumber() + " is " + t.state() + " and was told done "
                            + told + " times");
                }
            }
            checkMachines();
            checkCounters(targets);
        }

        /** A send after one that may have left is allowed only to that same provider, and only if it deduplicates. */
        void checkNoResend() {
            Map<String, String> mayHaveLeftTo = new HashMap<>();
            for (Attempt a : sends()) {
                String earlier = mayHaveLeftTo.get(a.callId());
                boolean deduplicated = a.providerId().equals(earlier) && a.providerId().equals(cheap.id())
                        && spec.cheapIdempotent();
                if (earlier != null && !deduplicated) {
                    fail("a request whose bytes may have left is never sent again unless the provider deduplicates it",
                            "call " + a.callId() + " may have reached '" + earlier + "' and was sent again to '"
                                    + a.providerId() + "'");
                }
                if (a.outcome().mayHaveLeft()) mayHaveLeftTo.putIfAbsent(a.callId(), a.providerId());
            }
        }

        void checkTarget(CampaignTarget t, Collection<CallRecord> sent) {
            // an attempt its dying node recorded but never sent called no one: it is placed again under a new attempt
            // and one every provider refused before taking it called no one either: it counts against no retry rule
            long neverSent = 0;
            long refused = 0;
            for (int n = 1; n <= t.attempts(); n++) {
                Optional<CallRecord> r = attempt(t, n);
                if (r.filter(this::neverSent).isPresent()) neverSent++;
                else if (r.filter(this::refusedByAll).isPresent()) refused++;
            }
            if (t.attempts() - neverSent - refused > spec.maxAttempts()) {
                fail("a target is attempted at most as often as its retry rules allow", t.toNumber() + " has "
                        + t.attempts() + " attempts (" + neverSent + " never sent, " + refused + " refused by every"
                        + " provider), the rules allow " + spec.maxAttempts());
            }
            if (refused > spec.outageAttempts()) {
                fail("a target is refused by every provider at most as often as its outage attempts allow", t.toNumber()
                        + " had " + refused + " attempts refused so, the policy allows " + spec.outageAttempts());
            }
            checkRefusedEnd(t, refused);
            Set<String> calls = new LinkedHashSet<>();
            for (CallRecord r : sent) {
                if (t.targetId().equals(r.metadata().get("campaignTarget")) && !refusedByAll(r)) calls.add(r.callId());
            }
            if (calls.size() > spec.maxAttempts()) {
                fail("a target is attempted at most as often as its retry rules allow", t.toNumber() + " was called "
                        + calls.size() + " times " + calls + ", the rules allow " + spec.maxAttempts());
            }
            Set<String> own = new LinkedHashSet<>();
            for (int n = 1; n <= t.attempts(); n++) {
                Optional<CallRecord> r = attempt(t, n);
                if (r.isEmpty()) continue;
                if (!own.add(r.get().callId()) || !String.valueOf(n).equals(r.get().metadata().get("campaignAttempt"))) {
                    fail("each attempt is a call with its own record", t.toNumber() + " attempt " + n + " is call "
                            + r.get().callId() + " " + r.get().metadata());
                }
            }
            if (!own.containsAll(calls)) {
                fail("each attempt is a call with its own record", t.toNumber() + " was called " + calls
                        + " but its attempts are " + own);
            }
        }

        /**
         * A target whose last attempt every provider refused is not finished as failed or done: it is tried again, or
         * ends as unavailable (or skipped); and it ends as unavailable only then, once its outage attempts are used up
         * or its campaign was cancelled.
         */
        void checkRefusedEnd(CampaignTarget t, long refused) {
            boolean lastRefused = t.attempts() > 0 && attempt(t, t.attempts()).filter(this::refusedByAll).isPresent();
            boolean unavailable = t.state() == CampaignTarget.State.FAILED && "unavailable".equals(t.lastOutcome());
            if (lastRefused && (t.state() == CampaignTarget.State.DONE
                    || (t.state() == CampaignTarget.State.FAILED && !unavailable))) {
                fail("an attempt every provider refused is no call that failed: its target is tried again or ends as"
                        + " unavailable", t.toNumber() + " is " + t.state() + " (" + t.lastOutcome() + ") after attempt "
                        + t.attempts() + " (call " + attempt(t, t.attempts()).orElseThrow().callId() + ", "
                        + attempt(t, t.attempts()).orElseThrow().errorReason() + ")");
            }
            if (unavailable && (!lastRefused || (refused < spec.outageAttempts()
                    && campaign().status() != Campaign.Status.CANCELED))) {
                fail("a target ends as unavailable only once every provider refused its outage attempts", t.toNumber()
                        + " ended unavailable after " + refused + " refused attempts of " + spec.outageAttempts()
                        + (lastRefused ? "" : ", its last attempt not refused"));
            }
        }

        /** A call recorded by a node that died before naming a provider, ended as never sent. */
        boolean neverSent(CallRecord r) {
            return r.providerId() == null && r.status() == CallStatus.FAILED && r.errorMessage() != null
                    && r.errorMessage().startsWith("never sent");
        }

        void checkMachines() {
            MachineAction action = spec.machineAction();
            if (action != MachineAction.HANG_UP && action != MachineAction.RETRY) return;
            for (String callId : machineAnswered) {
                ScriptedProvider p = holder(callId);
                if (p != null && !p.statusOf(callId).orElseThrow().isTerminal()) {
                    fail("a call a machine answered is hung up at once", "call " + callId + " is still "
                            + p.statusOf(callId).orElseThrow() + " at '" + p.id() + "', the campaign hangs up on machines ("
                            + action + ")");
                }
            }
        }

        void checkCounters(List<CampaignTarget> targets) {
            Campaign c = campaign();
            int done = 0, failed = 0, refused = 0;
            int pending = 0, claimed = 0, skipped = 0;
            BigDecimal cost = BigDecimal.ZERO;
            Map<String, RecordingLedger.Hold> holds = ledger.holds();
            for (CampaignTarget t : targets) {
                switch (t.state()) {
                    case DONE -> done++;
                    case FAILED -> {
                        if ("refused".equals(t.lastOutcome())) refused++;
                        else failed++;
                    }
                    case SKIPPED -> skipped++;
                    case PENDING -> pending++;
                    case CLAIMED -> claimed++;
                }
                if (!t.isFinished()) continue;
                for (int n = 1; n <= t.attempts(); n++) {
                    Optional<CallRecord> r = attempt(t, n);
                    if (r.isEmpty()) continue;
                    RecordingLedger.Hold hold = holds.get(r.get().callId());
                    if (hold == null || !hold.closed()) {
                        fail("a finished target's attempts are settled", t.toNumber() + " is " + t.state()
                                + " but the hold of its attempt " + n + " (call " + r.get().callId() + ", "
                                + r.get().status() + ") is " + (hold == null ? "missing" : "open"));
                    }
                    cost = cost.add(hold.closedAt().amount());
                }
            }
            TargetCounts n = store.countTargets(campaignId);
            String recount = "done " + done + ", failed " + failed + ", refused " + refused + ", skipped " + skipped
                    + ", pending " + pending + ", claimed " + claimed + " of " + targets.size();
            if (c.totalNumbers() != targets.size() || c.successfulCalls() != done || c.failedCalls() != failed
                    || c.completedCalls() != done + failed || n.total() != targets.size() || n.done() != done
                    || n.failed() != failed + refused || n.skipped() != skipped || n.pending() != pending
                    || n.claimed() != claimed) {
                fail("the campaign's counters equal a recount of its targets", "campaign total " + c.totalNumbers()
                        + ", completed " + c.completedCalls() + ", successful " + c.successfulCalls() + ", failed "
                        + c.failedCalls() + "; store counts " + n + "; recount " + recount);
            }
            if (c.totalCost().amount().compareTo(cost) != 0) {
                fail("the campaign's cost is the sum of its finished targets' settled attempts", "campaign total "
                        + c.totalCost() + ", the settled attempts add up to " + cost + " INR");
            }
        }

        void checkAtEnd() {
            Campaign c = campaign();
            if (!c.isFinished() && waiting() == 0) fail("the campaign ends completed or cancelled", "it is " + c.status());
            for (CampaignTarget t : targets()) {
                if (!finalOrBlocked(t)) {
                    fail("every target ends in exactly one final state", t.toNumber() + " is " + t.state()
                            + " (attempts " + t.attempts() + ", last outcome " + t.lastOutcome() + ") in a "
                            + c.status() + " campaign");
                }
            }
            boolean hangsUp = spec.machineAction() == MachineAction.HANG_UP || spec.machineAction() == MachineAction.RETRY;
            for (CampaignTarget t : targets()) {
                if (hangsUp && t.state() == CampaignTarget.State.DONE && machineAnswered.contains(t.lastCallId())) {
                    fail("a call a machine answered is no success when the campaign hangs up on machines", t.toNumber()
                            + " is done with call " + t.lastCallId());
                }
            }
            Map<String, RecordingLedger.Hold> holds = ledger.holds();
            for (CallRecord r : attemptCalls()) {
                if (unresolved(r)) continue;
                RecordingLedger.Hold hold = holds.get(r.callId());
                if (!r.status().isTerminal() || hold == null || !hold.closed()) {
                    fail("every attempt's call ends and its hold is closed", "call " + r.callId() + " is "
                            + r.status() + ", its hold " + (hold == null ? "missing" : hold.closed() ? "closed" : "open"));
                }
                BigDecimal billed = r.cost() == null ? BigDecimal.ZERO : r.cost().amount();
                if (billed.compareTo(hold.closedAt().amount()) != 0) {
                    fail("the ledger settles what the record bills", "call " + r.callId() + " bills " + r.cost()
                            + ", its hold was settled at " + hold.closedAt());
                }
            }
        }

        /**
         * The store's retention, run once the campaign is at rest with everything before now expired, forgets the
         * campaign and its targets exactly when nothing of it is left to count (it is finished and no attempt is
         * under way); the calls' late reports after that bring back nothing and close no hold again.
         */
        void checkRetention() {
            Campaign c = campaign();
            List<CampaignTarget> targets = targets();
            boolean forgettable = c.isFinished()
                    && targets.stream().noneMatch(t -> t.state() == CampaignTarget.State.CLAIMED);
            clock.advance(Duration.ofSeconds(1));
            backend.purgeBefore(clock.instant());
            Set<String> forgotten = new LinkedHashSet<>(heldCalls());
            forgotten.removeIf(id -> store.find(id).isPresent());
            boolean kept = store.findCampaign(campaignId).isPresent();
            if (kept == forgettable) {
                fail("retention forgets a campaign exactly when nothing of it is left to count", "a " + c.status()
                        + " campaign with targets " + targets + " was " + (kept ? "kept" : "forgotten"));
            }
            if (store.targets(campaignId, 0, 100).size() != (kept ? targets.size() : 0)) {
                fail("a campaign's targets go with it and only with it", (kept ? "kept" : "forgotten")
                        + " campaign, targets now " + store.targets(campaignId, 0, 100));
            }
            Map<String, Integer> closes = new HashMap<>();
            ledger.holds().forEach((id, hold) -> closes.put(id, hold.closeRequests()));
            for (String callId : heldCalls()) {
                ScriptedProvider p = holder(callId);
                String providerCallId = p.providerCallIdOf(callId).orElseThrow();
                CallStatus truth = p.statusOf(callId).orElseThrow();
                post(node(0), p, new CallEvent(p.id(), providerCallId, callId, truth, clock.instant(), null,
                        truth == CallStatus.COMPLETED ? Duration.ofSeconds(30) : null, Money.inr("9.99"), null, null,
                        null, Map.of()));
            }
            for (String callId : forgotten) {
                if (store.find(callId).isPresent()) {
                    fail("a forgotten call stays forgotten", "call " + callId + " came back with a late report");
                }
            }
            if (!kept && store.findCampaign(campaignId).isPresent()) {
                fail("a forgotten campaign stays forgotten", "it came back with its calls' late reports");
            }
            ledger.holds().forEach((id, hold) -> {
                if (!Objects.equals(closes.get(id), hold.closeRequests())) {
                    fail("a hold is closed once, after its call's end", "call " + id + "'s hold was asked to close again"
                            + " by a late report after the retention");
                }
            });
        }

        void fail(String invariant, String detail) {
            String when = stepIndex < history.steps().size() ? "after step " + stepIndex + " (" + history.steps().get(stepIndex) + ")"
                    : "at the end (the campaign driven to its end)";
            throw new AssertionError("invariant '" + invariant + "' broken " + when + ": " + detail);
        }
    }

    /** A node's end: thrown by its store once it is killed, so the node does nothing more. */
    private static final class NodeKilled extends Error {
        NodeKilled() {
            super("node killed", null, false, false);
        }
    }

    /** One node's view of the store: once armed, the node dies right after it records a call, before any provider is asked. */
    private static final class KillSwitch {
        volatile boolean armed;
        private volatile boolean dead;
        /** Where each call the node records is told, in order. */
        private final List<String> recorded;

        KillSwitch(List<String> recorded) {
            this.recorded = recorded;
        }

        CallStore guard(CallStore store) {
            return (CallStore) Proxy.newProxyInstance(CallStore.class.getClassLoader(), new Class<?>[] {CallStore.class},
                    (proxy, method, args) -> {
                        if (dead) throw new NodeKilled();
                        Object result;
                        try {
                            result = method.invoke(store, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                        if (method.getName().equals("create") && args[0] instanceof CallRecord r) recorded.add(r.callId());
                        if (armed && method.getName().equals("create")) {
                            dead = true;
                            throw new NodeKilled();
                        }
                        return result;
                    });
        }
    }
}
