/**
 * Smart routing: {@link io.globalcalling.core.routing.RoutePlanner} turns a call request into a
 * {@link io.globalcalling.core.routing.RoutePlan} (a category, ordered provider options and the
 * reasons for each), using the providers of a {@link io.globalcalling.core.routing.ProviderCatalog}
 * and what a {@link io.globalcalling.core.routing.QualityTracker} has observed of them.
 */
@NullMarked
package io.globalcalling.core.routing;

import org.jspecify.annotations.NullMarked;
