package io.globalcalling.core.invariants;

import io.globalcalling.testkit.RecordingLedger;
import io.globalcalling.CallCategory;
import io.globalcalling.Endpoint;
import io.globalcalling.InboundMessage;
import io.globalcalling.core.CallFailedException;
import io.globalcalling.core.ManagerTestAccess;
import io.globalcalling.core.placement.CallPlacer;
import io.globalcalling.core.placement.Resend;
import io.globalcalling.core.GlobalCallingManager;
import io.globalcalling.core.coverage.Geography;
import io.globalcalling.core.coverage.LibPhoneNumberInfo;
import io.globalcalling.core.coverage.NaturalEarthGeography;
import io.globalcalling.core.coverage.NumberInfo;
import io.globalcalling.core.invariants.History.Deliver;
import io.globalcalling.core.invariants.History.LifeEvent;
import io.globalcalling.core.invariants.History.Place;
import io.globalcalling.core.limits.ClockTimeMeter;
import io.globalcalling.core.limits.LimitExceededException;
import io.globalcalling.core.routing.NoRouteException;
import io.globalcalling.core.store.InMemoryCallStore;
import io.globalcalling.core.store.InMemoryLimitLedger;
import io.globalcalling.spi.CallEvent;
import io.globalcalling.spi.CallingProvider;
import io.globalcalling.spi.InboundMessageSink;
import io.globalcalling.spi.ProviderCapabilities;
import io.globalcalling.spi.ProviderContext;
import io.globalcalling.CallRequest;
import io.globalcalling.CallStatus;
import io.globalcalling.ErrorReason;
import io.globalcalling.Money;
import io.globalcalling.spi.ProviderConfig;
import io.globalcalling.WebhookResponse;
import io.globalcalling.CallRecord;
import io.globalcalling.spi.store.CallStore;
import io.globalcalling.spi.store.LimitLedger;
import io.globalcalling.spi.store.LimitLedger.PeriodUsage;
import io.globalcalling.spi.store.StoredEvent;
import io.globalcalling.testkit.MutableClock;
import io.globalcalling.testkit.ScriptedProvider;
import io.globalcalling.testkit.ScriptedProvider.Attempt;
import org.jspecify.annotations.Nullable;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * Runs one {@link History} through a real {@link GlobalCallingManager} on two real {@link ScriptedProvider}s
 * (found by discovery, so their terminals' messages reach the manager through its context) and a cheaper
 * simulated one, and checks the call path's invariants after every step and at the end:
 * <ol>
 *   <li>a call's record exists before any provider is asked to place it;</li>
 *   <li>each hold is closed (settled or released) exactly once, after its call's first terminal status,
 *       at the cost the record bills; the ledger's usage is the settled costs plus the open holds;</li>
 *   <li>no placement whose bytes may have left is followed by another of the same call, unless it goes to the
 *       same provider and that provider deduplicates by our call id;</li>
 *   <li>the simulated provider never serves a call, since the real ones serve every category asked for;</li>
 *   <li>a record's status only moves forward (answered, waiting for an agent, with an agent, an end);</li>
 *   <li>a record's billed facts (status, duration, end) never change after its first terminal status, nor its
 *       cost once stored, and a terminal status agrees with the provider's truth;</li>
 *   <li>a call's stored events are all distinct;</li>
 *   <li>nothing is left pending that the manager could settle: in particular a create that never reached its
 *       provider (or that the provider refused after its answer was lost) ends as not placed, its hold
 *       released, once the provider's declared search lag has passed;</li>
 *   <li>a hold is never released as "not placed" for a call a provider has;</li>
 *   <li>the store's retention forgets only a call that can no longer change what is billed (ended, its hold
 *       closed at what it bills, no reconciliation pending), and a forgotten call stays forgotten whatever
 *       callbacks come for it later;</li>
 *   <li>once the call timeout ({@value #CALL_TIMEOUT_MINUTES} minutes) has passed, reconciliation settles a call
 *       its provider has ended though its final callback never came;</li>
 *   <li>where the store erases numbers, an erasure changes nothing billed (the invariants above hold through it), a
 *       call whose number was erased stays erased with no details in its events whatever arrives later, and every
 *       call to the number that is settled by the end has been erased;</li>
 *   <li>a call its provider priced is billed that price, or, when the FX table cannot convert it, its rate, the price
 *       kept once in a {@code price_not_converted} event; one it did not price is billed at least its provider's fee
 *       per call, whoever ended it; an end settled as reported ({@code settled_as_reported}) is
 *       one its provider reported, settled once, whatever comes once the provider is back;</li>
 *   <li>after a reconciliation pass, every call still unresolved once its grace has passed (its provider's, the
 *       default for one not active) has been reported, and no call is reported twice, restarts included;</li>
 *   <li>each settlement is announced once ({@code onSettled}), with the cost stored;</li>
 *   <li>an id a provider names for a call whose outcome is unknown ({@code ProviderException.providerCallId}) is kept
 *       on its record, the one record the store finds under it, so that a report naming only that id completes the
 *       call; when the provider never took it, the call stays held and is reported, never ended as not placed;</li>
 *   <li>a call its caller stopped wanting before it was sent (a campaign paused while it waited for its turn) is
 *       sent nothing more: it ends failed, as not placed with one {@code withdrawn} event when no provider was sent
 *       it, and its hold is released; a call with a {@code withdrawn} event was sent to no provider;</li>
 *   <li>the store keeps one record per call placed.</li>
 * </ol>
 *
 * <p>The limit ledger may be down for a settle or two ({@link History.LedgerDown}). A failed settlement is then
 * expected to surface where it happened, and only there: a callback answered 500 (its provider delivers it again, now
 * or later), a reconciliation pass or a placement that throws the ledger's failure, as a host would log it. Any other
 * failure, or one the ledger did not throw, still breaks the history. The ledger is up again before the final hour,
 * so every invariant above holds at the end as if it had never been down.
 *
 * <p>The manager may restart on the same store and ledger without one of the real providers ({@link History.Restart}):
 * the provider keeps its calls, but while it is away the manager cannot ask it anything and hears nothing from it.
 * Their lookups (fetches and searches) may fail for a while ({@link History.LookupsDown}). Before the final hour an
 * hour passes with a provider still away and lookups still failing, and a pass runs, before both come back.
 *
 * <p>Both real providers declare a search lag ({@code reconcileGrace}) of {@value #SEARCH_LAG_SECONDS} seconds,
 * the longest lag a random history scripts: they keep their promise, so any call ended as not placed that a
 * provider has is the manager's fault.
 */
public final class CallPathModel {

    /** Where the manager keeps calls and limit counters; fresh (or emptied) for each history. */
    public interface Backend {
        CallStore store();

        LimitLedger ledger();

        /** Forgets every call and counter of earlier histories. */
        void reset();

        /** Runs the store's retention with {@code cutoff} as the oldest start kept. */
        void purgeBefore(Instant cutoff);

        /**
         * Erases {@code number} and carries on what erasures left to do, deleting at the providers through
         * {@code atProviders}; false, doing nothing, where the store cannot erase.
         */
        default boolean erase(String number, BiConsumer<String, String> atProviders) {
            return false;
        }

        /** Carries on what erasures left to do (calls deferred until settled, deletions at the providers). */
        default void continueErasures(BiConsumer<String, String> atProviders) {
        }
    }

    public static final String CUSTOMER = "model";
    /** The search lag both real providers declare, and the longest a history scripts. */
    public static final int SEARCH_LAG_SECONDS = 600;
    /** The manager's call timeout: shorter than a long history, so that some calls pass it between its steps. */
    public static final int CALL_TIMEOUT_MINUTES = 30;
    /** The fee (INR) each real provider charges for every call it ends: no end it did not price is free. */
    private static final Map<String, String> PER_CALL = Map.of("cheap", "0.20", "dear", "0.30");
    /** A currency the manager's FX table cannot convert to its reporting currency (INR). */
    public static final String UNCONVERTIBLE = "AUD";
    private static final String INDIA = "+919876543210";
    /** How a store that erases writes the number it replaced (see the JDBI store's erase). */
    private static final String ERASED = "erased:";
    private static final String TERMINAL = "imei:300234010753370";
    private static final int MESSAGE_BYTES = 340;
    private static final Geography GEOGRAPHY = new NaturalEarthGeography();
    private static final NumberInfo NUMBERS = new LibPhoneNumberInfo();

    private final Backend backend;

    public CallPathModel(Backend backend) {
        this.backend = backend;
    }

    /** A call the model placed, and what the far end does with it if a provider took it. */
    private record Placed(String callId, Instant startedAt, ScriptedProvider holder, String providerCallId,
                          List<LifeEvent> life, boolean message) {
    }

    /** What a record bills, compared field by field once it is terminal. */
    private record Billed(CallStatus status, String cost, Integer durationSeconds, Instant endedAt) {
        static Billed of(CallRecord r) {
            return new Billed(r.status(), r.cost() == null ? null : r.cost().amount().stripTrailingZeros().toPlainString()
                    + " " + r.cost().currency(), r.durationSeconds(), r.endedAt());
        }

        /** The same bill with its cost stored: what a settlement that failed at the end stores when it is finished. */
        boolean settles(Billed later) {
            return cost == null && later.cost != null
                    && new Billed(status, later.cost, durationSeconds, endedAt).equals(later);
        }
    }

    /** A callback its provider still has to deliver, its last delivery having been answered 5xx. */
    private record Owed(ScriptedProvider provider, CallEvent event) {
    }

    /** A new in-memory store and ledger for each history. */
    public static CallPathModel inMemory() {
        return new CallPathModel(inMemoryBackend());
    }

    /** A backend that makes a new in-memory store and ledger on each reset. */
    public static Backend inMemoryBackend() {
        return new Backend() {
            private CallStore store;
            private LimitLedger ledger;

            @Override
            public CallStore store() {
                return store;
            }

            @Override
            public LimitLedger ledger() {
                return ledger;
            }

            @Override
            public void reset() {
                store = new InMemoryCallStore();
                ledger = new InMemoryLimitLedger();
            }

            @Override
            public void purgeBefore(Instant cutoff) {
                ((InMemoryCallStore) store).purgeBefore(cutoff);
            }
        };
    }

    /**
     * Runs the history on a fresh manager and checks every invariant; an AssertionError names the broken one.
     *
     * @return the types of the events the manager logged on the calls itself ({@code settled_as_reported},
     *         {@code price_not_converted}, {@code unresolved}, ...): which of its paths the history took
     */
    public Set<String> run(History history) {
        backend.reset();
        return new Run(history).execute();
    }

    private final class Run {
        final History history;
        final MutableClock clock = MutableClock.create();
        final CallStore store = backend.store();
        final List<String> sentBeforeRecorded = new ArrayList<>();
        final ScriptedProvider simulated = scripted("simulated", "0.10").simulated(true).build();
        /** Where each real provider's terminals' messages go: the inbound sink of the manager it is active in. */
        final Map<String, InboundMessageSink> inbound = new ConcurrentHashMap<>();
        final ScriptedProvider cheap;
        final ScriptedProvider dear;
        /** The real provider the running manager was started without, or null. */
        String away;
        /** How often the manager reported each call as unresolved, across restarts. */
        final Map<String, Integer> reportedUnresolved = new ConcurrentHashMap<>();
        /** Each settlement the managers announced, by call, across restarts: the cost each announcement carried. */
        final Map<String, List<Money>> announcedSettled = new ConcurrentHashMap<>();
        final Map<String, CallStatus> seen = new HashMap<>();
        final RecordingLedger ledger = new RecordingLedger(backend.ledger(), store);
        final List<Placed> placed = new ArrayList<>();
        final Map<String, Billed> billed = new HashMap<>();
        /** Calls the retention removed, as they were just before. */
        final Map<String, CallRecord> forgotten = new HashMap<>();
        /** Voice calls placed before the last erasure of their number; empty where the store cannot erase. */
        final Set<String> toErase = new HashSet<>();
        /** Calls whose number the store has replaced with its pseudonym. */
        final Set<String> erased = new HashSet<>();
        /** Callbacks still answered 5xx after their redelivery: their providers deliver them again later. */
        final List<Owed> owed = new ArrayList<>();
        int stepIndex = -1;
        GlobalCallingManager manager;

        Run(History history) {
            this.history = history;
            // they outlive the manager's restarts, keeping their calls
            cheap = scripted("cheap", "1.00").perCall(Money.inr(PER_CALL.get("cheap"))).idempotentPlacement(history.cheapIdempotent()).inbound(toManager("cheap")).build();
            dear = scripted("dear", "1.50").perCall(Money.inr(PER_CALL.get("dear"))).inbound(toManager("dear")).build();
        }

        /** A provider's messages reach the manager only while it is active there: one that left delivers nothing. */
        InboundMessageSink toManager(String id) {
            return message -> {
                InboundMessageSink sink = inbound.get(id);
                if (sink != null) sink.accept(message);
            };
        }

        /** A provider of voice calls and satellite messages whose every send is checked against the store first. */
        ScriptedProvider.Builder scripted(String id, String perMinute) {
            return ScriptedProvider.builder().id(id).clock(clock).perMinute(Money.inr(perMinute))
                    .reconcileGrace(Duration.ofSeconds(SEARCH_LAG_SECONDS))
                    .categories(CallCategory.INTERNET_VOIP, CallCategory.SATELLITE).maxPayloadBytes(1890)
                    .onPlace(call -> {
                        if (store.find(call.callId()).isEmpty()) sentBeforeRecorded.add(call.callId() + " to '" + id + "'");
                    });
        }

        /** Starts a manager on the store and ledger with the real providers but {@code without} (when not null). */
        void start(String without) {
            GlobalCallingManager.Builder builder = GlobalCallingManager.builder().config(ProviderConfig.empty())
                    .store(store).ledger(ledger).clock(clock).geography(GEOGRAPHY).numberInfo(NUMBERS)
                    .callTimeout(Duration.ofMinutes(CALL_TIMEOUT_MINUTES))
                    .provider(simulated)
                    .pacing(p -> p.maxWait(Duration.ZERO).timeMeter(new ClockTimeMeter(clock)).clock(clock));
            ManagerTestAccess.resend(builder, new Resend(3, Duration.ofSeconds(1), clock::advance));
            Map<String, Function<ProviderContext, CallingProvider>> active = new HashMap<>();
            for (ScriptedProvider p : List.of(cheap, dear)) {
                if (p.id().equals(without)) continue;
                active.put(p.id(), context -> {
                    inbound.put(p.id(), context.inbound());
                    return p;
                });
            }
            inbound.clear();
            away = without;
            manager = ScriptedDiscovery.build(builder, active);
            manager.onUnresolved(u -> reportedUnresolved.merge(u.record().callId(), 1, Integer::sum));
            manager.onSettled(r -> announcedSettled.computeIfAbsent(r.callId(), id -> new ArrayList<>()).add(r.cost()));
        }

        /** The running manager stops (its providers stay, with their calls), and one starts {@code without}. */
        void restart(String without) {
            manager.close();
            start(without);
        }

        Set<String> execute() {
            start(null);
            try {
                for (History.Step step : history.steps()) {
                    stepIndex++;
                    apply(step);
                    checkAfterStep();
                }
                stepIndex = history.steps().size();
                ledger.up();
                if (away != null || history.steps().stream().anyMatch(s -> s instanceof History.LookupsDown)) {
                    // an hour on with the ledger back, a provider still away or its lookups failing still: what can
                    // be settled as reported is, and what cannot is reported
                    clock.advance(Duration.ofHours(1));
                    manager.reconcile();
                    checkReported();
                    checkAfterStep();
                    cheap.failLookups(0);
                    dear.failLookups(0);
                    if (away != null) restart(null);
                }
                // the providers are back, and deliver what was refused while the ledger was down
                for (Owed o : owed) redeliver(o);
                clock.advance(Duration.ofHours(1));
                manager.reconcile();
                backend.continueErasures(manager::eraseAtProvider);
                checkAfterStep();
                checkAtEnd();
                Set<String> taken = new HashSet<>();
                for (Placed c : placed) {
                    store.events(c.callId()).stream().filter(e -> "core".equals(e.source())).forEach(e -> taken.add(e.type()));
                }
                return taken;
            } finally {
                manager.close();
            }
        }

        // ------------------------------------------------------------ steps

        void apply(History.Step step) {
            if (step instanceof Place p) {
                place(p, null);
            } else if (step instanceof History.Withdraw w) {
                withdraw(w);
            } else if (step instanceof Deliver d) {
                deliver(d);
            } else if (step instanceof History.DeliverUnknown u) {
                deliverUnknown(u);
            } else if (step instanceof History.Confirm c) {
                confirm(c);
            } else if (step instanceof History.Advance a) {
                clock.advance(Duration.ofSeconds(a.seconds()));
            } else if (step instanceof History.Purge) {
                purge();
            } else if (step instanceof History.Erase) {
                if (backend.erase(INDIA, manager::eraseAtProvider)) {
                    placed.stream().filter(c -> !c.message()).forEach(c -> toErase.add(c.callId()));
                }
            } else if (step instanceof History.LedgerDown down) {
                ledger.downForSettles(down.settles());
            } else if (step instanceof History.Restart r) {
                restart(r.without());
            } else if (step instanceof History.LookupsDown down) {
                cheap.failLookups(down.lookups());
                dear.failLookups(down.lookups());
            } else {
                try {
                    manager.reconcile();
                } catch (RuntimeException e) {
                    // a pass stops at a settlement the ledger failed; the call stays flagged for the next one
                    if (!ledger.threw(e)) throw e;
                    return;
                }
                checkReported();
            }
        }

        /** Runs the retention on everything started before now, and checks that only finished calls went. */
        void purge() {
            Map<String, CallRecord> before = new HashMap<>();
            for (Placed c : placed) store.find(c.callId()).ifPresent(r -> before.put(c.callId(), r));
            backend.purgeBefore(clock.instant());
            for (Map.Entry<String, CallRecord> e : before.entrySet()) {
                if (store.find(e.getKey()).isPresent()) continue;
                CallRecord r = e.getValue();
                RecordingLedger.Hold hold = ledger.holds().get(r.callId());
                if (!r.status().isTerminal() || r.needsReconciliation() || (hold != null && !hold.closed())) {
                    fail("retention forgets only a call that can no longer change what is billed", "call "
                            + r.callId() + " was forgotten while " + r.status()
                            + (r.needsReconciliation() ? ", flagged for reconciliation" : "")
                            + (hold != null && !hold.closed() ? ", its hold of " + hold.reserved() + " open" : ""));
                }
                forgotten.put(r.callId(), r);
            }
        }

        /**
         * Places a call as {@code p} scripts it, through {@code manager.call}, or, with {@code stillWanted}, sent only
         * while that says it is still wanted (as a campaign's call is).
         *
         * @return the call's id, or null when it was refused before anything was recorded
         */
        @Nullable String place(Place p, @Nullable BooleanSupplier stillWanted) {
            cheap.next(p.first());
            p.resends().forEach(cheap::next);
            dear.next(p.second());
            Instant startedAt = clock.instant();
            CallRequest request = p.message()
                    ? CallRequest.to(TERMINAL).category(CallCategory.SATELLITE).payload(new byte[MESSAGE_BYTES])
                            .customerId(CUSTOMER).build()
                    : CallRequest.to(INDIA).customerId(CUSTOMER).build();
            String callId;
            String heldBefore = ledger.lastReserved();
            try {
                callId = stillWanted == null ? manager.call(request).callId()
                        : ManagerTestAccess.callOnce(manager, request, stillWanted).call().callId();
            } catch (CallFailedException e) {
                callId = e.callId();
            } catch (NoRouteException | LimitExceededException e) {
                callId = null;   // refused before anything was recorded
            } catch (RuntimeException e) {
                // the end decided at placement was not settled (the ledger failed): the call is recorded, and the
                // exception does not name it, but its hold, reserved just now, does
                if (!ledger.threw(e)) throw e;
                callId = ledger.lastReserved();
                if (callId == null || callId.equals(heldBefore)) throw e;
            } finally {
                cheap.clearScript();
                dear.clearScript();
            }
            if (callId == null) return null;
            ScriptedProvider holder = cheap.providerCallIdOf(callId).isPresent() ? cheap
                    : dear.providerCallIdOf(callId).isPresent() ? dear : null;
            String providerCallId = holder == null ? null : holder.providerCallIdOf(callId).orElseThrow();
            List<LifeEvent> life = p.life();
            if (holder != null) {
                CallStatus atPlacement = holder.statusOf(callId).orElseThrow();
                if (atPlacement.isTerminal()) {
                    // the call ended at placement: that is all the far end will ever report
                    life = List.of(new LifeEvent(atPlacement, 0, 0, null));
                }
                for (LifeEvent e : life) {
                    holder.advance(providerCallId, e.status(), e.duration() == null ? null : Duration.ofSeconds(e.duration()),
                            e.price() == null ? null : money(e.price()));
                }
            }
            placed.add(new Placed(callId, startedAt, holder, providerCallId, life, p.message()));
            return callId;
        }

        /**
         * A voice call its caller stops wanting after {@code wantedFor} sends were asked about (a campaign paused while
         * the call waited for its turn). Once it has said no, nothing more is sent; the call ends failed, as not placed
         * with a {@value CallPlacer#WITHDRAWN} event when no earlier option refused it or had no turn for it, with the
         * last refusal's reason otherwise, and its hold is released then and there, unless the ledger failed that
         * release.
         */
        void withdraw(History.Withdraw w) {
            int[] asked = {0};
            int[] sentWhenWithdrawn = {-1};
            BooleanSupplier stillWanted = () -> {
                if (asked[0]++ < w.wantedFor()) return true;
                sentWhenWithdrawn[0] = cheap.attempts().size() + dear.attempts().size();
                return false;
            };
            int ledgerFailures = ledger.failures();
            String callId = place(new Place(w.first(), w.second(), List.of()), stillWanted);
            if (sentWhenWithdrawn[0] < 0) return;   // never withdrawn: placed as any call
            int sent = cheap.attempts().size() + dear.attempts().size();
            if (sent != sentWhenWithdrawn[0]) {
                fail("a withdrawn call never reaches a provider", "call " + callId + " was sent "
                        + (sent - sentWhenWithdrawn[0]) + " more time(s) after its caller said it no longer wanted it");
            }
            if (callId == null) {
                fail("a withdrawn call is on record", "the call was asked whether still wanted, so admitted and recorded,"
                        + " but the placement named no call");
            }
            CallRecord r = store.find(callId).orElseThrow(() -> new AssertionError("call " + callId + " has no record"));
            List<StoredEvent> events = store.events(callId);
            long withdrawn = events.stream().filter(e -> CallPlacer.WITHDRAWN.equals(e.type())).count();
            // an earlier option that did not take it (refused it, or had no turn for it) is why it failed, if any
            String refusal = events.stream().filter(e -> "failover".equals(e.type())).reduce((a, b) -> b)
                    .map(e -> e.data().get("reason")).orElse(null);
            String expected = refusal == null ? ErrorReason.NOT_PLACED.name() : refusal;
            if (r.status() != CallStatus.FAILED || !expected.equals(r.errorReason())
                    || withdrawn != (refusal == null ? 1 : 0)) {
                fail("a call withdrawn before it was sent ends failed, as not placed when no option refused it",
                        "call " + callId + " is " + r.status() + " (" + r.errorReason() + ") with " + withdrawn
                                + " withdrawn event(s); expected FAILED (" + expected + ")");
            }
            RecordingLedger.Hold hold = ledger.holds().get(callId);
            boolean released = hold != null && hold.closed() && hold.closedAt().amount().signum() == 0;
            if (!released && ledger.failures() == ledgerFailures) {
                fail("a withdrawn call's hold is released", "call " + callId + "'s hold is "
                        + (hold == null ? "missing" : hold.closed() ? "settled at " + hold.closedAt() : "still open"));
            }
        }

        /** The provider holding a message confirms its delivery, the truth moving to completed with it. */
        void confirm(History.Confirm step) {
            List<Placed> taken = placed.stream().filter(c -> c.message() && c.holder() != null).toList();
            if (taken.isEmpty()) return;
            Placed c = taken.get(step.call() % taken.size());
            CallStatus truth = c.holder().statusOf(c.callId()).orElseThrow();
            if (truth.isTerminal() && truth != CallStatus.COMPLETED) return;   // it failed: nothing to confirm
            c.holder().advance(c.providerCallId(), CallStatus.COMPLETED);
            InboundMessage.Builder confirmation = InboundMessage.builder(c.holder().id(), Endpoint.parse(TERMINAL),
                            InboundMessage.Kind.DELIVERY_CONFIRMATION)
                    .receivedAt(clock.instant()).providerCallId(c.providerCallId())
                    .providerMessageId("confirm-" + c.providerCallId());
            if (step.carriesCallId()) confirmation.callId(c.callId());
            try {
                c.holder().receive(confirmation.build());
            } catch (RuntimeException e) {
                // the sink throws what failed, for the provider to have the confirmation delivered again (a later step)
                if (!ledger.threw(e)) throw e;
            }
        }

        void deliver(Deliver d) {
            List<Placed> live = placed.stream().filter(c -> c.holder() != null && !c.life().isEmpty()).toList();
            if (live.isEmpty()) return;
            Placed c = live.get(d.call() % live.size());
            LifeEvent e = c.life().get(d.event() % c.life().size());
            Instant happened = c.startedAt().plusSeconds(e.atSecond());
            Instant stamp = switch (d.stamp()) {
                case TRUE -> happened;
                case BEFORE_START -> happened.minus(Duration.ofHours(1));
                case LATE -> happened.plus(Duration.ofMinutes(10));
                case MISSING -> clock.instant();
            };
            CallEvent event = new CallEvent(c.holder().id(), c.providerCallId(), d.echoesCallId() ? c.callId() : null,
                    e.status(), stamp, (long) c.life().indexOf(e) + 1,
                    e.duration() == null ? null : Duration.ofSeconds(e.duration()),
                    e.price() == null ? null : money(e.price()), null, null, null, Map.of(),
                    // a failed end says why, as Twilio's SIP code or Vonage's detail does: the lifecycle keeps it
                    e.status() == CallStatus.FAILED ? ErrorReason.INVALID_DESTINATION : null);
            post(c.holder(), event);
        }

        void deliverUnknown(History.DeliverUnknown u) {
            CallEvent event = u.byCallId()
                    ? CallEvent.status("cheap", null, "call_00000000000000000000000000000000", u.status(), clock.instant())
                    : CallEvent.status("cheap", "CHEAP-GHOST", null, u.status(), clock.instant());
            post(cheap, event);
        }

        /**
         * Delivers a callback; like a real provider, delivers it once more when the answer is a 5xx, and later again
         * (at the end of the history) when that too is.
         */
        void post(ScriptedProvider provider, CallEvent event) {
            if (refused(provider, event) && refused(provider, event)) owed.add(new Owed(provider, event));
        }

        /** The provider's later retries of a callback refused while the ledger was down. */
        void redeliver(Owed o) {
            for (int retry = 0; retry < 3; retry++) {
                if (!refused(o.provider(), o.event())) return;
            }
            fail("a callback refused while the ledger was down is applied once it is back", o.event()
                    + " is still answered 5xx");
        }

        /** Delivers a callback once: true when it was answered 5xx, which only a settlement the ledger failed may cause. */
        boolean refused(ScriptedProvider provider, CallEvent event) {
            int failures = ledger.failures();
            WebhookResponse response = manager.webhooks().handle(provider.id(), provider.callback(event));
            if (response.status() < 500) return false;
            if (ledger.failures() == failures) {
                fail("a callback is answered 5xx only when its settlement failed", event + " was answered "
                        + response.status() + " with the ledger up");
            }
            return true;
        }

        // ------------------------------------------------------------ invariants

        void checkAfterStep() {
            if (!sentBeforeRecorded.isEmpty()) {
                fail("a record is written before any provider is asked", "call " + sentBeforeRecorded.get(0)
                        + " was sent with no record in the store");
            }
            if (!simulated.attempts().isEmpty()) {
                fail("a simulated provider never serves a call a real one was chosen for",
                        "call " + simulated.attempts().get(0).callId() + " was sent to the simulated provider");
            }
            for (Placed c : placed) {
                if (isForgotten(c)) continue;
                CallRecord r = record(c);
                if (r.simulated()) {
                    fail("a simulated provider never serves a call a real one was chosen for",
                            "call " + c.callId() + " is recorded as simulated");
                }
                int created = cheap.created(c.callId()) + dear.created(c.callId());
                if (created > 1) {
                    fail("a call is placed at most once", "call " + c.callId() + " was created " + created
                            + " times at the providers");
                }
                if (ErrorReason.NOT_PLACED.name().equals(r.errorReason()) && created > 0) {
                    fail("a hold is never released for a call the provider has", "call " + c.callId()
                            + " ended as not placed, but a provider created it (" + r.status() + ")");
                }
                checkNamedId(c, r);
                long withdrawn = store.events(c.callId()).stream()
                        .filter(e -> CallPlacer.WITHDRAWN.equals(e.type())).count();
                int sent = (int) cheap.attempts().stream().filter(a -> a.callId().equals(c.callId())).count()
                        + (int) dear.attempts().stream().filter(a -> a.callId().equals(c.callId())).count();
                if (withdrawn > 1 || (withdrawn == 1 && sent > 0)) {
                    fail("a withdrawn call never reaches a provider", "call " + c.callId() + " has " + withdrawn
                            + " withdrawn event(s) and was sent " + sent + " time(s)");
                }
                CallStatus before = seen.put(c.callId(), r.status());
                if (before != null && before != r.status() && !before.canMoveTo(r.status())) {
                    fail("a call's status only moves forward", "call " + c.callId() + " went from " + before
                            + " to " + r.status());
                }
            }
            List<String> ledgerViolations = ledger.violations();
            if (!ledgerViolations.isEmpty()) fail("hold closed once, after the first terminal status", ledgerViolations.get(0));
            checkNoResend();
            for (String callId : toErase) {
                Optional<CallRecord> r = store.find(callId);
                if (r.isEmpty() || !r.get().toNumber().startsWith(ERASED)) continue;
                erased.add(callId);
            }
            for (String callId : erased) {
                Optional<CallRecord> r = store.find(callId);
                if (r.isEmpty()) continue;
                if (!r.get().toNumber().startsWith(ERASED)) {
                    fail("an erased number stays erased", "call " + callId + " is to " + r.get().toNumber() + " again");
                }
                store.events(callId).stream().filter(e -> !e.data().isEmpty()).findFirst().ifPresent(e -> fail(
                        "an erased number stays erased", "call " + callId + " has an event with details: " + e));
            }
            for (Placed c : placed) {
                if (isForgotten(c)) continue;
                CallRecord r = record(c);
                if (!r.status().isTerminal()) continue;
                Billed now = Billed.of(r);
                Billed first = billed.putIfAbsent(c.callId(), now);
                if (first != null && first.settles(now)) {
                    billed.put(c.callId(), now);
                } else if (first != null && !first.equals(now)) {
                    fail("billed facts never change after the first terminal status",
                            "call " + c.callId() + " billed " + first + ", later " + now);
                }
                checkSettledAsReported(c, r);
                List<Money> announced = announcedSettled.getOrDefault(c.callId(), List.of());
                boolean once = announced.isEmpty() ? r.cost() == null : announced.size() == 1 && r.cost() != null
                        && announced.get(0) != null && announced.get(0).amount().compareTo(r.cost().amount()) == 0;
                if (!once) {
                    fail("a call's settlement is announced once, with the cost stored", "call " + c.callId()
                            + " (billed " + r.cost() + ") was announced settled at " + announced);
                }
            }
            reportedUnresolved.forEach((callId, times) -> {
                long stored = store.events(callId).stream().filter(e -> "unresolved".equals(e.type())).count();
                if (times > 1 || stored > 1) {
                    fail("an unresolved call is reported once", "call " + callId + " was reported to listeners "
                            + times + " times, with " + stored + " unresolved events");
                }
            });
        }

        /**
         * A call its provider priced is settled at that price, or, when the FX table cannot convert it, at its rate
         * with the price kept once in a {@code price_not_converted} event; an end settled as reported is one its
         * provider reported, settled once.
         */
        void checkSettledAsReported(Placed c, CallRecord r) {
            List<StoredEvent> events = store.events(c.callId());
            long asReported = events.stream().filter(e -> "settled_as_reported".equals(e.type())).count();
            List<StoredEvent> notConverted = events.stream().filter(e -> "price_not_converted".equals(e.type())).toList();
            Optional<StoredEvent> reported = c.holder() == null ? Optional.empty() : events.stream()
                    .filter(e -> c.holder().id().equals(e.source()) && e.status() == r.status()).findFirst();
            if (asReported > 1 || (asReported == 1 && (reported.isEmpty() || r.cost() == null))) {
                fail("an end settled as reported is one its provider reported, settled once", "call " + c.callId()
                        + " (" + r.status() + ", billed " + r.cost() + ") has " + asReported
                        + " settled_as_reported events; its provider's report: " + reported);
            }
            if (notConverted.size() > 1) {
                fail("a price the FX table cannot convert is noted once", "call " + c.callId() + " has " + notConverted);
            }
            String price = reported.map(e -> e.data().get("price")).orElse(null);
            if (r.cost() == null || c.holder() == null || !c.holder().id().equals(r.providerId())) return;
            if (price == null) {
                // priced at its provider's rate: at least the fee of a call, whoever ended it (not at nothing)
                BigDecimal fee = new BigDecimal(PER_CALL.get(c.holder().id()));
                if (r.providerCallId() != null && !erased.contains(c.callId()) && r.cost().amount().compareTo(fee) < 0) {
                    fail("an end its provider did not price is settled at its rate", "call " + c.callId() + " ("
                            + r.status() + " at '" + r.providerId() + "') was billed " + r.cost() + ", under the "
                            + fee + " INR every call costs there");
                }
                return;
            }
            Money priced = money(price);
            if (priced.currency().getCurrencyCode().equals(UNCONVERTIBLE)) {
                if (notConverted.size() != 1
                        || money(notConverted.get(0).data().get("cost")).amount().compareTo(r.cost().amount()) != 0) {
                    fail("a price the FX table cannot convert is settled at the call's rate and kept", "call "
                            + c.callId() + " was priced " + price + " and billed " + r.cost() + "; " + notConverted);
                }
            } else if (priced.amount().compareTo(r.cost().amount()) != 0 || !notConverted.isEmpty()) {
                fail("a callback's cost is never lost", "call " + c.callId() + " was priced " + price
                        + " by its provider but billed " + r.cost());
            }
        }

        /**
         * After a pass that ran through: every call still unresolved once its grace has passed (its provider's, the
         * default for one not active) has been reported.
         */
        void checkReported() {
            for (Placed c : placed) {
                if (isForgotten(c)) continue;
                CallRecord r = record(c);
                if (!r.needsReconciliation()) continue;
                boolean active = r.providerId() != null && !r.providerId().equals(away)
                        && (r.providerId().equals(cheap.id()) || r.providerId().equals(dear.id()));
                Duration grace = active ? Duration.ofSeconds(SEARCH_LAG_SECONDS) : ProviderCapabilities.DEFAULT_RECONCILE_GRACE;
                Instant since = r.updatedAt().isAfter(r.startedAt()) ? r.updatedAt() : r.startedAt();
                if (Duration.between(since, clock.instant()).compareTo(grace) <= 0) continue;
                if (store.events(c.callId()).stream().noneMatch(e -> "unresolved".equals(e.type()))) {
                    fail("a call still unresolved once overdue is reported", "call " + c.callId() + " (" + r.status()
                            + " at '" + r.providerId() + "', billed " + r.cost() + ") is still flagged "
                            + Duration.between(since, clock.instant()).toSeconds() + " s after its last change, unreported");
                }
            }
        }

        /**
         * An id a provider named for the call with an unknown outcome (see {@code ProviderException.providerCallId})
         * is kept on its record, which is the only one the store finds under it: a later report naming only that id
         * completes the call.
         */
        void checkNamedId(Placed c, CallRecord r) {
            for (ScriptedProvider p : List.of(cheap, dear)) {
                Optional<String> named = p.namedProviderCallIdOf(c.callId());
                if (named.isEmpty()) continue;
                if (!p.id().equals(r.providerId()) || !named.get().equals(r.providerCallId())) {
                    fail("an id named with an unknown outcome is kept on the record", "call " + c.callId()
                            + " was named " + named.get() + " by '" + p.id() + "' but its record has "
                            + r.providerCallId() + " at '" + r.providerId() + "'");
                }
                Optional<String> found = store.findByProviderCallId(p.id(), named.get()).map(CallRecord::callId);
                if (!found.equals(Optional.of(c.callId()))) {
                    fail("one record per call", "the store finds " + found.orElse("no call") + " under '" + p.id()
                            + "' " + named.get() + ", the id named for call " + c.callId());
                }
            }
        }

        /** A send after one that may have left is allowed only to that same provider, and only if it deduplicates. */
        void checkNoResend() {
            List<Attempt> attempts = new ArrayList<>(cheap.attempts());
            attempts.addAll(dear.attempts());
            attempts.sort(Comparator.comparingLong(Attempt::sequence));
            Map<String, String> mayHaveLeftTo = new HashMap<>();
            for (Attempt a : attempts) {
                String earlier = mayHaveLeftTo.get(a.callId());
                boolean deduplicated = a.providerId().equals(earlier)
                        && providerById(a.providerId()).capabilities().idempotentPlacement();
                if (earlier != null && !deduplicated) {
                    fail("a request whose bytes may have left is never sent again unless the provider deduplicates it",
                            "call " + a.callId() + " may have reached '" + earlier + "' and was sent again to '"
                                    + a.providerId() + "' (attempt " + a.attempt() + ")");
                }
                if (a.outcome().mayHaveLeft()) mayHaveLeftTo.putIfAbsent(a.callId(), a.providerId());
            }
        }

        ScriptedProvider providerById(String id) {
            return id.equals(cheap.id()) ? cheap : dear;
        }

        void checkAtEnd() {
            Map<String, RecordingLedger.Hold> holds = ledger.holds();
            BigDecimal expectedUsage = BigDecimal.ZERO;
            for (RecordingLedger.Hold hold : holds.values()) {
                expectedUsage = expectedUsage.add(hold.closed() ? hold.closedAt().amount() : hold.reserved().amount());
                Optional<CallRecord> record = store.find(hold.id());
                if (record.isEmpty() && forgotten.containsKey(hold.id())) record = Optional.of(forgotten.get(hold.id()));
                if (record.isEmpty()) {
                    if (!hold.closed() || hold.closedAt().amount().signum() != 0) {
                        fail("hold settled or released exactly once", "hold " + hold.id() + " of a call never recorded is "
                                + (hold.closed() ? "settled at " + hold.closedAt() : "still open"));
                    }
                    continue;
                }
                CallRecord r = record.get();
                if (r.status().isTerminal() && !hold.closed()) {
                    fail("nothing left pending that the manager could settle",
                            "call " + r.callId() + " is " + r.status() + " but its hold of " + hold.reserved() + " is still open");
                }
                if (!r.status().isTerminal() && hold.closed()) {
                    fail("hold closed after the first terminal status", "call " + r.callId() + " is " + r.status()
                            + " but its hold was closed at " + hold.closedAt());
                }
                if (hold.closed()) {
                    BigDecimal billedCost = r.cost() == null ? BigDecimal.ZERO : r.cost().amount();
                    if (billedCost.compareTo(hold.closedAt().amount()) != 0) {
                        fail("the ledger settles what the record bills", "call " + r.callId() + " (" + r.status()
                                + ") bills " + r.cost() + " but its hold was settled at " + hold.closedAt());
                    }
                }
            }
            long kept = placed.stream().filter(c -> !forgotten.containsKey(c.callId())).count();
            List<CallRecord> records = store.findByCustomer(CUSTOMER, null, null, CallStore.MAX_CUSTOMER_CALLS);
            if (records.size() != kept) {
                fail("one record per call", records.size() + " records for " + kept + " calls placed and kept");
            }
            for (PeriodUsage u : manager.limits().budgetUsage(CUSTOMER)) {
                if (u.used().amount().compareTo(expectedUsage) != 0) {
                    fail("ledger usage equals settled costs plus open holds", u.period() + " " + u.periodKey()
                            + " uses " + u.used() + ", the holds add up to " + expectedUsage);
                }
            }
            for (Placed c : placed) {
                if (isForgotten(c)) continue;
                CallRecord r = record(c);
                List<StoredEvent> events = store.events(c.callId());
                // an erased call's events have lost the details that told them apart; the store's key still does
                if (!erased.contains(c.callId()) && new HashSet<>(events).size() != events.size()) {
                    fail("stored events are distinct", "call " + c.callId() + " has " + events.size()
                            + " events, " + new HashSet<>(events).size() + " distinct: " + events);
                }
                checkAgainstTruth(c, r);
                boolean settled = r.status().isTerminal() && !r.needsReconciliation() && r.cost() != null;
                if (toErase.contains(c.callId()) && settled && !r.toNumber().startsWith(ERASED)) {
                    fail("every call to an erased number is erased once settled", "call " + c.callId() + " ("
                            + r.status() + ", billed " + r.cost() + ") is still to " + r.toNumber());
                }
            }
        }

        void checkAgainstTruth(Placed c, CallRecord r) {
            ScriptedProvider holder = c.holder();
            Optional<CallStatus> truth = holder == null ? Optional.empty() : holder.statusOf(c.callId());
            if (r.status().isTerminal()) {
                CallStatus expected = truth.orElse(CallStatus.FAILED);
                if (r.status() != expected) {
                    fail("a terminal status agrees with the provider", "call " + c.callId() + " is " + r.status()
                            + " but " + (holder == null ? "no provider took it"
                            : "provider '" + holder.id() + "' holds it as " + expected));
                }
            } else if (r.needsReconciliation()) {
                if (holder == null && r.providerCallId() != null) {
                    // its provider named an id for it and never took it: a fetch of that id finding nothing never
                    // proves the call was not placed, so it stays held, and is reported
                    if (store.events(c.callId()).stream().noneMatch(e -> "unresolved".equals(e.type()))) {
                        fail("a call still unresolved once overdue is reported", "call " + c.callId() + " (named "
                                + r.providerCallId() + " at '" + r.providerId() + "', never taken) is unreported");
                    }
                    return;
                }
                if (holder == null) {
                    fail("a create that never reached its provider gets its hold back", "call " + c.callId()
                            + " still needs reconciliation an hour on, though no provider has it");
                }
                if (holder.findable(c.callId())) {
                    fail("nothing left pending that the manager could settle", "call " + c.callId()
                            + " still needs reconciliation after reconcile(), though '" + holder.id()
                            + "' would find it (" + truth.orElseThrow() + ")");
                }
            } else if (holder == null || !holder.id().equals(r.providerId())) {
                fail("nothing left pending that the manager could settle", "call " + c.callId() + " is " + r.status()
                        + " at '" + r.providerId() + "', flagged for no reconciliation, but "
                        + (holder == null ? "no provider holds it" : "'" + holder.id() + "' holds it"));
            } else if (truth.orElseThrow().isTerminal()) {
                fail("a call its provider ended is settled once the call timeout has passed", "call " + c.callId()
                        + " is still " + r.status() + " an hour after the last step, though '" + holder.id()
                        + "' ended it (" + truth.orElseThrow() + ")");
            }
        }

        /** Whether the retention removed the call; it fails if the call has come back since. */
        boolean isForgotten(Placed c) {
            if (!forgotten.containsKey(c.callId())) return false;
            if (store.find(c.callId()).isPresent()) {
                fail("a forgotten call stays forgotten", "call " + c.callId() + " has a record again");
            }
            return true;
        }

        CallRecord record(Placed c) {
            return store.find(c.callId()).orElseThrow(() -> new AssertionError("call " + c.callId() + " has no record"));
        }

        void fail(String invariant, String detail) {
            String when = stepIndex < history.steps().size() ? "after step " + stepIndex + " (" + history.steps().get(stepIndex) + ")"
                    : "at the end (after a final hour and reconcile())";
            throw new AssertionError("invariant '" + invariant + "' broken " + when + ": " + detail);
        }
    }

    /** A price as a {@link LifeEvent} gives it: an amount in INR, or an amount and its currency. */
    static Money money(String price) {
        int space = price.indexOf(' ');
        return space < 0 ? Money.inr(price) : Money.of(price.substring(0, space), price.substring(space + 1));
    }
}
