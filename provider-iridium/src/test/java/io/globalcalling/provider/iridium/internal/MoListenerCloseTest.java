package io.globalcalling.provider.iridium.internal;

import io.globalcalling.BinaryPayload;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link MoListener#close()} is synchronous: once it returns, nothing is accepted, served or handed to the handler,
 * even a connection the accept loop took at the very moment close() began (the race is forced with latches).
 */
class MoListenerCloseTest {

    private static final byte[] MESSAGE = new MoMessage(1, "300234010753370", 0, 1, 0, Instant.ofEpochSecond(1_764_576_000L),
            BinaryPayload.of("all well".getBytes(StandardCharsets.US_ASCII)), null).encode();

    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final List<MoMessage> kept = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    @Test
    void aConnectionAcceptedAsCloseBeginsIsNeitherServedNorKept() throws Exception {
        GatedServerSocket server = new GatedServerSocket();
        MoListener listener = new MoListener(server, Duration.ofSeconds(5), 4, source -> true, kept::add);
        listener.start(executor);
        Future<byte[]> sent = executor.submit(() -> send(server.getLocalPort()));
        assertThat(server.accepted.await(10, TimeUnit.SECONDS)).as("the listener accepted").isTrue();

        Future<?> closing = executor.submit(listener::close);
        assertThat(server.closed.await(10, TimeUnit.SECONDS)).as("close() began").isTrue();
        server.proceed.countDown(); // the accept loop goes on with its connection while close() runs
        closing.get(10, TimeUnit.SECONDS);

        assertThatThrownBy(() -> sent.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(IOException.class);
        assertThat(kept).isEmpty();
    }

    @Test
    void aConnectionBeingReadWhenItClosesIsClosedUnconfirmed() throws Exception {
        MoListener listener = new MoListener(InetAddress.getLoopbackAddress(), 0, Duration.ofSeconds(30), 4, source -> true, kept::add);
        listener.start(executor);
        try (Socket gateway = new Socket(InetAddress.getLoopbackAddress(), listener.port())) {
            gateway.setSoTimeout(10_000);
            gateway.getOutputStream().write(MESSAGE, 0, 10); // a message cut short: the listener waits for the rest
            gateway.getOutputStream().flush();

            listener.close();

            assertThatThrownBy(() -> {
                gateway.getOutputStream().write(MESSAGE, 10, MESSAGE.length - 10);
                int read = gateway.getInputStream().read();
                if (read < 0) throw new IOException("closed without an answer"); // also what the gateway retries on
            }).isInstanceOf(IOException.class);
        }
        assertThat(kept).isEmpty();
    }

    /** The unforced race, many times over: with a close() that did not wait, about one send in twenty was served. */
    @Test
    void aSendRightAfterCloseIsNeverServed() throws Exception {
        for (int i = 0; i < 500; i++) {
            MoListener listener = new MoListener(InetAddress.getLoopbackAddress(), 0, Duration.ofSeconds(5), 4, source -> true, kept::add);
            listener.start(executor);
            listener.close();
            // hold the freed port without listening (binding fails while the listener still listens), so no other
            // socket, nor the sender connecting to itself, can answer in its place
            try (Socket holder = new Socket()) {
                holder.setOption(StandardSocketOptions.SO_REUSEPORT, true);
                holder.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.port()));
                assertThatThrownBy(() -> send(holder.getLocalPort())).as("send %d", i).isInstanceOf(ConnectException.class);
            }
        }
        assertThat(kept).isEmpty();
    }

    /** Plays the gateway: sends one message, reads the confirmation. */
    private static byte[] send(int port) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(MESSAGE);
            s.shutdownOutput();
            return s.getInputStream().readAllBytes();
        }
    }

    /** Holds the first connection it accepts until {@link #proceed} opens; tells when close() has begun. */
    private static final class GatedServerSocket extends ServerSocket {
        final CountDownLatch accepted = new CountDownLatch(1);
        final CountDownLatch proceed = new CountDownLatch(1);
        final CountDownLatch closed = new CountDownLatch(1);

        GatedServerSocket() throws IOException {
            bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        }

        @Override
        public Socket accept() throws IOException {
            Socket socket = super.accept();
            if (accepted.getCount() > 0) {
                accepted.countDown();
                try {
                    proceed.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return socket;
        }

        @Override
        public void close() throws IOException {
            super.close();
            closed.countDown();
        }
    }
}
