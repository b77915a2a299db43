package io.globalcalling.provider.iridium;

import io.globalcalling.spi.ProviderConfig;

import java.util.HashMap;
import java.util.Map;

/** Shared set-up of the Iridium tests. */
final class IridiumTests {

    static final String IMEI = "300234010753370";

    private IridiumTests() {
    }

    /** A configuration against a gateway on loopback {@code port}, with short timeouts; {@code extra} pairs of keys and values. */
    static ProviderConfig config(int gatewayPort, String... extra) {
        Map<String, String> values = new HashMap<>(Map.of(
                "iridium.directip-host", "127.0.0.1",
                "iridium.directip-port", Integer.toString(gatewayPort),
                "iridium.connect-timeout", "2s",
                "iridium.read-timeout", "500ms",
                "iridium.mo-read-timeout", "1s"));
        for (int i = 0; i < extra.length; i += 2) values.put(extra[i], extra[i + 1]);
        return ProviderConfig.of(values);
    }

    /**
     * A port for a listener of the test to bind: one the OS just gave out and took back. Never a port to find
     * nothing listening on, since anything may take it meanwhile: that is what {@link ReservedPort} is for.
     */
    static int freePort() {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
