package io.globalcalling.core;

import io.globalcalling.CallCategory;
import io.globalcalling.CallRecord;
import io.globalcalling.CallRequest;
import io.globalcalling.CallStatus;
import io.globalcalling.Endpoint;
import io.globalcalling.GeoPoint;
import io.globalcalling.InboundMessage;
import io.globalcalling.Money;
import io.globalcalling.core.routing.NoRouteException;
import io.globalcalling.core.routing.RoutePlan;
import io.globalcalling.core.store.InMemoryCallStore;
import io.globalcalling.spi.BillingUnit;
import io.globalcalling.spi.CallingProvider;
import io.globalcalling.spi.CallingProviderFactory;
import io.globalcalling.spi.OutboundCall;
import io.globalcalling.spi.ProviderCapabilities;
import io.globalcalling.spi.ProviderConfig;
import io.globalcalling.spi.ProviderContext;
import io.globalcalling.spi.Rate;
import io.globalcalling.testkit.FakeCallProvider;
import io.globalcalling.testkit.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Issue 11: binary payloads to terminals, inbound messages from them, and messages priced per message and byte. */
class TerminalMessagesIssue11Test {

    private static final String TERMINAL = "imei:300234010753370";

    private final MutableClock clock = MutableClock.create();
    private final InMemoryCallStore store = new InMemoryCallStore();
    private final List<GlobalCallingManager> managers = new ArrayList<>();

    @TempDir
    Path dir;

    @AfterEach
    void close() {
        managers.forEach(GlobalCallingManager::close);
        TerminalFactory.create = null;
    }

    private static ProviderCapabilities carrying(int maxPayloadBytes) {
        return ProviderCapabilities.builder().maxPayloadBytes(maxPayloadBytes)
                .billingUnits(Set.of(BillingUnit.PER_CALL, BillingUnit.PER_MESSAGE, BillingUnit.PER_BYTE)).build();
    }

    private FakeCallProvider terminalProvider(String id, CallCategory category, int maxPayloadBytes, Rate rate) {
        return FakeCallProvider.builder().id(id).clock(clock).categories(category).rate(rate)
                .capabilities(carrying(maxPayloadBytes)).build();
    }

    private static Rate sbd(CallCategory category, String perMessage, String perByte, String minimum) {
        return Rate.perMessage(category, "", Money.inr(perMessage), Money.inr(perByte), Money.inr(minimum));
    }

    private GlobalCallingManager manager(CallingProvider... providers) {
        GlobalCallingManager.Builder b = GlobalCallingManager.builder().discoverProviders(false)
                .config(ProviderConfig.empty()).store(store).clock(clock);
        for (CallingProvider p : providers) b.provider(p);
        return keep(b.build());
    }

