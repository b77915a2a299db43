package io.globalcalling.core.system;

import io.globalcalling.spi.AddressRange;
import okhttp3.Dns;

import javax.net.SocketFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Keeps webhook deliveries out of the host's own networks, so a configured URL cannot reach internal
 * services (a cloud metadata endpoint, an admin port on loopback). Every address connected to is checked:
 * the names OkHttp resolves through {@link #dns}, and, at connect time, the address a socket from
 * {@link #socketFactory} is really connecting to. The second check also covers hosts OkHttp reads as IP
 * literals without asking the {@link Dns} (it reads every all-digit host so: {@code 2130706433} and
 * {@code 0} are 127.0.0.1 and 0.0.0.0) and a name that resolves differently the second time (DNS rebinding).
 *
 * <p>Private means: this network (0.0.0.0/8), RFC 1918, shared address space (100.64.0.0/10), loopback,
 * link-local, IETF protocol assignments (192.0.0.0/24), benchmarking (198.18.0.0/15), multicast, reserved
 * and broadcast (240.0.0.0/4); in IPv6 the unspecified and loopback addresses, unique-local (fc00::/7),
 * link-local, site-local, multicast, discard-only (100::/64), local-use NAT64 (64:ff9b:1::/48), and any
 * address that carries a private IPv4 address: IPv4-mapped, IPv4-compatible, IPv4-translated, NAT64
 * (64:ff9b::/96), 6to4 (2002::/16) and Teredo clients. Networks in the allow-list are let through.
 */
final class PrivateNetworkGuard {

    /** A destination in a private network that the allow-list does not cover. */
    static final class BlockedAddressException extends UnknownHostException {
        private final transient InetAddress address;

        BlockedAddressException(InetAddress address) {
            super(address.getHostAddress() + " is in a private network");
            this.address = address;
        }

        InetAddress address() {
            return address;
        }
    }

    /** The hosts OkHttp treats as IP literals and never passes to its {@link Dns}. */
    private static final Pattern OKHTTP_IP_LITERAL = Pattern.compile("[0-9a-fA-F]*:[0-9a-fA-F:.]*|[\\d.]+");

    /**
     * IPv4-mapped addresses (::ffff:a.b.c.d) need no range of their own: {@link AddressRange} reads them as the IPv4
     * address they map, also those a resolver builds with {@code Inet6Address.getByAddress}, which the JDK leaves as
     * IPv6 and a socket connects to as the IPv4 address.
     */
    private static final List<AddressRange> PRIVATE = networks(
            "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
            "192.0.0.0/24", "192.168.0.0/16", "198.18.0.0/15", "224.0.0.0/4", "240.0.0.0/4",
            "::/128", "::1/128", "64:ff9b:1::/48", "100::/64", "fc00::/7", "fe80::/10", "fec0::/10", "ff00::/8");
    /** IPv6 ranges whose last 32 bits are an IPv4 address: IPv4-compatible, IPv4-translated and NAT64. */
    private static final List<AddressRange> IPV4_IN_LAST_32_BITS = networks("::/96", "::ffff:0:0:0/96", "64:ff9b::/96");
    private static final AddressRange SIX_TO_FOUR = network("2002::/16");
    private static final AddressRange TEREDO = network("2001::/32");

    private final List<AddressRange> allowed;

    /** @param allowedNetworks networks (such as {@code 127.0.0.0/8} or {@code ::1/128}) that may be reached though private */
    PrivateNetworkGuard(List<String> allowedNetworks) {
        this.allowed = allowedNetworks.stream().map(PrivateNetworkGuard::network).toList();
    }

    /**
     * An allow-list entry, read by {@link AddressRange#parse} and written with its prefix length.
     *
     * @throws IllegalArgumentException naming {@code text} unless it is an IP literal (never a name to look up), a slash
     *                                  and a prefix length (digits only; for {@code ::ffff:a.b.c.d}, 96 to 128, as
     *                                  written in IPv6), with no bit set past the prefix length
     *                                  ({@code 192.168.1.10/16} is refused)
     */
    static AddressRange network(String text) {
        if (text.indexOf('/') < 0) {
            throw new IllegalArgumentException("'" + text + "' is not a network such as 127.0.0.0/8 or ::1/128");
        }
        try {
            return AddressRange.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text + "' " + e.getMessage()
                    + " (write a network such as 127.0.0.0/8 or ::1/128)");
        }
    }

    private static List<AddressRange> networks(String... texts) {
        return Arrays.stream(texts).map(PrivateNetworkGuard::network).toList();
    }

    /** @throws BlockedAddressException when {@code address} is private and not allowed */
    void check(InetAddress address) throws BlockedAddressException {
        if (isPrivate(address) && allowed.stream().noneMatch(c -> c.contains(address))) {
            throw new BlockedAddressException(address);
        }
    }

    /** Checks {@code host} now if OkHttp would read it as an IP literal; a name is checked once it is resolved. */
    void checkLiteral(String host) throws BlockedAddressException {
        Optional<InetAddress> literal = ipLiteral(host);
        if (literal.isPresent()) check(literal.get());
    }

    /** Resolves through {@code delegate} and keeps only the permitted addresses; none left is a block. */
    Dns dns(Dns delegate) {
        Objects.requireNonNull(delegate, "delegate");
        return hostname -> {
            List<InetAddress> addresses = delegate.lookup(hostname);
            List<InetAddress> permitted = addresses.stream().filter(this::permitted).toList();
            if (permitted.isEmpty() && !addresses.isEmpty()) throw new BlockedAddressException(addresses.get(0));
            return permitted;
        };
    }

    /**
     * Plain sockets, never through a SOCKS proxy, that refuse, before any packet is sent, to connect to an address
     * {@link #check} refuses.
     */
    SocketFactory socketFactory() {
        return new GuardedSocketFactory();
    }

    private boolean permitted(InetAddress address) {
        try {
            check(address);
            return true;
        } catch (BlockedAddressException e) {
            return false;
        }
    }

    /** The address OkHttp connects to for {@code host} without resolving it, if it reads the host as an IP literal. */
    static Optional<InetAddress> ipLiteral(String host) {
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (!OKHTTP_IP_LITERAL.matcher(bare).matches()) return Optional.empty();
        try {
            return Optional.of(InetAddress.getByName(bare)); // what OkHttp does with such a host
        } catch (UnknownHostException e) {
            return Optional.empty(); // not an address after all; OkHttp will fail to connect
        }
    }

    static boolean isPrivate(InetAddress address) {
        if (PRIVATE.stream().anyMatch(c -> c.contains(address))) return true;
        byte[] b = address.getAddress();
        if (b.length == 4) return false;
        if (IPV4_IN_LAST_32_BITS.stream().anyMatch(c -> c.contains(address))) return isPrivateV4(b, 12, 0);
        if (SIX_TO_FOUR.contains(address)) return isPrivateV4(b, 2, 0);
        if (TEREDO.contains(address)) return isPrivateV4(b, 12, 0xff); // the client address, bits inverted
        return false;
    }

    private static boolean isPrivateV4(byte[] b, int from, int xor) {
        byte[] v4 = Arrays.copyOfRange(b, from, from + 4);
        for (int i = 0; i < 4; i++) v4[i] ^= (byte) xor;
        try {
            return isPrivate(InetAddress.getByAddress(v4));
        } catch (UnknownHostException e) {
            throw new AssertionError(e); // four bytes are always an address
        }
    }

    private final class GuardedSocketFactory extends SocketFactory {
        @Override
        public Socket createSocket() {
            // NO_PROXY: the JDK's default socket asks the ProxySelector (socksProxyHost) and would go through SOCKS
            return new Socket(Proxy.NO_PROXY) {
                @Override
                public void connect(SocketAddress endpoint, int timeout) throws IOException {
                    if (!(endpoint instanceof InetSocketAddress inet) || inet.isUnresolved()) {
                        throw new UnknownHostException("refusing to connect to unresolved " + endpoint);
                    }
                    check(inet.getAddress());
                    super.connect(endpoint, timeout);
                }
            };
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return connected(new InetSocketAddress(host, port));
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            return connected(new InetSocketAddress(host, port), new InetSocketAddress(localHost, localPort));
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            return connected(new InetSocketAddress(host, port));
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
            return connected(new InetSocketAddress(address, port), new InetSocketAddress(localAddress, localPort));
        }

        private Socket connected(InetSocketAddress remote, InetSocketAddress... local) throws IOException {
            Socket socket = createSocket();
            try {
                if (local.length > 0) socket.bind(local[0]);
                socket.connect(remote);
                return socket;
            } catch (IOException e) {
                socket.close();
                throw e;
            }
        }
    }
}
