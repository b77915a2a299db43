package io.globalcalling.provider.vonage;

import io.globalcalling.ConfigurationException;
import io.globalcalling.spi.ProviderConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class VonageConfigTest {

    @Test
    void absentWhenNoKeyIsSetAndConfiguredByAnyOne() {
        assertThat(new VonageProviderFactory().isConfigured(ProviderConfig.empty())).isFalse();
        assertThat(new VonageProviderFactory().isConfigured(ProviderConfig.of(Map.of("VONAGE_APPLICATION_ID", "x")))).isTrue();
    }

    @Test
    void aPartialConfigurationNamesEveryMissingKey() {
        ConfigurationException e = catchThrowableOfType(ConfigurationException.class, () -> VonageConfig.from(
                ProviderConfig.of(Map.of("VONAGE_APPLICATION_ID", VonageFixtures.APPLICATION_ID))));
        assertThat(e.getMessage()).contains("vonage.private-key-path").contains("vonage.signature-secret")
                .contains("vonage.from-number");
    }

    @Test
    void readsThePrivateKeyFromAFileInEnvironmentForm(@TempDir Path dir) throws Exception {
        Path key = dir.resolve("private.key");
        Files.writeString(key, VonageFixtures.privateKeyPem());
        VonageConfig config = VonageConfig.from(ProviderConfig.of(Map.of(
                "VONAGE_APPLICATION_ID", VonageFixtures.APPLICATION_ID, "VONAGE_PRIVATE_KEY_PATH", key.toString(),
                "VONAGE_SIGNATURE_SECRET", VonageFixtures.SIGNATURE_SECRET, "VONAGE_FROM_NUMBER", VonageFixtures.FROM)));
        assertThat(config.privateKey().getEncoded()).isEqualTo(VonageFixtures.KEYS.getPrivate().getEncoded());
        assertThat(config.apiBaseUrl().toString()).isEqualTo("https://api.nexmo.com");
        assertThat(config.pricingBaseUrl().toString()).isEqualTo("https://rest.nexmo.com");
    }

    @Test
    void malformedValuesAreNamedWithoutTheirSecrets() {
        Map<String, String> m = new HashMap<>(VonageFixtures.baseConfig("http://127.0.0.1:9"));
        m.put("vonage.application-id", "not-a-uuid");
        m.put("vonage.private-key", "-----BEGIN PRIVATE KEY-----\nc2VjcmV0LWtleS1ieXRlcw==\n-----END PRIVATE KEY-----");
        m.put("vonage.signature-secret", "short-secret");
        m.put("vonage.api-key", "abcd1234");
        m.put("vonage.ringing-timer", "500");
        ConfigurationException e = catchThrowableOfType(ConfigurationException.class,
                () -> VonageConfig.from(ProviderConfig.of(m)));
        assertThat(e.getMessage()).contains("vonage.application-id").contains("vonage.private-key")
                .contains("vonage.signature-secret").contains("vonage.api-secret").contains("vonage.ringing-timer")
                .doesNotContain("short-secret").doesNotContain("c2VjcmV0");
    }

    @Test
    void toStringHidesEverySecret() {
        Map<String, String> m = new HashMap<>(VonageFixtures.baseConfig("http://127.0.0.1:9"));
        m.put("vonage.api-key", "abcd1234");
        m.put("vonage.api-secret", "pricing-api-secret-value");
        VonageConfig config = VonageConfig.from(ProviderConfig.of(m));
        String pemBody = VonageFixtures.privateKeyPem().lines().skip(1).findFirst().orElseThrow();
        assertThat(config.toString()).doesNotContain(VonageFixtures.SIGNATURE_SECRET)
                .doesNotContain("pricing-api-secret-value").doesNotContain(pemBody);
        assertThat(new VonageProvider(config, VonageFixtures.context()).toString())
                .doesNotContain(VonageFixtures.SIGNATURE_SECRET).doesNotContain(pemBody);
    }
}
