package io.globalcalling.provider.iridium;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The simulator's "gateway gone" is deterministic, since tests of UNAVAILABLE rely on it. */
class GatewaySimulatorTest {

    @Test
    void aGatewayThatRefusesConnectionsRefusesTheVeryNextOne() throws Exception {
        for (int i = 0; i < 100; i++) {
            try (GatewaySimulator gateway = GatewaySimulator.start()) {
                Thread.sleep(1); // its accept thread is blocked in accept(), holding the listening socket
                gateway.refuseConnections();

                assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), gateway.port()).close())
                        .as("connecting, round " + i).isInstanceOf(ConnectException.class);
            }
        }
    }

    @Test
    void nothingElseCanListenOnTheGatewaysPortWhileItIsReserved() {
        try (GatewaySimulator gateway = GatewaySimulator.start()) {
            gateway.refuseConnections();

            assertThatThrownBy(() -> new ServerSocket(gateway.port(), 1, InetAddress.getLoopbackAddress()).close())
                    .isInstanceOf(IOException.class);
        }
    }
}
