package io.globalcalling.core.system;

import io.globalcalling.spi.ConfigurationException;
import io.globalcalling.spi.ProviderConfig;
import io.globalcalling.spi.Secret;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The webhook provider's settings.
 *
 * <table>
 * <caption>Configuration keys</caption>
 * <tr><th>key</th><th>default</th><th>meaning</th></tr>
 * <tr><td>{@code webhook.signing-secret}</td><td>(required)</td><td>HMAC key shared with the receiving systems</td></tr>
 * <tr><td>{@code webhook.enabled}</td><td>false</td><td>true makes a missing secret an error instead of leaving the provider inactive</td></tr>
 * <tr><td>{@code webhook.max-attempts}</td><td>4</td><td>deliveries tried per call, 1 to 10</td></tr>
 * <tr><td>{@code webhook.backoff-cap}</td><td>PT10S</td><td>the longest wait between attempts; a Retry-After above it ends the retries</td></tr>
 * <tr><td>{@code webhook.connect-timeout}</td><td>PT5S</td><td>connect timeout per attempt</td></tr>
 * <tr><td>{@code webhook.read-timeout}</td><td>PT10S</td><td>timeout for the receiver's answer per attempt</td></tr>
 * <tr><td>{@code webhook.call-timeout}</td><td>PT15S</td><td>the whole of one attempt (connect, send, answer), however
 *     slowly the receiver trickles its bytes</td></tr>
 * <tr><td>{@code webhook.allow-http}</td><td>false</td><td>true allows plain {@code http} URLs; otherwise only {@code https}</td></tr>
 * <tr><td>{@code webhook.allowed-private-networks}</td><td>(none)</td><td>comma-separated networks such as
 *     {@code 127.0.0.0/8,::1/128} that may be reached although private (tests, internal systems); every other
 *     private address is refused (see {@link PrivateNetworkGuard})</td></tr>
 * </table>
 * The {@code toString()} never shows the secret.
 */
public record WebhookConfig(Secret signingSecret, int maxAttempts, Duration backoffBase, Duration backoffCap,
                            Duration connectTimeout, Duration readTimeout, Duration callTimeout, boolean allowHttp,
                            List<String> allowedPrivateNetworks) {

    public static final String SECRET_KEY = "webhook.signing-secret";
    public static final String ALLOW_HTTP_KEY = "webhook.allow-http";
    public static final String ALLOWED_PRIVATE_NETWORKS_KEY = "webhook.allowed-private-networks";
    public static final Duration BACKOFF_BASE = Duration.ofMillis(200);
    private static final String REPLACED_KEY = "webhook.allow-private-networks";

    public WebhookConfig {
        Objects.requireNonNull(signingSecret, "signingSecret");
        Objects.requireNonNull(backoffBase, "backoffBase");
        Objects.requireNonNull(backoffCap, "backoffCap");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(readTimeout, "readTimeout");
        Objects.requireNonNull(callTimeout, "callTimeout");
        allowedPrivateNetworks = List.copyOf(Objects.requireNonNull(allowedPrivateNetworks, "allowedPrivateNetworks"));
        allowedPrivateNetworks.forEach(PrivateNetworkGuard.Cidr::parse); // throws naming a bad one
        if (maxAttempts < 1 || maxAttempts > 10) throw new IllegalArgumentException("maxAttempts " + maxAttempts + " must be 1 to 10");
        if (backoffBase.isNegative()) throw new IllegalArgumentException("backoffBase " + backoffBase + " must not be negative");
        if (backoffCap.compareTo(backoffBase) < 0) throw new IllegalArgumentException("backoffCap " + backoffCap + " must be at least backoffBase " + backoffBase);
        if (connectTimeout.isNegative() || connectTimeout.isZero()) throw new IllegalArgumentException("connectTimeout " + connectTimeout + " must be positive");
        if (readTimeout.isNegative() || readTimeout.isZero()) throw new IllegalArgumentException("readTimeout " + readTimeout + " must be positive");
        if (callTimeout.isNegative() || callTimeout.isZero()) throw new IllegalArgumentException("callTimeout " + callTimeout + " must be positive");
    }

    /** Defaults for everything but the secret: https only, no private network. */
    public static WebhookConfig of(Secret signingSecret) {
        return new WebhookConfig(signingSecret, 4, BACKOFF_BASE, Duration.ofSeconds(10), Duration.ofSeconds(5),
                Duration.ofSeconds(10), Duration.ofSeconds(15), false, List.of());
    }

    /** @throws ConfigurationException listing every missing or malformed {@code webhook.*} key, never the secret */
    public static WebhookConfig from(ProviderConfig config) {
        Objects.requireNonNull(config, "config");
        List<String> problems = new ArrayList<>();
        Optional<Secret> secret = config.secret(SECRET_KEY);
        if (secret.isEmpty()) problems.add(SECRET_KEY + " is missing or blank");
        int[] maxAttempts = {4};
        read(problems, () -> config.getInt("webhook.max-attempts").ifPresent(n -> {
            if (n < 1 || n > 10) problems.add("webhook.max-attempts = '" + n + "' must be 1 to 10");
            else maxAttempts[0] = n;
        }));
        Duration[] cap = {Duration.ofSeconds(10)};
        Duration[] connect = {Duration.ofSeconds(5)};
        Duration[] read = {Duration.ofSeconds(10)};
        Duration[] call = {Duration.ofSeconds(15)};
        duration(config, problems, "webhook.backoff-cap", d -> cap[0] = d, BACKOFF_BASE);
        duration(config, problems, "webhook.connect-timeout", d -> connect[0] = d, Duration.ofMillis(1));
        duration(config, problems, "webhook.read-timeout", d -> read[0] = d, Duration.ofMillis(1));
        duration(config, problems, "webhook.call-timeout", d -> call[0] = d, Duration.ofMillis(1));
        List<String> networks = new ArrayList<>();
        for (String network : config.get(ALLOWED_PRIVATE_NETWORKS_KEY).orElse("").split(",")) {
            String cidr = network.strip();
            if (cidr.isEmpty()) continue;
            try {
                PrivateNetworkGuard.Cidr.parse(cidr);
                networks.add(cidr);
            } catch (IllegalArgumentException e) {
                problems.add(ALLOWED_PRIVATE_NETWORKS_KEY + ": " + e.getMessage());
            }
        }
        if (config.get(REPLACED_KEY).isPresent()) {
            problems.add(REPLACED_KEY + " is no longer read: list the networks to allow in " + ALLOWED_PRIVATE_NETWORKS_KEY
                    + " (such as 127.0.0.0/8,::1/128)");
        }
        if (!problems.isEmpty()) throw new ConfigurationException("webhook provider", problems);
        return new WebhookConfig(secret.orElseThrow(), maxAttempts[0], BACKOFF_BASE, cap[0], connect[0], read[0], call[0],
                config.getBoolean(ALLOW_HTTP_KEY, false), networks);
    }

    private static void duration(ProviderConfig config, List<String> problems, String key, Consumer<Duration> set,
                                 Duration least) {
        read(problems, () -> config.getDuration(key).ifPresent(d -> {
            if (d.compareTo(least) < 0) problems.add(key + " = '" + d + "' must be at least " + least);
            else set.accept(d);
        }));
    }

    private static void read(List<String> problems, Runnable reader) {
        try {
            reader.run();
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
    }
}
