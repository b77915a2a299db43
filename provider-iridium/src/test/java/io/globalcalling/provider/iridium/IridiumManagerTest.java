package io.globalcalling.provider.iridium;

import io.globalcalling.CallRecord;
import io.globalcalling.CallRequest;
import io.globalcalling.CallStatus;
import io.globalcalling.SatelliteTerminal;
import io.globalcalling.InboundMessage;
import io.globalcalling.core.GlobalCallingManager;
import io.globalcalling.core.store.InMemoryCallStore;
import io.globalcalling.core.store.InMemoryLimitLedger;
import io.globalcalling.spi.ProviderConfig;
import io.globalcalling.spi.store.CallStore;
import io.globalcalling.spi.store.CallUpdate;
import io.globalcalling.spi.store.StoreException;
import io.globalcalling.testkit.MutableClock;
import io.globalcalling.testkit.RecordingLedger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

import static io.globalcalling.provider.iridium.Bytes.ascii;
import static io.globalcalling.provider.iridium.IridiumTests.IMEI;
import static io.globalcalling.provider.iridium.MoSender.CONFIRMED;
import static io.globalcalling.provider.iridium.MoSender.REFUSED;
import static io.globalcalling.provider.iridium.MoSender.header;
import static io.globalcalling.provider.iridium.MoSender.message;
import static io.globalcalling.provider.iridium.MoSender.payload;
import static io.globalcalling.provider.iridium.MoSender.send;
import static org.assertj.core.api.Assertions.assertThat;

/** Through a manager found by ServiceLoader: the call is held, the terminal's MTMSN settles it, positions are kept. */
class IridiumManagerTest {

    private GatewaySimulator gateway;
    private GlobalCallingManager manager;
    private int moPort;

    @BeforeEach
    void start() {
        gateway = GatewaySimulator.start();
        moPort = IridiumTests.freePort();
        manager = builder(moPort).build();
    }

    private GlobalCallingManager.Builder builder(int moPort) {
        Map<String, String> config = new HashMap<>(Map.of(
                "iridium.directip-host", "127.0.0.1",
                "iridium.directip-port", Integer.toString(gateway.port()),
                "iridium.mo-port", Integer.toString(moPort),
                "iridium.mo-bind-address", "127.0.0.1"));
        return GlobalCallingManager.builder().config(ProviderConfig.of(config));
    }

    @AfterEach
    void stop() {
        manager.close();
        gateway.close();
    }

    @Test
    void aDeliveredMessageSettlesAtTheMinimumChargeAndTheTerminalsPositionIsKept() throws Exception {
        CallRecord placed = manager.call(CallRequest.to("imei:" + IMEI).script("Storm warning: seek shelter").build());

        assertThat(placed.providerId()).isEqualTo("iridium");
        assertThat(placed.status()).isEqualTo(CallStatus.QUEUED);
        // the minimum charge, 0.075 USD, held in the manager's budget currency
        assertThat(placed.heldAmount()).isNotNull().satisfies(h -> assertThat(h.isZero()).isFalse());
        int mtmsn = Integer.parseInt(placed.providerCallId().split("-")[1]);

        byte[] mo = message(header(555, IMEI, 0, 12, mtmsn, 1_764_576_000L), payload(ascii("ack")),
                MoSender.locationSouthWest());
        assertThat(send(moPort, mo)).isEqualTo(CONFIRMED);

        CallRecord done = manager.calls().await(placed.callId(), Duration.ofSeconds(5));
        assertThat(done.status()).isEqualTo(CallStatus.COMPLETED);
        assertThat(done.cost()).as("settled at what was held").isEqualTo(placed.heldAmount());
        assertThat(manager.calls().inboundFor(placed.callId())).isNotEmpty();

        TerminalPositions positions = TerminalPositions.of(manager.calls()::inboundFrom);
        assertThat(positions.last(new SatelliteTerminal(IMEI))).hasValueSatisfying(f ->
                assertThat(f.point().latitude()).isCloseTo(-54.8, org.assertj.core.api.Assertions.within(1e-9)));
    }

