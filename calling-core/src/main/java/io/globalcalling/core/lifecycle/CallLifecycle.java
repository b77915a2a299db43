package io.globalcalling.core.lifecycle;

import io.globalcalling.spi.CallEvent;
import io.globalcalling.spi.CallStatus;
import io.globalcalling.spi.Money;
import io.globalcalling.spi.store.CallRecord;
import io.globalcalling.spi.store.CallStore;
import io.globalcalling.spi.store.CallUpdate;
import io.globalcalling.spi.store.StoredEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Applies what providers report to the call records. The state machine is monotonic: a status only
 * replaces one of a lower rank, a terminal status is never replaced, so duplicate, late and
 * out-of-order events are harmless. Every event is appended to the call's log first; the first
 * terminal status settles the call's cost exactly once.
 */
public final class CallLifecycle {

    private static final Logger log = LoggerFactory.getLogger(CallLifecycle.class);

    /** What to do once a call reaches a terminal status: settle its cost, teach routing. */
    @FunctionalInterface
    public interface TerminalHandler {
        /** @return the settled cost to store, in the reporting currency */
        Money onTerminal(CallRecord record, CallEvent event);
    }

    private final CallStore store;
    private final Clock clock;
    private final TerminalHandler terminalHandler;
    private final List<Consumer<CallStatusChanged>> listeners = new CopyOnWriteArrayList<>();

    public CallLifecycle(CallStore store, Clock clock, TerminalHandler terminalHandler) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.terminalHandler = Objects.requireNonNull(terminalHandler, "terminalHandler");
    }

    public void onStatusChange(Consumer<CallStatusChanged> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Applies one event.
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
        store.appendEvent(toStored(before.callId(), event));

        CallUpdate update = CallUpdate.of(before.callId(), clock.instant());
        if (event.status() != null) update = update.status(event.status());
        if (before.providerCallId() == null && event.providerCallId() != null) {
            update = update.provider(event.providerId(), event.providerCallId());
        }
        if (event.duration() != null) update = update.durationSeconds((int) Math.min(Integer.MAX_VALUE, event.duration().toSeconds()));
        if (event.recordingUrl() != null) update = update.recordingUrl(event.recordingUrl().toString());
        if (event.transcript() != null) update = update.transcript(event.transcript());
        String sentiment = event.details().get("sentiment");
        if (sentiment != null) update = update.aiSentiment(sentiment);
        if (event.status() == CallStatus.ANSWERED) update = update.answeredAt(event.occurredAt());
        if (event.status() != null && event.status().isTerminal()) update = update.endedAt(event.occurredAt());
        if (event.status() != null && before.needsReconciliation()) update = update.needsReconciliation(false);

        boolean moved = store.update(update);
        CallRecord after = store.find(before.callId()).orElse(before);
        if (moved && after.status().isTerminal() && before.status() != after.status()) {
            Money cost = terminalHandler.onTerminal(after, event);
            if (cost != null) {
                store.update(CallUpdate.of(after.callId(), clock.instant()).cost(cost));
                after = store.find(after.callId()).orElse(after);
            }
        }
        if (moved) notifyListeners(new CallStatusChanged(after, before.status()));
        return Optional.of(after);
    }

    /** Tells listeners about a change the manager made itself (placed, failed). */
    public void announce(CallRecord after, CallStatus previous) {
        if (after.status() != previous) notifyListeners(new CallStatusChanged(after, previous));
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

    private static StoredEvent toStored(String callId, CallEvent e) {
        Map<String, String> data = new LinkedHashMap<>(e.details());
        if (e.providerCallId() != null) data.put("providerCallId", e.providerCallId());
        if (e.sequence() != null) data.put("sequence", e.sequence().toString());
        if (e.duration() != null) data.put("durationSeconds", Long.toString(e.duration().toSeconds()));
        if (e.price() != null) data.put("price", e.price().toString());
        if (e.recordingUrl() != null) data.put("recordingUrl", e.recordingUrl().toString());
        if (e.answeredBy() != null) data.put("answeredBy", e.answeredBy());
        if (e.transcript() != null) data.put("transcript", e.transcript());
        String type = e.status() != null ? "status" : e.recordingUrl() != null ? "recording"
                : e.transcript() != null ? "transcript" : "info";
        return new StoredEvent(callId, e.providerId(), type, e.status(), e.occurredAt(), data);
    }
}
