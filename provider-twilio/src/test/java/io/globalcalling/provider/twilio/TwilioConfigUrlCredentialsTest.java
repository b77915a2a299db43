package io.globalcalling.provider.twilio;

import io.globalcalling.ConfigurationException;
import io.globalcalling.spi.ProviderConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** A URL setting may carry {@code user:password@}; the password must not show where the settings are printed. */
class TwilioConfigUrlCredentialsTest {

    private static final String PASSWORD = "Pr0xyPa55word";

    @Test
    void toStringDropsTheCredentialsOfEveryUrl() {
        Map<String, String> values = Fixtures.baseConfig("http://proxyuser:" + PASSWORD + "@proxy.example:3128");
        values.put("twilio.pricing-base-url", "https://priceuser:" + PASSWORD + "@pricing.example");
        values.put("twilio.webhook-base-url", "https://hookuser:" + PASSWORD + "@hooks.example.com");

        TwilioConfig config = TwilioConfig.from(ProviderConfig.of(values));

        assertThat(config.toString()).doesNotContain(PASSWORD).doesNotContain("proxyuser")
                .contains("apiBaseUrl=http://proxy.example:3128", "webhookBaseUrl=https://hooks.example.com");
        assertThat(config.apiBaseUrl().getUserInfo()).as("the setting itself is kept").isEqualTo("proxyuser:" + PASSWORD);
    }

    @Test
    void aMalformedUrlSettingIsReportedWithoutItsCredentials() {
        Map<String, String> values = Fixtures.baseConfig("ftp://user:" + PASSWORD + "@files.example/x");
        values.put("twilio.webhook-base-url", "https://user:" + PASSWORD + "@bad host/");

        ConfigurationException e = catchThrowableOfType(() -> TwilioConfig.from(ProviderConfig.of(values)),
                ConfigurationException.class);

        assertThat(e.getMessage()).doesNotContain(PASSWORD).contains("twilio.base-url = 'ftp://files.example/x'",
                "twilio.webhook-base-url");
    }

    @Test
    void theReplayWindowDefaultsToFiveMinutes() {
        assertThat(TwilioConfig.from(ProviderConfig.of(Fixtures.baseConfig("http://127.0.0.1:1"))).webhookMaxAge())
                .isEqualTo(Duration.ofMinutes(5));
    }
}
