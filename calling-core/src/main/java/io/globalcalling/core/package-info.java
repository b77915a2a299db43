/**
 * The host's entry point: {@link io.globalcalling.core.GlobalCallingManager} routes, prices, limits, places and
 * records calls; {@link io.globalcalling.core.Calls} reads and awaits them.
 */
@NullMarked
package io.globalcalling.core;

import org.jspecify.annotations.NullMarked;
