package io.globalcalling.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A server on the loopback address for the faults below HTTP that a mock HTTP server cannot script: it reads each
 * request's head and answers every connection the same way, with bytes that are not HTTP at all or with an answer
 * that never ends. Serves on a daemon thread until closed; closing it also closes the connections it still serves.
 */
public final class LoopbackServer implements AutoCloseable {

    /** What the server writes to each connection once it has read the request's head. */
    @FunctionalInterface
    private interface Answer {
        void write(OutputStream out) throws IOException;
    }

    private static final byte[] END_OF_HEAD = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private final ServerSocket server;
    private final Answer answer;
    private final Set<Socket> serving = ConcurrentHashMap.newKeySet();

    private LoopbackServer(Answer answer) {
        this.answer = answer;
        try {
            this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread acceptor = new Thread(this::serve, "loopback-server");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Answers each connection with {@code reply} (sent as US-ASCII, whatever it is) and closes it. */
    public static LoopbackServer answeringEachWith(String reply) {
        byte[] bytes = Objects.requireNonNull(reply, "reply").getBytes(StandardCharsets.US_ASCII);
        return new LoopbackServer(out -> {
            out.write(bytes);
            out.flush();
        });
    }

    /**
     * Answers each connection 200 with a JSON body that never ends (white space, chunk after chunk) until the client
     * stops reading and closes, as a proxy gone wrong would.
     */
    public static LoopbackServer answeringEachWithoutEnd() {
        byte[] head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII);
        byte[] chunk = (Integer.toHexString(65_536) + "\r\n" + " ".repeat(65_536) + "\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        return new LoopbackServer(out -> {
            out.write(head);
            while (true) out.write(chunk);
        });
    }

    /** {@code http://127.0.0.1:port}, the base URL to point a client at. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    /** Reads a request up to the blank line that ends its head, or to the end of the stream. */
    private static void skipRequestHead(InputStream in) throws IOException {
        int matched = 0;
        for (int b; matched < END_OF_HEAD.length && (b = in.read()) >= 0; ) {
            matched = b == END_OF_HEAD[matched] ? matched + 1 : b == '\r' ? 1 : 0;
        }
    }

    private void serve() {
        while (!server.isClosed()) {
            try (Socket s = server.accept()) {
                serving.add(s);
                try {
                    skipRequestHead(s.getInputStream());
                    answer.write(s.getOutputStream());
                } finally {
                    serving.remove(s);
                }
            } catch (IOException e) {
                // the client stopped reading and closed, or this server was closed: serve the next one if any
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : serving) s.close();
    }
}
