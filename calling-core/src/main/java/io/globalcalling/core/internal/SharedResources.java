package io.globalcalling.core.internal;

import io.globalcalling.core.webhook.Webhooks;
import io.globalcalling.spi.CallEventSink;
import io.globalcalling.spi.InboundMessageSink;
import io.globalcalling.spi.ProviderContext;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * What a manager shares with its providers: the clock, one scheduler, shared instances, the event sink. Closing it
 * closes every shared instance it created, last created first (an {@link OkHttpClient} through
 * {@link SharedHttpClient#shutdown}).
 */
public final class SharedResources implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SharedResources.class);

    private final Clock clock;
    private final URI webhookBaseUrl;
    private final ScheduledThreadPoolExecutor scheduler;
    private final ExecutorService executor;
    private final Map<Class<?>, Object> shared = new ConcurrentHashMap<>();
    private final Map<Class<?>, Supplier<?>> managerFactories = new ConcurrentHashMap<>();
    private final List<Object> creationOrder = new ArrayList<>();
    private volatile CallEventSink sink = event -> log.warn("event before the manager was ready dropped: {}", event);
    private volatile InboundMessageSink inbound =
            message -> log.warn("inbound message before the manager was ready dropped: {}", message);

    public SharedResources(Clock clock, URI webhookBaseUrl) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.webhookBaseUrl = webhookBaseUrl;
        AtomicInteger n = new AtomicInteger();
        this.scheduler = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = Executors.defaultThreadFactory().newThread(r);
            t.setName("calling-scheduler-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        scheduler.setRemoveOnCancelPolicy(true);
        AtomicInteger w = new AtomicInteger();
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread t = Executors.defaultThreadFactory().newThread(r);
            t.setName("calling-provider-work-" + w.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    public void eventSink(CallEventSink sink) {
        this.sink = Objects.requireNonNull(sink, "sink");
    }

    public void inboundSink(InboundMessageSink sink) {
        this.inbound = Objects.requireNonNull(sink, "sink");
    }

    public ScheduledExecutorService scheduler() {
        return scheduler;
    }

    /** The executor for long-running and blocking work, whose threads are made as they are needed. */
    public ExecutorService executor() {
        return executor;
    }

    public Optional<URI> webhookUrl(String providerId) {
        if (webhookBaseUrl == null) return Optional.empty();
        return Optional.of(Webhooks.callbackUrl(webhookBaseUrl, providerId));
    }

    /** A provider's view of these resources. */
    public ProviderContext contextFor(String providerId) {
        return new ProviderContext() {
            @Override
            public Clock clock() {
                return clock;
            }

            @Override
            public <T> T shared(Class<T> type, Supplier<T> factory) {
                return SharedResources.this.shared(type, factory);
            }

            @Override
            public CallEventSink events() {
                return event -> sink.accept(event);
            }

            @Override
            public InboundMessageSink inbound() {
                return message -> inbound.accept(message);
            }

            @Override
            public ScheduledExecutorService scheduler() {
                return scheduler;
            }

            @Override
            public ExecutorService executor() {
                return executor;
            }

            @Override
            public Optional<URI> webhookUrl() {
                return SharedResources.this.webhookUrl(providerId);
            }
        };
    }

    /**
     * Makes the manager's {@code factory} the one that creates the shared {@code type}, whichever provider asks
     * first (a provider's own factory is then not used), so that the instance is set up as the manager wants.
     */
    public <T> void preferFactory(Class<T> type, Supplier<T> factory) {
        managerFactories.put(Objects.requireNonNull(type, "type"), Objects.requireNonNull(factory, "factory"));
    }

    public <T> T shared(Class<T> type, Supplier<T> factory) {
        Objects.requireNonNull(type, "type");
        Supplier<?> chosen = managerFactories.getOrDefault(type, factory);
        Object instance = shared.computeIfAbsent(type, k -> {
            Object created = Objects.requireNonNull(chosen.get(), "shared " + type.getName());
            synchronized (creationOrder) {
                creationOrder.add(created);
            }
            return created;
        });
        return type.cast(instance);
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        executor.shutdownNow();   // interrupts providers' long-running tasks; their close() has run
        try {
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (creationOrder) {
            for (int i = creationOrder.size() - 1; i >= 0; i--) {
                Object resource = creationOrder.get(i);
                if (resource instanceof OkHttpClient http) {
                    SharedHttpClient.shutdown(http); // created here, so ours to release; OkHttp has no close()
                } else if (resource instanceof AutoCloseable c) {
                    try {
                        c.close();
                    } catch (Exception e) {
                        log.warn("shared resource {} failed to close: {}", c.getClass().getName(), e.toString());
                    }
                }
            }
        }
    }
}
