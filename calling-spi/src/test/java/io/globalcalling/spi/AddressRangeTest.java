package io.globalcalling.spi;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The MO listener's source check: the bounds of a prefix, both families, and IPv4 seen through IPv6. */
class AddressRangeTest {

    @Test
    void aLoneAddressIsItsOwnSlash32OrSlash128() throws Exception {
        assertThat(AddressRange.parse("192.0.2.10")).isEqualTo(AddressRange.parse("192.0.2.10/32"));
        assertThat(AddressRange.parse("2001:db8::1")).isEqualTo(AddressRange.parse("2001:db8::1/128"));
        assertThat(AddressRange.parse(" 192.0.2.10 ").toString()).isEqualTo("192.0.2.10/32");

        AddressRange one = AddressRange.parse("192.0.2.10/32");
        assertThat(one.contains(ip("192.0.2.10"))).isTrue();
        assertThat(one.contains(ip("192.0.2.11"))).isFalse();
        assertThat(one.contains(ip("192.0.2.9"))).isFalse();
        AddressRange six = AddressRange.parse("2001:db8::1/128");
        assertThat(six.contains(ip("2001:db8::1"))).isTrue();
        assertThat(six.contains(ip("2001:db8::2"))).isFalse();
        assertThat(six.contains(ip("2001:db8::"))).isFalse();
    }

    @Test
    void slash0HoldsTheWholeFamilyAndNoOther() throws Exception {
        AddressRange all4 = AddressRange.parse("0.0.0.0/0");
        assertThat(all4.contains(ip("0.0.0.0"))).isTrue();
        assertThat(all4.contains(ip("255.255.255.255"))).isTrue();
        assertThat(all4.contains(ip("2001:db8::1"))).isFalse();

        AddressRange all6 = AddressRange.parse("::/0");
        assertThat(all6.contains(ip("::1"))).isTrue();
        assertThat(all6.contains(ip("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"))).isTrue();
        assertThat(all6.contains(ip("192.0.2.1"))).as("an IPv4 sender is not in an IPv6 network").isFalse();
    }

    @Test
    void aPrefixInsideAByteSplitsItAtTheRightBit() throws Exception {
        AddressRange upper = AddressRange.parse("192.0.2.128/25");
        assertThat(upper.contains(ip("192.0.2.128"))).isTrue();
        assertThat(upper.contains(ip("192.0.2.255"))).isTrue();
        assertThat(upper.contains(ip("192.0.2.127"))).isFalse();
        assertThat(upper.contains(ip("192.0.3.128"))).isFalse();

        AddressRange six = AddressRange.parse("2001:db8::/33");
        assertThat(six.contains(ip("2001:db8:7fff::1"))).isTrue();
        assertThat(six.contains(ip("2001:db8:8000::"))).isFalse();
        assertThat(six.contains(ip("2001:db9::"))).isFalse();
    }

    @Test
    void anIpv4MappedSourceMatchesItsIpv4Entry() throws Exception {
        InetAddress mapped = Inet6Address.getByAddress(null,
                new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, (byte) 192, 0, 2, 10}, -1);
        assertThat(mapped).as("an IPv6 address, as a dual-stack socket may report it").isInstanceOf(Inet6Address.class);

