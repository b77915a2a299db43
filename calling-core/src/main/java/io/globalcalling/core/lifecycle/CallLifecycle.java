package io.globalcalling.core.lifecycle;

import io.globalcalling.core.Subscription;
import io.globalcalling.spi.CallEvent;
import io.globalcalling.CallStatus;
import io.globalcalling.Money;
import io.globalcalling.CallRecord;
import io.globalcalling.spi.store.CallStore;
import io.globalcalling.spi.store.CallUpdate;
import io.globalcalling.spi.store.StoredEvent;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Moves call records forward, whether a provider reported the move or the manager decided it. The
 * state machine is monotonic: a status only replaces one of a lower rank, a terminal status is never
 * replaced, so duplicate, late and out-of-order events are harmless. Every provider event is appended
 * to the call's log first.
 *
 * <p>A call's first terminal status, whoever set it, takes one path: settle the hold and store the
 * cost, then optional bookkeeping (whose failure is logged, never propagated), then listeners. Once a
 * record is terminal its billed facts (status, duration, times, cost, errors) never change: a later
 * event is kept in the log, and may only fill in a recording, transcript or sentiment still missing.
 */
public final class CallLifecycle {

    private static final Logger log = LoggerFactory.getLogger(CallLifecycle.class);
    /** The type of the event that says a call's settlement is done, with its cost; the log keeps one. */
    public static final String SETTLED = "settled";

    /** What to do once a call reaches a terminal status. */
    @FunctionalInterface
    public interface TerminalHandler {
        /**
         * Prices the ended call and settles or releases its hold. Called when the call first reaches a
         * terminal status, and again only when no cost was stored (the first settlement failed midway), for a
         * retry of the ending event or by reconciliation, so it must be idempotent, as the limit ledger's
         * settle is.
         *
         * @param event the provider event that ended the call, or null when the manager ended it itself
         * @return the cost to store, in the reporting currency
         */
        Money settle(CallRecord record, CallEvent event);

        /** Bookkeeping after settlement, such as routing quality. A failure here is logged and ignored. */
        default void ended(CallRecord record) {
        }
    }

    private final CallStore store;
    private final Clock clock;
    private final TerminalHandler terminalHandler;
    private final List<Consumer<CallStatusChanged>> listeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<CallRecord>> settledListeners = new CopyOnWriteArrayList<>();
    private final List<BiConsumer<CallRecord, CallEvent>> eventListeners = new CopyOnWriteArrayList<>();