    @Test
    void aMessageSentBeforeARestartIsCompletedAndSettledWhenItsTerminalConfirmsItAfterwards() throws Exception {
        manager.close();
        InMemoryCallStore store = new InMemoryCallStore();
        InMemoryLimitLedger ledger = new InMemoryLimitLedger();
        GlobalCallingManager before = builder(moPort).store(store).ledger(ledger).build();
        CallRecord placed = before.call(CallRequest.to("imei:" + IMEI).script("Ice ahead").build());
        assertThat(placed.status()).isEqualTo(CallStatus.QUEUED);
        before.close();

        int restartedPort = IridiumTests.freePort();
        manager = builder(restartedPort).store(store).ledger(ledger).build();
        int mtmsn = Integer.parseInt(placed.providerCallId().split("-")[1]);
        assertThat(send(restartedPort, message(header(556, IMEI, 0, 13, mtmsn, 1_764_576_000L)))).isEqualTo(CONFIRMED);

        CallRecord done = manager.calls().await(placed.callId(), Duration.ofSeconds(5));
        assertThat(done.status()).isEqualTo(CallStatus.COMPLETED);
        assertThat(done.cost()).as("settled at what was held").isEqualTo(placed.heldAmount());
        assertThat(manager.calls().inboundFor(placed.callId())).extracting(InboundMessage::kind)
                .contains(InboundMessage.Kind.DELIVERY_CONFIRMATION);
    }

    @Test
    void aMessageWhoseAnswerWasLostIsCompletedAndSettledWhenItsTerminalConfirmsItAfterARestart() throws Exception {
        manager.close();
        InMemoryCallStore store = new InMemoryCallStore();
        InMemoryLimitLedger ledger = new InMemoryLimitLedger();
        gateway.behave(GatewaySimulator.Behaviour.TRUNCATED_ANSWER);   // the message left; its answer is lost
        GlobalCallingManager before = builder(moPort).store(store).ledger(ledger).build();
        CallRecord placed = before.call(CallRequest.to("imei:" + IMEI).script("Ice ahead").build());
        assertThat(placed.needsReconciliation()).as("its outcome is unknown").isTrue();
        int mtmsn = java.nio.ByteBuffer.wrap(gateway.lastReceived(), 6, 4).getInt();
        before.close();

        int restartedPort = IridiumTests.freePort();
        manager = builder(restartedPort).store(store).ledger(ledger).build();
        assertThat(send(restartedPort, message(header(562, IMEI, 0, 19, mtmsn, 1_764_576_000L)))).isEqualTo(CONFIRMED);

        CallRecord done = manager.calls().await(placed.callId(), Duration.ofSeconds(5));
        assertThat(done.status()).isEqualTo(CallStatus.COMPLETED);
        assertThat(done.providerCallId()).isEqualTo(IMEI + "-" + mtmsn);
        assertThat(done.cost()).as("settled at what was held").isEqualTo(placed.heldAmount());
        assertThat(manager.calls().inboundFor(placed.callId())).extracting(InboundMessage::kind)
                .containsOnlyOnce(InboundMessage.Kind.DELIVERY_CONFIRMATION);
        assertThat(gateway.received()).as("sent once, never again").hasSize(1);
    }

    @Test
    void aMessageTheTerminalNeverCollectsEndsAsNotDeliveredOnceTheGatewayHasDroppedItAndItsHoldIsReleased() {
        manager.close();
        MutableClock clock = MutableClock.create();
        InMemoryCallStore store = new InMemoryCallStore(clock, Duration.ofDays(90));
        RecordingLedger ledger = new RecordingLedger(new InMemoryLimitLedger(), store);
        manager = builder(moPort).clock(clock).store(store).ledger(ledger).build();
        CallRecord placed = manager.call(CallRequest.to("imei:" + IMEI).script("Ice ahead").build());
        assertThat(placed.status()).isEqualTo(CallStatus.QUEUED);

        clock.advance(Duration.ofDays(4));
        manager.reconcile();
        assertThat(manager.calls().find(placed.callId())).hasValueSatisfying(r ->
                assertThat(r.status()).as("still in the gateway's queue").isEqualTo(CallStatus.QUEUED));

        clock.advance(Duration.ofDays(1).plusHours(1));
        manager.reconcile();

        CallRecord ended = manager.calls().find(placed.callId()).orElseThrow();
        assertThat(ended.status()).as("the gateway has dropped it undelivered").isEqualTo(CallStatus.FAILED);
        assertThat(ended.cost()).as("an undelivered message costs nothing").isNotNull()
                .satisfies(c -> assertThat(c.isZero()).isTrue());
        assertThat(ledger.holds().get(placed.callId())).as("its hold is closed, once, at nothing").satisfies(h -> {
            assertThat(h.closeRequests()).isEqualTo(1);
            assertThat(h.closedAt().isZero()).isTrue();
        });
        assertThat(ledger.violations()).isEmpty();
        assertThat(gateway.received()).as("sent once, never again").hasSize(1);
    }

