package io.globalcalling.provider.iridium.internal;

import io.globalcalling.PhoneNumber;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The DirectIP MO server: the gateway connects, sends one MO message and reads a confirmation. Each connection
 * is read on its own task with a read timeout; a well-formed message goes to the handler and is confirmed with
 * success when the handler took it, failure otherwise (the gateway then delivers it again). A malformed message
 * is logged without its content and answered with failure. Nothing a sender does stops the accept loop.
 *
 * <p>DirectIP carries no credential, so the source address is all there is to tell the gateway from a forger: a
 * connection from a source the filter refuses is closed before a byte is read, and its address logged.
 *
 * <p>{@link #close()} is synchronous: when it returns the port is no longer listened on, no connection is served
 * and the handler is not called again (a connection cut off unconfirmed is one the gateway delivers again).
 */
public final class MoListener implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MoListener.class);
    /** How long close() waits for the accept loop, then for the connections being served, to end. */
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);
    private static final int REMEMBERED_REFUSALS = 256;

    private final ServerSocket server;
    private final Predicate<MoMessage> handler;
    private final Predicate<InetAddress> allowedSource;
    /** Sources refused lately, so a sender that keeps trying is warned of once, then at debug. Accept loop only. */
    private final Map<InetAddress, Boolean> refused = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<InetAddress, Boolean> eldest) {
            return size() > REMEMBERED_REFUSALS;
        }
    };
    private final int readTimeoutMillis;
    private final int maxConnections;
    private final Semaphore connections;
    private final CountDownLatch acceptLoopEnded = new CountDownLatch(1);
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile boolean started;
    private volatile boolean closed;

    /**
     * Binds the port at once, so a taken port fails start-up.
     *
     * @param port            0 for any free port
     * @param maxConnections  connections served at once; more are closed unanswered and the gateway retries
     * @param allowedSource   whether a connection from this source address is served at all
     * @param handler         takes a message; returns false (or throws) when it could not keep it
     */
    public MoListener(InetAddress bindAddress, int port, Duration readTimeout, int maxConnections,
                      Predicate<InetAddress> allowedSource, Predicate<MoMessage> handler) throws IOException {
        this(bind(bindAddress, port), readTimeout, maxConnections, allowedSource, handler);
    }

    /** On a server socket already bound (tests pass one that lets them pause the accept loop). */
    MoListener(ServerSocket server, Duration readTimeout, int maxConnections, Predicate<InetAddress> allowedSource,
               Predicate<MoMessage> handler) {
        this.server = server;
        this.allowedSource = Objects.requireNonNull(allowedSource, "allowedSource");
        this.handler = Objects.requireNonNull(handler, "handler");
        this.readTimeoutMillis = Math.toIntExact(Math.max(1, readTimeout.toMillis()));
        this.maxConnections = maxConnections;
        this.connections = new Semaphore(maxConnections);
    }

    private static ServerSocket bind(InetAddress bindAddress, int port) throws IOException {
        ServerSocket server = new ServerSocket();
        try {
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(bindAddress, port), 50);
            return server;
        } catch (IOException e) {
            server.close();
            throw e;
        }
    }

    /** The port it listens on. */
    public int port() {
        return server.getLocalPort();
    }

    /** Starts accepting on {@code executor}, which gives each task its own thread. */
    public void start(ExecutorService executor) {
        executor.execute(() -> acceptLoop(executor));
        started = true;
    }

    private void acceptLoop(ExecutorService executor) {
        try {
            accept(executor);
        } finally {
            acceptLoopEnded.countDown();
        }
    }

    private void accept(ExecutorService executor) {
        while (!closed) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                if (!closed) log.warn("DirectIP MO listener on port {} stopped accepting: {}", port(), e.toString());
                return;
            }
            // accept() may hand over a connection that arrived as close() began: it is cut off, never served
            if (closed) {
                abort(socket);
                return;
            }
            if (!allowed(socket)) {
                abort(socket);
                continue;
            }
            if (!connections.tryAcquire()) {
                log.warn("DirectIP MO listener: too many connections at once; closing one from {}", socket.getInetAddress());
                closeQuietly(socket);
                continue;
            }
            open.add(socket);
            try {
                executor.execute(() -> serve(socket));
            } catch (RejectedExecutionException e) {
                release(socket);
                return; // the manager is closing
            }
        }
    }

    /** Checked before the connection takes a slot or a thread, so refused senders cannot crowd out the gateway. */
    private boolean allowed(Socket socket) {
        InetAddress source = socket.getInetAddress();
        if (allowedSource.test(source)) return true;
        if (refused.put(source, Boolean.TRUE) == null) {
            log.warn("DirectIP MO listener: connection from {} refused: not in iridium.mo-allowed-sources "
                    + "(further ones from it are logged at debug)", source.getHostAddress());
        } else {
            log.debug("DirectIP MO listener: connection from {} refused again", source.getHostAddress());
        }
        return false;
    }

    private void serve(Socket socket) {
        try {
            socket.setSoTimeout(readTimeoutMillis);
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            boolean kept;
            try {
                MoMessage message = MoMessage.decode(DirectIp.readMessage(in));
                kept = keep(message);
            } catch (MalformedDirectIpException e) {
                log.warn("DirectIP MO listener: malformed message from {} refused: {}", socket.getInetAddress(), e.getMessage());
                kept = false;
            }
            out.write(MoMessage.confirmation(kept));
            out.flush();
        } catch (IOException e) {
            if (!closed) log.warn("DirectIP MO listener: connection from {} failed: {}", socket.getInetAddress(), e.toString());
        } catch (RuntimeException e) {
            log.error("DirectIP MO listener: unexpected failure serving {}", socket.getInetAddress(), e);
        } finally {
            release(socket);
        }
    }

    private boolean keep(MoMessage message) {
        try {
            return handler.test(message);
        } catch (RuntimeException e) {
            log.error("DirectIP MO listener: a message from terminal {} could not be kept; answering failure so the "
                    + "gateway delivers it again", PhoneNumber.mask(message.imei()), e);
            return false;
        }
    }

    private void release(Socket socket) {
        open.remove(socket);
        closeQuietly(socket);
        connections.release();
    }

    /**
     * Stops accepting, waits (up to a few seconds) for the accept loop to end, cuts off every open connection
     * unconfirmed and waits for their tasks to end, so that nothing is served after it returns; idempotent.
     */
    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            log.debug("closing the DirectIP MO listener: {}", e.toString());
        }
        long deadline = System.nanoTime() + CLOSE_WAIT.toNanos();
        try {
            if (started && !acceptLoopEnded.await(CLOSE_WAIT.toNanos(), TimeUnit.NANOSECONDS)) {
                log.warn("DirectIP MO listener: the accept loop did not end within {}", CLOSE_WAIT);
            }
            for (Socket s : open) abort(s);
            if (connections.tryAcquire(maxConnections, Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                connections.release(maxConnections);
            } else {
                log.warn("DirectIP MO listener: connections still being served {} after closing", CLOSE_WAIT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            for (Socket s : open) abort(s);
        }
    }

    /** Closes with a reset (SO_LINGER 0), so the gateway sees a failed delivery rather than an empty answer. */
    private static void abort(Socket socket) {
        try {
            socket.setSoLinger(true, 0);
        } catch (IOException ignored) {
            // closed already
        }
        closeQuietly(socket);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing more to do with it
        }
    }

}
