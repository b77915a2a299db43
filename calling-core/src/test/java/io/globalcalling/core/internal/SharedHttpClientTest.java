package io.globalcalling.core.internal;

import io.globalcalling.core.GlobalCallingManager;
import io.globalcalling.CallCategory;
import io.globalcalling.CallRecord;
import io.globalcalling.CallRequest;
import io.globalcalling.ConfigurationException;
import io.globalcalling.spi.ProviderConfig;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

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
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining(SharedHttpClient.MAX_IDLE_KEY).hasMessageContaining("-1");
    }

    @Test
    void refusesAZeroKeepAliveNamingTheKey() {
        ProviderConfig config = ProviderConfig.of(Map.of(SharedHttpClient.KEEP_ALIVE_KEY, "0"));

        assertThatThrownBy(() -> SharedHttpClient.create(config))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining(SharedHttpClient.KEEP_ALIVE_KEY);
    }

    @Test
    void refusesAZeroCallTimeoutNamingTheKey() {
        ProviderConfig config = ProviderConfig.of(Map.of(SharedHttpClient.CALL_TIMEOUT_KEY, "0"));

        assertThatThrownBy(() -> SharedHttpClient.create(config))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining(SharedHttpClient.CALL_TIMEOUT_KEY);
    }

    @Test
    void everyCallHasAWholeCallDeadlineByDefault() {
        OkHttpClient client = SharedHttpClient.create(ProviderConfig.empty());

        assertThat(Duration.ofMillis(client.callTimeoutMillis())).isEqualTo(SharedHttpClient.DEFAULT_CALL_TIMEOUT);
        SharedHttpClient.shutdown(client);
    }

    /** Issue 9: a server trickling a byte at a time, each within the read timeout, kept a call busy far past it. */
    @Test
    void aServerTricklingItsAnswerIsCutOffAtTheCallTimeout() throws Exception {
        String body = "x".repeat(40);
        OkHttpClient client = SharedHttpClient.create(ProviderConfig.of(Map.of(SharedHttpClient.CALL_TIMEOUT_KEY, "PT1S")));
        try (RawHttpServer trickling = RawHttpServer.trickling(
                "HTTP/1.1 200 OK\r\nContent-Length: " + body.length() + "\r\n\r\n" + body, Duration.ofMillis(150))) {
            long start = System.nanoTime();
            IOException e = catchThrowableOfType(IOException.class, () -> {
                try (Response response = client.newCall(new Request.Builder().url(trickling.url("/slow")).build()).execute()) {
                    response.body().string();
                }
            });
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertThat(e).isNotNull();
            // the whole answer takes about 12 s to trickle out; the deadline ends the call after about 1 s
            assertThat(took).isLessThan(Duration.ofSeconds(6));
        } finally {
            SharedHttpClient.shutdown(client);
        }
    }

    /** Issue 9: every closed manager left its pooled connections open, for the keep-alive of 5 minutes. */
    @Test
    void closingManagersClosesTheirConnections() throws Exception {
        ProviderConfig config = ProviderConfig.of(Map.of("sandbox.enabled", "false", "webhook.signing-secret", "leak-test-secret",
                "webhook.allow-http", "true", "webhook.allowed-private-networks", "127.0.0.0/8"));
        try (RawHttpServer receiver = RawHttpServer.answering("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")) {
            for (int i = 0; i < 20; i++) {
                try (GlobalCallingManager manager = GlobalCallingManager.builder().config(config).build()) {
                    CallRecord record = manager.call(CallRequest.to(receiver.url("/hook/" + i))
                            .category(CallCategory.SYSTEM_API).build());
                    assertThat(record.providerId()).isEqualTo("webhook");
                }
            }

            assertThat(receiver.requests()).isEqualTo(20);
            assertThat(awaitNoOpenConnections(receiver)).isZero();
        }
    }

    /** The server learns of a closed connection when its read ends; give that a moment. */
    private static int awaitNoOpenConnections(RawHttpServer server) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (server.openConnections() > 0 && System.nanoTime() < deadline) Thread.sleep(20);
        return server.openConnections();
    }
}