    @Test
    void aMessageWhoseAnswerWasLostAndThatIsNeverReportedEndsAsNotDeliveredOnceTheGatewayWouldHaveDroppedIt() {
        manager.close();
        MutableClock clock = MutableClock.create();
        InMemoryCallStore store = new InMemoryCallStore(clock, Duration.ofDays(90));
        RecordingLedger ledger = new RecordingLedger(new InMemoryLimitLedger(), store);
        gateway.behave(GatewaySimulator.Behaviour.TRUNCATED_ANSWER);   // the message left; its answer is lost
        manager = builder(moPort).clock(clock).store(store).ledger(ledger).build();
        CallRecord placed = manager.call(CallRequest.to("imei:" + IMEI).script("Ice ahead").build());
        assertThat(placed.needsReconciliation()).as("its outcome is unknown").isTrue();

        clock.advance(Duration.ofDays(4));
        manager.reconcile();
        assertThat(manager.calls().find(placed.callId())).hasValueSatisfying(r -> {
            assertThat(r.status().isTerminal()).as("the gateway may still hold it for its terminal").isFalse();
            assertThat(ledger.holds().get(placed.callId()).closeRequests()).isZero();
        });

        clock.advance(Duration.ofDays(1).plusHours(1));
        manager.reconcile();

        CallRecord ended = manager.calls().find(placed.callId()).orElseThrow();
        assertThat(ended.status()).as("queued or not, it was never delivered").isEqualTo(CallStatus.FAILED);
        assertThat(ended.needsReconciliation()).isFalse();
        assertThat(ended.cost()).as("an undelivered message costs nothing").isNotNull()
                .satisfies(c -> assertThat(c.isZero()).isTrue());
        assertThat(ledger.holds().get(placed.callId())).as("its hold is closed, once, at nothing").satisfies(h -> {
            assertThat(h.closeRequests()).isEqualTo(1);
            assertThat(h.closedAt().isZero()).isTrue();
        });
        manager.reconcile();
        assertThat(ledger.holds().get(placed.callId()).closeRequests()).as("and only once").isEqualTo(1);
        assertThat(ledger.violations()).isEmpty();
        assertThat(gateway.received()).as("sent once, never again").hasSize(1);
    }

    @Test
    void messagesSentBeforeARestartAndNeverCollectedEndAsNotDeliveredOnceTheGatewayHasDroppedThem() {
        manager.close();
        MutableClock clock = MutableClock.create();
        InMemoryCallStore store = new InMemoryCallStore(clock, Duration.ofDays(90));
        RecordingLedger ledger = new RecordingLedger(new InMemoryLimitLedger(), store);
        GlobalCallingManager before = builder(moPort).clock(clock).store(store).ledger(ledger).build();
        CallRecord queued = before.call(CallRequest.to("imei:" + IMEI).script("Ice ahead").build());
        assertThat(queued.status()).isEqualTo(CallStatus.QUEUED);
        gateway.behave(GatewaySimulator.Behaviour.TRUNCATED_ANSWER);   // the message left; its answer is lost
        CallRecord unknown = before.call(CallRequest.to("imei:" + IMEI).script("Storm ahead").build());
        assertThat(unknown.needsReconciliation()).as("its outcome is unknown").isTrue();
        before.close();

        clock.advance(Duration.ofHours(1));
        manager = builder(IridiumTests.freePort()).clock(clock).store(store).ledger(ledger).build();
        clock.advance(Duration.ofDays(4));
        manager.reconcile();
        for (CallRecord placed : new CallRecord[] {queued, unknown}) {
            assertThat(manager.calls().find(placed.callId())).hasValueSatisfying(r -> assertThat(r.status().isTerminal())
                    .as("the gateway may still hold it for its terminal").isFalse());
            assertThat(ledger.holds().get(placed.callId()).closeRequests()).isZero();
        }

        clock.advance(Duration.ofDays(1));   // five days and an hour after they were sent: the gateway dropped them
        manager.reconcile();

        for (CallRecord placed : new CallRecord[] {queued, unknown}) {
            CallRecord ended = manager.calls().find(placed.callId()).orElseThrow();
            assertThat(ended.status()).as("never delivered").isEqualTo(CallStatus.FAILED);
            assertThat(ended.needsReconciliation()).isFalse();
            assertThat(ended.cost()).as("an undelivered message costs nothing").isNotNull()
                    .satisfies(c -> assertThat(c.isZero()).isTrue());
            assertThat(ledger.holds().get(placed.callId())).as("its hold is closed, once, at nothing").satisfies(h -> {
                assertThat(h.closeRequests()).isEqualTo(1);
                assertThat(h.closedAt().isZero()).isTrue();
            });
        }
        assertThat(ledger.violations()).isEmpty();
        assertThat(gateway.received()).as("each sent once, never again").hasSize(2);
    }

