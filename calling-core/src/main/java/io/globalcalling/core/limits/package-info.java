/**
 * Customer call limits ({@link io.globalcalling.core.limits.CallLimits}: rate windows, spending budgets
 * held like a card authorisation, budget alerts, emergency bypass) and provider pacing
 * ({@link io.globalcalling.core.limits.ProviderPacing}). Events are in {@code limits.event}.
 */
@NullMarked
package io.globalcalling.core.limits;

import org.jspecify.annotations.NullMarked;