        assertThat(AddressRange.parse("192.0.2.10").contains(mapped)).isTrue();
        assertThat(AddressRange.parse("192.0.2.0/24").contains(mapped)).isTrue();
        assertThat(AddressRange.parse("192.0.2.11").contains(mapped)).isFalse();
        assertThat(AddressRange.parse("::/0").contains(mapped)).as("it is an IPv4 sender").isFalse();
    }

    @Test
    void anIpv4MappedEntryIsTheIpv4NetworkItMaps() throws Exception {
        assertThat(AddressRange.parse("::ffff:192.0.2.10")).isEqualTo(AddressRange.parse("192.0.2.10/32"));
        assertThat(AddressRange.parse("::ffff:192.0.2.0/120")).isEqualTo(AddressRange.parse("192.0.2.0/24"));
        assertThat(AddressRange.parse("::ffff:192.0.2.0/120").contains(ip("192.0.2.77"))).isTrue();
        assertThatThrownBy(() -> AddressRange.parse("::ffff:192.0.2.0/64")).hasMessageContaining("96");
    }

    @Test
    void aMappedEntryWithBitsPastItsPrefixIsToldTheLengthAsWritten() {
        assertThatThrownBy(() -> AddressRange.parse("::ffff:192.0.2.1/120"))
                .hasMessage("has bits set past its prefix length 120");
        assertThatThrownBy(() -> AddressRange.parse("192.0.2.1/24")).hasMessage("has bits set past its prefix length 24");
    }

    @Test
    void anIpv4MappedEntryMayCoverAllOfIpv4ButNoMore() throws Exception {
        AddressRange all4 = AddressRange.parse("::ffff:0.0.0.0/96");
        assertThat(all4).isEqualTo(AddressRange.parse("0.0.0.0/0"));
        assertThat(all4.contains(ip("203.0.113.7"))).isTrue();
        assertThatThrownBy(() -> AddressRange.parse("::ffff:0.0.0.0/95")).hasMessageContaining("96");
    }

    @Test
    void thePrefixLengthIsCountedInTheFamilyOfTheNetwork() {
        assertThat(AddressRange.parse("192.0.2.0/24").prefixLength()).isEqualTo(24);
        assertThat(AddressRange.parse("192.0.2.10").prefixLength()).isEqualTo(32);
        assertThat(AddressRange.parse("2001:db8::/32").prefixLength()).isEqualTo(32);
        assertThat(AddressRange.parse("2001:db8::1").prefixLength()).isEqualTo(128);
        assertThat(AddressRange.parse("::ffff:192.0.2.0/120").prefixLength()).as("counted as IPv4").isEqualTo(24);
        assertThat(AddressRange.parse("::/0").prefixLength()).isZero();
    }

    @Test
    void rangesAreEqualOnlyWithTheSameNetworkAndPrefixLength() {
        AddressRange net = AddressRange.parse("192.0.2.0/24");
        assertThat(net).isNotEqualTo(AddressRange.parse("198.51.100.0/24"));
        assertThat(net).isNotEqualTo(AddressRange.parse("192.0.2.0/25"));
        assertThat(AddressRange.parse("0.0.0.0/0")).isNotEqualTo(AddressRange.parse("::/0"));
        assertThat(net).isNotEqualTo("192.0.2.0/24");
        AddressRange mapped = AddressRange.parse("::ffff:192.0.2.0/120");
        assertThat(net).isEqualTo(mapped).hasSameHashCodeAs(mapped);
    }

    @Test
    void aSetHoldsEachRangeOnceWhateverItsBytesHashTo() {
        // 225.0.0.0's four bytes hash to 0 (Arrays.hashCode), the edge of any arithmetic on that hash
        Set<AddressRange> ranges = new HashSet<>(List.of(AddressRange.parse("225.0.0.0/8"),
                AddressRange.parse("::ffff:225.0.0.0/104"), AddressRange.parse("192.0.2.0/24")));
        assertThat(ranges)
                .containsExactlyInAnyOrder(AddressRange.parse("225.0.0.0/8"), AddressRange.parse("192.0.2.0/24"));
    }

    @Test
    void anyContainsChecksEachRange() throws Exception {
        List<AddressRange> ranges = List.of(AddressRange.parse("192.0.2.10"), AddressRange.parse("2001:db8::/32"));
        assertThat(AddressRange.anyContains(ranges, ip("192.0.2.10"))).isTrue();
        assertThat(AddressRange.anyContains(ranges, ip("2001:db8:1::5"))).isTrue();
        assertThat(AddressRange.anyContains(ranges, ip("127.0.0.1"))).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/24", "gateway.example", "localhost", "192.0.2", "192.0.2.1.5", "300.0.2.1",
            "192.0.2.0/33", "2001:db8::/129", "192.0.2.0/-1", "192.0.2.0/+8", "192.0.2.0/", "192.0.2.0/x",
            "192.0.2.1/24", "2001:db8::1/32", "fe80::1%1", "2001:db8:::1", "12.47.179.11 192.0.2.1"})
    void anythingButAnAddressOrANetworkIsRefused(String text) {
        assertThatThrownBy(() -> AddressRange.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("null");
    }

    @ParameterizedTest
    @ValueSource(strings = {"010.0.0.0/8", "10.0.0.010", "::ffff:010.0.0.1", "192.168.01.0/24"})
    void anOctetWithALeadingZeroIsRefusedSinceToolsDisagreeOnItsValue(String text) {
        assertThatThrownBy(() -> AddressRange.parse(text)).hasMessageContaining("leading zero");
    }

    @Test
    void zeroOctetsAreNoLeadingZeros() {
        assertThat(AddressRange.parse("10.0.0.0/8").toString()).isEqualTo("10.0.0.0/8");
        assertThat(AddressRange.parse("::ffff:0.0.0.0/96").prefixLength()).isZero();
    }

    @Test
    void theBoundsOfAPrefixAreAccepted() {
        assertThat(AddressRange.parse("0.0.0.0/0").toString()).isEqualTo("0.0.0.0/0");
        assertThat(AddressRange.parse("255.255.255.255/32").toString()).isEqualTo("255.255.255.255/32");
        assertThat(AddressRange.parse("::/0").toString()).isEqualTo("0:0:0:0:0:0:0:0/0");
        assertThat(AddressRange.parse("2001:db8::1/128").toString()).isEqualTo("2001:db8:0:0:0:0:0:1/128");
    }

    private static InetAddress ip(String literal) throws UnknownHostException {
        return InetAddress.getByName(literal);
    }
}
