package io.globalcalling.core.internal;

import io.globalcalling.CallCategory;
import io.globalcalling.ConfigurationException;
import io.globalcalling.spi.CallingProvider;
import io.globalcalling.spi.ProviderConfig;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads {@code <id>.categories=internet_voip,satellite}: the categories the host lets a provider serve, within
 * those it declares it can serve. The registry keeps the result beside the provider and the core consults it;
 * the provider itself is never wrapped, so every SPI method reaches it unchanged.
 */
final class ConfiguredCategories {

    private ConfiguredCategories() {
    }

    /**
     * The categories the provider serves: the configured ones, or its own when {@code <id>.categories} is not set.
     *
     * @throws ConfigurationException naming the key and value when a category is unknown, one the provider
     *                                cannot serve, or none is given
     */
    static Set<CallCategory> of(CallingProvider provider, ProviderConfig config) {
        String key = provider.id() + ".categories";
        Optional<String> value = config.get(key);
        if (value.isEmpty()) return Set.copyOf(provider.categories());
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
        return Collections.unmodifiableSet(chosen);
    }

    private static String wireNames(Set<CallCategory> categories) {
        return String.join(",", categories.stream().map(CallCategory::wireName).sorted().toList());
    }
}
