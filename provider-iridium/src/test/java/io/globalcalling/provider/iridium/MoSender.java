package io.globalcalling.provider.iridium;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;

import static io.globalcalling.provider.iridium.Bytes.ascii;
import static io.globalcalling.provider.iridium.Bytes.be;
import static io.globalcalling.provider.iridium.Bytes.concat;
import static io.globalcalling.provider.iridium.Bytes.hex;

/** Plays the gateway's side of MO delivery: connects, sends bytes, reads the confirmation. Vectors built by hand. */
final class MoSender {

    private MoSender() {
    }

    /** An MO header IE: 0x01, length 28, CDR (4), IMEI (15), session status (1), MOMSN (2), MTMSN (2), time (4). */
    static byte[] header(long cdr, String imei, int sessionStatus, int momsn, int mtmsn, long epochSeconds) {
        return concat(hex("01 00 1c"), be(cdr, 4), ascii(imei), be(sessionStatus, 1), be(momsn, 2), be(mtmsn, 2),
                be(epochSeconds, 4));
    }

    static byte[] payload(byte[] bytes) {
        return concat(hex("02"), be(bytes.length, 2), bytes);
    }

    /** 54.8 S, 68.3 W (Beagle Channel), CEP 5 km: direction 0x03, 54° 48000/1000 min, 68° 18000/1000 min. */
    static byte[] locationSouthWest() {
        return hex("03 00 0b 03 36 bb 80 44 46 50 00 00 00 05");
    }

    /** Frames IEs: revision 1 and the overall length. */
    static byte[] message(byte[]... elements) {
        byte[] body = concat(elements);
        return concat(hex("01"), be(body.length, 2), body);
    }

    /** Sends {@code bytes} to the listener and returns all it answers before closing. */
    static byte[] send(int port, byte[] bytes) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(5_000);
            s.getOutputStream().write(bytes);
            s.getOutputStream().flush();
            s.shutdownOutput();
            InputStream in = s.getInputStream();
            return in.readAllBytes();
        }
    }

    static final byte[] CONFIRMED = hex("01 00 04 05 00 01 01");
    static final byte[] REFUSED = hex("01 00 04 05 00 01 00");
}
