package io.globalcalling.examples.invariants;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An Iridium DirectIP MT gateway on loopback, written from the protocol description and sharing no code with the
 * provider: one message per connection (revision 1, a 2-byte length, that many bytes of IEs), kept whole, then
 * answered as {@linkplain #next told}: an MT confirmation ({@code 0x44}, 25 bytes) with a status, or a fault. While
 * {@linkplain Answer#DOWN down} nothing listens on its port, which a bound socket keeps reserved so that a
 * connection to it is refused, never taken by something else.
 */
final class DirectIpGateway implements AutoCloseable {

    /** How the gateway answers the next message. */
    enum Answer {
        /** the confirmation at once */
        CONFIRM,
        /** the confirmation a few bytes at a time */
        IN_PIECES,
        /** reads the message, then resets the connection */
        RESET,
        /** reads the message, then closes the connection without a word */
        CLOSE,
        /** reads the message and says nothing until the client gives up (its read timeout) */
        SILENT,
        /** reads the message and answers bytes that are no DirectIP message */
        GARBAGE,
        /** nothing listens: the connection is refused before a byte leaves */
        DOWN
    }

    /** One MT message as it arrived. */
    record Received(long clientMessageId, String imei, int flags, byte[] payload) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    private final Socket reserved = new Socket();
    private final int port;
    private final List<Received> received = new ArrayList<>();
    private ServerSocket server;
    private Thread thread;
    private volatile Answer answer = Answer.CONFIRM;
    private volatile int status;

    DirectIpGateway() {
        try {
            reserved.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            reserved.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        port = reserved.getLocalPort();
    }

    int port() {
        return port;
    }

    /** How the next message is answered, and the status its confirmation (if any) carries. */
    void next(Answer answer, int status) {
        if (answer == Answer.DOWN) {
            stopListening();
        } else if (server == null) {
            listen();
        }
        this.answer = answer;
        this.status = status;
    }

    synchronized List<Received> received() {
        return List.copyOf(received);
    }

    private void listen() {
        try {
            server = new ServerSocket();
            server.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ServerSocket s = server;
        thread = new Thread(() -> acceptLoop(s), "directip-mt-gateway");
        thread.setDaemon(true);
        thread.start();
    }

    /** Returns once nothing accepts on the port any more. */
    private void stopListening() {
        if (server == null) return;
        try {
            server.close();
            thread.join();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the gateway stopped", e);
        }
        server = null;
    }

    private void acceptLoop(ServerSocket s) {
        while (!s.isClosed()) {
            try (Socket socket = s.accept()) {
                serve(socket);
            } catch (IOException e) {
                // the client gave up, or the gateway stops
            }
        }
    }

    private void serve(Socket socket) throws IOException {
        socket.setSoTimeout(10_000);
        InputStream in = socket.getInputStream();
        OutputStream out = socket.getOutputStream();
        byte[] head = in.readNBytes(3);
        if (head.length < 3 || head[0] != 1) return;
        byte[] body = in.readNBytes(((head[1] & 0xff) << 8) | (head[2] & 0xff));
        Received message = parse(body);
        int count;
        synchronized (this) {
            received.add(message);
            count = received.size();
        }
        // the auto ID reference is 0 on a refusal
        byte[] confirmation = confirmation(message.clientMessageId(), message.imei(), status < 0 ? 0 : 4711 + count, status);
        switch (answer) {
            case CONFIRM -> out.write(confirmation);
            case IN_PIECES -> {
                for (int i = 0; i < confirmation.length; i += 7) {
                    out.write(confirmation, i, Math.min(7, confirmation.length - i));
                    out.flush();
                }
            }
            case RESET -> socket.setSoLinger(true, 0);
            case CLOSE -> { }
            case SILENT -> in.read();   // until the client closes (or, at worst, this side's timeout)
            case GARBAGE -> out.write("HTTP/1.1 400 Bad Request\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            default -> throw new IllegalStateException(answer.toString());
        }
        out.flush();
    }

    /** The header IE (0x41: client message id 4, IMEI 15, flags 2) and the payload IE (0x42), wherever they are. */
    private static Received parse(byte[] body) {
        ByteBuffer b = ByteBuffer.wrap(body);
        long id = -1;
        String imei = null;
        int flags = 0;
        byte[] payload = new byte[0];
        while (b.remaining() >= 3) {
            int iei = b.get() & 0xff;
            int length = b.getShort() & 0xffff;
            byte[] content = new byte[length];
            b.get(content);
            if (iei == 0x41) {
                ByteBuffer h = ByteBuffer.wrap(content);
                id = h.getInt() & 0xffffffffL;
                byte[] digits = new byte[15];
                h.get(digits);
                imei = new String(digits, StandardCharsets.US_ASCII);
                flags = h.getShort() & 0xffff;
            } else if (iei == 0x42) {
                payload = content;
            }
        }
        if (imei == null) throw new AssertionError("an MT message without a header IE: " + Arrays.toString(body));
        return new Received(id, imei, flags, payload);
    }

    /** An MT confirmation: revision 1, length 28, IE 0x44 of 25 bytes. */
    private static byte[] confirmation(long clientMessageId, String imei, long autoId, int status) {
        return ByteBuffer.allocate(31).put((byte) 1).putShort((short) 28).put((byte) 0x44).putShort((short) 25)
                .putInt((int) clientMessageId).put(imei.getBytes(StandardCharsets.US_ASCII)).putInt((int) autoId)
                .putShort((short) status).array();
    }

    @Override
    public void close() {
        stopListening();
        try {
            reserved.close();
        } catch (IOException ignored) {
            // released
        }
    }
}
