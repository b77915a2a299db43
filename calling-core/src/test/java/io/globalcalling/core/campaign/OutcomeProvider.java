package io.globalcalling.core.campaign;

import io.globalcalling.CallCategory;
import io.globalcalling.CallStatus;
import io.globalcalling.ErrorReason;
import io.globalcalling.Money;
import io.globalcalling.spi.CallEvent;
import io.globalcalling.spi.CallingProvider;
import io.globalcalling.spi.OutboundCall;
import io.globalcalling.spi.PlacedCall;
import io.globalcalling.spi.ProviderException;
import io.globalcalling.spi.ProviderCapabilities;
import io.globalcalling.spi.ProviderCoverage;
import io.globalcalling.spi.Rate;
import io.globalcalling.spi.WebhookHandler;
import io.globalcalling.spi.WebhookRejectedException;
import org.jspecify.annotations.Nullable;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Ends every call at once (a synchronous delivery), in the status scripted for its number, completed
 * when nothing is scripted; keeps every call it got.
 */
public final class OutcomeProvider implements CallingProvider {

    private final String id;
    private final Map<String, Deque<CallStatus>> scripts = new ConcurrentHashMap<>();
    private final List<OutboundCall> received = new CopyOnWriteArrayList<>();
    private final List<String> fetched = new CopyOnWriteArrayList<>();
    private final Map<String, ErrorReason> refusedNumbers = new ConcurrentHashMap<>();
    private final List<OutboundCall> refused = new CopyOnWriteArrayList<>();
    private volatile @Nullable ErrorReason refusing;

    public OutcomeProvider(String id) {
        this.id = id;
    }

    /** The next calls to {@code number} end in these statuses, in order. */
    public OutcomeProvider script(String number, CallStatus... statuses) {
        scripts.computeIfAbsent(number, n -> new ArrayDeque<>()).addAll(Arrays.asList(statuses));
        return this;
    }

    /** While set, every call is refused with {@code reason} before anything is sent (an outage); null ends it. */
    public OutcomeProvider refuseAll(@Nullable ErrorReason reason) {
        this.refusing = reason;
        return this;
    }

    /** Every call to {@code number} is refused with {@code reason} before anything is sent (a region down for good). */
    public OutcomeProvider refuse(String number, ErrorReason reason) {
        refusedNumbers.put(number, reason);
        return this;
    }

    /** The calls refused before anything was sent, in order; {@link #received()} holds the calls taken. */
    public List<OutboundCall> refused() {
        return List.copyOf(refused);
    }

    public List<OutboundCall> received() {
        return List.copyOf(received);
    }

    /** The provider call ids looked up, in order. */
    public List<String> fetched() {
        return List.copyOf(fetched);
    }

    public long callsTo(String number) {
        return received.stream().filter(c -> c.to().value().equals(number)).count();
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public Set<CallCategory> categories() {
        return Set.of(CallCategory.INTERNET_VOIP, CallCategory.AI_AUTOMATED);
    }

    @Override
    public ProviderCapabilities capabilities() {
        return ProviderCapabilities.none();
    }

    @Override
    public ProviderCoverage coverage() {
        return new ProviderCoverage(Set.copyOf(Arrays.asList(Locale.getISOCountries())), false);
    }

    @Override
    public List<Rate> rates() {
        return List.of(Rate.perMinute(CallCategory.INTERNET_VOIP, "", Money.inr("1.00")),
                Rate.perMinute(CallCategory.AI_AUTOMATED, "", Money.inr("2.00")));
    }

    @Override
    public PlacedCall place(OutboundCall call) {
        ErrorReason reason = refusing != null ? refusing : refusedNumbers.get(call.to().value());
        if (reason != null) {
            refused.add(call);
            throw ProviderException.of(id, reason, "provider '" + id + "' refused the call: " + reason);
        }
        received.add(call);
        Deque<CallStatus> script = scripts.get(call.to().value());
        CallStatus status;
        synchronized (this) {
            status = script == null || script.isEmpty() ? CallStatus.COMPLETED : script.pollFirst();
        }
        return PlacedCall.of("OP-" + call.callId(), status);
    }

    @Override
    public Optional<CallEvent> fetch(String providerCallId) {
        fetched.add(providerCallId);
        return Optional.empty();
    }

    @Override
    public void hangUp(String providerCallId) {
    }

    @Override
    public WebhookHandler webhooks() {
        return (request, context) -> {
            throw new WebhookRejectedException("this test provider takes no callbacks");
        };
    }
}
