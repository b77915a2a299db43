package io.globalcalling.provider.twilio;

import io.globalcalling.testkit.TestProviderContext;
import io.globalcalling.spi.CallCategory;
import io.globalcalling.spi.CallingProvider;
import io.globalcalling.spi.CallingProviderFactory;
import io.globalcalling.spi.ConfigurationException;
import io.globalcalling.spi.Endpoint;
import io.globalcalling.spi.ProviderConfig;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.ServiceLoader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TwilioProviderFactoryTest {

    @Test
    void isFoundThroughServiceLoader() {
        assertThat(ServiceLoader.load(CallingProviderFactory.class).stream().map(ServiceLoader.Provider::get))
                .anySatisfy(f -> {
                    assertThat(f).isInstanceOf(TwilioProviderFactory.class);
                    assertThat(f.id()).isEqualTo("twilio");
                    assertThat(f.spiVersion()).isEqualTo(CallingProviderFactory.SPI_VERSION);
                });
    }

    @Test
    void createsActiveProviderFromEnvironmentStyleConfig() {
        ProviderConfig config = ProviderConfig.of(Map.of("TWILIO_ACCOUNT_SID", Fixtures.ACCOUNT_SID, "TWILIO_AUTH_TOKEN", "tok"));
        TwilioProviderFactory factory = new TwilioProviderFactory();
        assertThat(factory.isConfigured(config)).isTrue();

        try (TestProviderContext context = TwilioTests.context(); CallingProvider provider = factory.create(config, context)) {
            assertThat(provider.id()).isEqualTo("twilio");
            assertThat(provider.categories()).containsExactlyInAnyOrder(CallCategory.INTERNET_VOIP, CallCategory.AI_AUTOMATED);
            assertThat(provider.capabilities().recording()).isTrue();
            assertThat(provider.capabilities().machineDetection()).isTrue();
            assertThat(provider.covers(Endpoint.parse("+919876543210"))).isTrue();
            assertThat(provider.covers(Endpoint.parse("sip:bob@example.com"))).isTrue();
            assertThat(provider.covers(Endpoint.parse("https://hooks.example.com/x"))).isFalse();
            assertThat(provider.coverage().countries()).contains("IN", "US");
        }
    }

    @Test
    void inactiveWithoutCredentialsAndCreateNamesEveryProblem() {
        TwilioProviderFactory factory = new TwilioProviderFactory();
        assertThat(factory.isConfigured(ProviderConfig.empty())).isFalse();
        try (TestProviderContext context = TwilioTests.context()) {
            assertThatThrownBy(() -> factory.create(ProviderConfig.empty(), context))
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("twilio.account-sid").hasMessageContaining("twilio.auth-token");
        }
    }
}
