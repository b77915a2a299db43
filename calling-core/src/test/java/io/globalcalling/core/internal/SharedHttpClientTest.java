package io.globalcalling.core.internal;

import io.globalcalling.spi.ProviderConfig;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Clock;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SharedHttpClientTest {

    @Test
    void providersGetTheManagersClientWhateverFactoryTheyPass() {
        try (SharedResources resources = new SharedResources(Clock.systemUTC(), URI.create("https://example.com/hooks"))) {
            OkHttpClient managers = SharedHttpClient.create(ProviderConfig.empty());
            resources.preferFactory(OkHttpClient.class, () -> managers);

            OkHttpClient first = resources.contextFor("twilio").shared(OkHttpClient.class, OkHttpClient::new);
            OkHttpClient second = resources.contextFor("webhook").shared(OkHttpClient.class, OkHttpClient::new);

            assertThat(first).isSameAs(managers);
            assertThat(second).isSameAs(managers);
        }
    }

    @Test
    void refusesANegativeIdleConnectionCountNamingTheKey() {
        ProviderConfig config = ProviderConfig.of(Map.of(SharedHttpClient.MAX_IDLE_KEY, "-1"));

        assertThatThrownBy(() -> SharedHttpClient.create(config))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(SharedHttpClient.MAX_IDLE_KEY).hasMessageContaining("-1");
    }

    @Test
    void refusesAZeroKeepAliveNamingTheKey() {
        ProviderConfig config = ProviderConfig.of(Map.of(SharedHttpClient.KEEP_ALIVE_KEY, "0"));

        assertThatThrownBy(() -> SharedHttpClient.create(config))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(SharedHttpClient.KEEP_ALIVE_KEY);
    }
}
