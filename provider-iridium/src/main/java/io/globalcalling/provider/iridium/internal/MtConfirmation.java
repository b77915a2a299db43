package io.globalcalling.provider.iridium.internal;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * The gateway's answer to an MT message: the confirmation IE ({@code 0x44}, 25 bytes: client message id (4),
 * IMEI (15), auto ID reference (4; 0 on error), status (signed 2 bytes)). A status of 0 to 50 is the message's
 * place in the terminal's queue; -1 to -12 say why it was refused.
 */
public record MtConfirmation(long clientMessageId, String imei, long autoIdReference, int status) {

    static final int LENGTH = 25;

    public MtConfirmation {
        Objects.requireNonNull(imei, "imei");
        DirectIp.imeiBytes(imei);
        if (clientMessageId < 0 || clientMessageId > 0xffffffffL) {
            throw new IllegalArgumentException("clientMessageId " + clientMessageId + " must fit 4 unsigned bytes");
        }
        if (autoIdReference < 0 || autoIdReference > 0xffffffffL) {
            throw new IllegalArgumentException("autoIdReference " + autoIdReference + " must fit 4 unsigned bytes");
        }
        if (status < Short.MIN_VALUE || status > Short.MAX_VALUE) {
            throw new IllegalArgumentException("status " + status + " must fit 2 signed bytes");
        }
    }

    /** Whether the gateway queued the message (status 0-50, its position in the queue). */
    public boolean accepted() {
        return status >= 0 && status <= 50;
    }

    public byte[] encode() {
        ByteArrayOutputStream ies = new ByteArrayOutputStream();
        ByteBuffer c = ByteBuffer.allocate(LENGTH).putInt((int) clientMessageId).put(DirectIp.imeiBytes(imei))
                .putInt((int) autoIdReference).putShort((short) status);
        DirectIp.element(ies, DirectIp.MT_CONFIRMATION, c.array());
        return DirectIp.frame(ies.toByteArray());
    }

    /** @throws MalformedDirectIpException when the message holds no well-formed confirmation IE */
    public static MtConfirmation decode(byte[] message) {
        ByteBuffer b = DirectIp.elements(message);
        MtConfirmation found = null;
        while (b.hasRemaining()) {
            DirectIp.Element e = DirectIp.next(b);
            if (e.id() != DirectIp.MT_CONFIRMATION) continue;
            if (found != null) throw new MalformedDirectIpException("two MT confirmation IEs");
            e.requireLength(LENGTH, "MT confirmation");
            ByteBuffer c = e.buffer();
            long id = c.getInt() & 0xffffffffL;
            String imei = DirectIp.readImei(c);
            long autoId = c.getInt() & 0xffffffffL;
            found = new MtConfirmation(id, imei, autoId, c.getShort());
        }
        if (found == null) throw new MalformedDirectIpException("no MT confirmation IE");
        return found;
    }
}
