/**
 * What a plug-in implements or receives: {@link io.globalcalling.spi.CallingProviderFactory} (found by
 * {@link java.util.ServiceLoader}), {@link io.globalcalling.spi.CallingProvider}, the
 * {@link io.globalcalling.spi.ProviderContext} it is given, and {@link io.globalcalling.spi.ProviderConfig} with
 * {@link io.globalcalling.spi.ConfigValidation} to read and check its settings.
 */
@NullMarked
package io.globalcalling.spi;

import org.jspecify.annotations.NullMarked;
