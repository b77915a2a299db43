package io.globalcalling.core.lifecycle;

import io.globalcalling.CallRecord;
import io.globalcalling.CallStatus;
import io.globalcalling.Endpoint;
import io.globalcalling.Money;
import io.globalcalling.core.cost.FxTable;
import io.globalcalling.core.placement.CallPlacer;
import io.globalcalling.core.limits.CallLimits;
import io.globalcalling.core.routing.ProviderCatalog;
import io.globalcalling.core.routing.QualityTracker;
import io.globalcalling.spi.CallEvent;
import io.globalcalling.spi.CallingProvider;
import io.globalcalling.spi.Rate;
import io.globalcalling.spi.store.CallStore;
import io.globalcalling.spi.store.StoredEvent;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * What happens once a call has ended: price it (the provider's reported price, else its live quote,
 * else its rate deck), settle or release its hold, and teach routing how the provider did.
 */
public final class Settlement implements CallLifecycle.TerminalHandler {

    private static final Logger log = LoggerFactory.getLogger(Settlement.class);
    /** The type of the event that keeps a provider's price the FX table could not convert. */
    public static final String PRICE_NOT_CONVERTED = "price_not_converted";
    /** The type of the event that keeps a negative price a provider reported (the SPI lets a plug-in report any). */
    public static final String NEGATIVE_PRICE = "negative_price";

    private final CallLimits limits;
    private final FxTable fx;
    private final QualityTracker quality;
    private final Function<String, Optional<CallingProvider>> providers;
    private final ProviderCatalog catalog;
    private final CallStore store;

    public Settlement(CallLimits limits, FxTable fx, QualityTracker quality,
                      Function<String, Optional<CallingProvider>> providers, ProviderCatalog catalog, CallStore store) {
        this.store = Objects.requireNonNull(store, "store");
        this.limits = Objects.requireNonNull(limits, "limits");
        this.fx = Objects.requireNonNull(fx, "fx");
        this.quality = Objects.requireNonNull(quality, "quality");
        this.providers = Objects.requireNonNull(providers, "providers");
        this.catalog = Objects.requireNonNull(catalog, "catalog");
    }

    /** The first terminal status of a call: price it and settle its hold (idempotent, as the ledger is). */
    @Override
    public Money settle(CallRecord record, CallEvent event) {
        if (event == null && record.providerCallId() == null) {
            // ended by the manager before any provider took the call: nothing was spent
            limits.release(record.callId());
            return Money.zero(fx.reportingCurrency());
        }
        Duration reported = event != null && event.duration() != null ? event.duration()
                : record.durationSeconds() != null ? Duration.ofSeconds(record.durationSeconds()) : Duration.ZERO;
        // Only a completed call was talked on; busy, no-answer, failed and canceled cost at most their per-call fee.
        Duration talk = record.status() == CallStatus.COMPLETED ? reported : Duration.ZERO;
        Money price = event == null ? null : event.price();
        // the ledger refuses a negative cost, so such a price would fail every settlement as one no rate converts does
        String unusable = price == null ? null : price.isNegative() ? "which is negative"
                : fx.canConvert(price.currency(), fx.reportingCurrency()) ? null
                : "which the FX table cannot convert to " + fx.reportingCurrency().getCurrencyCode();
        Money cost;
        if (price != null && unusable == null) {
            cost = fx.convert(price, fx.reportingCurrency()).rounded();
        } else {
            Optional<Rate> rate = rateFor(record);
            if (price != null && rate.isEmpty()) {
                // nothing else prices it (its provider left with its deck): a call its provider priced is never free
                throw new IllegalArgumentException("call " + record.callId() + ": provider '" + event.providerId()
                        + "' priced it at " + price + ", " + unusable + ", and there is no rate to price it at instead");
            }
            cost = rate.map(r -> fx.convert(priceAt(r, record, talk), fx.reportingCurrency()).rounded())
                    .orElse(Money.zero(fx.reportingCurrency()));
            // A price no rate converts would fail every settlement, and the hold would stay held for good: the call is
            // priced as one reported without a price (routing checked that its rate converts), and a person is told.
            if (price != null) noteUnusable(record, event, cost, unusable);
        }
        limits.settle(record.callId(), record.customerId(), cost);
        return cost;
    }

    /**
     * Keeps, once, a {@value #PRICE_NOT_CONVERTED} event (or {@value #NEGATIVE_PRICE} for a negative price) in the
     * call's log: the provider's price (its report keeps it too), what the call was settled at instead, and why.
     */
    private void noteUnusable(CallRecord record, CallEvent event, Money cost, String unusable) {
        String type = event.price().isNegative() ? NEGATIVE_PRICE : PRICE_NOT_CONVERTED;
        String why = "provider '" + event.providerId() + "' priced the call at " + event.price() + ", " + unusable
                + "; it was settled at its rate, " + cost + ", instead";
        log.warn("call {}: {}", record.callId(), why);
        // settling again (after a settlement that failed midway) must not say it twice
        if (store.events(record.callId()).stream().anyMatch(e -> type.equals(e.type()))) return;
        store.appendEvent(new StoredEvent(record.callId(), "core", type, null, event.occurredAt(),
                Map.of("provider", event.providerId(), "price", event.price().toString(), "cost", cost.toString(),
                        "reason", why)));
    }

    /**
     * What a call that ended costs at {@code rate}: a completed call its talk time and its message (per
     * message, per byte of its payload, at least the minimum); any other end only the per-call fee.
     */
    private Money priceAt(Rate rate, CallRecord record, Duration talk) {
        if (record.status() != CallStatus.COMPLETED) return rate.perCall();
        return rate.priceFor(talk, rate.perByte().isZero() ? 0 : payloadBytes(record.callId()));
    }

    /** The payload size the routed event kept (0 when the call carried none). */
    private long payloadBytes(String callId) {
        return store.events(callId).stream().filter(e -> "routed".equals(e.type()))
                .map(e -> e.data().get(CallPlacer.PAYLOAD_BYTES)).filter(Objects::nonNull)
                .mapToLong(Long::parseLong).findFirst().orElse(0);
    }

    /** Teaches routing how a call a provider took has ended. */
    @Override
    public void ended(CallRecord record) {
        if (record.providerId() == null || record.providerCallId() == null) return;
        Duration postDial = record.answeredAt() == null ? null : Duration.between(record.startedAt(), record.answeredAt());
        quality.record(record.providerId(), Endpoint.parse(record.toNumber()), record.status(), postDial);
    }

    /** The provider's live quote for the call, else the rate in its deck. */
    private Optional<Rate> rateFor(CallRecord record) {
        if (record.providerId() == null) return Optional.empty();
        Endpoint to = Endpoint.parse(record.toNumber());
        Optional<Rate> live;
        try {
            live = providers.apply(record.providerId()).flatMap(p -> p.quote(record.category(), to));
        } catch (RuntimeException e) {
            // as in routing, a pricing API that fails must not keep the call from its price: the deck prices it
            log.warn("live quote of '{}' for call {} failed ({}); pricing it at the deck", record.providerId(),
                    record.callId(), e.getClass().getSimpleName());
            live = Optional.empty();
        }
        if (live.isPresent()) return live;
        return catalog.deck(record.providerId()).find(record.category(), to);
    }
}
