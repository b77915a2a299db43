package io.globalcalling.provider.iridium;

import io.globalcalling.CallCategory;
import io.globalcalling.CallRequest;
import io.globalcalling.CallStatus;
import io.globalcalling.spi.CallEvent;
import io.globalcalling.spi.OutboundCall;
import io.globalcalling.spi.PlacedCall;
import io.globalcalling.testkit.TestProviderContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

import static io.globalcalling.provider.iridium.Bytes.ascii;
import static io.globalcalling.provider.iridium.IridiumTests.IMEI;
import static io.globalcalling.provider.iridium.MoSender.CONFIRMED;
import static io.globalcalling.provider.iridium.MoSender.header;
import static io.globalcalling.provider.iridium.MoSender.message;
import static io.globalcalling.provider.iridium.MoSender.payload;
import static io.globalcalling.provider.iridium.MoSender.send;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code iridium.mo-allowed-sources}: DirectIP has no credential, so the source address is what keeps a forger
 * from completing calls with made-up delivery confirmations. Real loopback senders, as the gateway connects.
 */
class IridiumMoAllowedSourcesTest {

    private static final long SESSION = 1_764_576_000L;

    private GatewaySimulator gateway;
    private TestProviderContext context;
    private IridiumProvider provider;

    @BeforeEach
    void start() {
        gateway = GatewaySimulator.start();
        context = TestProviderContext.create();
    }

    @AfterEach
    void stop() {
        if (provider != null) provider.close();
        gateway.close();
        context.close();
    }

    @Test
    void aSenderFromAnAllowedAddressIsServed() throws Exception {
        provider = listening("192.0.2.0/24, 127.0.0.1, ::1");

        assertThat(send(provider.moPort().orElseThrow(), message(header(9001, IMEI, 0, 42, 0, SESSION),
                payload(ascii("all well"))))).isEqualTo(CONFIRMED);
        assertThat(context.inboundMessages()).singleElement().satisfies(m -> assertThat(m.text()).contains("all well"));
    }

    @Test
    void aForgedDeliveryConfirmationFromAnotherAddressIsNotAppliedAndItsConnectionIsClosed() throws Exception {
        provider = listening("192.0.2.0/24, 2001:db8::/32");
        PlacedCall placed = provider.place(OutboundCall.builder("call-7", CallCategory.SATELLITE,
                CallRequest.to("imei:" + IMEI).payload(new byte[] {1}).build()).build());
        assertThat(placed.providerCallId()).isEqualTo(IMEI + "-77");

        int eventsBefore = context.events().size();
        String logs = stderrOf(() -> {
            assertThat(sendFromLoopback(message(header(9100, IMEI, 0, 47, 77, SESSION))))
                    .as("no confirmation is written").isEmpty();
            return null;
        });

        assertThat(context.inboundMessages()).as("the host's sink sees nothing").isEmpty();
        assertThat(context.events().size()).as("no call event either").isEqualTo(eventsBefore);
        assertThat(provider.fetch(placed.providerCallId())).map(CallEvent::status).contains(CallStatus.QUEUED);
        assertThat(logs).contains("WARN").contains("connection from 127.0.0.1 refused")
                .as("only the source address").doesNotContain(IMEI);
    }

    /**
     * The read timeout is 30 s and the sender sends nothing, so an end within the sender's 5 s is the listener
     * closing the connection before reading, not a read that timed out.
     */
    @Test
    void aRefusedSourceIsClosedAtOnceWithoutAByteRead() throws Exception {
        provider = new IridiumProvider(IridiumConfig.from(IridiumTests.config(gateway.port(), "iridium.mo-port", "0",
                "iridium.mo-bind-address", "127.0.0.1", "iridium.mo-read-timeout", "30s",
                "iridium.mo-allowed-sources", "192.0.2.1")), context, 77);

        try (Socket idle = new Socket(InetAddress.getLoopbackAddress(), provider.moPort().orElseThrow())) {
            idle.setSoTimeout(5_000);
            int first;
            try {
                first = idle.getInputStream().read();
            } catch (SocketException reset) {
                first = -1;   // closed with a reset: as much an end as a FIN
            }
            assertThat(first).isEqualTo(-1);
        }
    }

    @Test
    void withoutAnAllowListTheListenerWarnsAtStartUpThatAnySourceIsServed() throws Exception {
        String open = stderrOf(() -> listening(null));
        assertThat(open).contains("WARN").contains("accepts connections from any address")
                .contains("iridium.mo-allowed-sources");
        assertThat(send(provider.moPort().orElseThrow(), message(header(9001, IMEI, 0, 42, 0, SESSION))))
                .as("and serves them, as before").isEqualTo(CONFIRMED);
        provider.close();

        String closed = stderrOf(() -> listening("127.0.0.1"));
        assertThat(closed).doesNotContain("accepts connections from any address");
    }

    private IridiumProvider listening(String allowedSources) {
        String[] extra = allowedSources == null
                ? new String[] {"iridium.mo-port", "0", "iridium.mo-bind-address", "127.0.0.1"}
                : new String[] {"iridium.mo-port", "0", "iridium.mo-bind-address", "127.0.0.1",
                        "iridium.mo-allowed-sources", allowedSources};
        provider = new IridiumProvider(IridiumConfig.from(IridiumTests.config(gateway.port(), extra)), context, 77);
        return provider;
    }

    /** Like {@link MoSender#send}, but a reset (the listener closing on unread bytes) counts as no answer. */
    private byte[] sendFromLoopback(byte[] bytes) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), provider.moPort().orElseThrow())) {
            s.setSoTimeout(5_000);
            try {
                s.getOutputStream().write(bytes);
                s.getOutputStream().flush();
                s.shutdownOutput();
                return s.getInputStream().readAllBytes();
            } catch (SocketException reset) {
                return new byte[0];
            }
        }
    }

    /** What slf4j-simple writes to System.err while {@code action} runs. */
    private static String stderrOf(Callable<?> action) throws Exception {
        ByteArrayOutputStream logs = new ByteArrayOutputStream();
        PrintStream original = System.err;
        System.setErr(new PrintStream(logs, true, StandardCharsets.UTF_8));
        try {
            action.call();
        } finally {
            System.setErr(original);
        }
        return logs.toString(StandardCharsets.UTF_8);
    }
}
