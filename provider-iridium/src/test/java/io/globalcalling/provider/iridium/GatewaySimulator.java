package io.globalcalling.provider.iridium;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.globalcalling.provider.iridium.Bytes.be;
import static io.globalcalling.provider.iridium.Bytes.concat;
import static io.globalcalling.provider.iridium.Bytes.hex;

/**
 * A DirectIP MT gateway on loopback, written from the protocol description and sharing no code with the provider:
 * it reads one message per connection (revision, 2-byte length, that many bytes), keeps its bytes, and answers as
 * scripted: a confirmation with a status, or a fault.
 *
 * <p>Its port stays {@link ReservedPort reserved} until {@link #close()}: after {@link #refuseConnections()} a
 * connection to it is refused, deterministically, since nothing else can listen on it meanwhile.
 */
public final class GatewaySimulator implements AutoCloseable {

    /** How the gateway answers. */
    public enum Behaviour {
        /** a confirmation of the message with {@link #status} */
        CONFIRM,
        /** reads 5 bytes of the message, then resets the connection */
        RESET_MID_MESSAGE,
        /** reads the message and answers nothing until closed */
        SLOW,
        /** answers the first 10 bytes of a confirmation, then closes */
        TRUNCATED_ANSWER,
        /** answers bytes that are no DirectIP message */
        GARBAGE,
        /** answers a well-formed confirmation of another client message id */
        OTHER_MESSAGE,
        /** reads the message, then holds its confirmation (with {@link #status}) until {@link #release()} */
        HOLD
    }

    private final ReservedPort reserved = new ReservedPort();
    private final ServerSocket server;
    private final List<byte[]> received = new ArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final CountDownLatch closing = new CountDownLatch(1);
    private final CountDownLatch held = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);
    private final Thread thread;
    private volatile Behaviour behaviour = Behaviour.CONFIRM;
    private volatile int status = 0;
    private volatile long autoId = 4711;

    private GatewaySimulator() throws IOException {
        server = new ServerSocket();
        server.setOption(StandardSocketOptions.SO_REUSEPORT, true);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), reserved.port()));
        thread = new Thread(this::acceptLoop, "directip-gateway-simulator");
        thread.setDaemon(true);
        thread.start();
    }

    public static GatewaySimulator start() {
        try {
            return new GatewaySimulator();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public int port() {
        return reserved.port();
    }

    public GatewaySimulator behave(Behaviour behaviour) {
        this.behaviour = behaviour;
        return this;
    }

    /** Confirms with {@code status}: 0-50 a queue position, negative a refusal. */
    public GatewaySimulator status(int status) {
        this.behaviour = Behaviour.CONFIRM;
        this.status = status;
        return this;
    }

    public GatewaySimulator autoId(long autoId) {
        this.autoId = autoId;
        return this;
    }

    /** Waits until a message is held ({@link Behaviour#HOLD}); false when none came within {@code seconds}. */
    public boolean awaitHeld(long seconds) throws InterruptedException {
        return held.await(seconds, TimeUnit.SECONDS);
    }

    /** Lets a held message's confirmation go. */
    public void release() {
        released.countDown();
    }

    /** How many connections were made. */
    public int connections() {
        return connections.get();
    }

    /** The messages received, whole, in order. */
    public synchronized List<byte[]> received() {
        return List.copyOf(received);
    }

    public byte[] lastReceived() {
        List<byte[]> all = received();
        if (all.isEmpty()) throw new AssertionError("the gateway received no message");
        return all.get(all.size() - 1);
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try (Socket socket = server.accept()) {
                connections.incrementAndGet();
                serve(socket);
            } catch (IOException e) {
                // the next connection, or closed
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) throws IOException, InterruptedException {
        socket.setSoTimeout(5_000);
        InputStream in = socket.getInputStream();
        OutputStream out = socket.getOutputStream();
        if (behaviour == Behaviour.RESET_MID_MESSAGE) {
            in.readNBytes(5);
            socket.setSoLinger(true, 0); // close with RST
            return;
        }
        byte[] head = in.readNBytes(3);
        int length = ((head[1] & 0xff) << 8) | (head[2] & 0xff);
        byte[] message = concat(head, in.readNBytes(length));
        synchronized (this) {
            received.add(message);
        }
        // the MT header IE starts at byte 3: id 0x41, length 21, client message id (4), IMEI (15), flags (2)
        byte[] clientId = Arrays.copyOfRange(message, 6, 10);
        byte[] imei = Arrays.copyOfRange(message, 10, 25);
        switch (behaviour) {
            case CONFIRM -> out.write(confirmation(clientId, imei, autoId, status));
            case SLOW -> closing.await(30, TimeUnit.SECONDS);
            case TRUNCATED_ANSWER -> out.write(Arrays.copyOf(confirmation(clientId, imei, autoId, status), 10));
            case GARBAGE -> out.write(Bytes.ascii("HTTP/1.1 400 Bad Request\r\n\r\n"));
            case OTHER_MESSAGE -> out.write(confirmation(be(99_999, 4), imei, autoId, 0));
            case HOLD -> {
                held.countDown();
                if (!released.await(30, TimeUnit.SECONDS)) return;
                out.write(confirmation(clientId, imei, autoId, status));
            }
            default -> throw new IllegalStateException(behaviour.toString());
        }
        out.flush();
    }

    /** An MT confirmation: revision 1, length 28, IE 0x44 of 25 bytes. */
    public static byte[] confirmation(byte[] clientId, byte[] imei, long autoId, int status) {
        return concat(hex("01 00 1c 44 00 19"), clientId, imei, be(autoId, 4), be(status, 2));
    }

    /**
     * Stops listening and returns once nothing accepts on the port any more: closing a server socket does not wait
     * for the thread blocked in {@code accept()}, which holds the listening socket open and may still take (and
     * here, confirm) a connection made just after. The port stays reserved, so connecting to it is refused.
     */
    public void refuseConnections() {
        closing.countDown();
        released.countDown();
        try {
            server.close();
        } catch (IOException ignored) {
            // closed
        }
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the gateway stopped", e);
        }
    }

    @Override
    public void close() {
        refuseConnections();
        reserved.close();
    }
}
