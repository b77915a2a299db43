package io.globalcalling.spring.api;

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
 * Two nodes (two applications on one database) behind a load balancer: a client streaming its events from one node
 * hears of the moves the other node applied, each once and in order, and of its own calls only.
 */
class CrossNodeEventStreamTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
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
        ConfigurableApplicationContext context = new SpringApplicationBuilder(App.class).properties("server.port=0",
                "spring.datasource.url=jdbc:h2:mem:cross-node-events;DB_CLOSE_DELAY=-1",
                "calling.api.enabled=true", "calling.api.keys.acme=" + CallingApiIntegrationTest.ACME_HASH,
                "calling.api.keys.globex=" + CallingApiIntegrationTest.GLOBEX_HASH, "sandbox.time-scale=0.001").run();
        nodes.add(context);
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    @Test
    void aStreamOnOneNodeHearsEveryMoveTheOtherNodeAppliedOnceAndInOrder() throws Exception {
        int streaming = node();
        int placing = node();
        HttpResponse<InputStream> stream = HTTP.send(HttpRequest.newBuilder(uri(streaming, "/api/calling/events"))
                .header("Authorization", "Bearer " + CallingApiIntegrationTest.ACME_KEY).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        // not closed here: closing it waits on a read still blocked; the nodes closing ends the stream
        BufferedReader lines = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8));
        assertThat(lines.readLine()).isEqualTo(":subscribed");
        String theirs = placeCall(placing, CallingApiIntegrationTest.GLOBEX_KEY);
        String mine = placeCall(placing, CallingApiIntegrationTest.ACME_KEY);

        // bounded so that a missing event fails the test instead of hanging it
        List<JsonNode> changes = CompletableFuture.supplyAsync(() -> changesUntilEnded(lines, mine))
                .get(20, TimeUnit.SECONDS);

        assertThat(changes).allSatisfy(c -> assertThat(c.get("callId").asString()).as("another customer's call")
                .isNotEqualTo(theirs));
        List<JsonNode> mineOnly = changes.stream().filter(c -> c.get("callId").asString().equals(mine)).toList();
        assertThat(mineOnly.get(0).get("previous").asString()).isEqualTo("initiated");
        for (int i = 1; i < mineOnly.size(); i++) {
            assertThat(mineOnly.get(i).get("previous").asString()).as("each move once, in order")
                    .isEqualTo(mineOnly.get(i - 1).get("status").asString());
        }
        assertThat(mineOnly.get(mineOnly.size() - 1).get("call").get("customerId").asString()).isEqualTo("acme");
    }

    private static String placeCall(int port, String key) throws Exception {
        HttpResponse<String> placed = HTTP.send(HttpRequest.newBuilder(uri(port, "/api/calling/voip"))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"to\":\"+919833334444\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(placed.statusCode()).as(placed.body()).isBetween(200, 201);
        return JSON.readTree(placed.body()).get("callId").asString();
    }

    /** The status changes the stream sends until one ends the call {@code callId}. */
    private static List<JsonNode> changesUntilEnded(BufferedReader lines, String callId) {
        List<JsonNode> changes = new ArrayList<>();
        try {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (!line.startsWith("data:")) continue;
                JsonNode change = JSON.readTree(line.substring("data:".length()));
                changes.add(change);
                if (change.get("callId").asString().equals(callId) && ENDS.contains(change.get("status").asString())) {
                    return changes;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new AssertionError("the stream ended before call " + callId + " did: " + changes);
    }

    private static URI uri(int port, String path) {
        return URI.create("http://localhost:" + port + path);
    }
}
