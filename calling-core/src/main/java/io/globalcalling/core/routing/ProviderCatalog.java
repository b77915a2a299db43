package io.globalcalling.core.routing;

import io.globalcalling.CallCategory;
import io.globalcalling.core.cost.RateDeck;
import io.globalcalling.spi.CallingProvider;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The providers routing may choose from, with their indexed rate decks. The manager implements it
 * over its live registry (and re-indexes a deck when a provider's rates change); {@link #of} is a
 * fixed snapshot for tests and simple wiring. Implementations are thread-safe.
 */
public interface ProviderCatalog {

    /** The active providers (configured and not closed), in a stable order. */
    List<CallingProvider> providers();

    /**
     * The categories routing may use the provider for: by default those it declares; the manager's catalog
     * gives those the host configured ({@code <id>.categories}).
     */
    default Set<CallCategory> categories(CallingProvider provider) {
        return provider.categories();
    }

    /**
     * The active providers routing may use for {@code category}, in the order of {@link #providers()}. The
     * manager's catalog works this out once, as its providers are fixed at start-up.
     */
    default List<CallingProvider> serving(CallCategory category) {
        return providers().stream().filter(p -> categories(p).contains(category)).toList();
    }

    /** The indexed deck of the provider; an empty deck when it has no rates or is unknown. */
    RateDeck deck(String providerId);

    /**
     * A fixed catalog of the given providers, each deck indexed once from {@link CallingProvider#rates()}.
     *
     * @throws IllegalArgumentException naming the id when two providers share one, or a provider's deck is malformed
     */
    static ProviderCatalog of(List<? extends CallingProvider> providers) {
        Objects.requireNonNull(providers, "providers");
        Map<String, CallingProvider> byId = new LinkedHashMap<>();
        Map<String, RateDeck> decks = new LinkedHashMap<>();
        for (CallingProvider provider : providers) {
            Objects.requireNonNull(provider, "provider");
            if (byId.putIfAbsent(provider.id(), provider) != null) {
                throw new IllegalArgumentException("provider id '" + provider.id() + "' is used by two providers");
            }
            try {
                decks.put(provider.id(), RateDeck.of(provider.rates()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("provider '" + provider.id() + "': " + e.getMessage(), e);
            }
        }
        List<CallingProvider> list = List.copyOf(byId.values());
        Map<String, RateDeck> deckMap = Map.copyOf(decks);
        return new ProviderCatalog() {
            @Override
            public List<CallingProvider> providers() {
                return list;
            }

            @Override
            public RateDeck deck(String providerId) {
                return deckMap.getOrDefault(Objects.requireNonNull(providerId, "providerId"), RateDeck.empty());
            }
        };
    }
}
