/**
 * Destination policy against toll fraud (IRSF): which numbers a host's users may be made to dial at all.
 * {@link io.globalcalling.core.policy.DestinationPolicy} is checked before anything is recorded or sent, by
 * {@code call()} and by the {@code plan()} dry run alike.
 */
@NullMarked
package io.globalcalling.core.policy;

import org.jspecify.annotations.NullMarked;
