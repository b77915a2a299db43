/**
 * A call's life after it is placed: {@link io.globalcalling.core.lifecycle.CallLifecycle} applies provider events
 * in status order and reports status changes and calls whose outcome is unknown.
 */
@NullMarked
package io.globalcalling.core.lifecycle;

import org.jspecify.annotations.NullMarked;
