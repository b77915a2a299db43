package io.globalcalling.testkit;

import io.globalcalling.CallCategory;
import io.globalcalling.CallStatus;
import io.globalcalling.Endpoint;
import io.globalcalling.ErrorReason;
import io.globalcalling.spi.OutboundCall;
import io.globalcalling.spi.PlacedCall;
import io.globalcalling.spi.ProviderException;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Each fault and sink check of {@link ProviderContract} fails on a provider that gets it wrong: the checks are
 * run directly on contract instances whose fake misbehaves in one way.
 */
class ProviderContractCatchesBrokenProvidersTest {

    private static final Endpoint THROTTLED = Endpoint.parse("+15005550003");
    private static final Endpoint LOST = Endpoint.parse("+15005550004");

    /** Runs {@code check} on a contract's fresh provider, closing it afterwards. */
    private static ThrowingCallable run(FakeCallProviderContractTest contract, Consumer<FakeCallProviderContractTest> check) {
        return () -> {
            contract.createProviderUnderTest();
            try {
                check.accept(contract);
            } finally {
                contract.closeProviderUnderTest();
            }
        };
    }

    private static void rateLimited(FakeCallProviderContractTest c) {
        CallCategory category = c.primaryCategory();
        c.rateLimitedIsRateLimited(category, c.rateLimitedDestination(category).orElseThrow());
    }

    private static void unknown(FakeCallProviderContractTest c) {
        CallCategory category = c.primaryCategory();
        c.unknownAfterSendingIsOutcomeUnknown(category, c.unknownOutcomeDestination(category).orElseThrow());
    }

    private static void sink(FakeCallProviderContractTest c) {
        try {
            c.sinkEventsCarryOurCallId();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void theChecksPassOnACorrectProvider() {
        assertThatCode(run(new FakeCallProviderContractTest(), ProviderContractCatchesBrokenProvidersTest::rateLimited))
                .doesNotThrowAnyException();
        assertThatCode(run(new FakeCallProviderContractTest(), ProviderContractCatchesBrokenProvidersTest::unknown))
                .doesNotThrowAnyException();
        assertThatCode(run(new FakeCallProviderContractTest(), ProviderContractCatchesBrokenProvidersTest::sink))
                .doesNotThrowAnyException();
    }

    @Test
    void aThrottledPlacementReportedAsUnavailableFails() {
        FakeCallProviderContractTest broken = new FakeCallProviderContractTest() {
            @Override
            protected Optional<RateLimited> rateLimitedDestination(CallCategory category) {
                Optional<RateLimited> scenario = super.rateLimitedDestination(category);
                fake.failCallsTo(THROTTLED, ProviderException.of(fake.id(), ErrorReason.UNAVAILABLE, "HTTP 429"));
                return scenario;
            }
        };

        assertThatThrownBy(run(broken, ProviderContractCatchesBrokenProvidersTest::rateLimited))
                .isInstanceOf(AssertionError.class).hasMessageContaining("reason of a rate-limit refusal");
    }

    @Test
    void aThrottledPlacementThatDropsTheRetryAfterFails() {
        FakeCallProviderContractTest broken = new FakeCallProviderContractTest() {
            @Override
            protected Optional<RateLimited> rateLimitedDestination(CallCategory category) {
                Optional<RateLimited> scenario = super.rateLimitedDestination(category);
                fake.failCallsTo(THROTTLED, ProviderException.of(fake.id(), ErrorReason.RATE_LIMITED, "HTTP 429"));
                return scenario;
            }
        };

        assertThatThrownBy(run(broken, ProviderContractCatchesBrokenProvidersTest::rateLimited))
                .isInstanceOf(AssertionError.class).hasMessageContaining("Retry-After");
    }

    @Test
    void aFailureAfterSendingReportedAsUnavailableFails() {
        FakeCallProviderContractTest broken = new FakeCallProviderContractTest() {
            @Override
            protected Optional<Endpoint> unknownOutcomeDestination(CallCategory category) {
                Optional<Endpoint> destination = super.unknownOutcomeDestination(category);
                fake.failCallsTo(LOST, ProviderException.of(fake.id(), ErrorReason.UNAVAILABLE, "read timed out"));
                return destination;
            }
        };

        assertThatThrownBy(run(broken, ProviderContractCatchesBrokenProvidersTest::unknown))
                .isInstanceOf(AssertionError.class).hasMessageContaining("UNAVAILABLE would fail the call over");
    }

    @Test
    void sinkEventsWithoutOurCallIdFail() {
        FakeCallProviderContractTest broken = new FakeCallProviderContractTest() {
            @Override
            FakeCallProvider.Builder configure(FakeCallProvider.Builder builder) {
                return builder.events(e -> context.events().accept(e.toBuilder().callId(null).build()));
            }
        };

        assertThatThrownBy(run(broken, ProviderContractCatchesBrokenProvidersTest::sink))
                .isInstanceOf(AssertionError.class).hasMessageContaining("callId of");
    }

    @Test
    void aProviderThatSaysItReportsNothingToTheSinkButDoesFails() {
        FakeCallProviderContractTest broken = new FakeCallProviderContractTest() {
            @Override
            protected boolean reportThroughEventSink(OutboundCall call, PlacedCall placed) {
                fake.publish(placed.providerCallId(), CallStatus.RINGING);
                return false;
            }
        };

        assertThatThrownBy(run(broken, ProviderContractCatchesBrokenProvidersTest::sink))
                .isInstanceOf(AssertionError.class).hasMessageContaining("reports none there");
    }
}
