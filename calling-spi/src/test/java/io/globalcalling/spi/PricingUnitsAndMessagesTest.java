package io.globalcalling.spi;

import io.globalcalling.BinaryPayload;
import io.globalcalling.CallCategory;
import io.globalcalling.CallRequest;
import io.globalcalling.Endpoint;
import io.globalcalling.GeoPoint;
import io.globalcalling.InboundMessage;
import io.globalcalling.Money;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Issue 11: rates in every unit, binary payloads and inbound messages refuse bad values by name. */
class PricingUnitsAndMessagesTest {

    private static final Instant AT = Instant.parse("2026-03-01T09:00:00Z");
    private static final Endpoint TERMINAL = Endpoint.parse("imei:300234010753370");

    @Test
    void aMessageCostsPerMessagePlusPerByteAtLeastTheMinimum() {
        Rate sbd = Rate.perMessage(CallCategory.SATELLITE, "", Money.inr("5"), Money.inr("0.02"), Money.inr("8"));

        assertThat(sbd.messagePrice(100)).isEqualTo(Money.inr("8"));   // 5 + 2 = 7, below the minimum
        assertThat(sbd.messagePrice(1000)).isEqualTo(Money.inr("25"));
        assertThat(sbd.priceFor(Duration.ZERO, 1000)).isEqualTo(Money.inr("25"));
        assertThat(sbd.chargesMessages()).isTrue();
        assertThatThrownBy(() -> sbd.messagePrice(-1)).hasMessageContaining("payloadBytes -1");
    }

    @Test
    void everyUnitAddsUp() {
        Rate all = Rate.builder(CallCategory.SYSTEM_API, "").perMinute(Money.inr("1")).perCall(Money.inr("0.10"))
                .perMessage(Money.inr("0.50")).perByte(Money.inr("0.001")).build();

        // 0.10 per call + 2 minutes x 1 + 0.50 per message + 1000 x 0.001
        assertThat(all.priceFor(Duration.ofSeconds(61), 1000)).isEqualTo(Money.inr("3.60"));
        assertThat(all.priceFor(Duration.ofSeconds(61))).isEqualTo(Money.inr("2.60"));
    }

    @Test
    void theBuilderSetsMessageUnitsAndZeroesTheRest() {
        Rate sbd = Rate.builder(CallCategory.SATELLITE, "8816").perByte(Money.of("0.002", "USD"))
                .minimumCharge(Money.of("0.10", "USD")).build();

        assertThat(sbd.perByte()).isEqualTo(Money.of("0.002", "USD"));
        assertThat(sbd.minimumCharge()).isEqualTo(Money.of("0.10", "USD"));
        assertThat(List.of(sbd.perMinute(), sbd.perCall(), sbd.perMessage())).containsOnly(Money.of("0", "USD"));
        assertThat(sbd.priceFor(Duration.ZERO, 100)).isEqualTo(Money.of("0.20", "USD"));
        assertThatThrownBy(() -> Rate.builder(CallCategory.SATELLITE, "").perMessage(Money.inr("1"))
                .perByte(Money.of("0.01", "USD")).build()).hasMessageContaining("perByte 0.01 USD");
    }

    @Test
    void voiceRatesChargeNothingPerMessage() {
        Rate voip = Rate.perMinute(CallCategory.INTERNET_VOIP, "91", Money.inr("1"));

        assertThat(voip.chargesMessages()).isFalse();
        assertThat(voip.priceFor(Duration.ofSeconds(61), 5000)).isEqualTo(Money.inr("2"));
        assertThat(voip.perMessage()).isEqualTo(Money.inr("0"));
    }

