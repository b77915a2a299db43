package io.globalcalling.core.internal;

import io.globalcalling.ConfigurationException;
import io.globalcalling.core.webhook.Webhooks;
import io.globalcalling.spi.ConfigValidation;
import io.globalcalling.spi.ProviderConfig;
import org.jspecify.annotations.Nullable;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * The manager's own {@code calling.*} keys that the builder can also set, read and checked together.
 *
 * <table>
 * <caption>Configuration keys</caption>
 * <tr><th>key</th><th>default</th><th>meaning</th></tr>
 * <tr><td>{@value #WEBHOOK_BASE_URL_KEY}</td><td>(none)</td><td>the public http(s) URL under which the host serves
 *     webhooks</td></tr>
 * <tr><td>{@value #MAX_BODY_BYTES_KEY}</td><td>65536</td><td>the largest webhook body accepted</td></tr>
 * <tr><td>{@value #TRUST_FORWARDED_HEADERS_KEY}</td><td>false</td><td>{@code true} or {@code false}: whether
 *     {@code X-Forwarded-*} headers name the URL a provider signed</td></tr>
 * <tr><td>{@value #CALL_TIMEOUT_KEY}</td><td>PT6H</td><td>how long after it started a call's end must have been
 *     reported before reconciliation asks its provider</td></tr>
 * </table>
 *
 * @param webhookBaseUrl        the public webhook URL, or null when not configured
 * @param webhookMaxBodyBytes   the largest webhook body accepted
 * @param trustForwardedHeaders whether forwarded headers are believed
 * @param callTimeout           how long after it started a call's end must have been reported
 */
public record ManagerSettings(@Nullable URI webhookBaseUrl, int webhookMaxBodyBytes, boolean trustForwardedHeaders,
                              Duration callTimeout) {

    public static final String WEBHOOK_BASE_URL_KEY = "calling.webhook-base-url";
    public static final String MAX_BODY_BYTES_KEY = "calling.webhooks.max-body-bytes";
    public static final String TRUST_FORWARDED_HEADERS_KEY = "calling.webhooks.trust-forwarded-headers";
    public static final String CALL_TIMEOUT_KEY = "calling.call-timeout";
    public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofHours(6);

    /** @throws ConfigurationException listing every malformed key at once, URLs without their credentials */
    public static ManagerSettings from(ProviderConfig config) {
        Objects.requireNonNull(config, "config");
        ConfigValidation v = ConfigValidation.of(config, "calling manager");
        // the provider's id and ?callId= are appended to it: a query or fragment would swallow them
        URI base = v.take(v.url(WEBHOOK_BASE_URL_KEY).check(u -> u.getRawQuery() == null && u.getRawFragment() == null,
                "must not have a query or fragment (the provider's id and ?callId= are appended to it)"));
        Integer maxBody = v.take(v.integer(MAX_BODY_BYTES_KEY, 1, Integer.MAX_VALUE - 1)
                .orElse(Webhooks.DEFAULT_MAX_BODY_BYTES));
        Boolean trust = v.take(v.bool(TRUST_FORWARDED_HEADERS_KEY).orElse(false));
        Duration callTimeout = v.take(v.duration(CALL_TIMEOUT_KEY).orElse(DEFAULT_CALL_TIMEOUT));
        v.orThrow();
        return new ManagerSettings(base, maxBody, trust, callTimeout);
    }
}
