/**
 * The simulated provider {@code sandbox}: plays calls without placing any, for development and tests; it never
 * stands in for a real provider.
 */
@NullMarked
package io.globalcalling.core.sandbox;

import org.jspecify.annotations.NullMarked;
