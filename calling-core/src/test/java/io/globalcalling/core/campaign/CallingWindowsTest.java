package io.globalcalling.core.campaign;

import org.junit.jupiter.api.Test;

import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;

import static org.assertj.core.api.Assertions.assertThat;

class CallingWindowsTest {

    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    @Test
    void aWindowOpeningInsideTheSpringForwardGapOpensWhenTheGapEnds() {
        // on 2026-03-08 New York's clocks go from 02:00 to 03:00: 02:30 never happens, the window is open from 03:00
        CallingWindows windows = CallingWindows.everyDay(LocalTime.of(2, 30), LocalTime.of(5, 0));
        ZonedDateTime night = ZonedDateTime.of(LocalDateTime.of(2026, 3, 8, 1, 0), NEW_YORK);

        ZonedDateTime opens = windows.nextOpening(night);

        assertThat(opens.toLocalTime()).isEqualTo(LocalTime.of(3, 0));
        assertThat(windows.isOpen(opens)).isTrue();
    }

    @Test
    void aWindowWhollyInsideTheSpringForwardGapDoesNotOpenThatDay() {
        CallingWindows windows = CallingWindows.everyDay(LocalTime.of(2, 10), LocalTime.of(2, 50));
        ZonedDateTime night = ZonedDateTime.of(LocalDateTime.of(2026, 3, 8, 1, 0), NEW_YORK);

        ZonedDateTime opens = windows.nextOpening(night);

        assertThat(opens.toLocalDateTime()).isEqualTo(LocalDateTime.of(2026, 3, 9, 2, 10));
        assertThat(windows.isOpen(opens)).isTrue();
    }
}
