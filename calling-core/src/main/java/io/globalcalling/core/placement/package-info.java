/**
 * Placing calls: {@link io.globalcalling.core.placement.CallPlacer} checks a request, plans its route,
 * admits it against the customer's limits, writes its record before any provider is asked, and places
 * it, failing over only when a provider definitely did not take it. A provider that declares idempotent
 * placement is sent a call whose answer was lost again, as {@link io.globalcalling.core.placement.Resend}
 * says; no other provider is ever sent a call twice. Campaigns build on it.
 */
@NullMarked
package io.globalcalling.core.placement;

import org.jspecify.annotations.NullMarked;
