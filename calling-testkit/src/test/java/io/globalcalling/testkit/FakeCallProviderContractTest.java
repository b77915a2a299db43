package io.globalcalling.testkit;

import io.globalcalling.CallCategory;
import io.globalcalling.CallStatus;
import io.globalcalling.spi.CallingProvider;
import io.globalcalling.Endpoint;
import io.globalcalling.ErrorReason;
import io.globalcalling.spi.OutboundCall;
import io.globalcalling.spi.PlacedCall;
import io.globalcalling.spi.ProviderContext;
import io.globalcalling.spi.ProviderException;
import io.globalcalling.Secret;
import io.globalcalling.WebhookRequest;
import io.globalcalling.WebhookUrl;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

class FakeCallProviderContractTest extends ProviderContract {

    FakeCallProvider fake;

    @Override
    protected CallingProvider createProvider(ProviderContext context) {
        fake = configure(FakeCallProvider.builder().categories(CallCategory.values()).context(context)).build();
        return fake;
    }

    /** Lets a variant run the same contract on a differently configured fake. */
    FakeCallProvider.Builder configure(FakeCallProvider.Builder builder) {
        return builder;
    }

    @Override
    protected Endpoint reachableDestination(CallCategory category) {
        return category == CallCategory.SYSTEM_API ? WebhookUrl.of("https://hooks.example.com/orders")
                : Endpoint.parse("+14155550100");
    }

    @Override
    protected Endpoint invalidDestination(CallCategory category) {
        Endpoint destination = Endpoint.parse("+15005550001");
        fake.failCallsTo(destination, ProviderException.of(fake.id(), ErrorReason.INVALID_DESTINATION, "not a number"));
        return destination;
    }

    @Override
    protected Endpoint unreachableDestination(CallCategory category) {
        Endpoint destination = Endpoint.parse("+15005550002");
        fake.failCallsTo(destination, ProviderException.of(fake.id(), ErrorReason.UNAVAILABLE, "connection refused"));
        return destination;
    }

    @Override
    protected Optional<RateLimited> rateLimitedDestination(CallCategory category) {
        Endpoint destination = Endpoint.parse("+15005550003");
        fake.failCallsTo(destination, ProviderException.builder(fake.id(), ErrorReason.RATE_LIMITED, "Too Many Requests")
                .httpStatus(429).retryAfter(Duration.ofSeconds(7)).build());
        return Optional.of(new RateLimited(destination, Duration.ofSeconds(7)));
    }

    @Override
    protected Optional<Endpoint> unknownOutcomeDestination(CallCategory category) {
        Endpoint destination = Endpoint.parse("+15005550004");
        fake.failCallsTo(destination, ProviderException.of(fake.id(), ErrorReason.OUTCOME_UNKNOWN, "read timed out after sending"));
        return Optional.of(destination);
    }

    /** The fake reports through its sink when told to publish. */
    @Override
    protected boolean reportThroughEventSink(OutboundCall call, PlacedCall placed) {
        fake.publish(placed.providerCallId(), CallStatus.RINGING);
        return true;
    }

    @Override
    protected WebhookRequest validCallback(OutboundCall call, PlacedCall placed) {
        return fake.callback(placed.providerCallId(), CallStatus.RINGING);
    }

    /** The fake reports statuses by their wire names. */
    @Override
    protected Map<String, CallStatus> providerStatuses() {
        return Arrays.stream(CallStatus.values()).collect(Collectors.toMap(CallStatus::wireName, s -> s));
    }

    @Override
    protected WebhookRequest statusCallback(OutboundCall call, PlacedCall placed, String providerStatus) {
        return fake.callback(placed.providerCallId(), CallStatus.fromWireName(providerStatus));
    }

    @Override
    protected WebhookRequest badlySignedCallback(OutboundCall call, PlacedCall placed) {
        FakeCallProvider impostor = FakeCallProvider.builder().clock(context.clock())
                .signingSecret(Secret.of("not-the-real-secret")).build();
        return impostor.callback(placed.providerCallId(), CallStatus.COMPLETED);
    }
}
