package io.globalcalling.spring;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The starter's background tasks (reconciliation, retention) keep their schedule whatever one run throws. */
class BackgroundTaskTest {

    @Test
    void aRunThatThrowsAnExceptionIsFollowedByTheNextRun() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        try (BackgroundTask task = new BackgroundTask("test-task", "test.interval", Duration.ofMillis(20), () -> {
            if (runs.incrementAndGet() == 1) throw new IllegalStateException("store down");
        })) {
            await().atMost(Duration.ofSeconds(5)).until(() -> runs.get() >= 3);
        }
    }

    /** An Error out of a run (a driver's NoClassDefFoundError, a StackOverflowError) would end the schedule unlogged. */
    @Test
    void aRunThatThrowsAnErrorIsFollowedByTheNextRun() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        try (BackgroundTask task = new BackgroundTask("test-task", "test.interval", Duration.ofMillis(20), () -> {
            if (runs.incrementAndGet() == 1) throw new NoClassDefFoundError("org/postgresql/Driver");
        })) {
            await().atMost(Duration.ofSeconds(5)).until(() -> runs.get() >= 3);
        }
        assertThat(runs.get()).isGreaterThanOrEqualTo(3);
    }

    /** Scheduled in milliseconds, half of one would read as zero: the task silently never ran. */
    @Test
    void anIntervalUnderAMillisecondOrNegativeIsRefusedNamingTheProperty() throws Exception {
        for (Duration bad : new Duration[] {Duration.ofNanos(500_000), Duration.ofSeconds(-1)}) {
            assertThatThrownBy(() -> new BackgroundTask("test-task", "test.interval", bad, () -> { }))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("test.interval must be 0 (not run) or at least 1 ms");
        }
        try (BackgroundTask off = new BackgroundTask("test-task", "test.interval", Duration.ZERO, () -> { })) {
            assertThat(off.isScheduled()).isFalse();
        }
    }
}
