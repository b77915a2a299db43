package io.globalcalling.spi;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An IPv4 or IPv6 network, written {@code 192.0.2.0/24} or {@code 2001:db8::/32}; a lone address is its own
 * {@code /32} or {@code /128}. An IPv4-mapped IPv6 address ({@code ::ffff:a.b.c.d}) is the IPv4 address it maps,
 * both as an entry and as a source, since a dual-stack socket may report an IPv4 sender either way.
 * The one reader of configured address lists: the webhook provider's {@code webhook.allowed-private-networks} and
 * Iridium's {@code iridium.mo-allowed-sources}. Text is never looked up as a host name.
 */
public final class AddressRange {

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");
    private static final Pattern PREFIX = Pattern.compile("\\d{1,3}");

    private final byte[] network;
    private final int prefix;

    private AddressRange(byte[] network, int prefix) {
        this.network = network;
        this.prefix = prefix;
    }

    /**
     * @throws IllegalArgumentException saying what is wrong; the caller names the key and the entry. A name is
     *                                  refused, never looked up, and so is a network with bits set past its
     *                                  prefix ({@code 192.0.2.1/24}), which is more likely a mistyped address
     *                                  than a wish to allow its whole network
     */
    public static AddressRange parse(String text) {
        Objects.requireNonNull(text, "text");
        int slash = text.indexOf('/');
        String ip = (slash < 0 ? text : text.substring(0, slash)).strip();
        boolean written6 = ip.contains(":");
        boolean four = IPV4.matcher(ip).matches();
        if (!four && !IPV6.matcher(ip).matches()) {
            throw new IllegalArgumentException("is not an IP address or a network such as 192.0.2.0/24 or 2001:db8::/32");
        }
        // an octet over 255 is no literal, and the JDK would look the text up as a name
        if (four && Arrays.stream(ip.split("\\.")).anyMatch(octet -> Integer.parseInt(octet) > 255)) {
            throw new IllegalArgumentException("has an octet over 255: it is not an IP address");
        }
        // 010.0.0.1 is 10.0.0.1 to the JDK and 8.0.0.1 to inet_aton and curl: which network was meant is unknown
        String dotted = ip.substring(ip.lastIndexOf(':') + 1);
        if (dotted.contains(".") && Arrays.stream(dotted.split("\\.")).anyMatch(o -> o.length() > 1 && o.startsWith("0"))) {
            throw new IllegalArgumentException("has an octet with a leading zero, which some tools read as octal: write it without");
        }
        byte[] address;
        try {
            address = InetAddress.getByName(ip).getAddress();   // a literal: no lookup happens
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("is not an IP address");
        }
        int writtenBits = written6 ? 128 : 32;
        int prefix = writtenBits;
        if (slash >= 0) {
            String length = text.substring(slash + 1).strip();
            if (!PREFIX.matcher(length).matches() || Integer.parseInt(length) > writtenBits) {
                throw new IllegalArgumentException("has a prefix length that is not 0 to " + writtenBits);
            }
            prefix = Integer.parseInt(length);
        }
        int writtenPrefix = prefix;
        if (address.length == 4 && written6) {
            // the JDK reads ::ffff:a.b.c.d as IPv4; its prefix counts the 96 bits in front
            if (prefix < 96) throw new IllegalArgumentException("reaches past IPv4-mapped addresses (prefix below 96)");
            prefix -= 96;
        }
        if (!Arrays.equals(address, masked(address, prefix))) {
            throw new IllegalArgumentException("has bits set past its prefix length " + writtenPrefix);
        }
        return new AddressRange(address, prefix);
    }

    /** How many leading bits the network fixes: 0 to 32 for IPv4 (an IPv4-mapped entry counted as IPv4), 0 to 128 for IPv6. */
    public int prefixLength() {
        return prefix;
    }

    /** Whether {@code address} lies in this network. */
    public boolean contains(InetAddress address) {
        byte[] a = unmapped(address.getAddress());
        return a.length == network.length && Arrays.equals(masked(a, prefix), network);
    }

    /** Whether {@code address} lies in any of {@code ranges}. */
    public static boolean anyContains(List<AddressRange> ranges, InetAddress address) {
        for (AddressRange r : ranges) {
            if (r.contains(address)) return true;
        }
        return false;
    }

    private static byte[] unmapped(byte[] a) {
        if (a.length != 16) return a;
        for (int i = 0; i < 10; i++) {
            if (a[i] != 0) return a;
        }
        if (a[10] != (byte) 0xff || a[11] != (byte) 0xff) return a;
        return Arrays.copyOfRange(a, 12, 16);
    }

    private static byte[] masked(byte[] a, int prefix) {
        byte[] out = a.clone();
        for (int bit = prefix; bit < out.length * 8; bit++) {
            out[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AddressRange r && prefix == r.prefix && Arrays.equals(network, r.network);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(network) + prefix;
    }

    /** As {@code address/prefix}, IPv6 in the JDK's full form. */
    @Override
    public String toString() {
        try {
            InetAddress a = network.length == 16 ? Inet6Address.getByAddress(null, network, -1)
                    : InetAddress.getByAddress(network);
            return a.getHostAddress() + "/" + prefix;
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);   // the length was checked when parsed
        }
    }
}
