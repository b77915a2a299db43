package io.globalcalling.provider.twilio;

import io.globalcalling.spi.CallingProvider;
import io.globalcalling.spi.CallingProviderFactory;
import io.globalcalling.spi.ProviderConfig;
import io.globalcalling.spi.ProviderContext;

import java.util.Objects;

/**
 * Creates the {@code twilio} provider; listed in {@code META-INF/services} so the manager finds it. Absent when no
 * {@code twilio.*} key is set; otherwise it must be complete ({@code TWILIO_ACCOUNT_SID} with an Auth Token, or
 * with an API key and its secret): a partial configuration fails start-up naming every missing key.
 */
public final class TwilioProviderFactory implements CallingProviderFactory {

    @Override
    public String id() {
        return TwilioProvider.ID;
    }

    @Override
    public boolean isConfigured(ProviderConfig config) {
        return TwilioConfig.isConfigured(config);
    }

    /** @throws io.globalcalling.spi.ConfigurationException listing every missing or malformed {@code twilio.*} key */
    @Override
    public CallingProvider create(ProviderConfig config, ProviderContext context) {
        Objects.requireNonNull(context, "context");
        return new TwilioProvider(TwilioConfig.from(config), context);
    }

    @Override
    public String toString() {
        return "TwilioProviderFactory";
    }
}