    public CallLifecycle(CallStore store, Clock clock, TerminalHandler terminalHandler) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.terminalHandler = Objects.requireNonNull(terminalHandler, "terminalHandler");
    }

    /**
     * Tells {@code listener} of each forward move this lifecycle applies (the moves of this node), once the store has
     * it; moves other nodes sharing the store apply are not heard here.
     *
     * @return closing it removes the listener
     */
    public Subscription onStatusChange(Consumer<CallStatusChanged> listener) {
        return register(listeners, listener);
    }

    /**
     * Tells {@code listener} of each ended call whose settlement this lifecycle finished, once its cost is stored (the
     * record it gets has it), once per call however many times, on however many nodes, its settlement is finished
     * (redeliveries of its end, reconciliation): on the node whose settlement the store noted first.
     *
     * @return closing it removes the listener
     */
    public Subscription onSettled(Consumer<CallRecord> listener) {
        return register(settledListeners, listener);
    }

    /**
     * Tells {@code listener} of each provider event this lifecycle applies to a call, with the record after it, whether or
     * not the call moved: a detail such as an answering-machine verdict may come after the move it belongs to.
     *
     * @return closing it removes the listener
     */
    public Subscription onEvent(BiConsumer<CallRecord, CallEvent> listener) {
        Objects.requireNonNull(listener, "listener");
        eventListeners.add(listener);
        return Subscription.of(() -> eventListeners.remove(listener));
    }

    private static <T> Subscription register(List<Consumer<T>> list, Consumer<T> listener) {
        Objects.requireNonNull(listener, "listener");
        list.add(listener);
        return Subscription.of(() -> list.remove(listener));
    }

    /**
     * Applies one provider event.
     *
     * @return the record after the event, or empty when no call matches it or another provider holds
     *         the call (it is logged and dropped)
     */
    public Optional<CallRecord> apply(CallEvent event) {
        Objects.requireNonNull(event, "event");
        Optional<CallRecord> found = event.callId() != null ? store.find(event.callId())
                : store.findByProviderCallId(event.providerId(), event.providerCallId());
        if (found.isEmpty()) {
            log.warn("event from '{}' for unknown call (callId={}, providerCallId={}) dropped",
                    event.providerId(), event.callId(), event.providerCallId());
            return Optional.empty();
        }
        CallRecord before = found.get();
        if (before.providerId() != null && !before.providerId().equals(event.providerId())) {
            // e.g. a callback for an attempt the call failed over from: it says nothing about the call now
            log.warn("event from '{}' for call {} held by '{}' dropped", event.providerId(), before.callId(),
                    before.providerId());
            return Optional.empty();
        }
        if (event.callId() != null && event.providerCallId() != null && before.providerCallId() != null
                && !before.providerCallId().equals(event.providerCallId())) {
            // Our call id, but another of the provider's calls: a signature may not cover where the call id came
            // from (Vonage signs a callback's body, not the URL's query), so a replayed report must not move this call.
            log.warn("event from '{}' for call {} names provider call {}, not the call's {}; dropped",
                    event.providerId(), before.callId(), event.providerCallId(), before.providerCallId());
            return Optional.empty();
        }
        if (event.callId() != null && event.providerCallId() != null && before.providerCallId() == null
                && store.findByProviderCallId(event.providerId(), event.providerCallId())
                        .filter(holder -> !holder.callId().equals(before.callId())).isPresent()) {
            // The same, for a call whose provider id is not known yet (its create's answer was lost, or its first
            // report outran it): a provider call another of our calls holds is that call's, never this one's.
            log.warn("event from '{}' for call {} names provider call {}, which another call holds; dropped",
                    event.providerId(), before.callId(), event.providerCallId());
            return Optional.empty();
        }
        CallRecord after = move(before, updateFor(before, event), event, toStored(before.callId(), event));
        for (BiConsumer<CallRecord, CallEvent> l : eventListeners) {
            try {
                l.accept(after, event);
            } catch (RuntimeException e) {
                log.warn("event listener {} failed on {}: {}", l, after.callId(), e.toString());
            }
        }
        return Optional.of(after);
    }

    /**
     * Applies a change the manager decided itself (placed, failed), on the same path as a provider's
     * event: a terminal status here is settled and announced like one from a callback.
     *
     * @return the record after the change
     */
    public CallRecord record(CallUpdate update) {
        return record(update, null);
    }

    /**
     * {@link #record(CallUpdate)} with the manager's note of why, appended to the call's log with the change, in
     * the same write where the store can.
     */
    public CallRecord record(CallUpdate update, @Nullable StoredEvent note) {
        Objects.requireNonNull(update, "update");
        CallRecord before = store.find(update.callId())
                .orElseThrow(() -> new IllegalArgumentException("callId '" + update.callId() + "' is unknown"));
        return move(before, update, null, note);
    }

    /**
     * Finishes the settlement of an end the manager decided itself (no provider event) that failed when the call
     * ended: the reconciler's repair for such a call, still flagged with no cost stored. A call not ended, or with
     * its cost stored, is left as it is.
     *
     * @return the record after it
     */
    public CallRecord finishSettlement(CallRecord ended) {
        Objects.requireNonNull(ended, "ended");
        if (!ended.status().isTerminal() || ended.cost() != null) return ended;
        log.info("call {} ended without a stored cost; settling it now", ended.callId());
        return settle(ended, null);
    }

    /**
     * Finishes the settlement of an end its provider reported that failed when the call ended, at what that report
     * said (its talk time and price, as the call's log keeps them): the reconciler's repair for such a call when its
     * provider, asked again, reports another end, which cannot replace the stored one and so settles nothing. A call
     * not ended, or with its cost stored, is left as it is.
     *
     * @return the record after it
     */
    public CallRecord finishSettlementAsReported(CallRecord ended) {
        Objects.requireNonNull(ended, "ended");
        if (!ended.status().isTerminal() || ended.cost() != null) return ended;
        CallEvent end = reportedEnd(ended).map(e -> fromStored(ended.callId(), e)).orElse(null);
        log.info("call {} ended without a stored cost; settling it now as its provider first reported", ended.callId());
        return settle(ended, end);
    }

    /**
     * The first report of the call's end by its provider, as the call's log keeps it: the one the record keeps (see
     * noteLaterEnd). Empty when the manager ended the call (not placed, every provider refused).
     */
    Optional<StoredEvent> reportedEnd(CallRecord ended) {
        if (ended.providerId() == null) return Optional.empty();
        return store.events(ended.callId()).stream()
                .filter(e -> ended.providerId().equals(e.source()) && e.status() == ended.status()).findFirst();
    }

    /** Moves the call by {@code update}; {@code logged}, when given, goes to the call's log with it. */
    private CallRecord move(CallRecord before, CallUpdate update, CallEvent event, @Nullable StoredEvent logged) {
        if (before.status().isTerminal()) {
            if (logged != null) store.appendEvent(logged);
            return afterTheEnd(before, update, event);
        }
        // The write that ends a call flags it, and settle's write clears the flag with the cost: when settlement
        // fails, nothing may come again to finish it (the manager's own end, an end reconciliation found, a
        // confirmation already stored), so the flag leaves the call to reconciliation, which finishes it.
        boolean ends = update.status() != null && update.status().isTerminal();
        CallUpdate flagged = ends ? update.needsReconciliation(true) : update;
        CallStore.Updated written = logged == null ? store.updateAndFind(flagged)
                : store.appendEventAndUpdate(logged, flagged);
        boolean moved = written.moved();
        CallRecord after = written.record().orElse(before);
        if (!moved) {
            // the call may have ended since it was read, and a report that settles the doubt unflagged that end
            return Boolean.FALSE.equals(update.needsReconciliation()) ? keepUnsettledEndFlagged(after) : after;
        }
        try {
            if (after.status().isTerminal()) after = end(after, event);
        } finally {
            // the move happened whatever settlement did; a settlement that failed is repaired by a later event
            // or, while the call stays flagged, by reconciliation
            notifyListeners(new CallStatusChanged(after, before.status()));
        }
        return after;
    }

    /**
     * Clears the call's reconciliation flag: its provider told what became of it (the reconciler's, once it applied
     * the answer). See {@link #keepUnsettledEndFlagged} for a call that ended meanwhile.
     */
    void unflag(String callId) {
        store.update(CallUpdate.of(callId, clock.instant()).needsReconciliation(false));
        store.find(callId).ifPresent(this::keepUnsettledEndFlagged);
    }

    /**
     * After a write that cleared the call's flag: a call that ended meanwhile without its cost stored (its settlement
     * under way on another thread or node, or failed there) is flagged again, as the flag is all that leaves such a
     * settlement to reconciliation. At worst one whose settlement finished in between stays flagged, with its cost,
     * and the next pass unflags it.
     */
    private CallRecord keepUnsettledEndFlagged(CallRecord now) {
        if (!now.status().isTerminal() || now.cost() != null || now.needsReconciliation()) return now;
        store.update(CallUpdate.of(now.callId(), clock.instant()).needsReconciliation(true));
        return store.find(now.callId()).orElse(now);
    }

    /** The call had ended already: nothing billed changes, and a settlement that did not finish is finished. */
    private CallRecord afterTheEnd(CallRecord ended, CallUpdate update, CallEvent event) {
        CallUpdate fillIn = CallUpdate.of(ended.callId(), update.at());
        boolean any = false;
        if (ended.recordingUrl() == null && update.recordingUrl() != null) {
            fillIn = fillIn.recordingUrl(update.recordingUrl());
            any = true;
        }
        if (ended.transcript() == null && update.transcript() != null) {
            fillIn = fillIn.transcript(update.transcript());
            any = true;
        }
        if (ended.aiSentiment() == null && update.aiSentiment() != null) {
            fillIn = fillIn.aiSentiment(update.aiSentiment());
            any = true;
        }
        // a call whose settlement has not finished stays flagged, so that reconciliation finishes it
        if (ended.needsReconciliation() && ended.cost() != null && Boolean.FALSE.equals(update.needsReconciliation())) {
            fillIn = fillIn.needsReconciliation(false);
            any = true;
        }
        if (any) store.update(fillIn);
        CallRecord after = any ? store.find(ended.callId()).orElse(ended) : ended;
        if (event != null && event.status() != null && event.status().isTerminal()) noteLaterEnd(after, event);
        // A settlement that failed midway (the callback was answered 500, and that was logged) is finished by the
        // provider's retry of the event that ended the call, as is one still under way when a redelivery of that
        // event races it (the ledger settles a hold once); any other event says nothing of what was billed.
        if (after.cost() != null || event == null || event.status() != after.status()) return after;
        log.debug("call {} ended without a stored cost; settling it now", after.callId());
        return settle(after, withReportedPrice(after, event));
    }

    /**
     * The end reported again, to settle: one without a price (a fetch before the provider priced the call, or a report
     * that never carries one) is settled at the price an earlier report of the same end gave, which is not lost.
     */
    private CallEvent withReportedPrice(CallRecord ended, CallEvent event) {
        if (event.price() != null) return event;
        return store.events(ended.callId()).stream()
                .filter(e -> e.source().equals(event.providerId()) && e.status() == ended.status())
                .map(e -> e.data().get("price")).filter(Objects::nonNull).findFirst()
                .map(price -> event.toBuilder().price(priceOf(price)).build()).orElse(event);
    }

    /**
     * Another final report for an ended call. Providers redeliver, so one that says what the first said is
     * expected (debug); one that contradicts it (another end, talk time or price) is worth a warning. The first
     * report stands either way.
     */
    private void noteLaterEnd(CallRecord ended, CallEvent event) {
        List<String> differences = new ArrayList<>();
        if (event.status() != ended.status()) differences.add("status " + event.status().wireName());
        if (event.duration() != null && ended.durationSeconds() != null
                && event.duration().toSeconds() != ended.durationSeconds()) {
            differences.add("talk time " + event.duration().toSeconds() + " s (" + ended.durationSeconds() + " s kept)");
        }
        if (event.price() != null) {
            String price = event.price().toString();
            store.events(ended.callId()).stream()
                    .filter(e -> e.source().equals(event.providerId()) && e.status() == ended.status())
                    .map(e -> e.data().get("price")).filter(p -> p != null && !p.equals(price)).findFirst()
                    .ifPresent(first -> differences.add("price " + price + " (" + first + " reported first)"));
        }
        if (differences.isEmpty()) {
            log.debug("call {}: '{}' reported its end ({}) again", ended.callId(), event.providerId(),
                    ended.status().wireName());
        } else {
            log.warn("call {} ended {}, but '{}' now reports {}; the first report stands", ended.callId(),
                    ended.status().wireName(), event.providerId(), String.join(", ", differences));
        }
    }

    /** The first terminal status: settle first, then bookkeeping that must not break it. */
    private CallRecord end(CallRecord ended, CallEvent event) {
        CallRecord settled = settle(ended, event);
        try {
            terminalHandler.ended(settled);
        } catch (RuntimeException e) {
            log.warn("bookkeeping of ended call {} failed; its settlement stands", settled.callId(), e);
        }
        return settled;
    }

    private CallRecord settle(CallRecord ended, CallEvent event) {
        Money cost = terminalHandler.settle(ended, event);
        CallRecord after = ended;
        if (cost != null || ended.needsReconciliation()) {
            CallUpdate settled = CallUpdate.of(ended.callId(), clock.instant());
            if (cost != null) settled = settled.cost(cost);
            // settled now, so reconciliation has nothing left to finish
            if (ended.needsReconciliation()) settled = settled.needsReconciliation(false);
            after = store.updateAndFind(settled).record().orElse(ended);
        }
        // Redeliveries of the end, or reconciliation, racing a settlement under way or one that failed each settle it
        // (the ledger settles a hold once) and store one cost: only the one whose note of it the log keeps, which the
        // store does once, announces it, so that listeners (a metrics counter, a host's billing) hear of it once.
        if (!isFirstNoteOfSettlement(after)) return after;
        for (Consumer<CallRecord> l : settledListeners) {
            try {
                l.accept(after);
            } catch (RuntimeException e) {
                log.warn("settlement listener {} failed on {}: {}", l, after.callId(), e.toString());
            }
        }
        return after;
    }

    /**
     * Notes the settlement in the call's log: true unless it was noted already. A note the store fails to write
     * counts as the first: with the cost stored, nothing would settle the call again to announce it (a caller
     * awaiting its end would wait in vain), and another settlement racing that failure is rare.
     */
    private boolean isFirstNoteOfSettlement(CallRecord settled) {
        try {
            return store.appendEvent(settledNote(settled));
        } catch (RuntimeException e) {
            log.warn("call {}: noting its settlement failed ({}); announcing it", settled.callId(), e.toString());
            return true;
        }
    }

    /**
     * The {@value #SETTLED} event of a settled call: the same for every settlement of it (its cost as stored, at its
     * end), so that the store keeps one.
     */
    private static StoredEvent settledNote(CallRecord settled) {
        Instant at = settled.endedAt() != null ? settled.endedAt() : settled.startedAt();
        return new StoredEvent(settled.callId(), "core", SETTLED, null, at,
                settled.cost() == null ? Map.of() : Map.of("cost", settled.cost().toString()));
    }

    private CallUpdate updateFor(CallRecord before, CallEvent event) {
        CallUpdate update = CallUpdate.of(before.callId(), clock.instant());
        if (event.status() != null) update = update.status(event.status());
        if (before.providerCallId() == null && event.providerCallId() != null) {
            update = update.provider(event.providerId(), event.providerCallId());
        }
        if (event.duration() != null) update = update.durationSeconds((int) Math.min(Integer.MAX_VALUE, event.duration().toSeconds()));
        if (event.recordingUrl() != null) update = update.recordingUrl(FreeText.cap(event.recordingUrl().toString()));
        if (event.transcript() != null) update = update.transcript(FreeText.cap(event.transcript()));
        String sentiment = event.details().get("sentiment");
        if (sentiment != null) update = update.aiSentiment(FreeText.cap(sentiment));
        // The answered event says when the callee picked up; a call that skipped it (first heard of
        // waiting for or with an agent) was answered by then at the latest.
        if (event.status() == CallStatus.ANSWERED
                || (event.status() != null && event.status().isAnswered() && before.answeredAt() == null)) {
            update = update.answeredAt(event.occurredAt());
        }
        if (event.status() != null && event.status().isTerminal()) update = update.endedAt(event.occurredAt());
        // why a call the provider had accepted failed (the network refused the number, say), as a refused create's
        // reason is kept: only with the end it explains, so a later report never rewrites an ended call's reason
        if (event.errorReason() != null && event.status() != null && event.status().isTerminal()
                && event.status() != CallStatus.COMPLETED) {
            update = update.error(event.errorReason().name(), "'" + event.providerId() + "' reported the call "
                    + event.status().wireName() + ": " + event.errorReason().name());
        }
        // a status the provider reports settles the doubt (an end is flagged until it is settled: see move)
        if (event.status() != null && before.needsReconciliation()) update = update.needsReconciliation(false);
        return update;
    }

    private void notifyListeners(CallStatusChanged change) {
        for (Consumer<CallStatusChanged> l : listeners) {
            try {
                l.accept(change);
            } catch (RuntimeException e) {
                log.warn("call listener {} failed on {}: {}", l, change.record().callId(), e.toString());
            }
        }
    }

    /** A provider event again, from what {@link #toStored} kept of it: what settles it (status, talk time, price). */
    private static CallEvent fromStored(String callId, StoredEvent e) {
        String seconds = e.data().get("durationSeconds");
        String price = e.data().get("price");
        return CallEvent.builder(e.source(), e.occurredAt()).callId(callId)
                .providerCallId(e.data().get(StoredEvent.PROVIDER_CALL_ID)).status(e.status())
                .duration(seconds == null ? null : Duration.ofSeconds(Long.parseLong(seconds)))
                .price(price == null ? null : priceOf(price)).build();
    }

    /** A price as {@link #toStored} kept it (Money's toString: "amount currency"). */
    private static Money priceOf(String stored) {
        int space = stored.indexOf(' ');
        return Money.of(stored.substring(0, space), stored.substring(space + 1));
    }

    private static StoredEvent toStored(String callId, CallEvent e) {
        Map<String, String> data = new LinkedHashMap<>();
        e.details().forEach((k, v) -> data.put(k, FreeText.cap(v)));
        if (e.providerCallId() != null) data.put("providerCallId", e.providerCallId());
        if (e.sequence() != null) data.put("sequence", e.sequence().toString());
        if (e.duration() != null) data.put("durationSeconds", Long.toString(e.duration().toSeconds()));
        if (e.price() != null) data.put("price", e.price().toString());
        if (e.recordingUrl() != null) data.put("recordingUrl", FreeText.cap(e.recordingUrl().toString()));
        if (e.answeredBy() != null) data.put("answeredBy", FreeText.cap(e.answeredBy()));
        if (e.transcript() != null) data.put("transcript", FreeText.cap(e.transcript()));
        if (e.errorReason() != null) data.put("errorReason", e.errorReason().name());
        String type = e.status() != null ? "status" : e.recordingUrl() != null ? "recording"
                : e.transcript() != null ? "transcript" : "info";
        return new StoredEvent(callId, e.providerId(), type, e.status(), e.occurredAt(), data);
    }
}