    @Test
    void aDeliveryConfirmedBeforePlaceReturnedCompletesTheCallUnderItsProviderCallIdOnce() throws Exception {
        gateway.behave(GatewaySimulator.Behaviour.HOLD);
        ExecutorService caller = Executors.newFixedThreadPool(2);
        try {
            Future<CallRecord> placing = caller.submit(() -> manager.call(CallRequest.to("imei:" + IMEI)
                    .script("Fast terminal").build()));
            assertThat(gateway.awaitHeld(5)).as("the message reached the gateway").isTrue();
            // the terminal reports the MTMSN (the client message id, bytes 6-9) before the gateway's confirmation;
            // the report waits for that confirmation, so it is sent on its own thread
            int mtmsn = java.nio.ByteBuffer.wrap(gateway.lastReceived(), 6, 4).getInt();
            Future<byte[]> report = caller.submit(() -> send(moPort, message(header(558, IMEI, 0, 15, mtmsn,
                    1_764_576_000L))));
            awaitReplyFrom(IMEI);
            gateway.release();
            CallRecord placed = placing.get(5, TimeUnit.SECONDS);
            assertThat(report.get(5, TimeUnit.SECONDS)).isEqualTo(CONFIRMED);

            CallRecord done = manager.calls().await(placed.callId(), Duration.ofSeconds(5));
            assertThat(done.status()).isEqualTo(CallStatus.COMPLETED);
            assertThat(done.providerCallId()).as("the call is still found by what a terminal names")
                    .isEqualTo(IMEI + "-" + mtmsn);
            assertThat(done.cost()).as("settled at what was held").isEqualTo(placed.heldAmount());
            assertThat(manager.calls().inboundFor(placed.callId())).extracting(InboundMessage::kind)
                    .containsOnlyOnce(InboundMessage.Kind.DELIVERY_CONFIRMATION);
        } finally {
            caller.shutdownNow();
        }
    }

    @Test
    void aDeliveryReportedForAMessageTheGatewayThenRefusesDoesNotCompleteTheFailedCall() throws Exception {
        gateway.status(-2).behave(GatewaySimulator.Behaviour.HOLD);   // unknown IMEI: the message is never queued
        ExecutorService caller = Executors.newFixedThreadPool(2);
        try {
            Future<CallRecord> placing = caller.submit(() -> manager.call(CallRequest.to("imei:" + IMEI)
                    .script("Refused").build()));
            assertThat(gateway.awaitHeld(5)).as("the message reached the gateway").isTrue();
            // a forged (or stale) report of the MTMSN while the gateway's answer is still on its way
            int mtmsn = java.nio.ByteBuffer.wrap(gateway.lastReceived(), 6, 4).getInt();
            Future<byte[]> report = caller.submit(() -> send(moPort, message(header(559, IMEI, 0, 16, mtmsn,
                    1_764_576_000L))));
            awaitReplyFrom(IMEI);
            gateway.release();

            Throwable failed = org.assertj.core.api.Assertions.catchThrowable(() -> placing.get(5, TimeUnit.SECONDS));
            assertThat(report.get(5, TimeUnit.SECONDS)).isEqualTo(CONFIRMED);
            assertThat(failed).hasCauseInstanceOf(io.globalcalling.core.CallFailedException.class);
            String callId = ((io.globalcalling.core.CallFailedException) failed.getCause()).callId();
            CallRecord record = manager.calls().await(callId, Duration.ofSeconds(5));
            assertThat(record.status()).as("the record says what the caller was told").isEqualTo(CallStatus.FAILED);
            assertThat(record.cost() == null || record.cost().isZero()).as("nothing was charged").isTrue();
        } finally {
            caller.shutdownNow();
        }
    }

