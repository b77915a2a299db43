package io.globalcalling.spring.api;

import io.globalcalling.core.GlobalCallingManager;
import io.globalcalling.core.store.InMemoryCallStore;
import io.globalcalling.spi.store.CallStore;
import io.globalcalling.spi.store.Campaign;
import io.globalcalling.spi.store.CampaignTarget;
import io.globalcalling.spi.store.StoreException;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A campaign created under an Idempotency-Key whose import of targets failed partway (the store down after the
 * campaign and its first batch were written): the client's retry with the same request finishes the import, adding
 * each missing target once, instead of answering a replay of a campaign that lacks them.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "calling.api.enabled=true",
        "calling.api.keys.acme=" + CallingApiIntegrationTest.ACME_HASH,
        "sandbox.time-scale=0.001"})
class CampaignCreateRetryTest {

    /** More than one import batch (1000), so that the second batch's failure leaves the first stored. */
    static final int TARGETS = 1500;
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** Per campaign: how many addTargets calls the store has had; the second one fails, once. */
    static final Map<String, AtomicInteger> batches = new ConcurrentHashMap<>();
    /** A campaign of this name has its first batch fail instead. */
    static final String FIRST_BATCH_LOST = "First batch lost";

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {

        /** The in-memory store, whose second batch of targets for each campaign fails the first time. */
        @Bean
        CallStore callStore() {
            CallStore memory = new InMemoryCallStore();
            return (CallStore) Proxy.newProxyInstance(CallStore.class.getClassLoader(), new Class<?>[] {CallStore.class},
                    (proxy, method, args) -> {
                        if (method.getName().equals("addTargets") && args[0] instanceof List<?> list && !list.isEmpty()) {
                            String id = ((CampaignTarget) list.get(0)).campaignId();
                            int failing = memory.findCampaign(id).orElseThrow().name().equals(FIRST_BATCH_LOST) ? 1 : 2;
                            if (batches.computeIfAbsent(id, i -> new AtomicInteger()).incrementAndGet() == failing) {
                                throw new StoreException("the database went away");
                            }
                        }
                        try {
                            return method.invoke(memory, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        }

        @Bean
        io.globalcalling.spring.GlobalCallingManagerCustomizer stillCampaigns() {
            return b -> b.campaignNode("retry-test", Duration.ofSeconds(30), Duration.ZERO, 1);
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    GlobalCallingManager calling;

    @Test
    void aRetryAfterAnImportThatFailedPartwayImportsTheRestOnce() throws Exception {
        String body = "{\"name\": \"Half imported\", \"targets\": [" + IntStream.rangeClosed(1, TARGETS)
                .mapToObj(i -> "{\"number\": \"" + number(i) + "\"}").collect(Collectors.joining(",")) + "]}";

        HttpResponse<String> first = post(body, "json-half");
        assertThat(first.statusCode()).as("the import failed: " + first.body()).isGreaterThanOrEqualTo(500);
        String id = keyed("json-half").campaignId();
        assertThat(calling.campaigns().progress(id).total()).as("the first batch only").isEqualTo(1000);

        HttpResponse<String> retry = post(body, "json-half");
        assertThat(retry.statusCode()).as(retry.body()).isEqualTo(200);
        assertThat(retry.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        JsonNode replay = JSON.readTree(retry.body());
        assertThat(replay.get("campaignId").asString()).isEqualTo(id);
        assertThat(replay.get("progress").get("total").asInt()).as("every target, once").isEqualTo(TARGETS);
        assertThat(calling.campaigns().find(id).totalNumbers()).isEqualTo(TARGETS);
        assertThat(calling.campaigns().progress(id).total()).isEqualTo(TARGETS);

        HttpResponse<String> again = post(body, "json-half");
        assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
        assertThat(calling.campaigns().progress(id).total()).as("nothing twice").isEqualTo(TARGETS);
    }

    @Test
    void aRetriedCsvCreateAfterAnImportThatFailedPartwayImportsTheRestOnce() throws Exception {
        String csv = "number\n" + IntStream.rangeClosed(1, TARGETS).mapToObj(i -> number(TARGETS + i))
                .collect(Collectors.joining("\n")) + "\n";

        HttpResponse<String> first = multipart("{\"name\": \"Half a file\"}", csv, "csv-half");
        assertThat(first.statusCode()).as("the import failed: " + first.body()).isGreaterThanOrEqualTo(500);
        String id = keyed("csv-half").campaignId();
        assertThat(calling.campaigns().progress(id).total()).as("the first batch only").isEqualTo(1000);

        HttpResponse<String> retry = multipart("{\"name\": \"Half a file\"}", csv, "csv-half");
        assertThat(retry.statusCode()).as(retry.body()).isEqualTo(200);
        assertThat(retry.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(JSON.readTree(retry.body()).get("progress").get("total").asInt()).isEqualTo(TARGETS);
        assertThat(calling.campaigns().progress(id).total()).isEqualTo(TARGETS);
    }

    @Test
    void aRetryFinishesTheImportOfACampaignThatCompletedWithoutItsTargets() throws Exception {
        String body = "{\"name\": \"" + FIRST_BATCH_LOST + "\", \"targets\": [{\"number\": \"" + number(5001)
                + "\"}, {\"number\": \"" + number(5002) + "\"}]}";
        HttpResponse<String> first = post(body, "none-imported");
        assertThat(first.statusCode()).as("the import failed: " + first.body()).isGreaterThanOrEqualTo(500);
        String id = keyed("none-imported").campaignId();
        calling.campaigns().start(id);
        calling.campaigns().runOnce();
        assertThat(calling.campaigns().find(id).status()).as("nothing to call").isEqualTo(Campaign.Status.COMPLETED);

        HttpResponse<String> retry = post(body, "none-imported");
        assertThat(retry.statusCode()).as(retry.body()).isEqualTo(200);
        assertThat(JSON.readTree(retry.body()).get("progress").get("total").asInt()).isEqualTo(2);
        assertThat(calling.campaigns().find(id).status()).as("it works again for its targets")
                .isEqualTo(Campaign.Status.IN_PROGRESS);

        HttpResponse<String> again = post(body, "none-imported");
        assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
        assertThat(calling.campaigns().progress(id).total()).as("nothing twice").isEqualTo(2);
    }

    private Campaign keyed(String key) {
        return calling.campaigns().list("acme", 1000).stream().filter(c -> key.equals(c.idempotencyKey()))
                .reduce((a, b) -> { throw new AssertionError("two campaigns under " + key); }).orElseThrow();
    }

    private static String number(int i) {
        return "+9198765" + String.format("%05d", i);
    }

    private HttpResponse<String> post(String json, String key) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri()).header("Authorization", "Bearer " + CallingApiIntegrationTest.ACME_KEY)
                .header("Content-Type", "application/json").header(CallingApiController.IDEMPOTENCY_KEY, key)
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> multipart(String campaignJson, String csv, String key) throws Exception {
        String boundary = "----calling-test-boundary";
        String body = "--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"campaign\"\r\nContent-Type: application/json\r\n\r\n"
                + campaignJson + "\r\n--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"csv\"; filename=\"targets.csv\"\r\nContent-Type: text/csv\r\n\r\n"
                + csv + "\r\n--" + boundary + "--\r\n";
        return HTTP.send(HttpRequest.newBuilder(uri()).header("Authorization", "Bearer " + CallingApiIntegrationTest.ACME_KEY)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .header(CallingApiController.IDEMPOTENCY_KEY, key)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri() {
        return URI.create("http://localhost:" + port + "/api/calling/campaign/create");
    }
}
