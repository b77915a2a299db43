package io.globalcalling.core.sandbox;

import io.globalcalling.CallCategory;
import io.globalcalling.spi.CallingProvider;
import io.globalcalling.spi.OutboundCall;
import io.globalcalling.spi.PlacedCall;
import io.globalcalling.Endpoint;
import io.globalcalling.spi.ProviderConfig;
import io.globalcalling.spi.ProviderContext;
import io.globalcalling.testkit.ProviderContract;

import java.util.Optional;

class SandboxProviderContractTest extends ProviderContract {

    @Override
    protected CallingProvider createProvider(ProviderContext context) {
        return new SandboxProviderFactory().create(ProviderConfig.empty(), context);
    }

    @Override
    protected Endpoint reachableDestination(CallCategory category) {
        return switch (category) {
            case SYSTEM_API -> Endpoint.parse("https://hooks.example.com/orders");
            case SATELLITE -> Endpoint.parse("+881631234567");
            default -> Endpoint.parse("+919876543210");
        };
    }

    @Override
    protected Endpoint invalidDestination(CallCategory category) {
        return Endpoint.parse("+14155550004");
    }

    @Override
    protected Endpoint unreachableDestination(CallCategory category) {
        return Endpoint.parse("+14155550005");
    }

    /** A simulation: no service behind it can throttle it. */
    @Override
    protected Optional<RateLimited> rateLimitedDestination(CallCategory category) {
        return Optional.empty();
    }

    /** A simulation: nothing is sent over a network, so no answer can be lost. */
    @Override
    protected Optional<Endpoint> unknownOutcomeDestination(CallCategory category) {
        return Optional.empty();
    }

    /** The simulated call plays out on the scheduler and reports each step through the sink. */
    @Override
    protected boolean reportThroughEventSink(OutboundCall call, PlacedCall placed) {
        return true;
    }

    /** The sandbox reports through the context's event sink; it receives no callbacks. */
    @Override
    protected boolean supportsWebhooks() {
        return false;
    }
}
