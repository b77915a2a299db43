package io.globalcalling.core.system;

import io.globalcalling.spi.CallingProvider;
import io.globalcalling.spi.CallingProviderFactory;
import io.globalcalling.spi.ProviderConfig;
import io.globalcalling.spi.ProviderContext;

/**
 * Creates the {@link WebhookProvider} (id {@code webhook}). Active when {@code webhook.signing-secret}
 * is set, or when {@code webhook.enabled=true}, in which case a missing secret is a configuration
 * error; see {@link WebhookConfig} for every key.
 */
public final class WebhookProviderFactory implements CallingProviderFactory {

    @Override
    public String id() {
        return WebhookProvider.ID;
    }

    @Override
    public boolean isConfigured(ProviderConfig config) {
        return config.get(WebhookConfig.SECRET_KEY).isPresent() || config.getBoolean("webhook.enabled", false);
    }

    @Override
    public CallingProvider create(ProviderConfig config, ProviderContext context) {
        return new WebhookProvider(WebhookConfig.from(config), context);
    }
}
