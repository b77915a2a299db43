package io.globalcalling.testkit;

import io.globalcalling.CallCategory;
import io.globalcalling.spi.CallEvent;
import io.globalcalling.CallRequest;
import io.globalcalling.CallStatus;
import io.globalcalling.ErrorReason;
import io.globalcalling.spi.OutboundCall;
import io.globalcalling.spi.PlacedCall;
import io.globalcalling.spi.ProviderException;
import io.globalcalling.spi.WebhookContext;
import io.globalcalling.spi.WebhookRejectedException;
import io.globalcalling.WebhookRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FakeCallProviderTest {

    private final TestProviderContext context = TestProviderContext.create();
    private final FakeCallProvider fake = FakeCallProvider.builder().context(context).build();

    @AfterEach
    void close() {
        context.close();
    }

    private static OutboundCall call(String callId, String to) {
        return OutboundCall.builder(callId, CallCategory.INTERNET_VOIP, CallRequest.to(to).build()).build();
    }

    @Test
    void appliesScriptedOutcomesInOrderThenGeneratesIds() {
        ProviderException down = ProviderException.of("fake", ErrorReason.UNAVAILABLE, "down");
        fake.acceptNext("CALL-A").failNext(down);

        assertThat(fake.place(call("c1", "+14155550100")).providerCallId()).isEqualTo("CALL-A");
        assertThatThrownBy(() -> fake.place(call("c2", "+14155550100"))).isSameAs(down);
        assertThat(fake.place(call("c3", "+14155550100")).providerCallId()).isEqualTo("FAKE-1");
        assertThat(fake.receivedCalls()).extracting(OutboundCall::callId).containsExactly("c1", "c2", "c3");
    }

    @Test
    void failsEveryCallToARegisteredDestination() {
        ProviderException invalid = ProviderException.of("fake", ErrorReason.INVALID_DESTINATION, "no such number");
        fake.failCallsTo(io.globalcalling.Endpoint.parse("+15005550001"), invalid);

        assertThatThrownBy(() -> fake.place(call("c1", "+15005550001"))).isSameAs(invalid);
        assertThatThrownBy(() -> fake.place(call("c2", "+15005550001"))).isSameAs(invalid);
        assertThat(fake.place(call("c3", "+15005550002")).providerCallId()).isEqualTo("FAKE-1");
    }

    @Test
    void signedCallbackParsesIntoTheEventItReports() {
        PlacedCall placed = fake.place(call("call-42", "+14155550100"));
        WebhookRequest callback = fake.callback(placed.providerCallId(), CallStatus.COMPLETED, Duration.ofSeconds(42));

        List<CallEvent> events = fake.webhooks().handle(callback, WebhookContext.none()).events();

        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.providerCallId()).isEqualTo(placed.providerCallId());
            assertThat(e.callId()).isEqualTo("call-42");
            assertThat(e.status()).isEqualTo(CallStatus.COMPLETED);
            assertThat(e.duration()).isEqualTo(Duration.ofSeconds(42));
            assertThat(e.occurredAt()).isEqualTo(context.clock().instant());
        });
        assertThat(fake.fetch(placed.providerCallId())).get().extracting(CallEvent::status).isEqualTo(CallStatus.COMPLETED);
    }

    @Test
    void refusesACallbackWhoseBodyWasChanged() {
        PlacedCall placed = fake.place(call("call-1", "+14155550100"));
        WebhookRequest good = fake.callback(placed.providerCallId(), CallStatus.ANSWERED);
        WebhookRequest tampered = new WebhookRequest("POST", good.url(), good.headers(),
                good.bodyText().replace("answered", "completed").getBytes(java.nio.charset.StandardCharsets.UTF_8));

        assertThatThrownBy(() -> fake.webhooks().handle(tampered, WebhookContext.none()).events())
                .isInstanceOfSatisfying(WebhookRejectedException.class, e -> assertThat(e.httpStatus()).isEqualTo(403))
                .hasMessageContaining("does not match");
    }

    @Test
    void refusesACallbackSignedOutsideTheToleranceWindow() {
        PlacedCall placed = fake.place(call("call-1", "+14155550100"));
        WebhookRequest callback = fake.callback(placed.providerCallId(), CallStatus.ANSWERED);
        context.mutableClock().advance(Duration.ofSeconds(301));

        assertThatThrownBy(() -> fake.webhooks().handle(callback, WebhookContext.none()).events())
                .isInstanceOfSatisfying(WebhookRejectedException.class,
                        e -> assertThat(e.refusal()).isEqualTo(WebhookRejectedException.Refusal.TOO_OLD))
                .hasMessageContaining("tolerance");
    }

    @Test
    void refusesAnUnsignedCallback() {
        WebhookRequest unsigned = WebhookRequest.post("https://host.example/webhooks/fake", Map.of(),
                "ProviderCallId=FAKE-1&Status=completed");

        assertThatThrownBy(() -> fake.webhooks().handle(unsigned, WebhookContext.none()).events())
                .isInstanceOfSatisfying(WebhookRejectedException.class, e -> assertThat(e.httpStatus()).isEqualTo(403))
                .hasMessageContaining("missing");
    }

    @Test
    void publishesEventsThroughTheContextSink() {
        PlacedCall placed = fake.place(call("call-7", "+14155550100"));

        fake.publish(placed.providerCallId(), CallStatus.RINGING);

        assertThat(context.events().awaitStatus(placed.providerCallId(), CallStatus.RINGING, Duration.ofSeconds(1)).callId())
                .isEqualTo("call-7");
    }

    @Test
    void hangUpIsRecordedAndCancelsTheCall() {
        PlacedCall placed = fake.place(call("call-1", "+14155550100"));

        fake.hangUp(placed.providerCallId());

        assertThat(fake.hungUpCalls()).containsExactly(placed.providerCallId());
        assertThat(fake.statusOf(placed.providerCallId())).contains(CallStatus.CANCELED);
    }

    @Test
    void refusesAnIdThatIsNotLowerCase() {
        assertThatThrownBy(() -> FakeCallProvider.builder().id("Fake"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'Fake'");
    }
}