    private GlobalCallingManager keep(GlobalCallingManager m) {
        managers.add(m);
        return m;
    }

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte) i;
        return b;
    }

    @Nested
    @DisplayName("binary payloads")
    class Payloads {

        @Test
        @DisplayName("the payload reaches the provider as sent, copied from the caller's array")
        void payloadReachesTheProviderCopied() {
            FakeCallProvider sat = terminalProvider("sat", CallCategory.SATELLITE, 1890,
                    sbd(CallCategory.SATELLITE, "10", "0", "0"));
            byte[] sent = {1, 2, 3};
            CallRequest request = CallRequest.to(TERMINAL).payload(sent).build();
            sent[0] = 99;

            manager(sat).call(request);

            OutboundCall received = sat.receivedCalls().get(0);
            assertThat(received.binaryPayload()).get().satisfies(p -> {
                assertThat(p.toByteArray()).containsExactly(1, 2, 3);
                assertThat(p.asReadOnlyBuffer().isReadOnly()).isTrue();
            });
            byte[] copy = received.binaryPayload().orElseThrow().toByteArray();
            copy[1] = 42;
            assertThat(received.binaryPayload().orElseThrow().toByteArray()).containsExactly(1, 2, 3);
        }

        @Test
        @DisplayName("a payload with a pinned category other than satellite or system_api is refused, naming both")
        void payloadWithAVoiceCategoryIsRefused() {
            assertThatThrownBy(() -> CallRequest.to("+919876543210").category(CallCategory.INTERNET_VOIP)
                    .payload(bytes(3)).build())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("payload of 3 bytes").hasMessageContaining("internet_voip");
        }

        @Test
        @DisplayName("routing drops a provider whose maximum is smaller than the payload, saying so")
        void providerWithASmallerMaximumIsDropped() {
            FakeCallProvider small = terminalProvider("small", CallCategory.SATELLITE, 10,
                    sbd(CallCategory.SATELLITE, "1", "0", "0"));
            FakeCallProvider large = terminalProvider("large", CallCategory.SATELLITE, 1890,
                    sbd(CallCategory.SATELLITE, "50", "0", "0"));

            RoutePlan plan = manager(small, large).plan(CallRequest.to(TERMINAL).payload(bytes(100)).build());

            assertThat(plan.primary().providerId()).isEqualTo("large");
            assertThat(plan.dropped()).singleElement().satisfies(d -> {
                assertThat(d.providerId()).isEqualTo("small");
                assertThat(d.toString()).contains("at most 10 bytes, not 100");
            });
        }

        @Test
        @DisplayName("a payload no provider can carry fails with its size and the largest maximum, and nothing is recorded or sent")
        void payloadTooLargeForEveryProviderIsRefusedBeforeAnythingIsRecorded() {
            FakeCallProvider sat = terminalProvider("sat", CallCategory.SATELLITE, 1890,
                    sbd(CallCategory.SATELLITE, "10", "0", "0"));
            GlobalCallingManager calling = manager(sat);

            NoRouteException e = catchThrowableOfType(
                    () -> calling.call(CallRequest.to(TERMINAL).payload(bytes(1891)).build()), NoRouteException.class);

            assertThat(e).hasMessageContaining("payload of 1891 bytes").hasMessageContaining("largest maximum is 1890 bytes");
            assertThat(store.recent(10)).isEmpty();
            assertThat(sat.receivedCalls()).isEmpty();
        }
    }

    @Nested
    @DisplayName("JSON payloads to terminals")
    class JsonPayloads {

        /** A terminal is sent the JSON text as its message's bytes, so the provider's maximum bounds it too. */
        @Test
        @DisplayName("a JSON payload larger than any provider sends to a terminal is refused, and nothing is recorded or sent")
        void jsonPayloadTooLargeForEveryProviderIsRefusedBeforeAnythingIsRecorded() {
            FakeCallProvider sat = terminalProvider("sat", CallCategory.SATELLITE, 10,
                    sbd(CallCategory.SATELLITE, "10", "0", "0"));
            GlobalCallingManager calling = manager(sat);

            NoRouteException e = catchThrowableOfType(() -> calling.call(CallRequest.to(TERMINAL)
                    .payload("{\"position\":\"report\"}").build()), NoRouteException.class);

            assertThat(e).isNotNull();
            assertThat(e).hasMessageContaining("payload of 21 bytes").hasMessageContaining("largest maximum is 10 bytes");
            assertThat(store.recent(10)).isEmpty();
            assertThat(sat.receivedCalls()).isEmpty();
            assertThat(calling.call(CallRequest.to(TERMINAL).payload("{\"ok\":1}").build()).providerId()).isEqualTo("sat");
        }
    }

    @Nested
    @DisplayName("scripts to terminals")
    class Scripts {

        /** Without a payload, a terminal is sent the script's text (as Iridium does): the provider's maximum bounds it. */
        @Test
        @DisplayName("a script longer than any provider sends to a terminal is refused, and nothing is recorded or sent")
        void scriptTooLongForEveryProviderIsRefusedBeforeAnythingIsRecorded() {
            FakeCallProvider sat = terminalProvider("sat", CallCategory.SATELLITE, 10,
                    sbd(CallCategory.SATELLITE, "10", "0", "0"));
            GlobalCallingManager calling = manager(sat);

            NoRouteException e = catchThrowableOfType(() -> calling.call(CallRequest.to(TERMINAL)
                    .script("Ice ahead, {{who}}").variable("who", "Asha").build()), NoRouteException.class);

            assertThat(e).isNotNull();
            assertThat(e).hasMessageContaining("payload of 15 bytes").hasMessageContaining("largest maximum is 10 bytes");
            assertThat(store.recent(10)).isEmpty();
            assertThat(sat.receivedCalls()).isEmpty();
            assertThat(calling.call(CallRequest.to(TERMINAL).script("Ice ahead").build()).providerId()).isEqualTo("sat");
        }
    }

    @Nested
    @DisplayName("pricing units")
    class PricingUnits {

        @Test
        @DisplayName("a system_api call with a payload is held and settles at per message + per byte x its size")
        void systemApiPayloadSettlesPerMessageAndPerByte() {
            FakeCallProvider sys = terminalProvider("sys", CallCategory.SYSTEM_API, 1890,
                    sbd(CallCategory.SYSTEM_API, "0.50", "0.01", "0"));
            GlobalCallingManager calling = manager(sys);

            CallRecord placed = calling.call(CallRequest.to(TERMINAL).category(CallCategory.SYSTEM_API)
                    .payload(bytes(100)).build());
            assertThat(placed.estimatedCost()).isEqualTo(Money.inr("1.50"));
            assertThat(placed.heldAmount()).isEqualTo(Money.inr("1.50"));

            calling.webhooks().handle("sys", sys.callback(placed.providerCallId(), CallStatus.COMPLETED));

            CallRecord ended = calling.calls().find(placed.callId()).orElseThrow();
            assertThat(ended.status()).isEqualTo(CallStatus.COMPLETED);
            assertThat(ended.cost()).isEqualTo(Money.inr("1.50"));
        }

        /** A terminal is sent the script's text as the message's bytes (as Iridium does), which per-byte rates bill. */
        @Test
        @DisplayName("a script sent to a terminal is held and settles per byte of its text")
        void scriptToATerminalSettlesPerByteOfItsText() {
            FakeCallProvider sat = terminalProvider("sat", CallCategory.SATELLITE, 1890,
                    sbd(CallCategory.SATELLITE, "0.50", "0.01", "0"));
            GlobalCallingManager calling = manager(sat);

            CallRecord placed = calling.call(CallRequest.to(TERMINAL).script("Ice ahead, {{who}}").variable("who", "Asha")
                    .build()); // 15 bytes once rendered
            assertThat(placed.estimatedCost()).isEqualTo(Money.inr("0.65"));
            assertThat(placed.heldAmount()).isEqualTo(Money.inr("0.65"));

            calling.webhooks().handle("sat", sat.callback(placed.providerCallId(), CallStatus.COMPLETED));

            assertThat(calling.calls().find(placed.callId()).orElseThrow().cost()).isEqualTo(Money.inr("0.65"));
        }

        @Test
        @DisplayName("a message cheaper than the minimum charge costs the minimum")
        void minimumChargeApplies() {
            FakeCallProvider sat = terminalProvider("sat", CallCategory.SATELLITE, 1890,
                    sbd(CallCategory.SATELLITE, "0.10", "0.001", "1"));
            GlobalCallingManager calling = manager(sat);

            CallRecord placed = calling.call(CallRequest.to(TERMINAL).payload(bytes(10)).build());
            calling.webhooks().handle("sat", sat.callback(placed.providerCallId(), CallStatus.COMPLETED));

            assertThat(calling.calls().find(placed.callId()).orElseThrow().cost()).isEqualTo(Money.inr("1"));
        }

        @Test
        @DisplayName("a message that was not delivered costs only the per-call fee")
        void undeliveredMessageCostsThePerCallFeeOnly() {
            Rate rate = Rate.builder(CallCategory.SATELLITE, "").perCall(Money.inr("0.20")).perMessage(Money.inr("5"))
                    .perByte(Money.inr("0.01")).build();
            FakeCallProvider sat = terminalProvider("sat", CallCategory.SATELLITE, 1890, rate);
            GlobalCallingManager calling = manager(sat);

            CallRecord placed = calling.call(CallRequest.to(TERMINAL).payload(bytes(100)).build());
            assertThat(placed.heldAmount()).isEqualTo(Money.inr("6.20"));
            calling.webhooks().handle("sat", sat.callback(placed.providerCallId(), CallStatus.FAILED));

            assertThat(calling.calls().find(placed.callId()).orElseThrow().cost()).isEqualTo(Money.inr("0.20"));
        }
    }

    /** Creates, through ServiceLoader, whatever the running test asks for, so that it gets the manager's context. */
    public static final class TerminalFactory implements CallingProviderFactory {
        static volatile Function<ProviderContext, CallingProvider> create;

        @Override
        public String id() {
            return "terminal";
        }

        @Override
        public boolean isConfigured(ProviderConfig config) {
            return true;
        }

        @Override
        public CallingProvider create(ProviderConfig config, ProviderContext context) {
            return create.apply(context);
        }
    }

    @Nested
    @DisplayName("inbound messages")
    class Inbound {

        private ProviderContext context;
        private FakeCallProvider terminal;
        private final List<InboundMessage> heard = new CopyOnWriteArrayList<>();

        /** A manager whose "terminal" provider was created by a factory, as real providers are, with the manager's context. */
        private GlobalCallingManager discovering() throws IOException {
            Path services = Files.writeString(dir.resolve("services"), TerminalFactory.class.getName() + "\n");
            String name = "META-INF/services/" + CallingProviderFactory.class.getName();
            ClassLoader loader = new ClassLoader(getClass().getClassLoader()) {
                @Override
                public Enumeration<URL> getResources(String resource) throws IOException {
                    return resource.equals(name) ? Collections.enumeration(List.of(services.toUri().toURL()))
                            : super.getResources(resource);
                }
            };
            TerminalFactory.create = ctx -> {
                context = ctx;
                terminal = FakeCallProvider.builder().id("terminal").context(ctx).categories(CallCategory.SATELLITE)
                        .rate(sbd(CallCategory.SATELLITE, "2", "0", "0")).capabilities(carrying(1890)).build();
                return terminal;
            };
            GlobalCallingManager m = keep(GlobalCallingManager.builder().config(ProviderConfig.empty()).classLoader(loader)
                    .store(store).clock(clock).build());
            m.onInboundMessage(heard::add);
            return m;
        }

        private InboundMessage.Builder from(InboundMessage.Kind kind) {
            return InboundMessage.builder("terminal", Endpoint.parse(TERMINAL), kind).receivedAt(clock.instant());
        }

        @Test
        @DisplayName("a reply for no call is stored, listed by terminal and told to listeners")
        void replyWithoutACallIsStoredAndTold() throws IOException {
            GlobalCallingManager calling = discovering();
            InboundMessage reply = from(InboundMessage.Kind.REPLY).payload(new byte[] {7, 7}).text("all well")
                    .providerMessageId("MOMSN-1").build();

            context.inbound().accept(reply);

            assertThat(heard).containsExactly(reply);
            assertThat(calling.calls().inboundFrom(TERMINAL, 10)).containsExactly(reply);
            assertThat(calling.calls().inbound(10)).containsExactly(reply);
        }

        @Test
        @DisplayName("a position naming the provider's call id is matched to the call")
        void positionIsMatchedByProviderCallId() throws IOException {
            GlobalCallingManager calling = discovering();
            CallRecord placed = calling.call(CallRequest.to(TERMINAL).payload(bytes(5)).build());

            context.inbound().accept(from(InboundMessage.Kind.POSITION).position(GeoPoint.of(-60.5, 20.25), 5000)
                    .providerCallId(placed.providerCallId()).build());

            assertThat(calling.calls().inboundFor(placed.callId())).singleElement().satisfies(m -> {
                assertThat(m.callId()).contains(placed.callId());
                assertThat(m.position()).get().extracting(InboundMessage.Position::accuracyMeters).isEqualTo(5000.0);
            });
            assertThat(calling.calls().find(placed.callId()).orElseThrow().status()).isEqualTo(CallStatus.QUEUED);
        }

        @Test
        @DisplayName("a delivery confirmation ends its call as completed and prices it, once however often it arrives")
        void deliveryConfirmationEndsAndSettlesTheCall() throws IOException {
            GlobalCallingManager calling = discovering();
            CallRecord placed = calling.call(CallRequest.to(TERMINAL).payload(bytes(5)).build());
            InboundMessage confirmation = from(InboundMessage.Kind.DELIVERY_CONFIRMATION).callId(placed.callId())
                    .providerMessageId("MTMSN-" + placed.providerCallId()).build();

            context.inbound().accept(confirmation);
            context.inbound().accept(confirmation);

            CallRecord ended = calling.calls().find(placed.callId()).orElseThrow();
            assertThat(ended.status()).isEqualTo(CallStatus.COMPLETED);
            assertThat(ended.cost()).isEqualTo(Money.inr("2"));
            assertThat(heard).singleElement().extracting(InboundMessage::callId).isEqualTo(java.util.Optional.of(placed.callId()));
        }

        @Test
        @DisplayName("a confirmation naming a call of another provider does not end it")
        void confirmationOfAnotherProvidersCallIsOnlyStored() throws IOException {
            GlobalCallingManager calling = discovering();
            CallRecord placed = calling.call(CallRequest.to(TERMINAL).payload(bytes(5)).build());

            context.inbound().accept(InboundMessage.builder("intruder", Endpoint.parse(TERMINAL),
                    InboundMessage.Kind.DELIVERY_CONFIRMATION).receivedAt(clock.instant()).callId(placed.callId()).build());

            assertThat(calling.calls().find(placed.callId()).orElseThrow().status()).isEqualTo(CallStatus.QUEUED);
            assertThat(calling.calls().inbound(10)).hasSize(1);
        }
    }
}
