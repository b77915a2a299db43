package io.globalcalling.provider.iridium;

import io.globalcalling.CallCategory;
import io.globalcalling.CallRequest;
import io.globalcalling.CallStatus;
import io.globalcalling.InboundMessage;
import io.globalcalling.SatelliteTerminal;
import io.globalcalling.spi.CallEvent;
import io.globalcalling.spi.OutboundCall;
import io.globalcalling.spi.PlacedCall;
import io.globalcalling.testkit.TestProviderContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.Socket;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.globalcalling.provider.iridium.Bytes.ascii;
import static io.globalcalling.provider.iridium.Bytes.hex;
import static io.globalcalling.provider.iridium.IridiumTests.IMEI;
import static io.globalcalling.provider.iridium.MoSender.CONFIRMED;
import static io.globalcalling.provider.iridium.MoSender.REFUSED;
import static io.globalcalling.provider.iridium.MoSender.header;
import static io.globalcalling.provider.iridium.MoSender.message;
import static io.globalcalling.provider.iridium.MoSender.payload;
import static io.globalcalling.provider.iridium.MoSender.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The MO listener fed byte-exact messages, garbage and concurrent senders; delivery confirmed through MTMSN. */
class IridiumReceiveTest {

    private static final long SESSION = 1_764_576_000L; // 2025-12-01T08:00:00Z

    private GatewaySimulator gateway;
    private TestProviderContext context;
    private IridiumProvider provider;
    private int port;

    @BeforeEach
    void start() {
        gateway = GatewaySimulator.start();
        context = TestProviderContext.create();
        provider = new IridiumProvider(IridiumConfig.from(IridiumTests.config(gateway.port(), "iridium.mo-port", "0",
                "iridium.mo-bind-address", "127.0.0.1")), context, 77);
        port = provider.moPort().orElseThrow();
    }

    @AfterEach
    void stop() {
        provider.close();
        gateway.close();
        context.close();
    }

    @Test
    void aReplyWithLocationIsConfirmedAndDeliveredWithItsPosition() throws Exception {
        byte[] answer = send(port, message(header(9001, IMEI, 0, 42, 0, SESSION), payload(ascii("all well")),
                MoSender.locationSouthWest()));

        assertThat(answer).isEqualTo(CONFIRMED);
        assertThat(context.inboundMessages()).singleElement().satisfies(m -> {
            assertThat(m.kind()).isEqualTo(InboundMessage.Kind.REPLY);
            assertThat(m.providerId()).isEqualTo("iridium");
            assertThat(m.from()).isEqualTo(new SatelliteTerminal(IMEI));
            assertThat(m.receivedAt()).isEqualTo(Instant.ofEpochSecond(SESSION));
            assertThat(m.text()).contains("all well");
            assertThat(m.payload().toByteArray()).isEqualTo(ascii("all well"));
            assertThat(m.position()).hasValueSatisfying(p -> {
                assertThat(p.point().latitude()).isCloseTo(-54.8, within(1e-9));
                assertThat(p.point().longitude()).isCloseTo(-68.3, within(1e-9));
                assertThat(p.accuracyMeters()).isEqualTo(5_000.0);
            });
            assertThat(m.providerMessageId()).contains("mo-" + IMEI + "-42-9001");
            assertThat(m.details()).containsEntry("cdr_reference", "9001").containsEntry("momsn", "42")
                    .containsEntry("session_status", "0");
        });
    }

    @Test
    void aMessageWithoutLocationHasNoPosition() throws Exception {
        byte[] binary = {(byte) 0xc3, 0x28, 0x00};
        assertThat(send(port, message(header(9002, IMEI, 0, 43, 0, SESSION), payload(binary)))).isEqualTo(CONFIRMED);

        assertThat(context.inboundMessages()).singleElement().satisfies(m -> {
            assertThat(m.kind()).isEqualTo(InboundMessage.Kind.REPLY);
            assertThat(m.position()).isEmpty();
            assertThat(m.text()).as("bytes that are not UTF-8 are kept as bytes only").isEmpty();
            assertThat(m.payload().toByteArray()).isEqualTo(binary);
        });
    }

    @Test
    void aLocationWithoutBytesIsAPositionReport() throws Exception {
        assertThat(send(port, message(header(9003, IMEI, 0, 44, 0, SESSION), MoSender.locationSouthWest())))
                .isEqualTo(CONFIRMED);

        assertThat(context.inboundMessages()).singleElement().satisfies(m -> {
            assertThat(m.kind()).isEqualTo(InboundMessage.Kind.POSITION);
            assertThat(m.payload().isEmpty()).isTrue();
        });
    }

