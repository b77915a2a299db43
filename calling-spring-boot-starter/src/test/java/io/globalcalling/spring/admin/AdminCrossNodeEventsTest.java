package io.globalcalling.spring.admin;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two nodes (two applications on one database) behind a load balancer: the dashboard's event stream on one node shows
 * the calls the other node placed and moved on, up to their end.
 */
class AdminCrossNodeEventsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Set<String> ENDS = Set.of("completed", "busy", "no_answer", "failed", "canceled");

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {
    }

    private final List<ConfigurableApplicationContext> nodes = new ArrayList<>();

    @AfterEach
    void close() {
        nodes.forEach(ConfigurableApplicationContext::close);
    }

    private int node() {
        // as arguments, so that they win over the test resources' properties (Spring Security on, as a host with the
        // dashboard has it)
        ConfigurableApplicationContext context = new SpringApplicationBuilder(App.class).run("--server.port=0",
                "--spring.autoconfigure.exclude=",
                "--spring.datasource.url=jdbc:h2:mem:admin-cross-node-events;DB_CLOSE_DELAY=-1",
                "--calling.admin.enabled=true",
                "--calling.admin.password-hash=" + AdminDashboardIntegrationTest.PASSWORD_HASH,
                "--calling.api.enabled=true", "--calling.api.keys.acme=" + AdminDashboardIntegrationTest.API_KEY_HASH,
                "--sandbox.time-scale=0.001");
        nodes.add(context);
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    @Test
    void theDashboardsStreamOnOneNodeShowsACallTheOtherNodePlacedUpToItsEnd() throws Exception {
        AdminSession admin = new AdminSession(node());
        int placing = node();
        assertThat(admin.logIn("admin", AdminDashboardIntegrationTest.PASSWORD).statusCode()).isEqualTo(302);
        HttpResponse<InputStream> stream = admin.send(HttpRequest.newBuilder(admin.uri(CallingAdminAutoConfiguration.BASE
                + "/events")).header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(stream.statusCode()).isEqualTo(200);
        // not closed here: closing it waits on a read still blocked; the nodes closing ends the stream
        BufferedReader lines = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8));
        assertThat(lines.readLine()).isEqualTo(":subscribed");

        HttpResponse<String> placed = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + placing + "/api/calling/voip"))
                .header("Authorization", "Bearer " + AdminDashboardIntegrationTest.API_KEY)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"to\":\"+14155550100\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(placed.statusCode()).as(placed.body()).isEqualTo(201);
        String id = JSON.readTree(placed.body()).get("callId").asString();

        // bounded so that a missing event fails the test instead of hanging it
        JsonNode end = CompletableFuture.supplyAsync(() -> untilEnded(lines, id)).get(20, TimeUnit.SECONDS);
        assertThat(end.get("customerId").asString()).isEqualTo("acme");
    }

    /** The first call the stream sends as {@code callId} ended. */
    private static JsonNode untilEnded(BufferedReader lines, String callId) {
        try {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (!line.startsWith("data:")) continue;
                JsonNode call = JSON.readTree(line.substring("data:".length()));
                if (call.get("callId").asString().equals(callId) && ENDS.contains(call.get("status").asString())) {
                    return call;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new AssertionError("the stream ended before call " + callId + " did");
    }
}
