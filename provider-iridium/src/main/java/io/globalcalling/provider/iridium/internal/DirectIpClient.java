package io.globalcalling.provider.iridium.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Objects;

/**
 * Sends one MT message per TCP connection to the DirectIP gateway and reads its confirmation, as the protocol
 * has it. Connecting and every read are bounded by timeouts. Thread-safe: it keeps no connection.
 */
public final class DirectIpClient {

    private final String host;
    private final int port;
    private final int connectTimeoutMillis;
    private final int readTimeoutMillis;

    public DirectIpClient(String host, int port, Duration connectTimeout, Duration readTimeout) {
        this.host = Objects.requireNonNull(host, "host");
        this.port = port;
        this.connectTimeoutMillis = Math.toIntExact(Math.max(1, connectTimeout.toMillis()));
        this.readTimeoutMillis = Math.toIntExact(Math.max(1, readTimeout.toMillis()));
    }

    /**
     * Sends {@code message} and returns the gateway's confirmation of it.
     *
     * @throws DirectIpSendException when no confirmation of this message came: not {@link DirectIpSendException#sent()
     *                               sent} when the connection failed, sent when it failed afterwards (reset,
     *                               timeout, a truncated or malformed answer, a confirmation of another message)
     */
    public MtConfirmation send(MtMessage message) throws DirectIpSendException {
        byte[] bytes = message.encode();
        Socket socket = new Socket();
        try {
            try {
                socket.connect(new InetSocketAddress(host, port), connectTimeoutMillis);
            } catch (IOException | IllegalArgumentException e) {
                throw new DirectIpSendException(false, "could not connect to the DirectIP gateway at " + host + ":" + port
                        + ": " + e.getMessage(), e);
            }
            try {
                socket.setSoTimeout(readTimeoutMillis);
                OutputStream out = socket.getOutputStream();
                out.write(bytes);
                out.flush();
                InputStream in = socket.getInputStream();
                MtConfirmation confirmation = MtConfirmation.decode(DirectIp.readMessage(in));
                if (confirmation.clientMessageId() != message.clientMessageId() || !confirmation.imei().equals(message.imei())) {
                    throw new MalformedDirectIpException("the confirmation is of message " + confirmation.clientMessageId()
                            + ", not of " + message.clientMessageId());
                }
                return confirmation;
            } catch (IOException | MalformedDirectIpException e) {
                throw new DirectIpSendException(true, "no valid confirmation from the DirectIP gateway at " + host + ":"
                        + port + " after sending: " + e.getMessage(), e);
            }
        } finally {
            closeQuietly(socket);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // the answer, or the failure, is already known
        }
    }
}