    @Test
    void rateUnitsAreCheckedByName() {
        assertThatThrownBy(() -> Rate.perMessage(CallCategory.SATELLITE, "", Money.inr("-1"), Money.inr("0"), Money.inr("0")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("perMessage -1");
        assertThatThrownBy(() -> Rate.perMessage(CallCategory.SATELLITE, "", Money.inr("1"), Money.of("0.01", "USD"),
                Money.inr("0"))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("perByte 0.01 USD");
        assertThatThrownBy(() -> Rate.perMessage(CallCategory.SATELLITE, "", Money.inr("1"), Money.inr("0"),
                Money.inr("-2"))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("minimumCharge -2");
    }

    @Test
    void aBinaryPayloadIsCopiedAndReadOnly() {
        byte[] bytes = {1, 2, 3};
        BinaryPayload payload = BinaryPayload.of(bytes);
        bytes[0] = 9;
        payload.toByteArray()[1] = 9;
        ByteBuffer view = payload.asReadOnlyBuffer();

        assertThat(payload.toByteArray()).containsExactly(1, 2, 3);
        assertThatThrownBy(() -> view.put(0, (byte) 9)).isInstanceOf(ReadOnlyBufferException.class);
        assertThat(payload).isEqualTo(BinaryPayload.of(new byte[] {1, 2, 3})).hasToString("BinaryPayload[3 bytes]");
        assertThatThrownBy(() -> BinaryPayload.of(null)).hasMessageContaining("payload");
    }

    @Test
    void aRequestCarriesBytesOrJsonButNotBoth() {
        CallRequest bytes = CallRequest.to(TERMINAL).payload(new byte[40]).build();
        CallRequest json = CallRequest.to("https://ops.example/alerts").payload("{\"a\":\"é\"}").build();

        assertThat(bytes.payloadBytes()).isEqualTo(40);
        assertThat(json.payloadBytes()).isEqualTo(10);
        assertThat(CallRequest.to(TERMINAL).build().payloadBytes()).isZero();
        assertThat(bytes.toBuilder().build()).isEqualTo(bytes);
        assertThatThrownBy(() -> bytes.toBuilder().payload("{}").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not both");
        assertThatThrownBy(() -> CallRequest.to("+919876543210").category(CallCategory.HUMAN_AGENT)
                .payload(new byte[2]).build()).hasMessageContaining("payload of 2 bytes").hasMessageContaining("human_agent");
    }

    @Test
    void anInboundMessageRefusesInvalidValuesByName() {
        assertThatThrownBy(() -> InboundMessage.builder("iridium", TERMINAL, InboundMessage.Kind.REPLY)
                .receivedAt(AT).payload((byte[]) null)).hasMessageContaining("payload");
        assertThatThrownBy(() -> InboundMessage.builder("iridium", TERMINAL, null).receivedAt(AT).build())
                .hasMessageContaining("kind");
        assertThatThrownBy(() -> InboundMessage.Kind.fromWireName("telex"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("kind 'telex'");
        assertThatThrownBy(() -> InboundMessage.builder("iridium", TERMINAL, InboundMessage.Kind.REPLY).build())
                .hasMessageContaining("receivedAt");
        assertThatThrownBy(() -> InboundMessage.builder(" ", TERMINAL, InboundMessage.Kind.REPLY).receivedAt(AT).build())
                .hasMessageContaining("providerId");
        assertThatThrownBy(() -> InboundMessage.builder("iridium", TERMINAL, InboundMessage.Kind.POSITION)
                .receivedAt(AT).build()).hasMessageContaining("position is required");
        assertThatThrownBy(() -> InboundMessage.builder("iridium", TERMINAL, InboundMessage.Kind.DELIVERY_CONFIRMATION)
                .receivedAt(AT).build()).hasMessageContaining("callId or providerCallId");
        assertThatThrownBy(() -> InboundMessage.builder("iridium", TERMINAL, InboundMessage.Kind.POSITION)
                .receivedAt(AT).position(GeoPoint.of(1, 2), Double.NaN)).hasMessageContaining("accuracyMeters NaN");
        assertThat(InboundMessage.Kind.fromWireName("delivery_confirmation")).isEqualTo(InboundMessage.Kind.DELIVERY_CONFIRMATION);
    }

    @Test
    void anInboundMessageKeepsItsContentOutOfToString() {
        InboundMessage m = InboundMessage.builder("iridium", TERMINAL, InboundMessage.Kind.POSITION).receivedAt(AT)
                .text("secret rendezvous").position(GeoPoint.of(-33.5, 151.25), 10).build();

        assertThat(m.toString()).contains("position", "iridium").doesNotContain("rendezvous", "-33.5", "300234010753370");
        assertThat(m.payload().isEmpty()).isTrue();
    }
}
