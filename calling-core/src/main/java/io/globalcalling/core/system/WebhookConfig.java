package io.globalcalling.core.system;

import io.globalcalling.ConfigurationException;
import io.globalcalling.spi.ConfigValidation;
import io.globalcalling.spi.ProviderConfig;
import io.globalcalling.spi.Validated;
import io.globalcalling.Secret;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

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
        allowedPrivateNetworks.forEach(PrivateNetworkGuard::network); // throws naming a bad one
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
        ConfigValidation v = ConfigValidation.of(config, "webhook provider");
        Secret secret = v.take(v.secret(SECRET_KEY).required("is missing or blank"));
        Integer maxAttempts = v.take(v.integer("webhook.max-attempts", 1, 10).orElse(4));
        Duration cap = v.take(atLeast(v, "webhook.backoff-cap", BACKOFF_BASE).orElse(Duration.ofSeconds(10)));
        Duration connect = v.take(v.duration("webhook.connect-timeout").orElse(Duration.ofSeconds(5)));
        Duration read = v.take(v.duration("webhook.read-timeout").orElse(Duration.ofSeconds(10)));
        Duration call = v.take(v.duration("webhook.call-timeout").orElse(Duration.ofSeconds(15)));
        Boolean allowHttp = v.take(v.bool(ALLOW_HTTP_KEY).orElse(false));
        List<String> networks = v.take(v.list(ALLOWED_PRIVATE_NETWORKS_KEY, network -> {
            PrivateNetworkGuard.network(network);
            return network;
        }, "is not a network such as 10.0.0.0/8 or fd00::/8").orElse(List.of()));
        if (config.get(REPLACED_KEY).isPresent()) {
            v.problem(Validated.malformed(REPLACED_KEY, null, "is no longer read: list the networks to allow in "
                    + ALLOWED_PRIVATE_NETWORKS_KEY + " (such as 127.0.0.0/8,::1/128)"));
        }
        v.orThrow();
        return new WebhookConfig(secret, maxAttempts, BACKOFF_BASE, cap, connect, read, call, allowHttp, networks);
    }

    private static Validated<Duration> atLeast(ConfigValidation v, String key, Duration least) {
        return v.duration(key).check(d -> d.compareTo(least) >= 0, "must be at least " + least);
    }
}
