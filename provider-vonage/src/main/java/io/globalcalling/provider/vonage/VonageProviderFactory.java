package io.globalcalling.provider.vonage;

import io.globalcalling.spi.CallingProvider;
import io.globalcalling.spi.CallingProviderFactory;
import io.globalcalling.spi.ProviderConfig;
import io.globalcalling.spi.ProviderContext;

import java.util.Objects;

/**
 * Creates the {@code vonage} provider; listed in {@code META-INF/services} so the manager finds it. Absent when
 * no {@code vonage.*} key is set; otherwise it must be complete ({@code VONAGE_APPLICATION_ID},
 * {@code VONAGE_PRIVATE_KEY_PATH} or {@code vonage.private-key}, {@code VONAGE_SIGNATURE_SECRET},
 * {@code vonage.from-number}): a partial configuration fails start-up naming every missing key.
 */
public final class VonageProviderFactory implements CallingProviderFactory {

    @Override
    public String id() {
        return VonageProvider.ID;
    }

    @Override
    public boolean isConfigured(ProviderConfig config) {
        return VonageConfig.isConfigured(config);
    }

    /** @throws io.globalcalling.ConfigurationException listing every missing or malformed {@code vonage.*} key */
    @Override
    public CallingProvider create(ProviderConfig config, ProviderContext context) {
        Objects.requireNonNull(context, "context");
        return new VonageProvider(VonageConfig.from(config), context);
    }

    @Override
    public String toString() {
        return "VonageProviderFactory";
    }
}
