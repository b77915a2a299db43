package io.globalcalling.core.sandbox;

import io.globalcalling.spi.CallingProvider;
import io.globalcalling.spi.CallingProviderFactory;
import io.globalcalling.spi.ProviderConfig;
import io.globalcalling.spi.ProviderContext;

/**
 * Creates the {@link SandboxProvider} (id {@code sandbox}). It needs no credentials, so it is active
 * unless {@code sandbox.enabled=false}; see {@link SandboxConfig} for its other keys.
 */
public final class SandboxProviderFactory implements CallingProviderFactory {

    @Override
    public String id() {
        return SandboxProvider.ID;
    }

    @Override
    public boolean isConfigured(ProviderConfig config) {
        return config.getBoolean("sandbox.enabled", true);
    }

    @Override
    public CallingProvider create(ProviderConfig config, ProviderContext context) {
        return new SandboxProvider(SandboxConfig.from(config), context);
    }
}