    @Test
    void garbageIsAnsweredWithFailureAndTheListenerGoesOn() throws Exception {
        assertThat(send(port, ascii("GET / HTTP/1.1\r\n\r\n"))).as("a wrong revision").isEqualTo(REFUSED);
        assertThat(send(port, hex("01 00 05 01 00 1c 00 00"))).as("an IE longer than the message").isEqualTo(REFUSED);
        assertThat(send(port, message(payload(ascii("no header"))))).as("no header").isEqualTo(REFUSED);
        assertThat(send(port, message(hex("01 00 03 00 00 00")))).as("a short header").isEqualTo(REFUSED);
        byte[] letterInImei = header(1, IMEI, 0, 1, 0, SESSION);
        letterInImei[3 + 4] = 'x';
        assertThat(send(port, message(letterInImei))).as("a letter in the IMEI").isEqualTo(REFUSED);
        assertThat(send(port, message(header(1, IMEI, 0, 1, 0, SESSION), hex("03 00 0b 00 5b 00 00 00 00 00 00 00 00 01"))))
                .as("latitude 91").isEqualTo(REFUSED);

        assertThat(send(port, message(header(9004, IMEI, 0, 45, 0, SESSION), payload(ascii("still here")))))
                .isEqualTo(CONFIRMED);
        assertThat(context.inboundMessages()).singleElement().satisfies(m -> assertThat(m.text()).contains("still here"));
    }

    @Test
    void aSenderThatStopsMidMessageOrSendsNothingDoesNotStopTheListener() throws Exception {
        assertThat(send(port, new byte[0])).isEmpty();
        byte[] whole = message(header(9005, IMEI, 0, 46, 0, SESSION), payload(ascii("cut")));
        assertThat(send(port, java.util.Arrays.copyOf(whole, 20))).as("answer to a truncated message").isEmpty();
        try (Socket idle = new Socket(InetAddress.getLoopbackAddress(), port)) {
            idle.setSoTimeout(5_000);
            assertThat(idle.getInputStream().read()).as("an idle sender is dropped after the read timeout").isEqualTo(-1);
        }

        assertThat(send(port, whole)).isEqualTo(CONFIRMED);
        assertThat(context.inboundMessages()).hasSize(1);
    }

