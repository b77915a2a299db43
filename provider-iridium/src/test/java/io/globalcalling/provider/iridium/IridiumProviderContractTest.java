package io.globalcalling.provider.iridium;

import io.globalcalling.CallCategory;
import io.globalcalling.CallRequest;
import io.globalcalling.Endpoint;
import io.globalcalling.SatelliteTerminal;
import io.globalcalling.spi.CallingProvider;
import io.globalcalling.spi.OutboundCall;
import io.globalcalling.spi.ProviderContext;
import io.globalcalling.testkit.ProviderContract;
import org.junit.jupiter.api.AfterEach;

import java.io.IOException;
import java.io.UncheckedIOException;

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
