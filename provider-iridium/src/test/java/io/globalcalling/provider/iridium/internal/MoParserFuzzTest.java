package io.globalcalling.provider.iridium.internal;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.io.ByteArrayInputStream;
import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes the MO parser with the bytes a hostile or broken sender could put on the listener's port: reading the
 * message off the stream and decoding it either yields a message, which encodes and decodes back to itself, or
 * fails with an {@link IOException} (cut short) or a {@link MalformedDirectIpException}; nothing else escapes.
 */
class MoParserFuzzTest {

    @FuzzTest(maxDuration = "10m")
    void readsAMessageOrRefusesItCleanly(byte[] input) {
        MoMessage message;
        try {
            message = MoMessage.decode(DirectIp.readMessage(new ByteArrayInputStream(input)));
        } catch (IOException | MalformedDirectIpException refused) {
            assertThat(refused.getMessage()).isNotBlank();
            return;
        }
        assertThat(MoMessage.decode(message.encode())).isEqualTo(message);
    }
}
