package io.globalcalling.examples;

import com.sun.net.httpserver.HttpServer;
import io.globalcalling.core.GlobalCallingManager;
import io.globalcalling.spi.ProviderConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class WebhookEndpointTest {

    private GlobalCallingManager calling;
    private HttpServer host;

    @BeforeEach
    void start() throws IOException {
        calling = GlobalCallingManager.builder()
                .config(ProviderConfig.of(Map.of("calling.webhooks.max-body-bytes", "1024")))
                .build();
        host = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        WebhookEndpoint.mount(host, calling, "https://app.example.com");
        host.start();
    }

    @AfterEach
    void stop() {
        host.stop(0);
        calling.close();
    }

    private int post(String body) throws IOException, InterruptedException {
        URI url = URI.create("http://127.0.0.1:" + host.getAddress().getPort() + WebhookEndpoint.PATH + "sandbox");
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(url)
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    @Test
    void aBodyOverTheManagersLimitIsAnswered413() throws Exception {
        assertThat(post("Status=completed&Padding=" + "x".repeat(10_000))).isEqualTo(413);
        assertThat(post("Status=completed")).as("a small unsigned one reaches the provider, which refuses it")
                .isNotEqualTo(413).isBetween(400, 499);
    }
}
