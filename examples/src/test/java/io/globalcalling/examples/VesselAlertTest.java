package io.globalcalling.examples;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class VesselAlertTest {

    @Test
    void theAlertIsDeliveredAndTheVesselsTrackPrinted() throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            VesselAlert.main(new String[0]);
        } finally {
            System.setOut(original);
        }
        String printed = out.toString(StandardCharsets.UTF_8);
        original.print(printed);

        assertThat(printed).contains("via iridium: queued", "alert completed, cost ");
        assertThat(printed.lines().filter(l -> l.startsWith("track"))).hasSize(3);
        assertThat(printed).contains("last seen").contains("69.6600, 18.9500");
    }
}
