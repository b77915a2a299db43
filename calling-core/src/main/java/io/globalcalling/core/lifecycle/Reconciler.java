package io.globalcalling.core.lifecycle;

import io.globalcalling.CallRecord;
import io.globalcalling.CallRequest;
import io.globalcalling.CallStatus;
import io.globalcalling.Endpoint;
import io.globalcalling.ErrorReason;
import io.globalcalling.core.Subscription;
import io.globalcalling.core.placement.CallPlacer;
import io.globalcalling.core.placement.CallbackUrls;
import io.globalcalling.spi.CallingProvider;
import io.globalcalling.spi.OutboundCall;
import io.globalcalling.spi.PlacementSearch;
import io.globalcalling.spi.ProviderCapabilities;
import io.globalcalling.spi.store.CallStore;
import io.globalcalling.spi.store.CallUpdate;
import io.globalcalling.spi.store.StoreException;
import io.globalcalling.spi.store.StoredEvent;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Resolves calls whose placement outcome is unknown by asking their provider what became of each.
 * Never re-dials, and never guesses. A call the provider has is moved on as the provider reports it. A call
 * the provider searched for completely and does not have, once its declared reconcile grace (the lag of its
 * search) has passed since the create could last have been sent, never became a call: it ends as failed
 * ({@link ErrorReason#NOT_PLACED}) and its hold is released, through the lifecycle like any other end. Any
 * other answer leaves the call unknown with its hold held; once the grace has passed it is reported, once,
 * to listeners and as an {@code unresolved} event on the call (and once more should it then end and its settlement
 * not finish: see below).
 *
 * <p>A call whose end was never reported (its final callback lost, or its node stopped before the provider's
 * answer was recorded) joins them once the call timeout has passed since it started, so that its provider is asked
 * and its hold does not stay held for ever. One recorded but never handed to a provider by then (its node stopped
 * before naming one, which it does before asking one) was never sent: it ends as not placed.
 *
 * <p>An ended call stays flagged until its settlement is done. When that failed, a pass finishes it: by fetching the
 * end again when its provider reported it, else (the manager ended it) by settling it as it ended. A provider that
 * cannot be asked (not active) or has no such call to give settles it, once its grace has passed, as its report
 * said: its price, else its rate at the talk time the record keeps, which a provider no longer active took with it,
 * so such a call without a reported price stays held and is reported, as does an end the manager decided for a call
 * such a provider took (its create answered with the end), which only that rate prices. An ended call whose
 * settlement cannot be finished is reported once, even when it was reported before it ended. Thread-safe.
 */
public final class Reconciler {

    private static final Logger log = LoggerFactory.getLogger(Reconciler.class);
    private static final String UNRESOLVED = "unresolved";
    /** The type of the event a pass claims an {@value #UNRESOLVED} report with; the log keeps one per report. */
    private static final String UNRESOLVED_CLAIM = "unresolved_claim";
    private static final String NOT_PLACED = "not_placed";
    private static final String SETTLED_AS_REPORTED = "settled_as_reported";
    /** The data key of an {@value #UNRESOLVED} report that keeps the status the call had. */
    private static final String STATUS = "status";
    private static final int BATCH = 500;

    private final CallStore store;
    private final CallLifecycle lifecycle;
    private final Function<String, Optional<CallingProvider>> providers;
    private final CallbackUrls callbackUrls;
    private final Clock clock;
    private final Duration callTimeout;
    private final List<Consumer<UnresolvedCall>> unresolvedListeners = new CopyOnWriteArrayList<>();
    /**
     * Where the next pass goes on with each kind of call: after the last call of a full page, or from the oldest
     * once a page came back short. Calls that cannot be resolved yet (a provider that cannot search, one no longer
     * active, calls still going) so never keep newer ones from being asked about.
     */
    private final AtomicReference<@Nullable CallRecord> nextUnended = new AtomicReference<>();
    private final AtomicReference<@Nullable CallRecord> nextUnknown = new AtomicReference<>();

    /** @param callTimeout how long after it started a call's end must have been reported */
    public Reconciler(CallStore store, CallLifecycle lifecycle, Function<String, Optional<CallingProvider>> providers,
                      CallbackUrls callbackUrls, Clock clock, Duration callTimeout) {
        this.store = Objects.requireNonNull(store, "store");
        this.lifecycle = Objects.requireNonNull(lifecycle, "lifecycle");
        this.providers = Objects.requireNonNull(providers, "providers");
        this.callbackUrls = Objects.requireNonNull(callbackUrls, "callbackUrls");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.callTimeout = Objects.requireNonNull(callTimeout, "callTimeout");
    }

    /**
     * Tells {@code listener} of each call that is still unresolved once its grace period has passed: once while it has
     * not ended, and once more should it then end and its settlement not finish (its hold stays held).
     */
    public Subscription onUnresolved(Consumer<UnresolvedCall> listener) {
        Objects.requireNonNull(listener, "listener");
        unresolvedListeners.add(listener);
        return Subscription.of(() -> unresolvedListeners.remove(listener));
    }

    /** @return how many calls needing reconciliation were resolved (never-sent calls ended here included) */
    public int reconcile() {
        int resolved = 0;
        Instant now = clock.instant();
        for (CallRecord r : page(nextUnended, after -> store.findUnendedBefore(now.minus(callTimeout), after, BATCH))) {
            try {
                if (r.providerId() == null) {
                    endNeverSent(r);
                    resolved++;
                } else {
                    store.update(CallUpdate.of(r.callId(), now).needsReconciliation(true));
                }
            } catch (RuntimeException e) {
                passOn(r, e);
            }
        }
        for (CallRecord r : page(nextUnknown, after -> store.findNeedingReconciliation(after, BATCH))) {
            try {
                if (resolve(r)) resolved++;
            } catch (RuntimeException e) {
                passOn(r, e);
            }
        }
        return resolved;
    }

    /**
     * A call the pass failed on. The store or the ledger being down (a StoreException) would fail every call after
     * it too, so it ends the pass. Anything else is the call's own (its rate in a currency the FX table cannot
     * convert, a provider failing on it): as the pass starts from the oldest call again once a page came back short,
     * ending it there would leave every call behind this one unsettled in every pass. The call stays flagged for the
     * next pass, and once overdue it is reported like any call that cannot be resolved: a failure that comes again
     * in every pass needs a person.
     */
    private void passOn(CallRecord r, RuntimeException e) {
        if (e instanceof StoreException) throw e;
        log.warn("reconciling call {} failed; the pass goes on, and the next one tries it again", r.callId(), e);
        // as it is now (the pass may have moved it before failing), so that its grace counts from its last change
        store.find(r.callId()).filter(CallRecord::needsReconciliation).ifPresent(now -> surfaceOnceOverdue(now,
                "reconciling it failed: " + FreeText.cap(String.valueOf(e.getMessage()))));
    }

    /** This pass's page of calls, from where the last pass stopped; moves {@code next} on for the pass after. */
    private static List<CallRecord> page(AtomicReference<@Nullable CallRecord> next,
                                         Function<@Nullable CallRecord, List<CallRecord>> read) {
        List<CallRecord> page = read.apply(next.get());
        next.set(page.size() == BATCH ? page.get(BATCH - 1) : null);
        return page;
    }

    /**
     * Resolves one call, when it needs reconciliation (for a caller that follows its own calls, such as
     * a campaign).
     *
     * @return true when the provider told what became of the call, and it was applied
     */
    public boolean reconcile(CallRecord call) {
        return call.needsReconciliation() && resolve(call);
    }

    /** @return true when the provider told what became of the call, and it was applied, or its end was settled */
    private boolean resolve(CallRecord r) {
        if (r.status().isTerminal() && r.cost() != null) {
            // settled already (a flag written as another end settled it): nothing is left to ask about
            store.update(CallUpdate.of(r.callId(), clock.instant()).needsReconciliation(false));
            return true;
        }
        if (r.status().isTerminal() && !endedByItsProvider(r)) {
            if (r.providerCallId() != null && providers.apply(r.providerId()).isEmpty()) {
                // a provider took it (its create was answered with the end): its rate prices it, and a provider no
                // longer active took that with it, so the call stays held rather than settled at nothing
                surfaceOnceOverdue(r, "provider '" + r.providerId() + "' is not active");
                return false;
            }
            lifecycle.finishSettlement(r);
            return true;
        }
        Optional<CallingProvider> provider = r.providerId() == null ? Optional.empty() : providers.apply(r.providerId());
        if (provider.isEmpty()) {
            String why = r.providerId() == null ? "no provider was asked" : "provider '" + r.providerId() + "' is not active";
            // its deck went with it: only a price its report gave can settle the end (a talked call is never free)
            if (r.status().isTerminal() && lifecycle.reportedEnd(r).map(e -> e.data().get("price")).isPresent()
                    && isOverdue(r, ProviderCapabilities.DEFAULT_RECONCILE_GRACE)) {
                settleAsReported(r, why);
                return true;
            }
            surfaceOnceOverdue(r, why);
            return false;
        }
        PlacementSearch answer;
        try {
            answer = lookUp(provider.get(), r);
        } catch (RuntimeException e) {   // a ProviderException, or a provider that broke its contract
            log.warn("reconciling call {} with '{}' failed ({}); will try again", r.callId(), r.providerId(), e.toString());
            answer = PlacementSearch.unknown("looking the call up at '" + r.providerId() + "' failed: "
                    + FreeText.cap(String.valueOf(e.getMessage())));
        }
        if (answer instanceof PlacementSearch.Found found && belongsToAnother(r, found)) {
            answer = PlacementSearch.unknown("provider '" + r.providerId() + "' lists one call that matches, "
                    + found.event().providerCallId() + ", and it is already another call's");
        }
        if (answer instanceof PlacementSearch.Found found) {
            lifecycle.apply(found.event().withCallId(r.callId()));
            if (r.status().isTerminal() && found.event().status() != r.status()) {
                // Another end than the stored one, which stands (a terminal status never moves), so applying it
                // settled nothing: the stored end is settled as its provider first reported it, as the record
                // bills it (its status and talk time), rather than at a price the provider gave for another end.
                store.find(r.callId()).ifPresent(lifecycle::finishSettlementAsReported);
            }
            // not a plain write: the call may have ended meanwhile, its settlement not done (see unflag)
            lifecycle.unflag(r.callId());
            return true;
        }
        boolean trusted = isOverdue(r, provider.get().capabilities().reconcileGrace());
        if (r.status().isTerminal()) {
            // Its provider reported the end, so it took the call, whatever its search says now; it was asked again
            // only for the price its fetch may give. It gave none (no such call, or the look-up failed): once its lag
            // has passed, the end is settled as that report said, as the callback would have settled it, not left
            // with its hold held.
            if (!trusted) return false;
            settleAsReported(r, answer instanceof PlacementSearch.Unknown unknown ? unknown.why()
                    : "provider '" + r.providerId() + "' does not list the call");
            return true;
        }
        if (answer instanceof PlacementSearch.NotPlaced && trusted) {
            endNotPlaced(r);
            return true;
        }
        surfaceOnceOverdue(r, answer instanceof PlacementSearch.Unknown unknown ? unknown.why()
                : "provider '" + r.providerId() + "' does not list the call yet, and its list may lag");
        return false;
    }

    /**
     * Whether an event of the call's provider ended it, rather than the manager (not placed, every provider
     * refused, a create answered with the end). The log tells, as the lifecycle stores each provider event before
     * applying it: the record alone does not (a create answered with the end has the provider's call id, and no
     * error). A provider's end is fetched again so that its price is used; the manager's own has none to fetch.
     */
    private boolean endedByItsProvider(CallRecord r) {
        return lifecycle.reportedEnd(r).isPresent();
    }

    /**
     * Settles an end its provider reported, whose settlement failed, and which the provider cannot tell more of (not
     * active, or no such call to fetch): at what its report said, its price, else its rate at the talk time the
     * record keeps. The call's log says why.
     */
    private void settleAsReported(CallRecord r, String why) {
        log.warn("call {} ended as '{}' reported, without a stored cost, and the provider cannot tell more ({}); settling"
                + " it as that report said", r.callId(), r.providerId(), why);
        lifecycle.finishSettlementAsReported(r);
        store.appendEvent(new StoredEvent(r.callId(), "core", SETTLED_AS_REPORTED, null, clock.instant(),
                Map.of("provider", r.providerId(), "reason", FreeText.cap(why))));
    }

    /**
     * Whether the call a search matched (by destination, caller ID and time, as providers list calls) is one the
     * store already holds for another call: then it is not this one, and this one's fate is still unknown.
     */
    private boolean belongsToAnother(CallRecord r, PlacementSearch.Found found) {
        String providerCallId = found.event().providerCallId();
        return providerCallId != null && isAnothers(r, providerCallId);
    }

    /** Whether the store holds the provider's call {@code providerCallId} for a call other than {@code r}. */
    private boolean isAnothers(CallRecord r, String providerCallId) {
        return store.findByProviderCallId(r.providerId(), providerCallId)
                .filter(other -> !other.callId().equals(r.callId())).isPresent();
    }

    /**
     * The provider searched its whole record after its search lag and has no such call: the create never
     * reached it.
     */
    private void endNotPlaced(CallRecord r) {
        endNotPlaced(r, "provider '" + r.providerId() + "' searched its calls after its declared search lag and has"
                + " none for this one: the request whose answer was lost never reached it");
    }

    /** Recorded, but no provider was named by the call timeout: its node stopped before asking one. */
    private void endNeverSent(CallRecord r) {
        endNotPlaced(r, "no provider was named for it within the call timeout (" + callTimeout + "): the node placing"
                + " it stopped before asking one");
    }

    /** Ends a call that never reached a provider; that releases its hold (the lifecycle settles such an end at zero). */
    private void endNotPlaced(CallRecord r, String why) {
        log.info("call {}: {}; it ends as failed and its hold is released", r.callId(), why);
        Instant now = clock.instant();
        Map<String, String> details = r.providerId() == null ? Map.of("reason", why)
                : Map.of("provider", r.providerId(), "reason", why);
        lifecycle.record(CallUpdate.of(r.callId(), now).status(CallStatus.FAILED).endedAt(now)
                        .error(ErrorReason.NOT_PLACED.name(), why),
                new StoredEvent(r.callId(), "core", NOT_PLACED, null, now, details));
    }

    private PlacementSearch lookUp(CallingProvider provider, CallRecord r) {
        if (r.providerCallId() != null) {
            // the provider gave the call an id (or named the one it has should it have taken the request whose answer
            // was lost): it is asked about that call, and the call is never "not placed", whatever a fetch says
            return provider.fetch(r.providerCallId(), handedOver(r)).map(PlacementSearch::found).orElseGet(() ->
                    PlacementSearch.unknown("provider '" + r.providerId() + "' has no call " + r.providerCallId()
                            + " to fetch"));
        }
        OutboundCall call = OutboundCall.builder(r.callId(), r.category(),
                        CallRequest.to(Endpoint.parse(r.toNumber())).from(r.fromNumber()).customerId(r.customerId()).build())
                .attempt(Math.max(r.attempt(), 1)).statusCallbackUrl(callbackUrls.forCall(r.providerId(), r.callId())).build();
        // a call placed normally just before, to the same number, shows in the same search: its id is on its record
        return provider.findPlaced(call, r.startedAt(), sentUntil(r), providerCallId -> isAnothers(r, providerCallId));
    }

    /**
     * The latest a create for the call can have been sent, as its log tells it: when its provider's answer (or the
     * lack of one) was recorded, its last {@value CallPlacer#PLACED} or {@value CallPlacer#OUTCOME_UNKNOWN} event.
     * The record's last change comes no earlier, but later changes (a flag for reconciliation) move it on.
     */
    private Instant handedOver(CallRecord r) {
        return store.events(r.callId()).stream()
                .filter(e -> CallPlacer.PLACED.equals(e.type()) || CallPlacer.OUTCOME_UNKNOWN.equals(e.type()))
                .map(StoredEvent::occurredAt).max(Instant::compareTo).orElseGet(() -> sentUntil(r));
    }

    /**
     * The latest a create for the call can have been sent: its record's last change, which came no earlier than
     * the outcome was marked unknown (after the last send).
     */
    private static Instant sentUntil(CallRecord r) {
        return r.updatedAt().isAfter(r.startedAt()) ? r.updatedAt() : r.startedAt();
    }

    /** Whether an {@value #UNRESOLVED} report was of a call that had ended. */
    private static boolean reportedEnded(StoredEvent report) {
        String status = report.data().get(STATUS);
        return status != null && CallStatus.fromWireName(status).isTerminal();
    }

    /** Whether {@code grace} has passed since the last moment a create for the call can have been sent. */
    private boolean isOverdue(CallRecord r, Duration grace) {
        return Duration.between(sentUntil(r), clock.instant()).compareTo(grace) > 0;
    }

    /**
     * Reports an unresolved call once its grace period has passed: once while it has not ended, and once more if it
     * then ends and its settlement cannot be finished. That is another problem (its outcome is known, but its hold
     * stays held), which a host chasing held money through the first report would otherwise never hear of.
     */
    private void surfaceOnceOverdue(CallRecord r, String why) {
        Duration grace = Optional.ofNullable(r.providerId()).flatMap(providers)
                .map(p -> p.capabilities().reconcileGrace()).orElse(ProviderCapabilities.DEFAULT_RECONCILE_GRACE);
        if (!isOverdue(r, grace)) return;
        boolean ended = r.status().isTerminal();
        // each report keeps the status the call had (one kept before reports did so counts as of a call not ended)
        if (store.events(r.callId()).stream().anyMatch(e -> UNRESOLVED.equals(e.type())
                && reportedEnded(e) == ended)) return;
        // Every node reconciles: passes on two that find the call at once both get here. Each claims the report with an
        // event made of what both read in the record (its last change, its status), so that the store keeps one, and
        // only the pass whose claim it kept reports the call. Not with the report itself: its reason is the node's own
        // (the error its look-up met, say), and two reasons would make two reports the store keeps.
        if (!store.appendEvent(new StoredEvent(r.callId(), "core", UNRESOLVED_CLAIM, null, sentUntil(r),
                Map.of(STATUS, r.status().wireName())))) return;
        log.warn("call {} is still unresolved: {}; it needs a person or a later reconciliation", r.callId(), why);
        store.appendEvent(new StoredEvent(r.callId(), "core", UNRESOLVED, null, sentUntil(r).plus(grace),
                Map.of("reason", why, STATUS, r.status().wireName())));
        UnresolvedCall unresolved = new UnresolvedCall(r, why);
        for (Consumer<UnresolvedCall> l : unresolvedListeners) {
            try {
                l.accept(unresolved);
            } catch (RuntimeException e) {
                log.warn("unresolved-call listener {} failed on {}: {}", l, r.callId(), e.toString());
            }
        }
    }
}
