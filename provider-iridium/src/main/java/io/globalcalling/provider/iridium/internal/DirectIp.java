package io.globalcalling.provider.iridium.internal;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The framing of Iridium SBD DirectIP: a protocol revision byte ({@code 1}), the overall length (2 bytes,
 * big-endian, counting everything after these 3 bytes), then information elements (IEs), each an identifier
 * byte, a 2-byte length and that many bytes of content. Sources: Iridium SBD Developers Guide (DirectIP);
 * castelao/DirectIP; the identifiers of the goby and node DirectIP implementations.
 */
public final class DirectIp {

    public static final int PROTOCOL_REVISION = 1;

    // mobile-originated IEs
    public static final int MO_HEADER = 0x01;
    public static final int MO_PAYLOAD = 0x02;
    public static final int MO_LOCATION = 0x03;
    public static final int MO_CONFIRMATION = 0x05;

    // mobile-terminated IEs
    public static final int MT_HEADER = 0x41;
    public static final int MT_PAYLOAD = 0x42;
    public static final int MT_CONFIRMATION = 0x44;
    public static final int MT_PRIORITY = 0x46;

    /** The largest MT payload the gateway accepts, in bytes. */
    public static final int MAX_MT_PAYLOAD = 1890;

    static final int IMEI_LENGTH = 15;

    private DirectIp() {
    }

    /**
     * Reads one whole message (revision, length and IEs) from {@code in}.
     *
     * @throws EOFException                when the stream ends before the message does
     * @throws MalformedDirectIpException  when the revision is not 1
     */
    public static byte[] readMessage(InputStream in) throws IOException {
        byte[] head = in.readNBytes(3);
        if (head.length == 0) throw new EOFException("no message: the connection closed");
        if (head.length < 3) throw new EOFException("truncated message: " + head.length + " of 3 header bytes");
        if ((head[0] & 0xff) != PROTOCOL_REVISION) {
            throw new MalformedDirectIpException("protocol revision " + (head[0] & 0xff) + " is not 1");
        }
        int length = ((head[1] & 0xff) << 8) | (head[2] & 0xff);
        byte[] body = in.readNBytes(length);
        if (body.length < length) {
            throw new EOFException("truncated message: " + body.length + " of " + length + " bytes after the header");
        }
        ByteBuffer whole = ByteBuffer.allocate(3 + length).put(head).put(body);
        return whole.array();
    }

    /** Frames IEs (each already written as identifier, length, content) into one message. */
    static byte[] frame(byte[] elements) {
        if (elements.length > 0xffff) {
            throw new IllegalArgumentException("message of " + elements.length + " bytes exceeds DirectIP's 65,535");
        }
        return ByteBuffer.allocate(3 + elements.length).put((byte) PROTOCOL_REVISION)
                .putShort((short) elements.length).put(elements).array();
    }

    /** Writes one IE. */
    static void element(ByteArrayOutputStream out, int id, byte[] content) {
        out.write(id);
        out.write(content.length >>> 8);
        out.write(content.length);
        out.writeBytes(content);
    }

    /**
     * The IEs of a whole message, checked against its framing.
     *
     * @throws MalformedDirectIpException when the revision, length or any IE's length is wrong
     */
    static ByteBuffer elements(byte[] message) {
        if (message.length < 3) throw new MalformedDirectIpException("message of " + message.length + " bytes has no header");
        ByteBuffer b = ByteBuffer.wrap(message);
        int revision = b.get() & 0xff;
        if (revision != PROTOCOL_REVISION) throw new MalformedDirectIpException("protocol revision " + revision + " is not 1");
        int length = b.getShort() & 0xffff;
        if (length != b.remaining()) {
            throw new MalformedDirectIpException("overall length " + length + " but " + b.remaining() + " bytes follow");
        }
        return b.slice();
    }

    /** The next IE's content, advancing past it. */
    static Element next(ByteBuffer b) {
        if (b.remaining() < 3) throw new MalformedDirectIpException("IE header truncated: " + b.remaining() + " bytes left");
        int id = b.get() & 0xff;
        int length = b.getShort() & 0xffff;
        if (length > b.remaining()) {
            throw new MalformedDirectIpException(String.format("IE 0x%02x claims %d bytes but %d are left", id, length, b.remaining()));
        }
        byte[] content = new byte[length];
        b.get(content);
        return new Element(id, content);
    }

    /** One information element. */
    record Element(int id, byte[] content) {
        ByteBuffer buffer() {
            return ByteBuffer.wrap(content);
        }

        void requireLength(int expected, String name) {
            if (content.length != expected) {
                throw new MalformedDirectIpException(name + " IE has length " + content.length + ", expected " + expected);
            }
        }
    }

    static String readImei(ByteBuffer b) {
        byte[] digits = new byte[IMEI_LENGTH];
        b.get(digits);
        for (byte d : digits) {
            if (d < '0' || d > '9') throw new MalformedDirectIpException("IMEI holds a byte that is not an ASCII digit");
        }
        return new String(digits, StandardCharsets.US_ASCII);
    }

    static byte[] imeiBytes(String imei) {
        if (imei.length() != IMEI_LENGTH || !imei.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("imei '" + imei + "' must be exactly 15 digits");
        }
        return imei.getBytes(StandardCharsets.US_ASCII);
    }
}
