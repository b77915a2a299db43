package io.globalcalling;

import java.util.Locale;
import java.util.Objects;

/**
 * Where a call is in its life. Calls only move forward: a status of a lower {@link #rank()} never
 * replaces one of a higher rank, and a terminal status is never replaced.
 */
public enum CallStatus {
    INITIATED(0, false),
    QUEUED(1, false),
    RINGING(2, false),
    ANSWERED(3, false),
    COMPLETED(4, true),
    BUSY(4, true),
    NO_ANSWER(4, true),
    FAILED(4, true),
    CANCELED(4, true);

    private final int rank;
    private final boolean terminal;

    CallStatus(int rank, boolean terminal) {
        this.rank = rank;
        this.terminal = terminal;
    }

    /** Progress order: initiated 0, queued 1, ringing 2, answered 3, every terminal status 4. */
    public int rank() {
        return rank;
    }

    public boolean isTerminal() {
        return terminal;
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
