/**
 * What the limits tell listeners: rejected calls, budget alerts and emergency bypasses.
 */
@NullMarked
package io.globalcalling.core.limits.event;

import org.jspecify.annotations.NullMarked;
