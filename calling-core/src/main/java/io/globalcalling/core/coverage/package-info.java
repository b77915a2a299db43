/**
 * Where a call can go: countries and places, number types ({@link io.globalcalling.core.coverage.NumberInfo}) and
 * the coverage each category and provider offers.
 */
@NullMarked
package io.globalcalling.core.coverage;

import org.jspecify.annotations.NullMarked;
