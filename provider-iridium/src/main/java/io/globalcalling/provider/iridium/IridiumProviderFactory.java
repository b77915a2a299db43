package io.globalcalling.provider.iridium;

import io.globalcalling.spi.CallingProvider;
import io.globalcalling.spi.CallingProviderFactory;
import io.globalcalling.spi.ProviderConfig;
import io.globalcalling.spi.ProviderContext;

import java.util.Objects;

/**
 * Creates the {@code iridium} provider; listed in {@code META-INF/services} so the manager finds it. Absent when no
 * {@code iridium.*} key is set; otherwise {@code iridium.directip-host} is required and every key is checked, a
 * bad one failing start-up by name.
 */
public final class IridiumProviderFactory implements CallingProviderFactory {

    @Override
    public String id() {
        return IridiumProvider.ID;
    }

    @Override
    public boolean isConfigured(ProviderConfig config) {
        return IridiumConfig.isConfigured(config);
    }

    /** @throws io.globalcalling.ConfigurationException listing every missing or malformed {@code iridium.*} key */
    @Override
    public CallingProvider create(ProviderConfig config, ProviderContext context) {
        Objects.requireNonNull(context, "context");
        return new IridiumProvider(IridiumConfig.from(config), context);
    }

    @Override
    public String toString() {
        return "IridiumProviderFactory";
    }
}
