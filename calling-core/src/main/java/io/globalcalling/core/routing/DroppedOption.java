package io.globalcalling.core.routing;

import io.globalcalling.CallCategory;

import java.util.Objects;

/**
 * A provider that serves the planned category but was left out of the plan, and why.
 *
 * @param providerId  the provider
 * @param category    the planned category
 * @param reason      why it was dropped, e.g. its price against the cap
 */
public record DroppedOption(String providerId, CallCategory category, String reason) {

    public DroppedOption {
        Objects.requireNonNull(providerId, "providerId");
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(reason, "reason");
    }

    @Override
    public String toString() {
        return providerId + " (" + category.wireName() + "): " + reason;
    }
}
