/**
 * Money before a call is placed: {@link io.globalcalling.core.cost.RateDeck} (longest-prefix rates
 * per provider and category), {@link io.globalcalling.core.cost.FxTable} (exchange rates and the
 * reporting currency, INR by default) and {@link io.globalcalling.core.cost.CostEstimator}.
 */
@NullMarked
package io.globalcalling.core.cost;

import org.jspecify.annotations.NullMarked;
