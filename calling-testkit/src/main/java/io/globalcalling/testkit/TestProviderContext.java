package io.globalcalling.testkit;

import io.globalcalling.InboundMessage;
import io.globalcalling.spi.InboundMessageSink;
import io.globalcalling.spi.ProviderContext;

import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A {@link ProviderContext} for tests: a {@link MutableClock} (or a clock you give), a
 * {@link RecordingEventSink}, a real scheduler on daemon threads, a map of shared resources and an
 * optional public webhook URL. {@link #close()} shuts the scheduler down and closes every shared
 * resource that is {@link AutoCloseable}; use it in try-with-resources or an {@code @AfterEach}.
 */
public final class TestProviderContext implements ProviderContext, AutoCloseable {

    private static final AtomicInteger CONTEXTS = new AtomicInteger();

    private final Clock clock;
    private final RecordingEventSink events = new RecordingEventSink();
    private final List<InboundMessage> inbound = new CopyOnWriteArrayList<>();
    private final ScheduledThreadPoolExecutor scheduler;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = Executors.defaultThreadFactory().newThread(r);
        t.setDaemon(true);
        return t;
    });
    private final Map<Class<?>, Object> shared = new ConcurrentHashMap<>();
    private final URI webhookUrl;

    private TestProviderContext(Clock clock, URI webhookUrl, int schedulerThreads) {
        this.clock = clock;
        this.webhookUrl = webhookUrl;
        int n = CONTEXTS.incrementAndGet();
        AtomicInteger threads = new AtomicInteger();
        this.scheduler = new ScheduledThreadPoolExecutor(schedulerThreads, r -> {
            Thread t = new Thread(r, "test-provider-context-" + n + "-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.scheduler.setRemoveOnCancelPolicy(true);
    }

    /** A context with a {@link MutableClock} at {@link MutableClock#DEFAULT_START} and no webhook URL. */
    public static TestProviderContext create() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public Clock clock() {
        return clock;
    }

    /**
     * The clock as a {@link MutableClock}.
     *
     * @throws IllegalStateException when the context was built with another kind of clock
     */
    public MutableClock mutableClock() {
        if (clock instanceof MutableClock m) return m;
        throw new IllegalStateException("this context uses " + clock + ", not a MutableClock");
    }

    @Override
    public <T> T shared(Class<T> type, Supplier<T> factory) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(factory, "factory");
        return type.cast(shared.computeIfAbsent(type, t -> Objects.requireNonNull(factory.get(), "shared " + type.getName())));
    }

    @Override
    public RecordingEventSink events() {
        return events;
    }

    /** Records every message delivered to it; see {@link #inboundMessages()}. */
    @Override
    public InboundMessageSink inbound() {
        return message -> inbound.add(Objects.requireNonNull(message, "message"));
    }

    /** The inbound messages delivered so far, in order. */
    public List<InboundMessage> inboundMessages() {
        return List.copyOf(inbound);
    }

    @Override
    public ScheduledExecutorService scheduler() {
        return scheduler;
    }

    /** A cached pool of daemon threads for long-running work, shut down (interrupting it) by {@link #close()}. */
    @Override
    public ExecutorService executor() {
        return executor;
    }

    @Override
    public Optional<URI> webhookUrl() {
        return Optional.ofNullable(webhookUrl);
    }

    /** Shuts the scheduler down (waiting briefly for running tasks) and closes shared resources; idempotent. */
    @Override
    public void close() {
        scheduler.shutdownNow();
        executor.shutdownNow();
        try {
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<Exception> failures = new ArrayList<>();
        for (Object resource : shared.values()) {
            if (resource instanceof AutoCloseable c) {
                try {
                    c.close();
                } catch (Exception e) {
                    failures.add(e);
                }
            }
        }
        shared.clear();
        if (!failures.isEmpty()) {
            IllegalStateException e = new IllegalStateException("closing shared resources failed");
            failures.forEach(e::addSuppressed);
            throw e;
        }
    }

    /** Builds a {@link TestProviderContext}. */
    public static final class Builder {
        private Clock clock;
        private URI webhookUrl;
        private int schedulerThreads = 2;

        private Builder() {
        }

        /** The clock providers see; a new {@link MutableClock} when not set. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The public URL at which the provider's callbacks arrive. */
        public Builder webhookUrl(URI webhookUrl) {
            this.webhookUrl = Objects.requireNonNull(webhookUrl, "webhookUrl");
            return this;
        }

        public Builder webhookUrl(String webhookUrl) {
            return webhookUrl(URI.create(Objects.requireNonNull(webhookUrl, "webhookUrl")));
        }

        public Builder schedulerThreads(int threads) {
            if (threads < 1) throw new IllegalArgumentException("schedulerThreads " + threads + " must be at least 1");
            this.schedulerThreads = threads;
            return this;
        }

        public TestProviderContext build() {
            return new TestProviderContext(clock == null ? MutableClock.create() : clock, webhookUrl, schedulerThreads);
        }
    }
}
