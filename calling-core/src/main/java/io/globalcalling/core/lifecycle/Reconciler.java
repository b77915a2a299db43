package io.globalcalling.core.lifecycle;

import io.globalcalling.CallRecord;
import io.globalcalling.CallRequest;
import io.globalcalling.Endpoint;
import io.globalcalling.core.Subscription;
import io.globalcalling.core.placement.CallbackUrls;
import io.globalcalling.spi.CallEvent;
import io.globalcalling.spi.CallingProvider;
import io.globalcalling.spi.OutboundCall;
import io.globalcalling.spi.ProviderCapabilities;
import io.globalcalling.spi.store.CallStore;
import io.globalcalling.spi.store.CallUpdate;
import io.globalcalling.spi.store.StoredEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Resolves calls whose placement outcome is unknown by asking their provider what became of each.
 * Never re-dials, and never guesses: a call the provider cannot look up stays unknown with its hold
 * held, and once its provider's declared reconcile grace has passed it is reported, once, to listeners and as an
 * {@code unresolved} event on the call. Thread-safe.
 */
public final class Reconciler {

    private static final Logger log = LoggerFactory.getLogger(Reconciler.class);
    private static final String UNRESOLVED = "unresolved";
    private static final int BATCH = 500;

    private final CallStore store;
    private final CallLifecycle lifecycle;
    private final Function<String, Optional<CallingProvider>> providers;
    private final CallbackUrls callbackUrls;
    private final Clock clock;
    private final List<Consumer<UnresolvedCall>> unresolvedListeners = new CopyOnWriteArrayList<>();

    public Reconciler(CallStore store, CallLifecycle lifecycle, Function<String, Optional<CallingProvider>> providers,
                      CallbackUrls callbackUrls, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.lifecycle = Objects.requireNonNull(lifecycle, "lifecycle");
        this.providers = Objects.requireNonNull(providers, "providers");
        this.callbackUrls = Objects.requireNonNull(callbackUrls, "callbackUrls");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Tells {@code listener} of each call that is still unresolved once its grace period has passed, once per call. */
    public Subscription onUnresolved(Consumer<UnresolvedCall> listener) {
        Objects.requireNonNull(listener, "listener");
        unresolvedListeners.add(listener);
        return Subscription.of(() -> unresolvedListeners.remove(listener));
    }

    /** @return how many calls needing reconciliation were resolved */
    public int reconcile() {
        int resolved = 0;
        for (CallRecord r : store.findNeedingReconciliation(BATCH)) {
            if (resolve(r)) resolved++;
        }
        return resolved;
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

    /** @return true when the provider told what became of the call, and it was applied */
    private boolean resolve(CallRecord r) {
        Optional<CallingProvider> provider = r.providerId() == null ? Optional.empty() : providers.apply(r.providerId());
        Optional<CallEvent> found = Optional.empty();
        String why;
        if (provider.isEmpty()) {
            why = r.providerId() == null ? "no provider was asked" : "provider '" + r.providerId() + "' is not active";
        } else {
            try {
                found = lookUp(provider.get(), r);
                why = "provider '" + r.providerId() + "' could not find the call";
            } catch (RuntimeException e) {   // a ProviderException, or a provider that cannot search at all
                log.warn("reconciling call {} with '{}' failed ({}); will try again", r.callId(), r.providerId(), e.toString());
                why = "looking the call up at '" + r.providerId() + "' failed: " + FreeText.cap(String.valueOf(e.getMessage()));
            }
        }
        if (found.isEmpty()) {
            surfaceOnceOverdue(r, why);
            return false;
        }
        lifecycle.apply(found.get().withCallId(r.callId()));
        store.update(CallUpdate.of(r.callId(), clock.instant()).needsReconciliation(false));
        return true;
    }

    private Optional<CallEvent> lookUp(CallingProvider provider, CallRecord r) {
        if (r.providerCallId() != null) return provider.fetch(r.providerCallId());
        OutboundCall call = OutboundCall.builder(r.callId(), r.category(),
                        CallRequest.to(Endpoint.parse(r.toNumber())).customerId(r.customerId()).build())
                .attempt(Math.max(r.attempt(), 1)).statusCallbackUrl(callbackUrls.forCall(r.providerId(), r.callId())).build();
        return provider.findPlaced(call, r.startedAt());
    }

    /** Reports an unresolved call once its grace period has passed, and only once. */
    private void surfaceOnceOverdue(CallRecord r, String why) {
        Duration grace = Optional.ofNullable(r.providerId()).flatMap(providers)
                .map(p -> p.capabilities().reconcileGrace()).orElse(ProviderCapabilities.DEFAULT_RECONCILE_GRACE);
        if (Duration.between(r.startedAt(), clock.instant()).compareTo(grace) <= 0) return;
        if (store.events(r.callId()).stream().anyMatch(e -> UNRESOLVED.equals(e.type()))) return;
        log.warn("call {} is still unresolved: {}; it needs a person or a later reconciliation", r.callId(), why);
        store.appendEvent(new StoredEvent(r.callId(), "core", UNRESOLVED, null, clock.instant(), Map.of("reason", why)));
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
