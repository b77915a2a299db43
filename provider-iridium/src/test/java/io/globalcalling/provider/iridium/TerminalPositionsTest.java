package io.globalcalling.provider.iridium;

import io.globalcalling.GeoPoint;
import io.globalcalling.InboundMessage;
import io.globalcalling.SatelliteTerminal;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TerminalPositionsTest {

    private static final SatelliteTerminal VESSEL = new SatelliteTerminal("300234010753370");
    private static final SatelliteTerminal OTHER = new SatelliteTerminal("300234010753380");
    private static final Instant T0 = Instant.parse("2026-12-01T08:00:00Z");

    private final List<InboundMessage> stored = new ArrayList<>();
    private final List<Integer> limitsAsked = new ArrayList<>();
    private final TerminalPositions positions = TerminalPositions.of((from, limit) -> {
        limitsAsked.add(limit);
        return stored.stream().filter(m -> m.from().value().equals(from))
                .sorted(Comparator.comparing(InboundMessage::receivedAt).reversed()).limit(limit).toList();
    });

    private void report(SatelliteTerminal t, int minute, double lat, double lon) {
        stored.add(InboundMessage.builder("iridium", t, InboundMessage.Kind.POSITION).receivedAt(T0.plusSeconds(60L * minute))
                .position(GeoPoint.of(lat, lon), 3000).providerMessageId(t.imei() + minute).build());
    }

    private void reply(SatelliteTerminal t, int minute) {
        stored.add(InboundMessage.builder("iridium", t, InboundMessage.Kind.REPLY).receivedAt(T0.plusSeconds(60L * minute))
                .payload(new byte[] {1}).providerMessageId(t.imei() + "r" + minute).build());
    }

    @Test
    void lastIsTheNewestPositionOfThatTerminal() {
        report(VESSEL, 1, 69.6, 18.9);
        report(VESSEL, 5, 70.1, 19.5);
        reply(VESSEL, 9);
        report(OTHER, 10, -54.8, -68.3);

        assertThat(positions.last(VESSEL)).hasValueSatisfying(f -> {
            assertThat(f.at()).isEqualTo(T0.plusSeconds(300));
            assertThat(f.point()).isEqualTo(GeoPoint.of(70.1, 19.5));
            assertThat(f.accuracyMeters()).isEqualTo(3000);
            assertThat(f.terminal()).isEqualTo(VESSEL);
        });
        assertThat(limitsAsked).containsExactly(TerminalPositions.LAST_WINDOW);
    }

    @Test
    void aTerminalNeverLocatedHasNoPosition() {
        reply(VESSEL, 1);
        assertThat(positions.last(VESSEL)).isEmpty();
        assertThat(positions.track(VESSEL, 10)).isEmpty();
    }

    @Test
    void theTrackIsOldestFirstWithinTheNewestMessages() {
        for (int i = 0; i < 6; i++) report(VESSEL, i, 60 + i, 10);
        reply(VESSEL, 7);

        assertThat(positions.track(VESSEL, 4)).extracting(f -> f.point().latitude()).containsExactly(63.0, 64.0, 65.0);
        assertThat(positions.track(VESSEL, 100)).hasSize(6);
    }

    @Test
    void aTrackOfNoMessagesIsRefused() {
        assertThatThrownBy(() -> positions.track(VESSEL, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("messages 0");
    }
}
