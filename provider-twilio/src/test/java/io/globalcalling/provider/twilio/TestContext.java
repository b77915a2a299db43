package io.globalcalling.provider.twilio;

import io.globalcalling.spi.CallEvent;
import io.globalcalling.spi.CallEventSink;
import io.globalcalling.spi.ProviderContext;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;

/** A ProviderContext for tests: a clock they move by hand, and shared resources they may seed. */
final class TestContext implements ProviderContext, AutoCloseable {

    final MutableClock clock = new MutableClock(Instant.parse("2024-05-01T10:00:00Z"));
    final List<CallEvent> events = new CopyOnWriteArrayList<>();
    private final Map<Class<?>, Object> shared = new ConcurrentHashMap<>();
    private ScheduledExecutorService scheduler;

    <T> TestContext with(Class<T> type, T instance) {
        shared.put(type, instance);
        return this;
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public <T> T shared(Class<T> type, Supplier<T> factory) {
        return type.cast(shared.computeIfAbsent(type, t -> factory.get()));
    }

    @Override
    public CallEventSink events() {
        return events::add;
    }

    @Override
    public synchronized ScheduledExecutorService scheduler() {
        if (scheduler == null) scheduler = Executors.newSingleThreadScheduledExecutor();
        return scheduler;
    }

    @Override
    public Optional<URI> webhookUrl() {
        return Optional.empty();
    }

    @Override
    public synchronized void close() {
        if (scheduler != null) scheduler.shutdownNow();
    }

    /** A clock that stands still until a test advances it. */
    static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
