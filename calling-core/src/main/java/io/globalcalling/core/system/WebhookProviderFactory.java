package io.globalcalling.core.system;

import io.globalcalling.spi.CallingProvider;
import io.globalcalling.spi.CallingProviderFactory;
import io.globalcalling.ConfigurationException;
import io.globalcalling.spi.ConfigValidation;
import io.globalcalling.spi.ProviderConfig;
import io.globalcalling.spi.ProviderContext;

import java.util.List;

/**
 * Creates the {@link WebhookProvider} (id {@code webhook}). Absent when none of its keys is set or
 * {@code webhook.enabled=false}; otherwise it must be complete: any {@code webhook.*} setting (or
 * {@code webhook.enabled=true}) without {@code webhook.signing-secret} fails start-up naming the missing
 * key. See {@link WebhookConfig} for every key.
 */
public final class WebhookProviderFactory implements CallingProviderFactory {

    private static final String ENABLED_KEY = "webhook.enabled";
    /** Every key but the switch; one of them set means the host meant to configure this provider. */
    private static final List<String> KEYS = List.of(WebhookConfig.SECRET_KEY, "webhook.max-attempts",
            "webhook.backoff-cap", "webhook.connect-timeout", "webhook.read-timeout", "webhook.call-timeout",
            WebhookConfig.ALLOW_HTTP_KEY, WebhookConfig.ALLOWED_PRIVATE_NETWORKS_KEY, "webhook.allow-private-networks");

    @Override
    public String id() {
        return WebhookProvider.ID;
    }

    /** @throws ConfigurationException when {@code webhook.enabled} is neither true nor false */
    @Override
    public boolean isConfigured(ProviderConfig config) {
        ConfigValidation v = ConfigValidation.of(config, "webhook provider");
        Boolean enabled = v.take(v.bool(ENABLED_KEY));
        v.orThrow();
        if (enabled != null) return enabled;
        return KEYS.stream().anyMatch(key -> config.get(key).isPresent());
    }

    @Override
    public CallingProvider create(ProviderConfig config, ProviderContext context) {
        return new WebhookProvider(WebhookConfig.from(config), context);
    }
}
