package io.globalcalling.spi;

import io.globalcalling.CallStatus;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PlacementSearchTest {

    @Test
    void eachAnswerSaysWhichItIs() {
        CallEvent event = CallEvent.status("p", "P-1", "c1", CallStatus.RINGING, Instant.EPOCH);

        assertThat(PlacementSearch.found(event)).isInstanceOfSatisfying(PlacementSearch.Found.class,
                f -> assertThat(f.event()).isEqualTo(event));
        assertThat(PlacementSearch.notPlaced()).isInstanceOf(PlacementSearch.NotPlaced.class)
                .isEqualTo(new PlacementSearch.NotPlaced());
        assertThat(PlacementSearch.unknown("page 2 failed")).isInstanceOfSatisfying(PlacementSearch.Unknown.class,
                u -> assertThat(u.why()).isEqualTo("page 2 failed"));
    }

    @Test
    void aFoundCallNeedsItsEventAndAnUnknownItsReason() {
        assertThatThrownBy(() -> PlacementSearch.found(null)).hasMessage("event");
        assertThatThrownBy(() -> PlacementSearch.unknown(null)).hasMessage("why");
    }
}
