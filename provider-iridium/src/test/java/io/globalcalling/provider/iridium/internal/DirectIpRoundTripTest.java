package io.globalcalling.provider.iridium.internal;

import io.globalcalling.BinaryPayload;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** Whatever the codec writes it reads back unchanged, and the reverse for well-formed bytes. */
class DirectIpRoundTripTest {

    @Property
    void mtMessagesRoundTrip(@ForAll("mtMessages") MtMessage message) {
        byte[] bytes = message.encode();
        assertThat(MtMessage.decode(bytes)).isEqualTo(message);
        assertThat(bytes.length).isEqualTo(3 + 24 + (message.payload().isEmpty() ? 0 : 3 + message.payload().size())
                + (message.priority() == 0 ? 0 : 5));
    }

    @Property
    void mtConfirmationsRoundTrip(@ForAll("imeis") String imei, @ForAll("u32") long id, @ForAll("u32") long autoId,
                                  @ForAll short status) {
        MtConfirmation c = new MtConfirmation(id, imei, autoId, status);
        assertThat(MtConfirmation.decode(c.encode())).isEqualTo(c);
    }

    @Property
    void moMessagesRoundTrip(@ForAll("moMessages") MoMessage message) {
        assertThat(MoMessage.decode(message.encode())).isEqualTo(message);
    }

    /** A location on the protocol's grid (whole thousandths of a minute) survives encoding exactly. */
    @Property
    void locationsOnTheGridRoundTrip(@ForAll("locations") MoLocation location) {
        byte[] bytes = location.encode();
        assertThat(MoLocation.decode(java.nio.ByteBuffer.wrap(bytes))).isEqualTo(location);
    }

    @Provide
    Arbitrary<String> imeis() {
        return Arbitraries.strings().numeric().ofLength(15);
    }

    @Provide
    Arbitrary<Long> u32() {
        return Arbitraries.longs().between(0, 0xffffffffL);
    }

    @Provide
    Arbitrary<MtMessage> mtMessages() {
        return Combinators.combine(u32(), imeis(), Arbitraries.integers().between(0, 0xffff),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(DirectIp.MAX_MT_PAYLOAD), Arbitraries.integers().between(0, 5))
                .as((id, imei, flags, payload, priority) -> new MtMessage(id, imei, flags, BinaryPayload.of(payload), priority));
    }

    @Provide
    Arbitrary<MoLocation> locations() {
        Arbitrary<Double> lat = Arbitraries.integers().between(-90 * 60_000, 90 * 60_000).map(t -> t / 60_000.0);
        Arbitrary<Double> lon = Arbitraries.integers().between(-180 * 60_000, 180 * 60_000).map(t -> t / 60_000.0);
        return Combinators.combine(lat, lon, u32()).as(MoLocation::new);
    }

    @Provide
    Arbitrary<MoMessage> moMessages() {
        Arbitrary<Instant> time = Arbitraries.longs().between(0, 0xffffffffL).map(Instant::ofEpochSecond);
        return Combinators.combine(u32(), imeis(), Arbitraries.integers().between(0, 255),
                Arbitraries.integers().between(0, 0xffff), Arbitraries.integers().between(0, 0xffff), time,
                Arbitraries.bytes().array(byte[].class).ofMaxSize(400), locations().injectNull(0.3))
                .as((cdr, imei, status, momsn, mtmsn, at, payload, location) ->
                        new MoMessage(cdr, imei, status, momsn, mtmsn, at, BinaryPayload.of(payload), location));
    }
}
