package io.globalcalling.testkit;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;

import static org.assertj.core.api.Assertions.assertThat;

class MutableClockTest {

    @Test
    void standsStillUntilMoved() {
        MutableClock clock = MutableClock.create();
        assertThat(clock.instant()).isEqualTo(MutableClock.DEFAULT_START).isEqualTo(clock.instant());

        assertThat(clock.advance(Duration.ofMinutes(5))).isEqualTo(MutableClock.DEFAULT_START.plusSeconds(300));
        clock.setInstant(Instant.EPOCH);
        assertThat(clock.millis()).isZero();
    }

    @Test
    void aZonedCopySharesTheInstant() {
        MutableClock utc = MutableClock.create();
        MutableClock kolkata = utc.withZone(ZoneId.of("Asia/Kolkata"));

        utc.advance(Duration.ofHours(1));

        assertThat(kolkata.instant()).isEqualTo(utc.instant());
        assertThat(kolkata.getZone()).isEqualTo(ZoneId.of("Asia/Kolkata"));
    }
}
