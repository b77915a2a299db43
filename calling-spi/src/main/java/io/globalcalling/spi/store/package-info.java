/**
 * Storage a host or plug-in can supply: {@link io.globalcalling.spi.store.CallStore} keeps calls, their events
 * and campaigns; {@link io.globalcalling.spi.store.LimitLedger} keeps what the limits count.
 */
@NullMarked
package io.globalcalling.spi.store;

import org.jspecify.annotations.NullMarked;
