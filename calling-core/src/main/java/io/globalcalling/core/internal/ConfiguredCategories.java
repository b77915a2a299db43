package io.globalcalling.core.internal;

import io.globalcalling.CallCategory;
import io.globalcalling.ConfigurationException;
import io.globalcalling.Endpoint;
import io.globalcalling.spi.CallEvent;
import io.globalcalling.spi.CallingProvider;
import io.globalcalling.spi.OutboundCall;
import io.globalcalling.spi.PlacedCall;
import io.globalcalling.spi.ProviderCapabilities;
import io.globalcalling.spi.ProviderConfig;
import io.globalcalling.spi.ProviderCoverage;
import io.globalcalling.spi.Rate;
import io.globalcalling.spi.WebhookHandler;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A provider serving the categories the host configured for it ({@code <id>.categories=internet_voip,satellite}),
 * within those it declares it can serve; everything else is the provider's own.
 */
final class ConfiguredCategories implements CallingProvider {

    private final CallingProvider delegate;
    private final Set<CallCategory> categories;

    private ConfiguredCategories(CallingProvider delegate, Set<CallCategory> categories) {
        this.delegate = delegate;
        this.categories = Collections.unmodifiableSet(categories);
    }

    /**
     * The provider with its configured categories, or itself when {@code <id>.categories} is not set.
     *
     * @throws ConfigurationException naming the key and value when a category is unknown, one the provider
     *                                cannot serve, or none is given
     */
    static CallingProvider apply(CallingProvider provider, ProviderConfig config) {
        String key = provider.id() + ".categories";
        Optional<String> value = config.get(key);
        if (value.isEmpty()) return provider;
        List<String> problems = new ArrayList<>();
        EnumSet<CallCategory> chosen = EnumSet.noneOf(CallCategory.class);
        Set<CallCategory> supported = provider.supportedCategories();
        for (String name : Arrays.stream(value.get().split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList()) {
            try {
                CallCategory c = CallCategory.fromWireName(name);
                if (supported.contains(c)) {
                    chosen.add(c);
                } else {
                    problems.add(key + " = '" + value.get() + "': provider '" + provider.id() + "' cannot serve '"
                            + name + "'; it can serve " + wireNames(supported));
                }
            } catch (IllegalArgumentException e) {
                problems.add(key + " = '" + value.get() + "': " + e.getMessage());
            }
        }
        if (problems.isEmpty() && chosen.isEmpty()) {
            problems.add(key + " = '" + value.get() + "' names no category; expected some of " + wireNames(supported));
        }
        if (!problems.isEmpty()) throw new ConfigurationException("provider categories", problems);
        return chosen.equals(provider.categories()) ? provider : new ConfiguredCategories(provider, chosen);
    }

    private static String wireNames(Set<CallCategory> categories) {
        return String.join(",", categories.stream().map(CallCategory::wireName).sorted().toList());
    }

    @Override
    public String id() {
        return delegate.id();
    }

    @Override
    public Set<CallCategory> categories() {
        return categories;
    }

    @Override
    public Set<CallCategory> supportedCategories() {
        return delegate.supportedCategories();
    }

    @Override
    public ProviderCapabilities capabilities() {
        return delegate.capabilities();
    }

    @Override
    public ProviderCoverage coverage() {
        return delegate.coverage();
    }

    @Override
    public boolean covers(Endpoint endpoint) {
        return delegate.covers(endpoint);
    }

    @Override
    public List<Rate> rates() {
        return delegate.rates();
    }

    @Override
    public Optional<Rate> quote(CallCategory category, Endpoint destination) {
        return delegate.quote(category, destination);
    }

    @Override
    public PlacedCall place(OutboundCall call) {
        return delegate.place(call);
    }

    @Override
    public Optional<CallEvent> fetch(String providerCallId) {
        return delegate.fetch(providerCallId);
    }

    @Override
    public Optional<CallEvent> findPlaced(OutboundCall call, Instant since) {
        return delegate.findPlaced(call, since);
    }

    @Override
    public void hangUp(String providerCallId) {
        delegate.hangUp(providerCallId);
    }

    @Override
    public WebhookHandler webhooks() {
        return delegate.webhooks();
    }

    @Override
    public void close() {
        delegate.close();
    }

    @Override
    public String toString() {
        return delegate + " serving " + wireNames(categories);
    }
}
