package io.globalcalling.testkit;

import io.globalcalling.CallCategory;
import io.globalcalling.Endpoint;
import io.globalcalling.ErrorReason;
import io.globalcalling.GeoPoint;
import io.globalcalling.InboundMessage;
import io.globalcalling.Money;
import io.globalcalling.spi.BillingUnit;
import io.globalcalling.spi.CallingProvider;
import io.globalcalling.spi.ProviderCapabilities;
import io.globalcalling.spi.ProviderContext;
import io.globalcalling.spi.ProviderException;
import io.globalcalling.spi.Rate;

import java.util.Set;

/**
 * Issue 11: the contract's pricing-unit and terminal-message sections on a provider like Iridium SBD:
 * satellite messages up to 1,890 bytes, billed per message and per byte, and messages from terminals.
 */
class FakeTerminalProviderContractTest extends ProviderContract {

    private static final Endpoint TERMINAL = Endpoint.parse("imei:300234010753370");
    private FakeCallProvider fake;

    @Override
    protected CallingProvider createProvider(ProviderContext context) {
        fake = FakeCallProvider.builder().id("sbd").categories(CallCategory.SATELLITE).context(context)
                .rate(Rate.perMessage(CallCategory.SATELLITE, "", Money.inr("10"), Money.inr("0.05"), Money.inr("12")))
                .capabilities(ProviderCapabilities.builder().maxPayloadBytes(1890)
                        .billingUnits(Set.of(BillingUnit.PER_MESSAGE, BillingUnit.PER_BYTE)).build())
                .build();
        return fake;
    }

    @Override
    protected boolean supportsWebhooks() {
        return true;
    }

    @Override
    protected Endpoint reachableDestination(CallCategory category) {
        return TERMINAL;
    }

    @Override
    protected Endpoint invalidDestination(CallCategory category) {
        Endpoint destination = Endpoint.parse("imei:300234010753371");
        fake.failCallsTo(destination, ProviderException.of(fake.id(), ErrorReason.INVALID_DESTINATION, "unknown IMEI"));
        return destination;
    }

    @Override
    protected Endpoint unreachableDestination(CallCategory category) {
        Endpoint destination = Endpoint.parse("imei:300234010753372");
        fake.failCallsTo(destination, ProviderException.of(fake.id(), ErrorReason.UNAVAILABLE, "gateway down"));
        return destination;
    }

    @Override
    protected io.globalcalling.WebhookRequest validCallback(io.globalcalling.spi.OutboundCall call,
                                                            io.globalcalling.spi.PlacedCall placed) {
        return fake.callback(placed.providerCallId(), io.globalcalling.CallStatus.RINGING);
    }

    @Override
    protected java.util.Map<String, io.globalcalling.CallStatus> providerStatuses() {
        return java.util.Arrays.stream(io.globalcalling.CallStatus.values())
                .collect(java.util.stream.Collectors.toMap(io.globalcalling.CallStatus::wireName, s -> s));
    }

    @Override
    protected io.globalcalling.WebhookRequest statusCallback(io.globalcalling.spi.OutboundCall call,
                                                             io.globalcalling.spi.PlacedCall placed, String providerStatus) {
        return fake.callback(placed.providerCallId(), io.globalcalling.CallStatus.fromWireName(providerStatus));
    }

    @Override
    protected io.globalcalling.WebhookRequest badlySignedCallback(io.globalcalling.spi.OutboundCall call,
                                                                  io.globalcalling.spi.PlacedCall placed) {
        FakeCallProvider impostor = FakeCallProvider.builder().clock(context.clock())
                .signingSecret(io.globalcalling.Secret.of("not-the-real-secret")).build();
        return impostor.callback(placed.providerCallId(), io.globalcalling.CallStatus.COMPLETED);
    }

    @Override
    protected java.util.Optional<RateLimited> rateLimitedDestination(CallCategory category) {
        Endpoint destination = Endpoint.parse("imei:300234010753373");
        fake.failCallsTo(destination, ProviderException.builder(fake.id(), ErrorReason.RATE_LIMITED, "gateway busy")
                .retryAfter(java.time.Duration.ofSeconds(30)).build());
        return java.util.Optional.of(new RateLimited(destination, java.time.Duration.ofSeconds(30)));
    }

    @Override
    protected java.util.Optional<Endpoint> unknownOutcomeDestination(CallCategory category) {
        Endpoint destination = Endpoint.parse("imei:300234010753374");
        fake.failCallsTo(destination, ProviderException.of(fake.id(), ErrorReason.OUTCOME_UNKNOWN, "no MT confirmation"));
        return java.util.Optional.of(destination);
    }

    /** A delivery confirmation, reported through the sink as the gateway's listener would. */
    @Override
    protected boolean reportThroughEventSink(io.globalcalling.spi.OutboundCall call, io.globalcalling.spi.PlacedCall placed) {
        fake.publish(placed.providerCallId(), io.globalcalling.CallStatus.COMPLETED);
        return true;
    }

    @Override
    protected boolean receivesInboundMessages() {
        return true;
    }

    @Override
    protected void triggerInboundMessage() {
        fake.receive(InboundMessage.builder(fake.id(), TERMINAL, InboundMessage.Kind.POSITION)
                .receivedAt(context.clock().instant()).position(GeoPoint.of(-62.1, -58.9), 4000).build());
    }
}