    @Test
    void aReplyTheStoreCouldNotKeepIsAnsweredAsNotKeptSoTheGatewayDeliversItAgain() throws Exception {
        manager.close();
        manager = builder(moPort).store(failingOnce(new InMemoryCallStore(), "appendInbound", args -> true)).build();
        byte[] reply = message(header(560, IMEI, 0, 17, 0, 1_764_576_000L), payload(ascii("all well")));

        assertThat(send(moPort, reply)).as("the store was down: not kept").isEqualTo(REFUSED);
        assertThat(send(moPort, reply)).as("the gateway delivers it again").isEqualTo(CONFIRMED);

        assertThat(manager.calls().inboundFrom("imei:" + IMEI, 10)).singleElement()
                .satisfies(m -> assertThat(m.text()).contains("all well"));
    }

    @Test
    void aDeliveryWhoseEndTheStoreCouldNotRecordCompletesTheCallWhenTheGatewayDeliversItAgain() throws Exception {
        manager.close();
        InMemoryLimitLedger ledger = new InMemoryLimitLedger();
        manager = builder(moPort).ledger(ledger).store(failingOnce(new InMemoryCallStore(), "appendEventAndUpdate",
                args -> ((CallUpdate) args[1]).status() == CallStatus.COMPLETED)).build();
        CallRecord placed = manager.call(CallRequest.to("imei:" + IMEI).script("Ice ahead").build());
        int mtmsn = Integer.parseInt(placed.providerCallId().split("-")[1]);
        byte[] delivered = message(header(561, IMEI, 0, 18, mtmsn, 1_764_576_000L));

        assertThat(send(moPort, delivered)).as("the end could not be recorded: not kept").isEqualTo(REFUSED);
        assertThat(send(moPort, delivered)).as("the gateway delivers it again").isEqualTo(CONFIRMED);

        CallRecord done = manager.calls().await(placed.callId(), Duration.ofSeconds(5));
        assertThat(done.status()).isEqualTo(CallStatus.COMPLETED);
        assertThat(done.cost()).as("settled at what was held").isEqualTo(placed.heldAmount());
        assertThat(manager.calls().inboundFor(placed.callId())).extracting(InboundMessage::kind)
                .containsOnlyOnce(InboundMessage.Kind.DELIVERY_CONFIRMATION);
    }

    /** {@code store}, but its first call of {@code method} whose arguments match fails as an unreachable database would. */
    private static CallStore failingOnce(CallStore store, String method, Predicate<Object[]> when) {
        AtomicBoolean failed = new AtomicBoolean();
        return (CallStore) Proxy.newProxyInstance(CallStore.class.getClassLoader(), new Class<?>[] {CallStore.class},
                (proxy, m, args) -> {
                    if (m.getName().equals(method) && when.test(args) && failed.compareAndSet(false, true)) {
                        throw new StoreException("store unreachable: " + method + " failed");
                    }
                    try {
                        return m.invoke(store, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /** Waits until the listener has handed on the MO message itself (before it looks at its MTMSN). */
    private void awaitReplyFrom(String imei) throws InterruptedException {
        for (int i = 0; i < 500 && manager.calls().inboundFrom("imei:" + imei, 10).isEmpty(); i++) Thread.sleep(10);
        assertThat(manager.calls().inboundFrom("imei:" + imei, 10)).as("the MO message arrived").isNotEmpty();
    }

    @Test
    void estimatesChargePerByteAboveTheMinimum() {
        var small = manager.estimate(CallRequest.to("imei:" + IMEI).payload(new byte[10]).build(), Duration.ZERO);
        var large = manager.estimate(CallRequest.to("imei:" + IMEI).payload(new byte[1000]).build(), Duration.ZERO);

        assertThat(small.providerId()).isEqualTo("iridium");
        assertThat(small.rate().messagePrice(10)).isEqualTo(io.globalcalling.Money.of("0.075", "USD")); // the minimum
        assertThat(small.rate().messagePrice(1000)).isEqualTo(io.globalcalling.Money.of("1.5", "USD")); // 1000 x 0.0015
        // the estimates, in the manager's budget currency and rounded to its cents, keep that ratio
        assertThat(large.total().amount().doubleValue() / small.total().amount().doubleValue())
                .isCloseTo(20.0, org.assertj.core.api.Assertions.within(0.05));
    }
}