    @Test
    void concurrentSendersAreEachConfirmed() throws Exception {
        int senders = 24;
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<byte[]>> answers = new ArrayList<>();
            for (int i = 0; i < senders; i++) {
                byte[] bytes = message(header(10_000 + i, IMEI, 0, 100 + i, 0, SESSION + i), payload(ascii("n" + i)));
                answers.add(pool.submit((Callable<byte[]>) () -> send(port, bytes)));
            }
            for (Future<byte[]> a : answers) assertThat(a.get()).isEqualTo(CONFIRMED);
        } finally {
            pool.shutdownNow();
        }
        assertThat(context.inboundMessages()).hasSize(senders)
                .extracting(m -> m.text().orElseThrow()).doesNotHaveDuplicates();
    }

    @Test
    void anMtmsnInASuccessfulSessionConfirmsDeliveryOfTheMessageSentWithIt() throws Exception {
        PlacedCall placed = provider.place(OutboundCall.builder("call-7", CallCategory.SATELLITE,
                CallRequest.to("imei:" + IMEI).script("return to port").build()).spokenText("return to port").build());
        assertThat(placed.providerCallId()).isEqualTo(IMEI + "-77");

        assertThat(send(port, message(header(9100, IMEI, 0, 47, 77, SESSION), MoSender.locationSouthWest())))
                .isEqualTo(CONFIRMED);

        assertThat(context.inboundMessages()).hasSize(2);
        InboundMessage confirmation = context.inboundMessages().get(1);
        assertThat(confirmation.kind()).isEqualTo(InboundMessage.Kind.DELIVERY_CONFIRMATION);
        assertThat(confirmation.callId()).contains("call-7");
        assertThat(confirmation.providerCallId()).contains(placed.providerCallId());
        assertThat(provider.fetch(placed.providerCallId())).map(CallEvent::status).contains(CallStatus.COMPLETED);
    }

    @Test
    void aDeliveryReportedBeforePlaceReturnedNamesTheCallByItsProviderCallIdAndIsNotForgotten() throws Exception {
        provider.close();
        provider = new IridiumProvider(IridiumConfig.from(IridiumTests.config(gateway.port(), "iridium.mo-port", "0",
                "iridium.mo-bind-address", "127.0.0.1", "iridium.read-timeout", "10s")), context, 77);
        gateway.behave(GatewaySimulator.Behaviour.HOLD);
        ExecutorService caller = Executors.newFixedThreadPool(2);
        try {
            Future<PlacedCall> placing = caller.submit(() -> provider.place(OutboundCall.builder("call-13",
                    CallCategory.SATELLITE, CallRequest.to("imei:" + IMEI).payload(new byte[] {1}).build()).build()));
            assertThat(gateway.awaitHeld(5)).as("the message reached the gateway").isTrue();
            // the terminal has it, and says so, before the gateway's confirmation reached place(); the report
            // waits for that confirmation (a message the gateway refuses was never delivered)
            Future<byte[]> report = caller.submit(() -> send(provider.moPort().orElseThrow(),
                    message(header(9700, IMEI, 0, 53, 77, SESSION))));
            awaitInbound(1);
            gateway.release();
            PlacedCall placed = placing.get(5, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(report.get(5, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(CONFIRMED);

            assertThat(context.inboundMessages()).filteredOn(m -> m.kind() == InboundMessage.Kind.DELIVERY_CONFIRMATION)
                    .singleElement().satisfies(m -> {
                        assertThat(m.callId()).contains("call-13");
                        assertThat(m.providerCallId()).contains(placed.providerCallId());
                    });
            assertThat(provider.fetch(placed.providerCallId())).as("delivered, not queued")
                    .map(CallEvent::status).contains(CallStatus.COMPLETED);
        } finally {
            caller.shutdownNow();
        }
    }

    @Test
    void aDeliveryReportedBeforeTheGatewayRefusedTheMessageDoesNotConfirmItsCall() throws Exception {
        gateway.status(-2).behave(GatewaySimulator.Behaviour.HOLD);   // unknown IMEI: never queued
        ExecutorService caller = Executors.newFixedThreadPool(2);
        try {
            Future<PlacedCall> placing = caller.submit(() -> provider.place(OutboundCall.builder("call-14",
                    CallCategory.SATELLITE, CallRequest.to("imei:" + IMEI).payload(new byte[] {1}).build()).build()));
            assertThat(gateway.awaitHeld(5)).as("the message reached the gateway").isTrue();
            Future<byte[]> report = caller.submit(() -> send(port, message(header(9800, IMEI, 0, 54, 77, SESSION))));
            awaitInbound(1);
            gateway.release();

            assertThat(org.assertj.core.api.Assertions.catchThrowable(
                    () -> placing.get(5, java.util.concurrent.TimeUnit.SECONDS))).hasCauseInstanceOf(
                    io.globalcalling.spi.ProviderException.class);
            assertThat(report.get(5, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(CONFIRMED);
            assertThat(context.inboundMessages()).filteredOn(m -> m.kind() == InboundMessage.Kind.DELIVERY_CONFIRMATION)
                    .as("named by its provider call id alone, as a message sent before start-up")
                    .singleElement().satisfies(m -> assertThat(m.callId()).isEmpty());
        } finally {
            caller.shutdownNow();
        }
    }

    private void awaitInbound(int count) throws InterruptedException {
        for (int i = 0; i < 500 && context.inboundMessages().size() < count; i++) Thread.sleep(10);
        assertThat(context.inboundMessages()).as("the MO message arrived").hasSizeGreaterThanOrEqualTo(count);
    }

    @Test
    void anMtmsnOfAFailedSessionOrAnotherTerminalConfirmsNothing() throws Exception {
        PlacedCall placed = provider.place(OutboundCall.builder("call-8", CallCategory.SATELLITE,
                CallRequest.to("imei:" + IMEI).payload(new byte[] {1}).build()).build());

        send(port, message(header(9200, IMEI, 1, 48, 77, SESSION)));            // status 1: the MT message was too large
        send(port, message(header(9201, "300234010753380", 0, 1, 77, SESSION))); // another terminal

        assertThat(context.inboundMessages()).filteredOn(m -> m.kind() == InboundMessage.Kind.DELIVERY_CONFIRMATION)
                .as("only the other terminal's own message (sent before start-up, if at all) is confirmed")
                .singleElement().satisfies(m -> {
                    assertThat(m.providerCallId()).contains("300234010753380-77");
                    assertThat(m.callId()).isEmpty();
                });
        assertThat(provider.fetch(placed.providerCallId())).map(CallEvent::status).contains(CallStatus.QUEUED);
    }

    @Test
    void aMessageWhoseOutcomeIsUnknownIsStillConfirmedByItsMtmsn() throws Exception {
        gateway.behave(GatewaySimulator.Behaviour.TRUNCATED_ANSWER);
        OutboundCall call = OutboundCall.builder("call-9", CallCategory.SATELLITE,
                CallRequest.to("imei:" + IMEI).payload(new byte[] {1}).build()).build();
        org.assertj.core.api.Assertions.catchThrowable(() -> provider.place(call));

        send(port, message(header(9300, IMEI, 0, 49, 77, SESSION)));

        assertThat(context.inboundMessages()).filteredOn(m -> m.kind() == InboundMessage.Kind.DELIVERY_CONFIRMATION)
                .singleElement().satisfies(m -> assertThat(m.callId()).contains("call-9"));
    }

    @Test
    void aMessageAnsweredWithAnUndefinedQueueStatusIsStillConfirmedByItsMtmsn() throws Exception {
        gateway.status(51);   // no DirectIP status: an unknown outcome, the message may well be queued
        OutboundCall call = OutboundCall.builder("call-11", CallCategory.SATELLITE,
                CallRequest.to("imei:" + IMEI).payload(new byte[] {1}).build()).build();
        org.assertj.core.api.Assertions.catchThrowable(() -> provider.place(call));

        send(port, message(header(9500, IMEI, 0, 51, 77, SESSION)));

        assertThat(context.inboundMessages()).filteredOn(m -> m.kind() == InboundMessage.Kind.DELIVERY_CONFIRMATION)
                .singleElement().satisfies(m -> assertThat(m.callId()).contains("call-11"));
    }

    @Test
    void aProviderStartedAgainConfirmsTheMessageItsPredecessorSentByItsProviderCallId() throws Exception {
        PlacedCall placed = provider.place(OutboundCall.builder("call-10", CallCategory.SATELLITE,
                CallRequest.to("imei:" + IMEI).payload(new byte[] {1}).build()).build());
        provider.close();
        context.close();
        context = TestProviderContext.create();
        provider = new IridiumProvider(IridiumConfig.from(IridiumTests.config(gateway.port(), "iridium.mo-port", "0",
                "iridium.mo-bind-address", "127.0.0.1")), context, 500);
        assertThat(provider.fetch(placed.providerCallId())).as("before the terminal reports").isEmpty();

        assertThat(send(provider.moPort().orElseThrow(), message(header(9400, IMEI, 0, 50, 77, SESSION))))
                .isEqualTo(CONFIRMED);

        assertThat(context.inboundMessages()).filteredOn(m -> m.kind() == InboundMessage.Kind.DELIVERY_CONFIRMATION)
                .singleElement().satisfies(m -> {
                    assertThat(m.providerCallId()).contains(placed.providerCallId());
                    assertThat(m.receivedAt()).isEqualTo(Instant.ofEpochSecond(SESSION));
                });
        assertThat(provider.fetch(placed.providerCallId())).map(CallEvent::status).contains(CallStatus.COMPLETED);
    }

    @Test
    void theFirstMtmsnFollowsTheClockSoARestartDoesNotReuseTheMtmsnsBeforeIt() {
        context.mutableClock().setInstant(Instant.ofEpochSecond(65_535L * 27_000 + 1_000));
        IridiumProvider first = new IridiumProvider(IridiumConfig.from(IridiumTests.config(gateway.port())), context);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) ids.add(first.place(terminalMessage("call-a" + i)).providerCallId());
        first.close();
        context.mutableClock().advance(java.time.Duration.ofSeconds(5));
        IridiumProvider restarted = new IridiumProvider(IridiumConfig.from(IridiumTests.config(gateway.port())), context);
        ids.add(restarted.place(terminalMessage("call-b")).providerCallId());
        restarted.close();

        assertThat(ids).containsExactly(IMEI + "-1001", IMEI + "-1002", IMEI + "-1003", IMEI + "-1006");
    }

    private static OutboundCall terminalMessage(String callId) {
        return OutboundCall.builder(callId, CallCategory.SATELLITE, CallRequest.to("imei:" + IMEI).payload(new byte[] {1})
                .build()).build();
    }

    @Test
    void aSinkThatFailsIsAnsweredWithFailureSoTheGatewayRetries() throws Exception {
        provider.close();
        TestProviderContext failing = TestProviderContext.create();
        IridiumProvider p = new IridiumProvider(IridiumConfig.from(IridiumTests.config(gateway.port(), "iridium.mo-port", "0")),
                new io.globalcalling.spi.ProviderContext() {
                    public java.time.Clock clock() { return failing.clock(); }
                    public <T> T shared(Class<T> type, java.util.function.Supplier<T> factory) { return failing.shared(type, factory); }
                    public io.globalcalling.spi.CallEventSink events() { return failing.events(); }
                    public io.globalcalling.spi.InboundMessageSink inbound() { return m -> { throw new IllegalStateException("store down"); }; }
                    public java.util.concurrent.ScheduledExecutorService scheduler() { return failing.scheduler(); }
                    public ExecutorService executor() { return failing.executor(); }
                    public java.util.Optional<java.net.URI> webhookUrl() { return java.util.Optional.empty(); }
                }, 1);
        try {
            assertThat(send(p.moPort().orElseThrow(), message(header(1, IMEI, 0, 1, 0, SESSION), payload(ascii("x")))))
                    .isEqualTo(REFUSED);
        } finally {
            p.close();
            failing.close();
        }
    }

    @Test
    void aDeliveryConfirmationTheSinkCouldNotKeepStillNamesItsCallWhenTheGatewayDeliversItAgain() throws Exception {
        provider.close();
        TestProviderContext recording = TestProviderContext.create();
        java.util.concurrent.atomic.AtomicBoolean storeDown = new java.util.concurrent.atomic.AtomicBoolean(true);
        IridiumProvider p = new IridiumProvider(IridiumConfig.from(IridiumTests.config(gateway.port(), "iridium.mo-port", "0",
                "iridium.mo-bind-address", "127.0.0.1")),
                new io.globalcalling.spi.ProviderContext() {
                    public java.time.Clock clock() { return recording.clock(); }
                    public <T> T shared(Class<T> type, java.util.function.Supplier<T> factory) { return recording.shared(type, factory); }
                    public io.globalcalling.spi.CallEventSink events() { return recording.events(); }
                    public io.globalcalling.spi.InboundMessageSink inbound() {
                        return m -> {
                            if (m.kind() == InboundMessage.Kind.DELIVERY_CONFIRMATION && storeDown.getAndSet(false)) {
                                throw new IllegalStateException("store down");
                            }
                            recording.inbound().accept(m);
                        };
                    }
                    public java.util.concurrent.ScheduledExecutorService scheduler() { return recording.scheduler(); }
                    public ExecutorService executor() { return recording.executor(); }
                    public java.util.Optional<java.net.URI> webhookUrl() { return java.util.Optional.empty(); }
                }, 77);
        try {
            gateway.behave(GatewaySimulator.Behaviour.TRUNCATED_ANSWER);   // the call has no provider call id
            org.assertj.core.api.Assertions.catchThrowable(() -> p.place(OutboundCall.builder("call-12",
                    CallCategory.SATELLITE, CallRequest.to("imei:" + IMEI).payload(new byte[] {1}).build()).build()));
            byte[] mo = message(header(9600, IMEI, 0, 52, 77, SESSION));

            assertThat(send(p.moPort().orElseThrow(), mo)).isEqualTo(REFUSED);
            assertThat(send(p.moPort().orElseThrow(), mo)).as("the gateway delivers it again").isEqualTo(CONFIRMED);

            assertThat(recording.inboundMessages()).filteredOn(m -> m.kind() == InboundMessage.Kind.DELIVERY_CONFIRMATION)
                    .singleElement().satisfies(m -> assertThat(m.callId()).contains("call-12"));
        } finally {
            p.close();
            recording.close();
        }
    }

    /**
     * Once close() returns the port is free: the test takes it at once (which fails while the listener still
     * listens) and holds it without listening, so the send is refused whatever else runs on the machine.
     */
    @Test
    void closingStopsTheListener() throws Exception {
        provider.close();
        try (ReservedPort freed = new ReservedPort(port)) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> send(freed.port(), message(header(1, IMEI, 0, 1, 0, SESSION))))
                    .isInstanceOf(java.net.ConnectException.class);
        }
        assertThat(context.inboundMessages()).isEmpty();
    }

    @Test
    void withoutAPortThereIsNoListener() {
        IridiumProvider quiet = new IridiumProvider(IridiumConfig.from(IridiumTests.config(gateway.port())), context, 1);
        assertThat(quiet.moPort()).isEmpty();
        quiet.close();
    }
}
