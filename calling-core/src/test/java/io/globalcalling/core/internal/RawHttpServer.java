package io.globalcalling.core.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tiny HTTP/1.1 server on 127.0.0.1 for what WireMock cannot show: how many connections are open on the server's
 * side, and an answer trickled a byte at a time. Every request on a connection gets the same answer.
 */
public final class RawHttpServer implements AutoCloseable {

    private final ServerSocket server;
    private final byte[] answer;
    private final Duration perByte;
    private final AtomicInteger openConnections = new AtomicInteger();
    private final AtomicInteger acceptedConnections = new AtomicInteger();
    private final AtomicInteger requests = new AtomicInteger();
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();

    private RawHttpServer(String answer, Duration perByte) {
        try {
            this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.answer = answer.getBytes(StandardCharsets.US_ASCII);
        this.perByte = perByte;
        Thread acceptor = new Thread(this::accept, "raw-http-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Answers every request at once with {@code answer}, a whole HTTP response. */
    public static RawHttpServer answering(String answer) {
        return new RawHttpServer(answer, Duration.ZERO);
    }

    /** Answers every request with {@code answer}, writing one byte every {@code perByte}. */
    public static RawHttpServer trickling(String answer, Duration perByte) {
        return new RawHttpServer(answer, perByte);
    }

    public int port() {
        return server.getLocalPort();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + port() + path;
    }

    /** Connections accepted and not yet closed by the client (or this server). */
    public int openConnections() {
        return openConnections.get();
    }

    /** Connections accepted since the start. */
    public int acceptedConnections() {
        return acceptedConnections.get();
    }

    /** Requests read completely, head and body. */
    public int requests() {
        return requests.get();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                openConnections.incrementAndGet();
                acceptedConnections.incrementAndGet();
                sockets.add(socket);
                Thread worker = new Thread(() -> serve(socket), "raw-http-connection");
                worker.setDaemon(true);
                worker.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket socket) {
        try (socket; InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
            while (readRequest(in)) {
                requests.incrementAndGet();
                if (perByte.isZero()) {
                    out.write(answer);
                    out.flush();
                } else {
                    for (byte b : answer) {
                        out.write(b);
                        out.flush();
                        Thread.sleep(perByte.toMillis());
                    }
                }
            }
        } catch (IOException | InterruptedException e) {
            // the client went away
        } finally {
            sockets.remove(socket);
            openConnections.decrementAndGet();
        }
    }

    /** Reads one request; false at the end of the stream. */
    private static boolean readRequest(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) return false;
            head.write(b);
        }
        long length = 0;
        for (String line : head.toString(StandardCharsets.US_ASCII).split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) length = Long.parseLong(line.substring(15).strip());
        }
        for (long i = 0; i < length; i++) {
            if (in.read() < 0) return false;
        }
        return true;
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket socket : sockets) socket.close();
    }
}
