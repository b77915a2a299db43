package io.globalcalling;

import java.util.Locale;
import java.util.Objects;

/**
 * Where a call is in its life. Calls only move forward: a status of a lower {@link #rank()} never
 * replaces one of a higher rank, and a terminal status is never replaced.
 *
 * <p>A call to a contact centre may go on after {@link #ANSWERED}: the callee waits for an agent
 * ({@link #WAITING_FOR_AGENT}), then talks to one ({@link #WITH_AGENT}). A provider without agents
 * goes from answered straight to a terminal status. Stores keep {@link #wireName()}, which never changes.
 */
public enum CallStatus {
    INITIATED(0, false),
    QUEUED(1, false),
    RINGING(2, false),
    ANSWERED(3, false),
    /** Answered, and waiting in a queue for an agent. */
    WAITING_FOR_AGENT(4, false),
    /** Answered, and talking to an agent. */
    WITH_AGENT(5, false),
    COMPLETED(6, true),
    BUSY(6, true),
    NO_ANSWER(6, true),
    FAILED(6, true),
    CANCELED(6, true);

    private final int rank;
    private final boolean terminal;

    CallStatus(int rank, boolean terminal) {
        this.rank = rank;
        this.terminal = terminal;
    }

    /**
     * Progress order: initiated 0, queued 1, ringing 2, answered 3, waiting_for_agent 4, with_agent 5,
     * every terminal status 6.
     */
    public int rank() {
        return rank;
    }

    public boolean isTerminal() {
        return terminal;
    }

    /** Whether the callee has picked up and the call goes on: answered, waiting for an agent or with one. */
    public boolean isAnswered() {
        return this == ANSWERED || this == WAITING_FOR_AGENT || this == WITH_AGENT;
    }

    /** Whether a call in this status may move to {@code next}: only forward, never out of a terminal status. */
    public boolean canMoveTo(CallStatus next) {
        Objects.requireNonNull(next, "next");
        return !terminal && next.rank > rank;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static CallStatus fromWireName(String name) {
        Objects.requireNonNull(name, "status");
        try {
            return valueOf(name.strip().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("status '" + name + "' is unknown");
        }
    }
}
