package io.globalcalling.provider.iridium;

import io.globalcalling.Money;
import io.globalcalling.spi.AddressRange;
import io.globalcalling.spi.ConfigValidation;
import io.globalcalling.spi.ProviderConfig;
import io.globalcalling.spi.Validated;
import org.jspecify.annotations.Nullable;

import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * The Iridium provider's settings, read from {@code iridium.*} keys (each also found in environment form, e.g.
 * {@code IRIDIUM_DIRECTIP_HOST}). {@link #from(ProviderConfig)} reports every missing or malformed key at once.
 *
 * <table>
 *   <caption>Keys</caption>
 *   <tr><td>{@code iridium.directip-host}</td><td>required: the DirectIP gateway for MT messages (Iridium gives
 *       the address when the account is provisioned)</td></tr>
 *   <tr><td>{@code iridium.directip-port}</td><td>its port (default 10800)</td></tr>
 *   <tr><td>{@code iridium.connect-timeout}, {@code iridium.read-timeout}</td><td>for the gateway (default 10 s, 30 s)</td></tr>
 *   <tr><td>{@code iridium.mo-port}</td><td>the port the MO listener takes (0: any free port); absent: no listener</td></tr>
 *   <tr><td>{@code iridium.mo-bind-address}</td><td>the address it binds (default 0.0.0.0)</td></tr>
 *   <tr><td>{@code iridium.mo-allowed-sources}</td><td>the only source addresses it serves: comma-separated IPv4 or
 *       IPv6 addresses and networks ({@code 192.0.2.10, 198.51.100.0/24, 2001:db8::/32}); a connection from any
 *       other is closed before a byte is read. Set it to the gateway addresses Iridium gives for MO delivery:
 *       DirectIP carries no credential, so without it anyone who reaches the port can forge a terminal's reply or
 *       a delivery confirmation (which completes a call and settles its hold). Absent: any source, with a warning
 *       at start-up</td></tr>
 *   <tr><td>{@code iridium.mo-read-timeout}</td><td>how long it waits for a sender's bytes (default 30 s)</td></tr>
 *   <tr><td>{@code iridium.mo-max-connections}</td><td>connections it serves at once (default 16)</td></tr>
 *   <tr><td>{@code iridium.text-charset}</td><td>how text is encoded into a payload: UTF-8 (the default) or
 *       US-ASCII, the charsets whose bytes per-byte prices count (they bill a script's UTF-8 size); any other is
 *       refused</td></tr>
 *   <tr><td>{@code iridium.mt-queue-lifetime}</td><td>how long the gateway keeps a queued MT message its terminal
 *       has not collected (default 5 days; set it to what your service provider states): a message queued longer
 *       without a delivery report ends as failed, its hold released</td></tr>
 *   <tr><td>{@code iridium.currency}</td><td>the currency of the prices (default USD)</td></tr>
 *   <tr><td>{@code iridium.price-per-message}, {@code iridium.price-per-byte}, {@code iridium.minimum-charge}</td>
 *       <td>what a delivered message costs (defaults below)</td></tr>
 * </table>
 *
 * <p>Default prices (USD): nothing per message, 0.0015 per byte, at least 0.075 a message. SBD is sold per byte
 * with a minimum per session: Rock Seven bills a credit per 50 bytes and at least one credit per session, even an
 * empty one (jmalsbury.com, "Economics of prototyping with Iridium", read 2026-12-01). The per-byte price is an
 * estimate of retail SBD airtime near US$1.50 per 1,000 bytes, not a quoted tariff: set the three keys from your
 * service provider's contract.
 */
public final class IridiumConfig {

    /** The default DirectIP port. */
    public static final int DEFAULT_DIRECTIP_PORT = 10800;
    static final String DEFAULT_PRICE_PER_BYTE = "0.0015";
    static final String DEFAULT_MINIMUM_CHARGE = "0.075";
    /** How long the gateway keeps an MT message its terminal has not collected, unless configured. */
    static final Duration DEFAULT_MT_QUEUE_LIFETIME = Duration.ofDays(5);

    /** Every key this provider reads. */
    static final List<String> KEYS = List.of("iridium.directip-host", "iridium.directip-port",
            "iridium.connect-timeout", "iridium.read-timeout", "iridium.mo-port", "iridium.mo-bind-address",
            "iridium.mo-allowed-sources", "iridium.mo-read-timeout", "iridium.mo-max-connections",
            "iridium.text-charset", "iridium.mt-queue-lifetime", "iridium.currency",
            "iridium.price-per-message", "iridium.price-per-byte", "iridium.minimum-charge");

    private final String directIpHost;
    private final int directIpPort;
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final @Nullable Integer moPort;
    private final InetAddress moBindAddress;
    /** Empty: any source (an empty list as written is refused, so it never means "none"). */
    private final List<AddressRange> moAllowedSources;
    private final Duration moReadTimeout;
    private final int moMaxConnections;
    private final Charset textCharset;
    private final Duration mtQueueLifetime;
    private final Money pricePerMessage;
    private final Money pricePerByte;
    private final Money minimumCharge;

    private IridiumConfig(ConfigValidation v) {
        directIpHost = v.take(v.string("iridium.directip-host").required());
        directIpPort = or(v.take(v.integer("iridium.directip-port", 1, 65535)), DEFAULT_DIRECTIP_PORT);
        connectTimeout = or(v.take(v.duration("iridium.connect-timeout")), Duration.ofSeconds(10));
        readTimeout = or(v.take(v.duration("iridium.read-timeout")), Duration.ofSeconds(30));
        moPort = v.take(v.integer("iridium.mo-port", 0, 65535));
        moBindAddress = or(v.take(v.string("iridium.mo-bind-address")
                .parse(IridiumConfig::literalAddress, "is not an IP address")), anyAddress());
        moAllowedSources = or(v.take(addressRanges(v, "iridium.mo-allowed-sources")), List.of());
        moReadTimeout = or(v.take(v.duration("iridium.mo-read-timeout")), Duration.ofSeconds(30));
        moMaxConnections = or(v.take(v.integer("iridium.mo-max-connections", 1, 1024)), 16);
        textCharset = or(v.take(v.string("iridium.text-charset").parse(Charset::forName, "is not a charset this JVM knows")
                .check(IridiumConfig::billable, "is not UTF-8 or US-ASCII: per-byte prices count a script's or JSON "
                        + "payload's UTF-8 bytes, so the bytes sent in another charset would be billed wrongly")),
                StandardCharsets.UTF_8);
        mtQueueLifetime = or(v.take(v.duration("iridium.mt-queue-lifetime")), DEFAULT_MT_QUEUE_LIFETIME);
        Currency currency = or(v.take(v.string("iridium.currency").parse(Currency::getInstance, "is not an ISO 4217 code")),
                Currency.getInstance("USD"));
        pricePerMessage = Money.of(or(v.take(price(v, "iridium.price-per-message")), BigDecimal.ZERO), currency);
        pricePerByte = Money.of(or(v.take(price(v, "iridium.price-per-byte")), new BigDecimal(DEFAULT_PRICE_PER_BYTE)), currency);
        minimumCharge = Money.of(or(v.take(price(v, "iridium.minimum-charge")), new BigDecimal(DEFAULT_MINIMUM_CHARGE)), currency);
    }

    /** Whether text in this charset is as many bytes as in UTF-8, which routing, holds and settlement count. */
    private static boolean billable(Charset charset) {
        return charset.equals(StandardCharsets.UTF_8) || charset.equals(StandardCharsets.US_ASCII);
    }

    private static Validated<BigDecimal> price(ConfigValidation v, String key) {
        return v.decimal(key).check(d -> d.signum() >= 0, "must not be negative");
    }

    /** Each bad entry is its own problem, naming the key, the entry and what is wrong with it. */
    private static Validated<List<AddressRange>> addressRanges(ConfigValidation v, String key) {
        String written = v.string(key).orNull();
        if (written == null) return Validated.valid(key, null, null);
        List<String> entries = v.list(key).get();
        if (entries.isEmpty()) return Validated.malformed(key, written, "names no address");
        List<AddressRange> ranges = new ArrayList<>();
        Validated<List<AddressRange>> result = Validated.valid(key, null, null);
        for (String entry : entries) {
            try {
                ranges.add(AddressRange.parse(entry));
            } catch (IllegalArgumentException e) {
                result = result.and(Validated.malformed(key + " entry", entry, e.getMessage()));
            }
        }
        return result.isValid() ? Validated.valid(key, List.copyOf(ranges), written) : result;
    }

    private static <T> T or(@Nullable T value, T fallback) {
        return value != null ? value : fallback;
    }

    /** An IP address written as one; never a name to look up. */
    private static InetAddress literalAddress(String text) {
        if (!text.matches("[0-9.]+|[0-9A-Fa-f:.]+") || !text.matches(".*[.:].*")) {
            throw new IllegalArgumentException("not an IP address: " + text);
        }
        // the JDK looks up as a name what is no literal (10.0.0.256); AddressRange refuses it, as it does a name
        AddressRange.parse(text);
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: " + text, e);
        }
    }

    private static InetAddress anyAddress() {
        return literalAddress("0.0.0.0");
    }

    /** Whether any {@code iridium.*} key is set. */
    public static boolean isConfigured(ProviderConfig config) {
        Objects.requireNonNull(config, "config");
        return KEYS.stream().anyMatch(key -> config.get(key).isPresent());
    }

    /**
     * Reads and checks every {@code iridium.*} key.
     *
     * @throws io.globalcalling.ConfigurationException listing every missing or malformed key
     */
    public static IridiumConfig from(ProviderConfig config) {
        ConfigValidation v = ConfigValidation.of(Objects.requireNonNull(config, "config"), "Iridium configuration");
        IridiumConfig result = new IridiumConfig(v);
        v.orThrow();
        return result;
    }

    public String directIpHost() { return directIpHost; }

    public int directIpPort() { return directIpPort; }

    public Duration connectTimeout() { return connectTimeout; }

    public Duration readTimeout() { return readTimeout; }

    /** The MO listener's port (0 for any free one), or empty when the provider listens for nothing. */
    public OptionalInt moPort() { return moPort == null ? OptionalInt.empty() : OptionalInt.of(moPort); }

    public InetAddress moBindAddress() { return moBindAddress; }

    /**
     * The networks the MO listener serves, as {@code address/prefix} ({@code 192.0.2.10/32}); empty when it serves
     * any source.
     */
    public List<String> moAllowedSources() { return moAllowedSources.stream().map(AddressRange::toString).toList(); }

    /** Whether the MO listener serves a connection from {@code source}. */
    boolean moAllowsSource(InetAddress source) {
        return moAllowedSources.isEmpty() || AddressRange.anyContains(moAllowedSources, source);
    }

    public Duration moReadTimeout() { return moReadTimeout; }

    public int moMaxConnections() { return moMaxConnections; }

    /** How text (a script, a JSON payload) is turned into a terminal's bytes. */
    public Charset textCharset() { return textCharset; }

    /**
     * How long the gateway keeps a queued MT message its terminal has not collected before dropping it; a message
     * queued longer, and not reported delivered, was not delivered.
     */
    public Duration mtQueueLifetime() { return mtQueueLifetime; }

    public Money pricePerMessage() { return pricePerMessage; }

    public Money pricePerByte() { return pricePerByte; }

    public Money minimumCharge() { return minimumCharge; }

    @Override
    public String toString() {
        return "IridiumConfig[directIp=" + directIpHost + ":" + directIpPort + ", connectTimeout=" + connectTimeout
                + ", readTimeout=" + readTimeout + ", moPort=" + (moPort == null ? "none" : moPort)
                + ", moBindAddress=" + moBindAddress.getHostAddress()
                + ", moAllowedSources=" + (moAllowedSources.isEmpty() ? "any" : moAllowedSources) + ", textCharset=" + textCharset
                + ", mtQueueLifetime=" + mtQueueLifetime
                + ", perMessage=" + pricePerMessage + ", perByte=" + pricePerByte + ", minimum=" + minimumCharge + "]";
    }
}
