package io.globalcalling.provider.iridium.internal;

import io.globalcalling.BinaryPayload;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * A mobile-terminated message: the MT header IE ({@code 0x41}, 21 bytes: client message id (4), IMEI (15 ASCII
 * digits), disposition flags (2)), the payload IE ({@code 0x42}) when there are bytes, and the priority IE
 * ({@code 0x46}, 2 bytes, 1 highest to 5 lowest) when a priority is set.
 *
 * @param clientMessageId  our id of the message, 0 to 2^32-1; with {@link #ASSIGN_MTMSN} it is also the MTMSN (1-65535)
 * @param imei             the terminal
 * @param flags            disposition flags
 * @param payload          the bytes; empty for none (a ring alert, say)
 * @param priority         1 (highest) to 5, or 0 to send no priority IE
 */
public record MtMessage(long clientMessageId, String imei, int flags, BinaryPayload payload, int priority) {

    public static final int FLUSH_MT_QUEUE = 0x0001;
    public static final int SEND_RING_ALERT = 0x0002;
    public static final int UPDATE_SSD_LOCATION = 0x0008;
    public static final int HIGH_PRIORITY = 0x0010;
    public static final int ASSIGN_MTMSN = 0x0020;

    static final int HEADER_LENGTH = 21;

    public MtMessage {
        Objects.requireNonNull(imei, "imei");
        Objects.requireNonNull(payload, "payload");
        DirectIp.imeiBytes(imei);
        if (clientMessageId < 0 || clientMessageId > 0xffffffffL) {
            throw new IllegalArgumentException("clientMessageId " + clientMessageId + " must fit 4 unsigned bytes");
        }
        if (flags < 0 || flags > 0xffff) throw new IllegalArgumentException("flags " + flags + " must fit 2 bytes");
        if (priority < 0 || priority > 5) throw new IllegalArgumentException("priority " + priority + " must be 0 (none) or 1-5");
        if (payload.size() > DirectIp.MAX_MT_PAYLOAD) {
            throw new IllegalArgumentException("payload of " + payload.size() + " bytes exceeds the MT maximum of "
                    + DirectIp.MAX_MT_PAYLOAD);
        }
    }

    /** The message as DirectIP bytes. */
    public byte[] encode() {
        ByteArrayOutputStream ies = new ByteArrayOutputStream();
        ByteBuffer header = ByteBuffer.allocate(HEADER_LENGTH).putInt((int) clientMessageId).put(DirectIp.imeiBytes(imei))
                .putShort((short) flags);
        DirectIp.element(ies, DirectIp.MT_HEADER, header.array());
        if (!payload.isEmpty()) DirectIp.element(ies, DirectIp.MT_PAYLOAD, payload.toByteArray());
        if (priority != 0) DirectIp.element(ies, DirectIp.MT_PRIORITY, ByteBuffer.allocate(2).putShort((short) priority).array());
        return DirectIp.frame(ies.toByteArray());
    }

    /**
     * Reads an MT message, as a gateway does.
     *
     * @throws MalformedDirectIpException when it has no header, a repeated IE, or an IE of the wrong length
     */
    public static MtMessage decode(byte[] message) {
        ByteBuffer b = DirectIp.elements(message);
        DirectIp.Element header = null;
        byte[] payload = null;
        int priority = 0;
        while (b.hasRemaining()) {
            DirectIp.Element e = DirectIp.next(b);
            switch (e.id()) {
                case DirectIp.MT_HEADER -> {
                    if (header != null) throw new MalformedDirectIpException("two MT header IEs");
                    e.requireLength(HEADER_LENGTH, "MT header");
                    header = e;
                }
                case DirectIp.MT_PAYLOAD -> {
                    if (payload != null) throw new MalformedDirectIpException("two MT payload IEs");
                    payload = e.content();
                }
                case DirectIp.MT_PRIORITY -> {
                    e.requireLength(2, "MT priority");
                    priority = e.buffer().getShort() & 0xffff;
                    if (priority < 1 || priority > 5) throw new MalformedDirectIpException("MT priority " + priority + " is not 1-5");
                }
                default -> { } // other IEs (location, LAC/cell) are not ours to read
            }
        }
        if (header == null) throw new MalformedDirectIpException("no MT header IE");
        if (payload != null && payload.length > DirectIp.MAX_MT_PAYLOAD) {
            throw new MalformedDirectIpException("MT payload of " + payload.length + " bytes exceeds " + DirectIp.MAX_MT_PAYLOAD);
        }
        ByteBuffer h = header.buffer();
        long id = h.getInt() & 0xffffffffL;
        String imei = DirectIp.readImei(h);
        int flags = h.getShort() & 0xffff;
        return new MtMessage(id, imei, flags, payload == null ? BinaryPayload.empty() : BinaryPayload.of(payload), priority);
    }
}
