/**
 * Iridium Short Burst Data (SBD) as a calling provider: {@code satellite} and {@code system_api} messages to
 * {@code imei:} terminals over DirectIP (TCP), a DirectIP listener for the messages terminals send back (replies,
 * positions, delivery confirmations), and {@link io.globalcalling.provider.iridium.TerminalPositions} to read a
 * terminal's last position and track. Found through {@link java.util.ServiceLoader} as factory {@code iridium};
 * configured with {@link io.globalcalling.provider.iridium.IridiumConfig}.
 */
@NullMarked
package io.globalcalling.provider.iridium;

import org.jspecify.annotations.NullMarked;
