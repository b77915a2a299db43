package io.globalcalling.spi;

import java.net.URI;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;

/** The narrow view of the SDK that a provider gets: time, shared resources, and where to report. */
public interface ProviderContext {

    Clock clock();

    /**
     * One instance of {@code type} shared by every provider of a manager (one OkHttpClient and its
     * connection pool, say), created by {@code factory} on first use. Closed with the manager if it
     * is {@link AutoCloseable}.
     */
    <T> T shared(Class<T> type, Supplier<T> factory);

    /** Where to deliver events learnt outside webhooks. */
    CallEventSink events();

    /**
     * Where to deliver messages that terminals send (replies, positions, delivery confirmations).
     * A context that takes none (an older host's) throws {@link UnsupportedOperationException}.
     */
    default InboundMessageSink inbound() {
        throw new UnsupportedOperationException("this provider context takes no inbound messages");
    }

    /** A scheduler owned by the manager, for timers (never block in it). */
    ScheduledExecutorService scheduler();

    /**
     * An executor owned by the manager for a provider's long-running work: a poller of an event queue,
     * a TCP accept loop. Submit it from the provider's factory or constructor, so it starts with the
     * manager. When the manager closes, after every provider's {@code close()}, the executor is shut
     * down and its tasks interrupted: a task ends when interrupted (or when a socket it blocks on is
     * closed by the provider's {@code close()}). Each task gets its own daemon thread.
     */
    ExecutorService executor();

    /** The public URL at which this provider's callbacks reach {@code webhooks().handle(id, ...)}, if the host has one. */
    Optional<URI> webhookUrl();
}
