package io.globalcalling.core.system;

import okhttp3.Dns;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Refuses addresses inside the host's own networks (loopback, RFC 1918, link-local, IPv6
 * unique-local, the unspecified address), so a configured webhook URL cannot reach internal
 * services. As a {@link Dns} it checks at connect time, after resolution, which defeats DNS
 * rebinding; {@link #checkLiteral} covers IP-literal hosts, which OkHttp does not resolve.
 */
final class PrivateNetworkGuard implements Dns {

    /** Thrown when every address of a host is private. */
    static final class BlockedAddressException extends UnknownHostException {
        BlockedAddressException(String host) {
            super(host + " resolves only to loopback, private or link-local addresses");
        }
    }

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    @Override
    public List<InetAddress> lookup(String hostname) throws UnknownHostException {
        List<InetAddress> addresses = Dns.SYSTEM.lookup(hostname);
        List<InetAddress> allowed = addresses.stream().filter(a -> !isPrivate(a)).toList();
        if (allowed.isEmpty()) throw new BlockedAddressException(hostname);
        return allowed;
    }

    /** @throws BlockedAddressException when {@code host} is a private IP literal */
    static void checkLiteral(String host) throws UnknownHostException {
        boolean literal = IPV4.matcher(host).matches() || host.startsWith("[") || host.contains(":");
        if (literal && isPrivate(InetAddress.getByName(host))) throw new BlockedAddressException(host);
    }

    static boolean isPrivate(InetAddress a) {
        byte[] b = a.getAddress();
        boolean uniqueLocal = b.length == 16 && (b[0] & 0xfe) == 0xfc;
        return a.isLoopbackAddress() || a.isSiteLocalAddress() || a.isLinkLocalAddress() || a.isAnyLocalAddress()
                || uniqueLocal;
    }
}
