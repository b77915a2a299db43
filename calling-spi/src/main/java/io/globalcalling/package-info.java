/**
 * What a host application uses: {@link io.globalcalling.CallRequest} to ask for a call,
 * {@link io.globalcalling.CallRecord} for what is kept about it, {@link io.globalcalling.Money},
 * the {@link io.globalcalling.Endpoint} kinds, {@link io.globalcalling.CallStatus} and
 * {@link io.globalcalling.CallingException} with its machine-readable {@link io.globalcalling.ErrorReason}.
 * Plug-ins implement {@code io.globalcalling.spi}.
 */
@NullMarked
package io.globalcalling;

import org.jspecify.annotations.NullMarked;
