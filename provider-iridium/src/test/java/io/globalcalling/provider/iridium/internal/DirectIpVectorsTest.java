package io.globalcalling.provider.iridium.internal;

import io.globalcalling.BinaryPayload;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.time.Instant;

import static io.globalcalling.provider.iridium.Bytes.ascii;
import static io.globalcalling.provider.iridium.Bytes.concat;
import static io.globalcalling.provider.iridium.Bytes.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The codec against vectors written from the protocol description. */
class DirectIpVectorsTest {

    @Test
    void theMtExampleOfTheProtocolDescription() {
        // revision 1, length 39; header: id "Msg7", IMEI 314159265358979, flags 0; payload "Hello World!"
        byte[] expected = concat(hex("01 00 27 41 00 15"), ascii("Msg7"), ascii("314159265358979"), hex("00 00"),
                hex("42 00 0c"), ascii("Hello World!"));
        MtMessage message = new MtMessage(0x4d736737L, "314159265358979", 0, BinaryPayload.of(ascii("Hello World!")), 0);

        assertThat(message.encode()).isEqualTo(expected);
        assertThat(MtMessage.decode(expected)).isEqualTo(message);
    }

    @Test
    void aConfirmationIsRead() {
        byte[] bytes = concat(hex("01 00 1c 44 00 19 00 00 00 07"), ascii("300234010753370"), hex("00 01 e2 40 ff f4"));

        MtConfirmation c = MtConfirmation.decode(bytes);

        assertThat(c).isEqualTo(new MtConfirmation(7, "300234010753370", 123_456, -12));
        assertThat(c.accepted()).isFalse();
        assertThat(c.encode()).isEqualTo(bytes);
    }

    @Test
    void aLocationIsReadInThousandthsOfAMinute() {
        // direction 0x01 (west), 33 deg 10.311 min N, 118 deg 32.518 min W, CEP 65,536 km
        byte[] bytes = concat(hex("01 00 2d"), hex("01 00 1c 00 00 00 01"), ascii("300234063904190"),
                hex("00 00 4b 00 00 55 9e b8 d4"), hex("03 00 0b 01 21 28 47 76 7f 06 00 01 00 00"));

        MoMessage mo = MoMessage.decode(bytes);

        assertThat(mo.location()).isNotNull();
        assertThat(mo.location().latitude()).isCloseTo(33 + 10311 / 60000.0, within(1e-12));
        assertThat(mo.location().longitude()).isCloseTo(-(118 + 32518 / 60000.0), within(1e-12));
        assertThat(mo.location().cepRadiusKm()).isEqualTo(65_536);
        assertThat(mo.momsn()).isEqualTo(75);
        assertThat(mo.timeOfSession()).isEqualTo(Instant.ofEpochSecond(0x559eb8d4L));
        assertThat(mo.payload()).isEqualTo(BinaryPayload.empty());
        assertThat(mo.encode()).isEqualTo(bytes);
    }

    @Test
    void theMoConfirmationIsOneByte() {
        assertThat(MoMessage.confirmation(true)).isEqualTo(hex("01 00 04 05 00 01 01"));
        assertThat(MoMessage.confirmation(false)).isEqualTo(hex("01 00 04 05 00 01 00"));
    }

    @Test
    void unknownIesAreSkippedAndRepeatedOnesRefused() {
        byte[] header = concat(hex("01 00 1c 00 00 00 01"), ascii("300234063904190"), hex("00 00 01 00 00 00 00 00 01"));
        byte[] unknown = hex("7f 00 02 ab cd");
        assertThat(MoMessage.decode(concat(hex("01 00 24"), header, unknown)).momsn()).isEqualTo(1);
        assertThatThrownBy(() -> MoMessage.decode(concat(hex("01 00 3e"), header, header)))
                .isInstanceOf(MalformedDirectIpException.class).hasMessageContaining("two MO header");
    }

    @Test
    void aMessageIsReadWholeFromAStreamOrRefusedWhenCut() throws Exception {
        byte[] confirmation = MoMessage.confirmation(true);
        assertThat(DirectIp.readMessage(new ByteArrayInputStream(concat(confirmation, hex("99"))))).isEqualTo(confirmation);
        assertThatThrownBy(() -> DirectIp.readMessage(new ByteArrayInputStream(hex("01 00 04 05"))))
                .isInstanceOf(EOFException.class).hasMessageContaining("1 of 4");
        assertThatThrownBy(() -> DirectIp.readMessage(new ByteArrayInputStream(hex("02 00 00"))))
                .isInstanceOf(MalformedDirectIpException.class).hasMessageContaining("revision 2");
    }

    @Test
    void encodingRefusesWhatDoesNotFit() {
        assertThatThrownBy(() -> new MtMessage(1, "30023401075337", 0, BinaryPayload.empty(), 0))
                .hasMessageContaining("imei '30023401075337'");
        assertThatThrownBy(() -> new MtMessage(1, "300234010753370", 0, BinaryPayload.of(new byte[1891]), 0))
                .hasMessageContaining("1891");
        assertThatThrownBy(() -> new MtMessage(1, "300234010753370", 0, BinaryPayload.empty(), 6))
                .hasMessageContaining("priority 6");
    }
}
