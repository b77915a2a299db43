package io.globalcalling.provider.iridium;

import io.globalcalling.CallCategory;
import io.globalcalling.CallRequest;
import io.globalcalling.Endpoint;
import io.globalcalling.SatelliteTerminal;
import io.globalcalling.spi.CallingProvider;
import io.globalcalling.spi.OutboundCall;
import io.globalcalling.spi.PlacedCall;
import io.globalcalling.spi.ProviderContext;
import io.globalcalling.testkit.ProviderContract;
import org.junit.jupiter.api.AfterEach;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;

import static io.globalcalling.provider.iridium.Bytes.ascii;
import static io.globalcalling.provider.iridium.IridiumTests.IMEI;

class IridiumProviderContractTest extends ProviderContract {

    private GatewaySimulator gateway;

    @Override
    protected CallingProvider createProvider(ProviderContext context) {
        gateway = GatewaySimulator.start();
        return new IridiumProviderFactory().create(IridiumTests.config(gateway.port(), "iridium.mo-port", "0",
                "iridium.mo-bind-address", "127.0.0.1"), context);
    }

    @AfterEach
    void stopGateway() {
        gateway.close();
    }

    @Override
    protected Endpoint reachableDestination(CallCategory category) {
        gateway.status(0);
        return new SatelliteTerminal(IMEI);
    }

    /** The gateway answers -2, unknown or unprovisioned IMEI. */
    @Override
    protected Endpoint invalidDestination(CallCategory category) {
        gateway.status(-2);
        return new SatelliteTerminal("300234010000000");
    }

    /** The gateway is gone: the connection is refused (its port stays reserved, so nothing else answers there). */
    @Override
    protected Endpoint unreachableDestination(CallCategory category) {
        gateway.refuseConnections();
        return new SatelliteTerminal(IMEI);
    }

    /**
     * The gateway answers -5: the terminal's MT queue is full (50 messages), DirectIP's "too many" refusal, which the
     * provider maps to RATE_LIMITED. A DirectIP confirmation carries no wait, so none is announced.
     */
    @Override
    protected Optional<RateLimited> rateLimitedDestination(CallCategory category) {
        gateway.status(-5);
        return Optional.of(new RateLimited(new SatelliteTerminal(IMEI), null));
    }

    /** The gateway reads the whole message, then answers bytes that are no DirectIP confirmation. */
    @Override
    protected Optional<Endpoint> unknownOutcomeDestination(CallCategory category) {
        gateway.behave(GatewaySimulator.Behaviour.GARBAGE);
        return Optional.of(new SatelliteTerminal(IMEI));
    }

    /**
     * Nothing goes to the event sink here: a terminal's delivery confirmation (an MO message naming the MTMSN) reaches
     * a host that takes inbound messages, as this suite's context does, as a DELIVERY_CONFIRMATION inbound message.
     * The event sink is only the fallback for a host without an inbound sink.
     */
    @Override
    protected boolean reportThroughEventSink(OutboundCall call, PlacedCall placed) {
        return false;
    }

    /** Iridium reports over DirectIP, never by webhook. */
    @Override
    protected boolean supportsWebhooks() {
        return false;
    }

    @Override
    protected boolean receivesInboundMessages() {
        return true;
    }

    @Override
    protected void triggerInboundMessage() {
        int port = ((IridiumProvider) provider).moPort().orElseThrow();
        try {
            MoSender.send(port, MoSender.message(MoSender.header(1, IMEI, 0, 1, 0, 1_764_576_000L),
                    MoSender.payload(ascii("hello from the contract"))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A satellite message needs something to send: the suite's call gets a script. */
    @Override
    protected OutboundCall outboundCall(CallCategory category, Endpoint to) {
        OutboundCall call = super.outboundCall(category, to);
        if (category != CallCategory.SATELLITE) return call;
        CallRequest request = call.request().toBuilder().script("provider contract").build();
        return OutboundCall.builder(call.callId(), category, request).spokenText("provider contract").build();
    }
}
