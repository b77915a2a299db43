package io.globalcalling.spi;

import io.globalcalling.CallCategory;
import io.globalcalling.CallRequest;
import io.globalcalling.CallStatus;
import io.globalcalling.Money;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The builders and factories a plug-in constructs SPI values with. */
class PluginBuildersTest {

    private static final Instant AT = Instant.parse("2026-11-24T10:45:00Z");

    @Test
    void callEventBuilderSetsEveryComponentAndLeavesTheRestUnreported() {
        CallEvent e = CallEvent.builder("twilio", AT).providerCallId("CA1").callId("c1").status(CallStatus.COMPLETED)
                .sequence(3L).duration(Duration.ofSeconds(42)).price(Money.inr("1.5"))
                .recordingUrl(URI.create("https://media.example/r.mp3")).transcript("hi").answeredBy("human")
                .details(Map.of("k", "v")).build();

        assertThat(e).isEqualTo(new CallEvent("twilio", "CA1", "c1", CallStatus.COMPLETED, AT, 3L,
                Duration.ofSeconds(42), Money.inr("1.5"), URI.create("https://media.example/r.mp3"), "hi", "human",
                Map.of("k", "v")));
        assertThat(e.toBuilder().build()).isEqualTo(e);
        assertThat(e.withCallId("c2").callId()).isEqualTo("c2");
        assertThat(e.withCallId("c2").transcript()).isEqualTo("hi");

        CallEvent bare = CallEvent.builder("twilio", AT).providerCallId("CA1").build();
        assertThat(bare.status()).isNull();
        assertThat(bare.details()).isEmpty();
        assertThat(CallEvent.status("twilio", "CA1", null, CallStatus.RINGING, AT))
                .isEqualTo(CallEvent.builder("twilio", AT).providerCallId("CA1").status(CallStatus.RINGING).build());
    }

    @Test
    void callEventBuilderRefusesAnEventWithoutAnyId() {
        assertThatThrownBy(() -> CallEvent.builder("twilio", AT).status(CallStatus.RINGING).build())
                .hasMessageContaining("providerCallId or a callId");
        assertThatThrownBy(() -> CallEvent.builder(null, AT)).hasMessageContaining("providerId");
    }

    @Test
    void outboundCallBuilderStartsAtTheFirstAttempt() {
        CallRequest request = CallRequest.to("+14155552671").build();
        OutboundCall first = OutboundCall.builder("c1", CallCategory.INTERNET_VOIP, request).build();
        assertThat(first).isEqualTo(new OutboundCall("c1", 1, CallCategory.INTERNET_VOIP, request, null, null));

        OutboundCall second = OutboundCall.builder("c1", CallCategory.AI_AUTOMATED, request).attempt(2)
                .spokenText("hello").statusCallbackUrl(URI.create("https://app.example/cb")).build();
        assertThat(second.attempt()).isEqualTo(2);
        assertThat(second.spokenText()).isEqualTo("hello");
        assertThat(second.statusCallbackUrl()).hasToString("https://app.example/cb");
        assertThatThrownBy(() -> OutboundCall.builder("c1", CallCategory.INTERNET_VOIP, request).attempt(0).build())
                .hasMessageContaining("attempt 0");
    }

    @Test
    void rateBuilderDefaultsTheMissingPriceToZeroInTheSameCurrency() {
        Rate minute = Rate.builder(CallCategory.INTERNET_VOIP, "91").perMinute(Money.inr("0.6")).build();
        assertThat(minute).isEqualTo(Rate.perMinute(CallCategory.INTERNET_VOIP, "91", Money.inr("0.6")));

        Rate call = Rate.builder(CallCategory.SYSTEM_API, "").perCall(Money.of("0.01", "USD")).incrementSeconds(1).build();
        assertThat(call).isEqualTo(Rate.perCall(CallCategory.SYSTEM_API, "", Money.of("0.01", "USD")));

        assertThatThrownBy(() -> Rate.builder(CallCategory.SYSTEM_API, "1").build())
                .hasMessageContaining("needs perMinute, perCall, perMessage, perByte or minimumCharge");
        assertThatThrownBy(() -> Rate.builder(CallCategory.SYSTEM_API, "1").perCall(Money.inr("1")).minimumSeconds(-1).build())
                .hasMessageContaining("minimumSeconds -1");
    }

    @Test
    void placedCallAndCoverageFactories() {
        assertThat(PlacedCall.of("CA1", CallStatus.QUEUED)).isEqualTo(new PlacedCall("CA1", CallStatus.QUEUED));
        assertThat(ProviderCoverage.of(Set.of("in"), true)).isEqualTo(ProviderCoverage.globalCoverage(Set.of("IN")));
        assertThatThrownBy(() -> PlacedCall.of(" ", CallStatus.QUEUED)).hasMessageContaining("providerCallId");
    }
}
