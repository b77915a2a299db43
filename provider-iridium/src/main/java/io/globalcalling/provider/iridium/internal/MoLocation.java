package io.globalcalling.provider.iridium.internal;

import java.nio.ByteBuffer;

/**
 * Where the gateway placed a terminal, from the MO location IE ({@code 0x03}, 11 bytes): a direction byte (bit
 * {@code 0x02} south, {@code 0x01} west; the other bits are reserved), latitude degrees (1) and thousandths of a
 * minute (2), longitude degrees (1) and thousandths of a minute (2), then the CEP radius in kilometres (4), the
 * radius within which the terminal is with 80 % probability. The grid is a thousandth of a minute, so
 * {@link #encode} rounds to it.
 *
 * @param latitude      degrees, -90 to 90
 * @param longitude     degrees, -180 to 180
 * @param cepRadiusKm   the CEP radius in kilometres, 0 to 2^32-1
 */
public record MoLocation(double latitude, double longitude, long cepRadiusKm) {

    static final int LENGTH = 11;
    private static final int SOUTH = 0x02;
    private static final int WEST = 0x01;
    private static final int THOUSANDTHS_PER_DEGREE = 60_000;

    public MoLocation {
        if (!(latitude >= -90 && latitude <= 90)) throw new IllegalArgumentException("latitude " + latitude + " must be -90 to 90");
        if (!(longitude >= -180 && longitude <= 180)) {
            throw new IllegalArgumentException("longitude " + longitude + " must be -180 to 180");
        }
        if (cepRadiusKm < 0 || cepRadiusKm > 0xffffffffL) {
            throw new IllegalArgumentException("cepRadiusKm " + cepRadiusKm + " must fit 4 unsigned bytes");
        }
    }

    /** The CEP radius in metres, as {@link io.globalcalling.InboundMessage.Position} keeps accuracy. */
    public double accuracyMeters() {
        return cepRadiusKm * 1000.0;
    }

    byte[] encode() {
        long lat = Math.round(Math.abs(latitude) * THOUSANDTHS_PER_DEGREE);
        long lon = Math.round(Math.abs(longitude) * THOUSANDTHS_PER_DEGREE);
        int direction = (latitude < 0 && lat != 0 ? SOUTH : 0) | (longitude < 0 && lon != 0 ? WEST : 0);
        return ByteBuffer.allocate(LENGTH).put((byte) direction)
                .put((byte) (lat / THOUSANDTHS_PER_DEGREE)).putShort((short) (lat % THOUSANDTHS_PER_DEGREE))
                .put((byte) (lon / THOUSANDTHS_PER_DEGREE)).putShort((short) (lon % THOUSANDTHS_PER_DEGREE))
                .putInt((int) cepRadiusKm).array();
    }

    static MoLocation decode(ByteBuffer b) {
        int direction = b.get() & 0xff;
        double lat = angle(b.get() & 0xff, b.getShort() & 0xffff, 90, "latitude");
        double lon = angle(b.get() & 0xff, b.getShort() & 0xffff, 180, "longitude");
        long cep = b.getInt() & 0xffffffffL;
        // a direction flag on a zero angle gives 0, not -0.0: the flags carry no meaning there
        return new MoLocation((direction & SOUTH) != 0 && lat != 0 ? -lat : lat,
                (direction & WEST) != 0 && lon != 0 ? -lon : lon, cep);
    }

    private static double angle(int degrees, int thousandths, int max, String name) {
        if (thousandths >= THOUSANDTHS_PER_DEGREE) {
            throw new MalformedDirectIpException(name + " minutes " + thousandths + " thousandths are not below 60,000");
        }
        double value = (degrees * (double) THOUSANDTHS_PER_DEGREE + thousandths) / THOUSANDTHS_PER_DEGREE; // one rounding
        if (value > max) throw new MalformedDirectIpException(name + " " + value + " exceeds " + max + " degrees");
        return value;
    }
}
