package io.globalcalling.provider.iridium.internal;

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
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.function.Predicate;

/**
 * The DirectIP MO server: the gateway connects, sends one MO message and reads a confirmation. Each connection
 * is read on its own task with a read timeout; a well-formed message goes to the handler and is confirmed with
 * success when the handler took it, failure otherwise (the gateway then delivers it again). A malformed message
 * is logged without its content and answered with failure. Nothing a sender does stops the accept loop.
 */
public final class MoListener implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MoListener.class);

    private final ServerSocket server;
    private final Predicate<MoMessage> handler;
    private final int readTimeoutMillis;
    private final Semaphore connections;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /**
     * Binds the port at once, so a taken port fails start-up.
     *
     * @param port            0 for any free port
     * @param handler         takes a message; returns false (or throws) when it could not keep it
     * @param maxConnections  connections served at once; more are closed unanswered and the gateway retries
     */
    public MoListener(InetAddress bindAddress, int port, Duration readTimeout, int maxConnections,
                      Predicate<MoMessage> handler) throws IOException {
        this.handler = Objects.requireNonNull(handler, "handler");
        this.readTimeoutMillis = Math.toIntExact(Math.max(1, readTimeout.toMillis()));
        this.connections = new Semaphore(maxConnections);
        this.server = new ServerSocket();
        try {
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(bindAddress, port), 50);
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
    }

    private void acceptLoop(ExecutorService executor) {
        while (!closed) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                if (!closed) log.warn("DirectIP MO listener on port {} stopped accepting: {}", port(), e.toString());
                return;
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
                    + "gateway delivers it again", message.imei(), e);
            return false;
        }
    }

    private void release(Socket socket) {
        open.remove(socket);
        closeQuietly(socket);
        connections.release();
    }

    /** Stops accepting and closes every open connection; idempotent. */
    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            log.debug("closing the DirectIP MO listener: {}", e.toString());
        }
        for (Socket s : open) closeQuietly(s);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing more to do with it
        }
    }

}
