package io.globalcalling.provider.awsconnect;

import io.globalcalling.spi.CallingProvider;
import io.globalcalling.spi.CallingProviderFactory;
import io.globalcalling.spi.ProviderConfig;
import io.globalcalling.spi.ProviderContext;

import java.util.Objects;

/**
 * Creates the {@code aws-connect} provider; listed in {@code META-INF/services} so the manager finds it. Absent when no
 * {@code aws-connect.*} key is set; otherwise it must be complete (instance, contact flow, region, countries and how
 * skills reach agents): a partial configuration fails start-up naming every missing key. AWS credentials come from
 * the AWS SDK's default provider chain.
 */
public final class AwsConnectProviderFactory implements CallingProviderFactory {

    @Override
    public String id() {
        return AwsConnectProvider.ID;
    }

    @Override
    public boolean isConfigured(ProviderConfig config) {
        return AwsConnectConfig.isConfigured(config);
    }

    /** @throws io.globalcalling.ConfigurationException listing every missing or malformed {@code aws-connect.*} key */
    @Override
    public CallingProvider create(ProviderConfig config, ProviderContext context) {
        Objects.requireNonNull(context, "context");
        return new AwsConnectProvider(AwsConnectConfig.from(config), context);
    }

    @Override
    public String toString() {
        return "AwsConnectProviderFactory";
    }
}
