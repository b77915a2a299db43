package io.globalcalling.provider.iridium.internal;

import io.globalcalling.BinaryPayload;
import org.jspecify.annotations.Nullable;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A mobile-originated message as the gateway delivers it: the MO header IE ({@code 0x01}, 28 bytes: CDR reference
 * (4), IMEI (15), session status (1), MOMSN (2), MTMSN (2), time of session (4, epoch seconds)), the payload IE
 * ({@code 0x02}) when the terminal sent bytes, and the location IE ({@code 0x03}) when the gateway located it.
 * Other IEs are skipped; a repeated or mis-sized one makes the message malformed.
 *
 * @param cdrReference   the gateway's call data record id, unique per message
 * @param sessionStatus  0 ok, 1 ok but the MT message was too large, 2 ok but the location unacceptable,
 *                       10 timeout, 12 MO too large, 13 RF link loss, 14 IMEI anomaly, 15 IMEI prohibited
 * @param momsn          the terminal's MO sequence number
 * @param mtmsn          the MTMSN of the MT message delivered in the same session, 0 when none was
 */
public record MoMessage(long cdrReference, String imei, int sessionStatus, int momsn, int mtmsn,
                        Instant timeOfSession, BinaryPayload payload, @Nullable MoLocation location) {

    static final int HEADER_LENGTH = 28;

    public MoMessage {
        Objects.requireNonNull(imei, "imei");
        Objects.requireNonNull(timeOfSession, "timeOfSession");
        Objects.requireNonNull(payload, "payload");
        DirectIp.imeiBytes(imei);
        if (cdrReference < 0 || cdrReference > 0xffffffffL) throw new IllegalArgumentException("cdrReference " + cdrReference + " must fit 4 bytes");
        if (sessionStatus < 0 || sessionStatus > 0xff) throw new IllegalArgumentException("sessionStatus " + sessionStatus + " must fit 1 byte");
        if (momsn < 0 || momsn > 0xffff) throw new IllegalArgumentException("momsn " + momsn + " must fit 2 bytes");
        if (mtmsn < 0 || mtmsn > 0xffff) throw new IllegalArgumentException("mtmsn " + mtmsn + " must fit 2 bytes");
        long seconds = timeOfSession.getEpochSecond();
        if (seconds < 0 || seconds > 0xffffffffL || timeOfSession.getNano() != 0) {
            throw new IllegalArgumentException("timeOfSession " + timeOfSession + " must be whole seconds from 1970 to 2106");
        }
    }

    /**
     * Whether the session succeeded, so that its MTMSN names an MT message the terminal received: status 0, or 2
     * (the location was unacceptable, the transfer was not). Status 1 means the queued MT message was too large to send.
     */
    public boolean sessionSucceeded() {
        return sessionStatus == 0 || sessionStatus == 2;
    }

    public Optional<MoLocation> locationIfAny() {
        return Optional.ofNullable(location);
    }

    public byte[] encode() {
        ByteArrayOutputStream ies = new ByteArrayOutputStream();
        ByteBuffer h = ByteBuffer.allocate(HEADER_LENGTH).putInt((int) cdrReference).put(DirectIp.imeiBytes(imei))
                .put((byte) sessionStatus).putShort((short) momsn).putShort((short) mtmsn)
                .putInt((int) timeOfSession.getEpochSecond());
        DirectIp.element(ies, DirectIp.MO_HEADER, h.array());
        if (!payload.isEmpty()) DirectIp.element(ies, DirectIp.MO_PAYLOAD, payload.toByteArray());
        if (location != null) DirectIp.element(ies, DirectIp.MO_LOCATION, location.encode());
        return DirectIp.frame(ies.toByteArray());
    }

    /**
     * Reads an MO message.
     *
     * @throws MalformedDirectIpException naming what is wrong: the framing, a missing header, a repeated or
     *                                    mis-sized IE, a non-digit IMEI, an impossible location
     */
    public static MoMessage decode(byte[] message) {
        ByteBuffer b = DirectIp.elements(message);
        DirectIp.Element header = null;
        byte[] payload = null;
        MoLocation location = null;
        while (b.hasRemaining()) {
            DirectIp.Element e = DirectIp.next(b);
            switch (e.id()) {
                case DirectIp.MO_HEADER -> {
                    if (header != null) throw new MalformedDirectIpException("two MO header IEs");
                    e.requireLength(HEADER_LENGTH, "MO header");
                    header = e;
                }
                case DirectIp.MO_PAYLOAD -> {
                    if (payload != null) throw new MalformedDirectIpException("two MO payload IEs");
                    payload = e.content();
                }
                case DirectIp.MO_LOCATION -> {
                    if (location != null) throw new MalformedDirectIpException("two MO location IEs");
                    e.requireLength(MoLocation.LENGTH, "MO location");
                    location = MoLocation.decode(e.buffer());
                }
                default -> { } // IEs this version does not read
            }
        }
        if (header == null) throw new MalformedDirectIpException("no MO header IE");
        ByteBuffer h = header.buffer();
        long cdr = h.getInt() & 0xffffffffL;
        String imei = DirectIp.readImei(h);
        int status = h.get() & 0xff;
        int momsn = h.getShort() & 0xffff;
        int mtmsn = h.getShort() & 0xffff;
        Instant time = Instant.ofEpochSecond(h.getInt() & 0xffffffffL);
        return new MoMessage(cdr, imei, status, momsn, mtmsn, time,
                payload == null ? BinaryPayload.empty() : BinaryPayload.of(payload), location);
    }

    /** The acknowledgement the listener sends back: the MO confirmation IE ({@code 0x05}), 1 for success, 0 for failure. */
    public static byte[] confirmation(boolean success) {
        ByteArrayOutputStream ies = new ByteArrayOutputStream();
        DirectIp.element(ies, DirectIp.MO_CONFIRMATION, new byte[] {(byte) (success ? 1 : 0)});
        return DirectIp.frame(ies.toByteArray());
    }
}
