package io.globalcalling.core.system;

import io.globalcalling.core.system.PrivateNetworkGuard.BlockedAddressException;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PrivateNetworkGuardTest {

    private static InetAddress ip(String literal) throws UnknownHostException {
        return InetAddress.getByName(literal);
    }

    /** Issue 10: every range the guard must refuse, in the spellings that reach it. */
    @ParameterizedTest(name = "{0} is private")
    @ValueSource(strings = {
            "0.0.0.0", "0.1.2.3",                                   // this network
            "10.0.0.1", "10.255.255.255",                           // RFC 1918
            "172.16.0.1", "172.31.255.255",
            "192.168.0.1", "192.168.255.255",
            "100.64.0.1", "100.127.255.254",                        // shared address space (carrier NAT)
            "127.0.0.1", "127.255.255.254",                         // loopback
            "169.254.169.254", "169.254.0.1",                       // link-local, cloud metadata
            "192.0.0.8", "198.18.0.1", "198.19.255.255",            // protocol assignments, benchmarking
            "224.0.0.1", "239.255.255.250",                         // multicast
            "240.0.0.1", "255.255.255.255",                         // reserved, broadcast
            "::", "::1",                                            // unspecified, loopback
            "::ffff:127.0.0.1", "::ffff:a9fe:a9fe", "::ffff:10.0.0.1", // IPv4-mapped
            "::7f00:1", "::a00:1", "::a9fe:a9fe",                   // IPv4-compatible
            "::ffff:0:7f00:1",                                      // IPv4-translated
            "64:ff9b::7f00:1", "64:ff9b::a9fe:a9fe", "64:ff9b::a00:1", // NAT64 of private addresses
            "64:ff9b:1::808:808",                                   // local-use NAT64
            "2002:7f00:1::", "2002:a9fe:a9fe::1", "2002:c0a8:101::1", // 6to4 of private addresses
            "2001:0:4136:e378:8000:63bf:80ff:fffe",                 // Teredo client 127.0.0.1
            "fc00::1", "fd12:3456:789a::1",                         // unique-local
            "fe80::1", "fec0::1",                                   // link-local, site-local
            "ff02::1", "ff05::2",                                   // multicast
            "100::1"                                                // discard-only
    })
    void refusesPrivateAddresses(String address) throws Exception {
        assertThat(PrivateNetworkGuard.isPrivate(ip(address))).isTrue();
        assertThatThrownBy(() -> new PrivateNetworkGuard(List.of()).check(ip(address)))
                .isInstanceOf(BlockedAddressException.class);
    }

    @ParameterizedTest(name = "{0} is public")
    @ValueSource(strings = {"8.8.8.8", "1.1.1.1", "100.63.255.255", "100.128.0.0", "172.15.255.255", "172.32.0.0",
            "192.169.0.1", "198.20.0.1", "223.255.255.255", "203.0.113.7", "2606:4700:4700::1111", "2a00:1450:4001::1",
            "::ffff:8.8.8.8", "64:ff9b::808:808", "2002:808:808::1", "2001:0:4136:e378:8000:63bf:f7f7:f7f7"})
    void letsPublicAddressesThrough(String address) throws Exception {
        assertThat(PrivateNetworkGuard.isPrivate(ip(address))).isFalse();
    }

    /** An IPv4-mapped address a resolver built as an Inet6Address is judged by the IPv4 address it carries. */
    @ParameterizedTest(name = "::ffff:{0} as an Inet6Address is private: {1}")
    @CsvSource({"127.0.0.1, true", "169.254.169.254, true", "10.0.0.1, true", "8.8.8.8, false"})
    void judgesAnIpv4MappedInet6AddressByItsIpv4Address(String v4, boolean isPrivate) throws Exception {
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        System.arraycopy(ip(v4).getAddress(), 0, mapped, 12, 4);

        assertThat(PrivateNetworkGuard.isPrivate(java.net.Inet6Address.getByAddress(null, mapped, -1))).isEqualTo(isPrivate);
    }

    @Test
    void letsThroughOnlyTheAllowedNetworks() throws Exception {
        PrivateNetworkGuard guard = new PrivateNetworkGuard(List.of("127.0.0.0/8", "::1/128", "10.1.0.0/16"));

        assertThatNoException().isThrownBy(() -> guard.check(ip("127.0.0.1")));
        assertThatNoException().isThrownBy(() -> guard.check(ip("::1")));
        assertThatNoException().isThrownBy(() -> guard.check(ip("10.1.200.3")));
        assertThatThrownBy(() -> guard.check(ip("10.2.0.1"))).isInstanceOf(BlockedAddressException.class);
        assertThatThrownBy(() -> guard.check(ip("169.254.169.254"))).isInstanceOf(BlockedAddressException.class);
        assertThatThrownBy(() -> guard.check(ip("64:ff9b::7f00:1"))).isInstanceOf(BlockedAddressException.class);
    }

    @ParameterizedTest(name = "OkHttp reads {0} as {1}")
    @CsvSource({"2130706433, 127.0.0.1", "0, 0.0.0.0", "127.1, 127.0.0.1", "2852039166, 169.254.169.254",
            "[::1], ::1", "[::ffff:7f00:1], 127.0.0.1"})
    void readsNumericHostsAsOkHttpDoes(String host, String address) throws Exception {
        assertThat(PrivateNetworkGuard.ipLiteral(host)).contains(ip(address));
    }

    @Test
    void leavesNamesToTheResolver() {
        assertThat(PrivateNetworkGuard.ipLiteral("example.com")).isEmpty();
        assertThat(PrivateNetworkGuard.ipLiteral("localhost")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "intranet.example/8", "10.0.0.0/33", "::1/129", "10.0.0.0/x", "1.2.3/8"})
    void refusesAMalformedNetworkNamingIt(String network) {
        assertThatThrownBy(() -> PrivateNetworkGuard.network(network))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(network);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"0.0.0.0/0, 0", "203.0.113.7/32, 32", "::/0, 0", "::1/128, 128"})
    void acceptsEveryPrefixLengthFromNoneToTheWholeAddress(String network, int prefix) {
        assertThat(PrivateNetworkGuard.network(network).prefixLength()).isEqualTo(prefix);
    }

    /**
     * {@code 192.168.1.10/16} was taken as the whole of 192.168.0.0/16: more likely a mistyped address than a wish
     * to open a network to deliveries, and iridium.mo-allowed-sources refuses it for that reason.
     */
    @ParameterizedTest
    @ValueSource(strings = {"192.168.1.10/16", "127.0.0.1/8", "10.0.0.1/0", "fd00::1/8"})
    void refusesANetworkWithBitsSetPastItsPrefix(String network) {
        assertThatThrownBy(() -> PrivateNetworkGuard.network(network))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(network);
    }

    /**
     * {@code Integer.parseInt} read a signed length: {@code 10.0.0.0/-0} was {@code /0} and let every private
     * IPv4 address through. iridium.mo-allowed-sources refuses these; both lists now read alike.
     */
    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.0/-0", "10.0.0.0/+8", "::1/+128"})
    void refusesASignedPrefixLength(String network) {
        assertThatThrownBy(() -> PrivateNetworkGuard.network(network))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(network);
    }

    /**
     * The JDK reads {@code ::ffff:a.b.c.d} as the IPv4 address, and the length written counts the 96 bits in front
     * of it: {@code /104} is the IPv4 {@code /8} (it was refused, as over 32), and {@code /8} reaches past the
     * mapped addresses (it was read as the IPv4 {@code 10.0.0.0/8}).
     */
    @Test
    void readsAnIpv4MappedNetworkByItsIpv6PrefixLength() throws Exception {
        assertThat(PrivateNetworkGuard.network("::ffff:10.0.0.0/104").prefixLength()).isEqualTo(8);
        assertThat(PrivateNetworkGuard.network("::ffff:10.0.0.0/104").contains(ip("10.200.0.1"))).isTrue();
        assertThat(PrivateNetworkGuard.network("::ffff:127.0.0.1/128").contains(ip("127.0.0.1"))).isTrue();
        assertThatThrownBy(() -> PrivateNetworkGuard.network("::ffff:10.0.0.0/8"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("::ffff:10.0.0.0/8");
    }

    @Test
    void dnsDropsPrivateAnswersAndRefusesANameWithNoOtherAnswer() throws Exception {
        PrivateNetworkGuard guard = new PrivateNetworkGuard(List.of());

        assertThat(guard.dns(host -> List.of(ip("127.0.0.1"), ip("203.0.113.7"))).lookup("mixed.test"))
                .containsExactly(ip("203.0.113.7"));
        assertThatThrownBy(() -> guard.dns(host -> List.of(ip("10.0.0.5"), ip("::1"))).lookup("internal.test"))
                .isInstanceOf(BlockedAddressException.class).hasMessageContaining("10.0.0.5");
    }

    /** The address actually connected to is checked, whatever a resolver said earlier. */
    @Test
    void socketsRefuseToConnectToAPrivateAddress() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Socket socket = new PrivateNetworkGuard(List.of()).socketFactory().createSocket()) {
            server.setSoTimeout(300);

            assertThatThrownBy(() -> socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort())))
                    .isInstanceOf(BlockedAddressException.class);
            assertThatThrownBy(server::accept).isInstanceOf(SocketTimeoutException.class);
        }
    }

    @Test
    void anOkHttpClientWithTheGuardedSocketsNeverConnectsWhereItsResolverPoints() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            server.setSoTimeout(300);
            OkHttpClient client = new OkHttpClient.Builder()
                    .dns(host -> List.of(InetAddress.getLoopbackAddress())) // not the guard's resolver
                    .socketFactory(new PrivateNetworkGuard(List.of()).socketFactory())
                    .build();

            assertThatThrownBy(() -> {
                try (Response r = client.newCall(new Request.Builder().url("http://rebound.test:" + server.getLocalPort()).build()).execute()) {
                    r.code();
                }
            }).isInstanceOf(IOException.class).satisfies(e -> assertThat(causes(e)).anyMatch(BlockedAddressException.class::isInstance));
            assertThatThrownBy(server::accept).isInstanceOf(SocketTimeoutException.class);
            client.dispatcher().executorService().shutdown();
        }
    }

    private static List<Throwable> causes(Throwable e) {
        java.util.ArrayList<Throwable> all = new java.util.ArrayList<>();
        for (Throwable t = e; t != null && !all.contains(t); t = t.getCause()) {
            all.add(t);
            all.addAll(List.of(t.getSuppressed()));
        }
        return all;
    }
}
