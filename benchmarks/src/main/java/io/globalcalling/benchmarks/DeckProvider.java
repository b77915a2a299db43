package io.globalcalling.benchmarks;

import io.globalcalling.CallCategory;
import io.globalcalling.CallStatus;
import io.globalcalling.spi.CallEvent;
import io.globalcalling.spi.CallingProvider;
import io.globalcalling.spi.OutboundCall;
import io.globalcalling.spi.PlacedCall;
import io.globalcalling.spi.ProviderCapabilities;
import io.globalcalling.spi.ProviderCoverage;
import io.globalcalling.spi.Rate;
import io.globalcalling.spi.WebhookHandler;

import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A provider that prices calls and accepts each at once: it serves every category, covers every country, returns a
 * given rate deck, and answers every create with a fresh id without sending anything. Routing benchmarks plan with
 * it; {@code PlaceCallBenchmark} places through it to measure the SDK's own path with no network.
 */
final class DeckProvider implements CallingProvider {

    /** Built once, as the real providers do: the router asks for them on every call. */
    private static final Set<CallCategory> CATEGORIES = Set.copyOf(EnumSet.allOf(CallCategory.class));
    private static final ProviderCapabilities CAPABILITIES = ProviderCapabilities.builder().ttsLanguages(Set.of("en-US")).build();

    private final String id;
    private final List<Rate> rates;
    private final ProviderCoverage coverage;

    DeckProvider(String id, List<Rate> rates, Set<String> countries) {
        this.id = id;
        this.rates = List.copyOf(rates);
        this.coverage = ProviderCoverage.countries(countries);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public Set<CallCategory> categories() {
        return CATEGORIES;
    }

    @Override
    public ProviderCapabilities capabilities() {
        return CAPABILITIES;
    }

    @Override
    public ProviderCoverage coverage() {
        return coverage;
    }

    @Override
    public List<Rate> rates() {
        return rates;
    }

    @Override
    public PlacedCall place(OutboundCall call) {
        return PlacedCall.of("CA" + call.callId(), CallStatus.QUEUED);
    }

    @Override
    public Optional<CallEvent> fetch(String providerCallId) {
        return Optional.empty();
    }

    @Override
    public void hangUp(String providerCallId) {
        // nothing to end: its calls exist nowhere
    }

    @Override
    public WebhookHandler webhooks() {
        return WebhookHandler.none(id);
    }
}
