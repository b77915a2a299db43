package io.globalcalling.provider.twilio.internal;

import okhttp3.MediaType;
import okhttp3.RequestBody;
import okio.Buffer;
import okio.BufferedSink;

import java.io.IOException;

/**
 * A form body ({@code application/x-www-form-urlencoded}) encoded into bytes as its fields are added, byte for byte
 * what OkHttp's {@code FormBody} sends: a space as {@code +}; controls, non-ASCII (as UTF-8, a lone surrogate as
 * {@code ?}), {@code %} and {@value #ENCODE_SET} percent-encoded in upper-case hex. {@code FormBody} encodes each
 * field into a String, then the whole form again for its length and once more to send it; a request is sent once,
 * so it is encoded once. Not thread-safe: one request's form.
 */
public final class Form {

    static final String ENCODE_SET = " !\"#$&'()+,/:;<=>?@[\\]^`{|}~";
    private static final MediaType CONTENT_TYPE = MediaType.get("application/x-www-form-urlencoded");
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();
    /** The ASCII characters written as they are. */
    private static final boolean[] PLAIN = new boolean[128];

    static {
        for (char c = 0x21; c < 0x7f; c++) PLAIN[c] = c != '%' && ENCODE_SET.indexOf(c) < 0;
    }

    private final Buffer bytes = new Buffer();

    public Form add(String name, String value) {
        if (bytes.size() > 0) bytes.writeByte('&');
        encode(name);
        bytes.writeByte('=');
        encode(value);
        return this;
    }

    private void encode(String text) {
        int i = 0;
        while (i < text.length()) {
            int plain = i;
            while (plain < text.length() && text.charAt(plain) < 0x80 && PLAIN[text.charAt(plain)]) plain++;
            if (plain > i) bytes.writeUtf8(text, i, plain);   // a run of plain ASCII in one write
            if (plain == text.length()) return;
            int codePoint = text.codePointAt(plain);
            if (codePoint == ' ') {
                bytes.writeByte('+');
            } else if (codePoint < 0x80) {
                percent(codePoint);
            } else {
                Buffer utf8 = new Buffer().writeUtf8CodePoint(codePoint);
                for (long k = 0; k < utf8.size(); k++) percent(utf8.getByte(k) & 0xff);
            }
            i = plain + Character.charCount(codePoint);
        }
    }

    private void percent(int b) {
        bytes.writeByte('%').writeByte(HEX[b >> 4]).writeByte(HEX[b & 0xf]);
    }

    /**
     * The form as a body OkHttp sends once and never replays (a 408 or a dropped connection is not retried). It
     * takes the form's bytes: one body per form.
     */
    RequestBody oneShotBody() {
        byte[] encoded = bytes.readByteArray();
        return new RequestBody() {
            @Override
            public MediaType contentType() {
                return CONTENT_TYPE;
            }

            @Override
            public long contentLength() {
                return encoded.length;
            }

            @Override
            public void writeTo(BufferedSink sink) throws IOException {
                sink.write(encoded);
            }

            @Override
            public boolean isOneShot() {
                return true;
            }
        };
    }
}
