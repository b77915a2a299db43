package io.globalcalling.testkit;

import io.globalcalling.spi.CallEvent;
import io.globalcalling.spi.CallEventSink;
import io.globalcalling.CallStatus;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * A {@link CallEventSink} that keeps every event it receives, in arrival order, for assertions.
 * Thread-safe: providers may deliver from their own threads while a test waits with one of the
 * {@code await} methods, which return as soon as the awaited event arrives and fail with an
 * {@link AssertionError} listing what did arrive when the timeout passes first.
 */
public final class RecordingEventSink implements CallEventSink {

    private final List<CallEvent> events = new ArrayList<>();

    @Override
    public void accept(CallEvent event) {
        Objects.requireNonNull(event, "event");
        synchronized (events) {
            events.add(event);
            events.notifyAll();
        }
    }

    /** A snapshot of every event received so far, in arrival order. */
    public List<CallEvent> events() {
        synchronized (events) {
            return List.copyOf(events);
        }
    }

    /** A snapshot of the events about one provider call, in arrival order. */
    public List<CallEvent> eventsFor(String providerCallId) {
        Objects.requireNonNull(providerCallId, "providerCallId");
        return events().stream().filter(e -> providerCallId.equals(e.providerCallId())).toList();
    }

    public int size() {
        synchronized (events) {
            return events.size();
        }
    }

    /** Forgets every event received so far. */
    public void clear() {
        synchronized (events) {
            events.clear();
        }
    }

    /**
     * Waits until an event matching {@code condition} has arrived (or had already arrived) and returns the first one.
     *
     * @throws AssertionError when none arrives within {@code timeout}
     */
    public CallEvent awaitEvent(Predicate<CallEvent> condition, Duration timeout) {
        Objects.requireNonNull(condition, "condition");
        List<CallEvent> matching = awaitMatching(condition, 1, timeout);
        return matching.get(0);
    }

    /**
     * Waits until the provider call reports {@code status}.
     *
     * @throws AssertionError when it does not within {@code timeout}
     */
    public CallEvent awaitStatus(String providerCallId, CallStatus status, Duration timeout) {
        Objects.requireNonNull(providerCallId, "providerCallId");
        Objects.requireNonNull(status, "status");
        return awaitEvent(e -> providerCallId.equals(e.providerCallId()) && e.status() == status, timeout);
    }

    /**
     * Waits until the provider call reports a terminal status (completed, busy, no_answer, failed, canceled).
     *
     * @throws AssertionError when it does not within {@code timeout}
     */
    public CallEvent awaitTerminal(String providerCallId, Duration timeout) {
        Objects.requireNonNull(providerCallId, "providerCallId");
        return awaitEvent(e -> providerCallId.equals(e.providerCallId())
                && e.status() != null && e.status().isTerminal(), timeout);
    }

    /**
     * Waits until at least {@code count} events have arrived in all and returns a snapshot of them.
     *
     * @throws AssertionError when fewer arrive within {@code timeout}
     */
    public List<CallEvent> awaitCount(int count, Duration timeout) {
        if (count < 0) throw new IllegalArgumentException("count " + count + " must not be negative");
        awaitMatching(e -> true, count, timeout);
        return events();
    }

    private List<CallEvent> awaitMatching(Predicate<CallEvent> condition, int count, Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (events) {
            while (true) {
                List<CallEvent> matching = events.stream().filter(condition).toList();
                if (matching.size() >= count) return matching;
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("expected " + count + " matching event(s) within " + timeout
                            + " but " + matching.size() + " arrived; all events: " + events);
                }
                try {
                    events.wait(Math.max(1, left / 1_000_000), 0);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted while waiting for events", e);
                }
            }
        }
    }

    @Override
    public String toString() {
        return "RecordingEventSink[" + size() + " events]";
    }
}
