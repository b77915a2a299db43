package io.globalcalling.spi;

import java.net.URI;
import java.time.Clock;
import java.util.Optional;
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

    /** The public URL at which this provider's callbacks reach {@code webhooks().handle(id, ...)}, if the host has one. */
    Optional<URI> webhookUrl();
}
