package io.globalcalling.provider.twilio;

import io.globalcalling.testkit.TestProviderContext;
import io.globalcalling.spi.CallCategory;
import io.globalcalling.spi.CallingProvider;
import io.globalcalling.spi.CallingProviderFactory;
import io.globalcalling.spi.ConfigurationException;
import io.globalcalling.spi.Endpoint;
import io.globalcalling.spi.ProviderConfig;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class TwilioProviderFactoryTest {

    private static final String API_KEY = "SK0123456789abcdef0123456789abcdef";

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
    void issue9_partialCredentialsAreConfiguredAndCreateNamesEveryMissingKey() {
        TwilioProviderFactory factory = new TwilioProviderFactory();
        Map<Map<String, String>, List<String>> missingByConfig = Map.of(
                Map.of("TWILIO_ACCOUNT_SID", Fixtures.ACCOUNT_SID), List.of("twilio.auth-token"),
                Map.of("TWILIO_ACCOUNT_SID", Fixtures.ACCOUNT_SID, "TWILIO_API_KEY", API_KEY), List.of("twilio.api-secret"),
                Map.of("twilio.api-secret", "key-secret-value"), List.of("twilio.account-sid", "twilio.api-key"),
                Map.of("twilio.from-number", "+15017122661"), List.of("twilio.account-sid", "twilio.auth-token"));
        try (TestProviderContext context = TwilioTests.context()) {
            missingByConfig.forEach((values, missing) -> {
                ProviderConfig partial = ProviderConfig.of(values);
                assertThat(factory.isConfigured(partial)).as(values.toString()).isTrue();
                ConfigurationException e = catchThrowableOfType(ConfigurationException.class,
                        () -> factory.create(partial, context));
                assertThat(e).as(values.toString()).isNotNull();
                assertThat(e.problems()).as(values.toString()).hasSize(missing.size());
                for (int i = 0; i < missing.size(); i++) {
                    assertThat(e.problems().get(i)).startsWith(missing.get(i) + " is missing");
                }
                assertThat(e.getMessage()).doesNotContain("key-secret-value");
            });
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
