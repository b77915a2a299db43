package io.globalcalling.core.system;

import io.globalcalling.spi.CallingProviderFactory;
import io.globalcalling.ConfigurationException;
import io.globalcalling.Secret;
import io.globalcalling.spi.ProviderConfig;
import io.globalcalling.testkit.TestProviderContext;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class WebhookProviderFactoryTest {

    private final WebhookProviderFactory factory = new WebhookProviderFactory();

    @Test
    void isFoundByServiceLoader() {
        assertThat(ServiceLoader.load(CallingProviderFactory.class).stream().map(ServiceLoader.Provider::get))
                .anySatisfy(f -> assertThat(f).isInstanceOf(WebhookProviderFactory.class));
    }

    @Test
    void isAbsentWithoutAnyKeyOrWhenSwitchedOff() {
        assertThat(factory.isConfigured(ProviderConfig.empty())).isFalse();
        assertThat(factory.isConfigured(ProviderConfig.of(Map.of("webhook.signing-secret", " ")))).isFalse();
        assertThat(factory.isConfigured(ProviderConfig.of(Map.of("webhook.enabled", "false",
                "webhook.signing-secret", "s3cr3t-value")))).isFalse();
        assertThat(factory.isConfigured(ProviderConfig.of(Map.of("WEBHOOK_SIGNING_SECRET", "s3cr3t-value")))).isTrue();
        assertThat(factory.isConfigured(ProviderConfig.of(Map.of("webhook.enabled", "true")))).isTrue();
    }

    @Test
    void issue9_anySettingWithoutTheSecretIsAPartialConfigurationThatCreateReports() {
        for (String key : new String[] {"webhook.max-attempts", "WEBHOOK_CONNECT_TIMEOUT", "webhook.read-timeout",
                "webhook.backoff-cap", "webhook.allow-private-networks"}) {
            ProviderConfig partial = ProviderConfig.of(Map.of(key, key.contains("ATTEMPTS") ? "3" : "true"));
            assertThat(factory.isConfigured(partial)).as(key).isTrue();
        }
        try (TestProviderContext context = TestProviderContext.create()) {
            ConfigurationException e = catchThrowableOfType(ConfigurationException.class, () -> factory.create(
                    ProviderConfig.of(Map.of("webhook.max-attempts", "3")), context));
            assertThat(e.problems()).containsExactly("webhook.signing-secret is missing or blank");
        }
    }

    @Test
    void theCallTimeoutHttpAndPrivateNetworkKeysAloneAreAPartialConfigurationToo() {
        for (String key : new String[] {"webhook.call-timeout", "webhook.allow-http", "webhook.allowed-private-networks"}) {
            assertThat(factory.isConfigured(ProviderConfig.of(Map.of(key, "x")))).as(key).isTrue();
        }
    }

    @Test
    void issue9_anEnabledSwitchThatIsNeitherTrueNorFalseIsAConfigurationError() {
        ConfigurationException e = catchThrowableOfType(ConfigurationException.class,
                () -> factory.isConfigured(ProviderConfig.of(Map.of("webhook.enabled", "yes"))));

        assertThat(e.problems()).containsExactly("webhook.enabled = 'yes' is not true or false");
    }

    @Test
    void enabledWithoutASecretNamesTheKey() {
        try (TestProviderContext context = TestProviderContext.create()) {
            ConfigurationException e = catchThrowableOfType(ConfigurationException.class, () -> factory.create(
                    ProviderConfig.of(Map.of("webhook.enabled", "true", "webhook.signing-secret", "  ")), context));

            assertThat(e.problems()).containsExactly("webhook.signing-secret is missing or blank");
        }
    }

    @Test
    void reportsEveryMalformedKeyAndNeverTheSecret() {
        ConfigurationException e = catchThrowableOfType(ConfigurationException.class, () -> WebhookConfig.from(
                ProviderConfig.of(Map.of("webhook.signing-secret", "s3cr3t-value", "webhook.max-attempts", "0",
                        "webhook.read-timeout", "soon", "webhook.backoff-cap", "PT0.1S"))));

        assertThat(e.problems()).hasSize(3);
        assertThat(e.getMessage()).contains("webhook.max-attempts", "webhook.read-timeout", "webhook.backoff-cap")
                .doesNotContain("s3cr3t-value");
    }

    @Test
    void issue11_anAllowHttpSwitchThatIsNeitherTrueNorFalseIsAnErrorNotSilentlyOn() {
        for (String value : new String[] {"yes", "1", "ture"}) {
            ConfigurationException e = catchThrowableOfType(ConfigurationException.class, () -> WebhookConfig.from(
                    ProviderConfig.of(Map.of("webhook.signing-secret", "s3cr3t-value", "webhook.allow-http", value))));

            assertThat(e).as(value).isNotNull();
            assertThat(e.problems()).containsExactly("webhook.allow-http = '" + value + "' is not true or false");
        }
    }

    @Test
    void readsEveryKeyAndHidesTheSecret() {
        WebhookConfig config = WebhookConfig.from(ProviderConfig.of(Map.of("webhook.signing-secret", "s3cr3t-value",
                "webhook.max-attempts", "6", "webhook.backoff-cap", "PT30S", "webhook.connect-timeout", "2",
                "webhook.read-timeout", "PT3S", "webhook.call-timeout", "PT7S", "webhook.allow-http", "true",
                "webhook.allowed-private-networks", "127.0.0.0/8, ::1/128")));

        assertThat(config.maxAttempts()).isEqualTo(6);
        assertThat(config.backoffCap()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.connectTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(config.readTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(config.callTimeout()).isEqualTo(Duration.ofSeconds(7));
        assertThat(config.allowHttp()).isTrue();
        assertThat(config.allowedPrivateNetworks()).containsExactly("127.0.0.0/8", "::1/128");
        assertThat(config.toString()).doesNotContain("s3cr3t-value");
    }

    @Test
    void defaultsToHttpsOnlyAndNoPrivateNetwork() {
        WebhookConfig config = WebhookConfig.from(ProviderConfig.of(Map.of("webhook.signing-secret", "s3cr3t-value")));

        assertThat(config.allowHttp()).isFalse();
        assertThat(config.allowedPrivateNetworks()).isEmpty();
        assertThat(config.callTimeout()).isEqualTo(Duration.ofSeconds(15));
    }

    @Test
    void namesAMalformedNetworkAndTheReplacedKey() {
        ConfigurationException e = catchThrowableOfType(ConfigurationException.class, () -> WebhookConfig.from(
                ProviderConfig.of(Map.of("webhook.signing-secret", "s3cr3t-value",
                        "webhook.allowed-private-networks", "127.0.0.0/8,intranet.example/24,10.0.0.0/33",
                        "webhook.allow-private-networks", "true"))));

        assertThat(e.problems()).hasSize(3);
        assertThat(e.getMessage()).contains("intranet.example/24", "10.0.0.0/33", "webhook.allow-private-networks");
    }

    @Test
    void aConfigBuiltInCodeAcceptsTheBoundsAndRefusesWhatLiesBeyondThem() {
        Duration base = WebhookConfig.BACKOFF_BASE;

        assertThat(config(1, base, List.of("0.0.0.0/0")).maxAttempts()).isEqualTo(1);
        assertThat(config(10, base, List.of()).maxAttempts()).isEqualTo(10);
        assertThatThrownBy(() -> config(0, base, List.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxAttempts 0 must be 1 to 10");
        assertThatThrownBy(() -> config(11, base, List.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxAttempts 11 must be 1 to 10");
        assertThatThrownBy(() -> config(4, base.minusMillis(1), List.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("backoffCap PT0.199S must be at least backoffBase PT0.2S");
        assertThatThrownBy(() -> config(4, base, List.of("127.0.0.0/8", "10.0.0.0/33")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("10.0.0.0/33");
    }

    private static WebhookConfig config(int maxAttempts, Duration backoffCap, List<String> allowedPrivateNetworks) {
        return new WebhookConfig(Secret.of("s3cr3t-value"), maxAttempts, WebhookConfig.BACKOFF_BASE, backoffCap,
                Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(15), false, allowedPrivateNetworks);
    }
}
