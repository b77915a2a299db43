package io.globalcalling.spring.api;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A host shutting down gracefully ends the open event streams instead of waiting on them: the web server's
 * graceful shutdown waits for open requests, here for up to two minutes, and a client that never hangs up
 * would hold it that long.
 */
class EventStreamShutdownTest {

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {
    }

    @Test
    void aGracefulShutdownEndsTheOpenStreamsInsteadOfWaitingForThem() throws Exception {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(App.class).properties(
                "server.port=0", "server.shutdown=graceful", "spring.lifecycle.timeout-per-shutdown-phase=120s",
                "calling.api.enabled=true", "calling.api.keys.acme=" + CallingApiIntegrationTest.ACME_HASH).run();
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/calling/events"))
                .header("Authorization", "Bearer " + CallingApiIntegrationTest.ACME_KEY).build();
        HttpResponse<InputStream> stream = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofInputStream());
        BufferedReader lines = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8));
        assertThat(lines.readLine()).isEqualTo(":subscribed");
        assertThat(context.getBean(CallEventsController.class).openStreams()).isEqualTo(1);

        CompletableFuture<Void> closed = CompletableFuture.runAsync(context::close);
        CompletableFuture<Void> ended = CompletableFuture.runAsync(() -> {
            try {
                while (lines.readLine() != null) { /* read to the end of the stream */ }
            } catch (java.io.IOException e) {
                // the connection closing also ends it
            }
        });
        // Far below the two minutes a waiting graceful shutdown would take.
        ended.get(30, TimeUnit.SECONDS);
        closed.get(30, TimeUnit.SECONDS);
    }
}
