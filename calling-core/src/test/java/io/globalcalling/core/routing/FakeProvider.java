package io.globalcalling.core.routing;

import io.globalcalling.CallCategory;
import io.globalcalling.spi.CallEvent;
import io.globalcalling.spi.CallingProvider;
import io.globalcalling.Endpoint;
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
import java.util.function.Predicate;

/** A provider for routing tests: categories, coverage and a rate deck; routing never places a call. */
final class FakeProvider implements CallingProvider {

    private final String id;
    private final Set<CallCategory> categories;
    private final ProviderCoverage coverage;
    private final List<Rate> rates;
    private final Predicate<Endpoint> reaches;
    private final Optional<Rate> quote;
    private final boolean simulated;

    private FakeProvider(String id, Set<CallCategory> categories, ProviderCoverage coverage, List<Rate> rates,
                         Predicate<Endpoint> reaches, Optional<Rate> quote, boolean simulated) {
        this.id = id;
        this.categories = categories;
        this.coverage = coverage;
        this.rates = rates;
        this.reaches = reaches;
        this.quote = quote;
        this.simulated = simulated;
    }

    /** A provider of one category, reaching phone numbers in the given countries, with the given deck. */
    static FakeProvider of(String id, CallCategory category, Set<String> countries, Rate... rates) {
        return new FakeProvider(id, EnumSet.of(category), ProviderCoverage.countries(countries), List.of(rates),
                e -> e instanceof io.globalcalling.PhoneNumber, Optional.empty(), false);
    }

    FakeProvider global() {
        return new FakeProvider(id, categories, ProviderCoverage.globalCoverage(coverage.countries()), rates, reaches, quote, simulated);
    }

    FakeProvider reaching(Predicate<Endpoint> reaches) {
        return new FakeProvider(id, categories, coverage, rates, reaches, quote, simulated);
    }

    FakeProvider quoting(Rate quote) {
        return new FakeProvider(id, categories, coverage, rates, reaches, Optional.of(quote), simulated);
    }

    /** The same provider, declaring itself simulated (as the sandbox does). */
    FakeProvider simulated() {
        return new FakeProvider(id, categories, coverage, rates, reaches, quote, true);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public Set<CallCategory> categories() {
        return categories;
    }

    @Override
    public ProviderCapabilities capabilities() {
        return ProviderCapabilities.builder().simulated(simulated).build();
    }

    @Override
    public ProviderCoverage coverage() {
        return coverage;
    }

    @Override
    public boolean covers(Endpoint endpoint) {
        return reaches.test(endpoint);
    }

    @Override
    public List<Rate> rates() {
        return rates;
    }

    @Override
    public Optional<Rate> quote(CallCategory category, Endpoint destination) {
        return quote;
    }

    @Override
    public PlacedCall place(OutboundCall call) {
        throw new AssertionError("routing must not place calls");
    }

    @Override
    public Optional<CallEvent> fetch(String providerCallId) {
        throw new AssertionError("routing must not fetch calls");
    }

    @Override
    public void hangUp(String providerCallId) {
        throw new AssertionError("routing must not hang up calls");
    }

    @Override
    public WebhookHandler webhooks() {
        throw new AssertionError("routing must not handle webhooks");
    }
}
