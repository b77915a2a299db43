package io.globalcalling.provider.awsconnect;

import io.globalcalling.ConfigurationException;
import io.globalcalling.spi.CallingProvider;
import io.globalcalling.spi.CallingProviderFactory;
import io.globalcalling.spi.ProviderConfig;
import io.globalcalling.testkit.TestProviderContext;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.ServiceLoader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class AwsConnectProviderFactoryTest {

    @Test
    void isFoundByServiceLoaderAsAwsConnect() {
        assertThat(ServiceLoader.load(CallingProviderFactory.class).stream().map(ServiceLoader.Provider::get)
                .filter(f -> f.id().equals("aws-connect"))).hasSize(1);
    }

    @Test
    void isAbsentWithoutKeysAndRefusesAPartialConfigurationNamingTheMissingKeys() {
        AwsConnectProviderFactory factory = new AwsConnectProviderFactory();
        assertThat(factory.isConfigured(ProviderConfig.empty())).isFalse();
        ProviderConfig partial = ProviderConfig.of(Map.of("AWS_CONNECT_INSTANCE_ID", Fixtures.INSTANCE_ID));
        assertThat(factory.isConfigured(partial)).isTrue();

        try (TestProviderContext context = Fixtures.context()) {
            ConfigurationException e = catchThrowableOfType(ConfigurationException.class, () -> factory.create(partial, context));
            assertThat(e.getMessage()).contains("aws-connect.contact-flow-id", "aws-connect.region", "aws-connect.countries");
        }
    }

    @Test
    void createsAProviderOnTheSdksDefaultCredentialsChainWithoutReadingThemYet() {
        Map<String, String> config = Fixtures.baseConfig();
        config.put("aws-connect.endpoint", "http://127.0.0.1:9");
        try (TestProviderContext context = Fixtures.context();
             CallingProvider provider = new AwsConnectProviderFactory().create(ProviderConfig.of(config), context)) {
            assertThat(provider.id()).isEqualTo("aws-connect");
            assertThat(provider.toString()).contains(Fixtures.INSTANCE_ID).doesNotContain(Fixtures.WEBHOOK_SECRET);
        }
    }
}
