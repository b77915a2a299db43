package io.globalcalling.examples;

import io.globalcalling.CallRecord;
import io.globalcalling.CallRequest;
import io.globalcalling.Priority;
import io.globalcalling.SatelliteTerminal;
import io.globalcalling.core.GlobalCallingManager;
import io.globalcalling.provider.iridium.TerminalPositions;
import io.globalcalling.spi.ProviderConfig;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;

/**
 * Sends a storm alert to a vessel's Iridium SBD terminal and prints where the vessel has been.
 *
 * <p>Runs on its own: it starts a stand-in for Iridium's DirectIP gateway on loopback, which confirms the MT
 * message and then delivers three MO position reports from the vessel, the last one acknowledging the alert (its
 * MTMSN). Against the real gateway, set {@code iridium.directip-host}, {@code iridium.mo-port} (the port Iridium
 * delivers MO messages to, as provisioned in SPNet) and {@code iridium.mo-allowed-sources} (the addresses Iridium
 * delivers them from), and leave the stand-in out.
 */
public final class VesselAlert {

    static final String VESSEL_IMEI = "300234010753370";

    private VesselAlert() {
    }

    public static void main(String[] args) throws Exception {
        try (LoopbackGateway gateway = LoopbackGateway.start()) {
            int moPort = freePort();
            Map<String, String> config = Map.of(
                    "iridium.directip-host", "127.0.0.1",
                    "iridium.directip-port", Integer.toString(gateway.port()),
                    "iridium.mo-port", Integer.toString(moPort),
                    "iridium.mo-bind-address", "127.0.0.1",
                    "iridium.mo-allowed-sources", "127.0.0.1");   // the stand-in delivers from loopback
            try (GlobalCallingManager calling = GlobalCallingManager.builder().config(ProviderConfig.of(config)).build()) {
                CallRecord alert = calling.call(CallRequest.to("imei:" + VESSEL_IMEI).priority(Priority.EMERGENCY)
                        .script("STORM WARNING: gale force 10 at 70N 20E within 6 h. Seek shelter at Tromso.").build());
                System.out.println("alert " + alert.callId() + " via " + alert.providerId() + ": " + alert.status().wireName()
                        + ", held " + alert.heldAmount());

                // the vessel's terminal reports its position; the third session also receives the alert
                int mtmsn = Integer.parseInt(alert.providerCallId().split("-")[1]);
                gateway.deliverPosition(moPort, 1, 0, 69.90, 17.10, 4);
                gateway.deliverPosition(moPort, 2, 0, 69.75, 18.20, 3);
                gateway.deliverPosition(moPort, 3, mtmsn, 69.66, 18.95, 2);

                CallRecord delivered = calling.calls().await(alert.callId(), Duration.ofSeconds(10));
                System.out.println("alert " + delivered.status().wireName() + ", cost " + delivered.cost());

                SatelliteTerminal vessel = new SatelliteTerminal(VESSEL_IMEI);
                TerminalPositions positions = TerminalPositions.of(calling.calls()::inboundFrom);
                for (TerminalPositions.Fix fix : positions.track(vessel, 50)) {
                    System.out.printf("track  %s  %.4f, %.4f  ±%.0f m%n", fix.at(), fix.point().latitude(),
                            fix.point().longitude(), fix.accuracyMeters());
                }
                positions.last(vessel).ifPresent(fix -> System.out.printf("last seen %s at %.4f, %.4f%n", fix.at(),
                        fix.point().latitude(), fix.point().longitude()));
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /**
     * A stand-in for Iridium's gateway, written from the DirectIP layout: it confirms every MT message it is sent
     * (queue position 0) and, as the gateway does, connects to the MO port to deliver what a terminal sent.
     */
    static final class LoopbackGateway implements AutoCloseable {
        private final ServerSocket server;
        private final Thread thread;

        private LoopbackGateway(ServerSocket server) {
            this.server = server;
            thread = new Thread(this::confirmMtMessages, "loopback-directip-gateway");
            thread.setDaemon(true);
            thread.start();
        }

        static LoopbackGateway start() throws IOException {
            ServerSocket s = new ServerSocket();
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return new LoopbackGateway(s);
        }

        int port() {
            return server.getLocalPort();
        }

        private void confirmMtMessages() {
            while (!server.isClosed()) {
                try (Socket socket = server.accept()) {
                    if (server.isClosed()) return; // accepted as close() began: not answered
                    InputStream in = socket.getInputStream();
                    byte[] head = in.readNBytes(3);
                    byte[] body = in.readNBytes(((head[1] & 0xff) << 8) | (head[2] & 0xff));
                    // MT header IE at the start of the body: 0x41, length 21, client id (4), IMEI (15), flags (2)
                    ByteBuffer confirmation = ByteBuffer.allocate(31).put((byte) 1).putShort((short) 28)
                            .put((byte) 0x44).putShort((short) 25).put(Arrays.copyOfRange(body, 3, 22)) // id + IMEI
                            .putInt(1).putShort((short) 0);                                            // auto id, queued 0
                    socket.getOutputStream().write(confirmation.array());
                } catch (IOException e) {
                    // closed, or a client that went away
                }
            }
        }

        /** Delivers an MO message with a location (and the MTMSN of an MT message received in the same session). */
        void deliverPosition(int moPort, int momsn, int mtmsn, double lat, double lon, int cepKm) throws IOException {
            byte[] imei = VESSEL_IMEI.getBytes(StandardCharsets.US_ASCII);
            ByteBuffer m = ByteBuffer.allocate(3 + 31 + 14).put((byte) 1).putShort((short) 45)
                    .put((byte) 0x01).putShort((short) 28).putInt(7000 + momsn).put(imei).put((byte) 0)
                    .putShort((short) momsn).putShort((short) mtmsn)
                    .putInt((int) Instant.now().minusSeconds(600L * (4 - momsn)).getEpochSecond())
                    .put((byte) 0x03).putShort((short) 11).put((byte) ((lat < 0 ? 2 : 0) | (lon < 0 ? 1 : 0)));
            angle(m, Math.abs(lat));
            angle(m, Math.abs(lon));
            m.putInt(cepKm);
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), moPort)) {
                OutputStream out = s.getOutputStream();
                out.write(m.array());
                out.flush();
                byte[] answer = s.getInputStream().readNBytes(7);
                if (answer.length != 7 || answer[6] != 1) throw new IOException("the MO message was not confirmed");
            }
        }

        /** Degrees (1 byte) and thousandths of a minute (2 bytes). */
        private static void angle(ByteBuffer b, double degrees) {
            long thousandths = Math.round(degrees * 60_000);
            b.put((byte) (thousandths / 60_000)).putShort((short) (thousandths % 60_000));
        }

        /** Stops listening and waits for the accept thread, so nothing is answered once it returns. */
        @Override
        public void close() throws IOException {
            server.close();
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
