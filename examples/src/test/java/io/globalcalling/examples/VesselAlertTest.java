package io.globalcalling.examples;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

    /**
     * The loopback gateway's close() returns once nothing listens on its port: the test takes the port at once
     * (binding fails while the gateway's accept thread still holds the listening socket) and a connection is refused.
     */
    @Test
    void theLoopbackGatewayStopsListeningBeforeCloseReturns() throws Exception {
        for (int i = 0; i < 300; i++) {
            VesselAlert.LoopbackGateway gateway = VesselAlert.LoopbackGateway.start();
            gateway.close();
            try (Socket holder = new Socket()) {
                holder.setOption(StandardSocketOptions.SO_REUSEPORT, true);
                holder.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), gateway.port()));
                assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), holder.getLocalPort()).close())
                        .as("connection %d", i).isInstanceOf(ConnectException.class);
            }
        }
    }
}
