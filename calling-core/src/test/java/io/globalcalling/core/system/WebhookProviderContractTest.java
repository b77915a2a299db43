package io.globalcalling.core.system;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.globalcalling.CallCategory;
import com.github.tomakehurst.wiremock.http.Fault;
import io.globalcalling.spi.CallingProvider;
import io.globalcalling.spi.OutboundCall;
import io.globalcalling.spi.PlacedCall;
import io.globalcalling.Endpoint;
import io.globalcalling.spi.ProviderConfig;
import io.globalcalling.spi.ProviderContext;
import io.globalcalling.testkit.ProviderContract;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Optional;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

class WebhookProviderContractTest extends ProviderContract {

    @RegisterExtension
    static WireMockExtension receiver = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @Override
    protected CallingProvider createProvider(ProviderContext context) {
        return new WebhookProviderFactory().create(ProviderConfig.of(Map.of(
                "webhook.signing-secret", "contract-secret",
                "webhook.max-attempts", "2",
                "webhook.allow-http", "true",
                "webhook.allowed-private-networks", "127.0.0.0/8,::1/128")), context);
    }

    @Override
    protected Endpoint reachableDestination(CallCategory category) {
        receiver.stubFor(post("/contract/accept").willReturn(ok()));
        return Endpoint.parse(receiver.baseUrl() + "/contract/accept");
    }

    @Override
    protected Endpoint invalidDestination(CallCategory category) {
        receiver.stubFor(post("/contract/missing").willReturn(aResponse().withStatus(404)));
        return Endpoint.parse(receiver.baseUrl() + "/contract/missing");
    }

    @Override
    protected Endpoint unreachableDestination(CallCategory category) {
        try (ServerSocket socket = new ServerSocket(0)) {
            return Endpoint.parse("http://127.0.0.1:" + socket.getLocalPort() + "/contract");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A 429 whose Retry-After (120 s) is above the backoff cap ends the retries at once. */
    @Override
    protected Optional<RateLimited> rateLimitedDestination(CallCategory category) {
        receiver.stubFor(post("/contract/busy").willReturn(aResponse().withStatus(429).withHeader("Retry-After", "120")));
        return Optional.of(new RateLimited(Endpoint.parse(receiver.baseUrl() + "/contract/busy"), Duration.ofSeconds(120)));
    }

    /** The receiver reads the delivery and drops the connection: it may have acted on it. */
    @Override
    protected Optional<Endpoint> unknownOutcomeDestination(CallCategory category) {
        receiver.stubFor(post("/contract/reset").willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        return Optional.of(Endpoint.parse(receiver.baseUrl() + "/contract/reset"));
    }

    /** A delivery is reported as a completed call through the sink. */
    @Override
    protected boolean reportThroughEventSink(OutboundCall call, PlacedCall placed) {
        return true;
    }

    /** Receivers answer a delivery synchronously; the webhook provider receives no callbacks. */
    @Override
    protected boolean supportsWebhooks() {
        return false;
    }
}
