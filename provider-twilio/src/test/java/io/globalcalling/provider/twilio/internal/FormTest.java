package io.globalcalling.provider.twilio.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.Random;
import okhttp3.FormBody;
import okhttp3.RequestBody;
import okio.Buffer;
import org.junit.jupiter.api.Test;

/** {@link Form} sends what OkHttp's {@code FormBody} sends for the same fields, whatever their characters. */
class FormTest {

    @Test
    void encodesEveryKindOfCharacterAsFormBodyDoes() throws IOException {
        String[][] fields = {
                {"To", "+14155551212"},
                {"StatusCallback", "https://hooks.example.com/calling/webhooks/twilio?callId=call_0a1b&x=y#z"},
                {"a b+c%", "x y\u00e9\ud83d\ude00\ud800z~*-._!"},
                {"Twiml", "<Response><Say language=\"en-US\">Hello, it's 5 o'clock; 100% ready? [yes] {no} |a\\b^c`</Say></Response>"},
                {"controls", "\t\n\r\u0000\u001f\u007f"},
                {"", ""}};
        Form form = new Form();
        FormBody.Builder expected = new FormBody.Builder();
        for (String[] f : fields) {
            form.add(f[0], f[1]);
            expected.add(f[0], f[1]);
        }
        assertThat(bytes(form.oneShotBody())).isEqualTo(bytes(expected.build()));
    }

    @Test
    void randomTextFromTheWholeCharRangeEncodesAsFormBodyDoes() throws IOException {
        Random random = new Random(20261201L);
        for (int round = 0; round < 5_000; round++) {
            Form form = new Form();
            FormBody.Builder expected = new FormBody.Builder();
            for (int field = 0; field < 1 + random.nextInt(4); field++) {
                String name = text(random);
                String value = text(random);
                form.add(name, value);
                expected.add(name, value);
            }
            assertThat(bytes(form.oneShotBody())).as("round %d", round).isEqualTo(bytes(expected.build()));
        }
    }

    @Test
    void isSentOnceWithItsLengthAndTheFormMediaType() throws IOException {
        RequestBody body = new Form().add("Status", "canceled").oneShotBody();
        assertThat(body.isOneShot()).isTrue();
        assertThat(body.contentLength()).isEqualTo("Status=canceled".length());
        assertThat(body.contentType()).hasToString("application/x-www-form-urlencoded");
    }

    /** Mostly ASCII (where the encode set lives), some of it anywhere in the char range, surrogates included. */
    private static String text(Random random) {
        StringBuilder s = new StringBuilder();
        for (int i = random.nextInt(24); i > 0; i--) {
            s.append(random.nextInt(4) == 0 ? (char) random.nextInt(Character.MAX_VALUE + 1) : (char) random.nextInt(0x80));
        }
        return s.toString();
    }

    private static byte[] bytes(RequestBody body) throws IOException {
        Buffer buffer = new Buffer();
        body.writeTo(buffer);
        assertThat(buffer.size()).isEqualTo(body.contentLength());
        return buffer.readByteArray();
    }
}
