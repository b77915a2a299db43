package io.globalcalling.core.sandbox;

import io.globalcalling.spi.CallingProvider;
import io.globalcalling.spi.CallingProviderFactory;
import io.globalcalling.spi.ProviderConfig;
import io.globalcalling.spi.ProviderContext;

/**
 * Creates the {@link SandboxProvider} (id {@code sandbox}). It needs no credentials, so it is configured
 * unless {@code sandbox.enabled=false}. Being simulated, it stays active only when no real provider is,
 * unless {@code sandbox.enabled=true} is set (the registry applies that rule); see {@link SandboxConfig}
 * for its other keys.
 */
public final class SandboxProviderFactory implements CallingProviderFactory {

    @Override
    public String id() {
        return SandboxProvider.ID;
    }

    @Override
    public boolean isConfigured(ProviderConfig config) {
        return SandboxConfig.enabled(config).orElse(true);
    }

    @Override
    public CallingProvider create(ProviderConfig config, ProviderContext context) {
        return new SandboxProvider(SandboxConfig.from(config), context);
    }
}
