/**
 * Micrometer metrics of a {@link io.globalcalling.core.GlobalCallingManager}: bind a
 * {@link io.globalcalling.micrometer.CallingMetrics} to the host's {@code MeterRegistry}.
 */
@NullMarked
package io.globalcalling.micrometer;

import org.jspecify.annotations.NullMarked;
