package io.globalcalling.provider.iridium;

import io.globalcalling.GeoPoint;
import io.globalcalling.InboundMessage;
import io.globalcalling.SatelliteTerminal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * Where terminals were, read from the messages they sent: each MO message the gateway located carries a position,
 * and the manager keeps every inbound message in its store. Build it over the manager's messages,
 * {@code TerminalPositions.of(manager.calls()::inboundFrom)}, or over a store,
 * {@code TerminalPositions.of((from, n) -> store.findInbound(from, n))}.
 */
public final class TerminalPositions {

    /** How many of a terminal's newest messages {@link #last} looks through for one with a position. */
    static final int LAST_WINDOW = 500;

    /**
     * One position of a terminal.
     *
     * @param at              when it was there (the time of the SBD session)
     * @param point           where
     * @param accuracyMeters  the radius within which it was (Iridium's CEP radius)
     */
    public record Fix(SatelliteTerminal terminal, Instant at, GeoPoint point, double accuracyMeters) {
        public Fix {
            Objects.requireNonNull(terminal, "terminal");
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(point, "point");
        }
    }

    private final BiFunction<String, Integer, List<InboundMessage>> inboundFrom;

    private TerminalPositions(BiFunction<String, Integer, List<InboundMessage>> inboundFrom) {
        this.inboundFrom = inboundFrom;
    }

    /** @param inboundFrom the newest messages from an endpoint ({@code imei:...}) first, at most the given number */
    public static TerminalPositions of(BiFunction<String, Integer, List<InboundMessage>> inboundFrom) {
        return new TerminalPositions(Objects.requireNonNull(inboundFrom, "inboundFrom"));
    }

    /** Where the terminal was last seen, among its newest 500 messages. */
    public Optional<Fix> last(SatelliteTerminal terminal) {
        List<Fix> fixes = newestFirst(terminal, LAST_WINDOW);
        return fixes.isEmpty() ? Optional.empty() : Optional.of(fixes.get(0));
    }

    /**
     * The terminal's track, oldest first: the positions among its newest {@code messages} messages.
     *
     * @throws IllegalArgumentException when {@code messages} is not 1 to 10,000
     */
    public List<Fix> track(SatelliteTerminal terminal, int messages) {
        if (messages < 1 || messages > 10_000) {
            throw new IllegalArgumentException("messages " + messages + " must be 1 to 10,000");
        }
        List<Fix> fixes = new ArrayList<>(newestFirst(terminal, messages));
        Collections.reverse(fixes);
        return List.copyOf(fixes);
    }

    private List<Fix> newestFirst(SatelliteTerminal terminal, int limit) {
        Objects.requireNonNull(terminal, "terminal");
        List<Fix> fixes = new ArrayList<>();
        for (InboundMessage m : inboundFrom.apply(terminal.value(), limit)) {
            if (!m.from().equals(terminal)) continue;
            m.position().ifPresent(p -> fixes.add(new Fix(terminal, m.receivedAt(), p.point(), p.accuracyMeters())));
        }
        fixes.sort((a, b) -> b.at().compareTo(a.at()));
        return fixes;
    }
}
