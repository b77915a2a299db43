package io.globalcalling.spring;

import io.globalcalling.core.GlobalCallingManager;

/**
 * Adjusts the auto-configured manager before it is built: limits, pacing, exchange rates, a destination policy.
 * Every bean of this type is applied, in {@link org.springframework.core.annotation.Order} order.
 */
@FunctionalInterface
public interface GlobalCallingManagerCustomizer {

    void customize(GlobalCallingManager.Builder builder);
}
