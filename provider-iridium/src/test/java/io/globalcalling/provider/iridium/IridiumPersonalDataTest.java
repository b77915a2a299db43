package io.globalcalling.provider.iridium;

import io.globalcalling.CallCategory;
import io.globalcalling.CallRequest;
import io.globalcalling.PhoneNumber;
import io.globalcalling.spi.CallEventSink;
import io.globalcalling.spi.InboundMessageSink;
import io.globalcalling.spi.OutboundCall;
import io.globalcalling.spi.PlacedCall;
import io.globalcalling.spi.ProviderContext;
import io.globalcalling.spi.ProviderException;
import io.globalcalling.testkit.TestProviderContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;

import static io.globalcalling.provider.iridium.Bytes.ascii;
import static io.globalcalling.provider.iridium.IridiumTests.IMEI;
import static io.globalcalling.provider.iridium.MoSender.REFUSED;
import static io.globalcalling.provider.iridium.MoSender.header;
import static io.globalcalling.provider.iridium.MoSender.message;
import static io.globalcalling.provider.iridium.MoSender.payload;
import static io.globalcalling.provider.iridium.MoSender.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** A terminal's IMEI names the person or vessel carrying it: it is masked, as phone numbers are, in logs and messages. */
class IridiumPersonalDataTest {

    private static final long SESSION = 1_764_576_000L;
    private static final String MASKED = PhoneNumber.mask(IMEI);

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
    void theImeiIsMaskedInTheLogOfAMessageThatCouldNotBeKept() throws Exception {
        provider = new IridiumProvider(IridiumConfig.from(IridiumTests.config(gateway.port(), "iridium.mo-port", "0",
                "iridium.mo-bind-address", "127.0.0.1")), failingInbound(context), 77);

        String logs = stderrOf(() -> assertThat(send(provider.moPort().orElseThrow(),
                message(header(9200, IMEI, 0, 48, 0, SESSION), payload(ascii("all well"))))).isEqualTo(REFUSED));

        assertThat(logs).contains("could not be kept").contains(MASKED).doesNotContain(IMEI);
    }

    @Test
    void theImeiIsMaskedInTheLogsOfASentMessageAndOfADeliveryReportMatchingNone() throws Exception {
        provider = new IridiumProvider(IridiumConfig.from(IridiumTests.config(gateway.port(), "iridium.mo-port", "0",
                "iridium.mo-bind-address", "127.0.0.1")), context, 77);

        String logs = stderrOf(() -> {
            provider.place(call("imei:" + IMEI, new byte[] {1}));
            return send(provider.moPort().orElseThrow(), message(header(9201, IMEI, 0, 49, 4242, SESSION)));
        });

        assertThat(logs).contains("queued by the gateway").contains("matches no message").contains(MASKED)
                .doesNotContain(IMEI);
    }

    @Test
    void refusalsNameTheTerminalMasked() {
        provider = new IridiumProvider(IridiumConfig.from(IridiumTests.config(gateway.port())), context, 77);

        ProviderException empty = catchThrowableOfType(() -> provider.place(call("imei:" + IMEI, new byte[0])),
                ProviderException.class);
        ProviderException hangUp = catchThrowableOfType(() -> provider.hangUp(IMEI + "-77"), ProviderException.class);

        assertThat(empty.getMessage()).contains("nothing to send").contains(MASKED).doesNotContain(IMEI);
        assertThat(hangUp.getMessage()).contains("cannot be recalled").contains(MASKED).doesNotContain(IMEI);
    }

    @Test
    void aPhoneNumberRefusedAsNoTerminalIsMasked() {
        provider = new IridiumProvider(IridiumConfig.from(IridiumTests.config(gateway.port())), context, 77);

        ProviderException refused = catchThrowableOfType(() -> provider.place(OutboundCall.builder("call-9",
                CallCategory.SATELLITE, CallRequest.to("+881631234567").payload(new byte[] {1}).build()).build()),
                ProviderException.class);

        assertThat(refused.getMessage()).contains("not a satellite terminal").doesNotContain("+881631234567");
    }

    private static OutboundCall call(String to, byte[] bytes) {
        return OutboundCall.builder("call-1", CallCategory.SATELLITE, CallRequest.to(to).payload(bytes).build()).build();
    }

    /** {@code context}, but its inbound sink fails as a host whose store is down does. */
    private static ProviderContext failingInbound(TestProviderContext context) {
        return new ProviderContext() {
            @Override public Clock clock() { return context.clock(); }
            @Override public <T> T shared(Class<T> type, Supplier<T> factory) { return context.shared(type, factory); }
            @Override public CallEventSink events() { return context.events(); }
            @Override public InboundMessageSink inbound() {
                return m -> {
                    throw new IllegalStateException("store unreachable");
                };
            }
            @Override public ScheduledExecutorService scheduler() { return context.scheduler(); }
            @Override public ExecutorService executor() { return context.executor(); }
            @Override public Optional<URI> webhookUrl() { return context.webhookUrl(); }
        };
    }

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
