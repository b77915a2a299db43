/**
 * In-memory {@link io.globalcalling.spi.store.CallStore} and {@link io.globalcalling.spi.store.LimitLedger}, the
 * defaults when the host supplies none.
 */
@NullMarked
package io.globalcalling.core.store;

import org.jspecify.annotations.NullMarked;
