package io.globalcalling.provider.iridium;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardSocketOptions;

/**
 * A loopback port held by a bound socket that never listens: a connection to it is refused, and while it is held
 * no other socket can listen on it (the OS gives it to nobody else), so "refused" cannot turn into "connected" when
 * another test or process happens to take the port. It is bound with {@code SO_REUSEPORT}, so a
 * {@link GatewaySimulator} may listen on it too and stop again without ever letting the port go.
 */
final class ReservedPort implements AutoCloseable {

    private final Socket socket = new Socket();

    ReservedPort() {
        this(0);
    }

    /** Takes {@code port} (0 for any); fails while a socket listens on it. */
    ReservedPort(int port) {
        try {
            socket.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int port() {
        return socket.getLocalPort();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // released
        }
    }
}
