package io.globalcalling.spring.api;

import io.globalcalling.CallRecord;
import io.globalcalling.core.GlobalCallingManager;
import io.globalcalling.core.store.InMemoryCallStore;
import io.globalcalling.spi.store.CallStore;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two first POSTs with one Idempotency-Key, truly concurrent: the first is held inside the store (before its record
 * is written) while the second records and places the call. One call, one 201, and the other answer a replay of it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "calling.api.enabled=true",
        "calling.api.keys.acme=" + CallingApiIntegrationTest.ACME_HASH,
        "sandbox.time-scale=0.001"})
class CallingApiIdempotencyRaceTest {

    static final String KEY = "race-4711";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** Set when the first create under {@link #KEY} is inside the store; it waits there for {@link #release}. */
    static final CountDownLatch firstInStore = new CountDownLatch(1);
    static final CountDownLatch release = new CountDownLatch(1);

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {

        /** The in-memory store, whose first create of a call under {@link #KEY} waits for the test's word. */
        @Bean
        CallStore callStore() {
            CallStore memory = new InMemoryCallStore();
            AtomicBoolean held = new AtomicBoolean();
            return (CallStore) Proxy.newProxyInstance(CallStore.class.getClassLoader(), new Class<?>[] {CallStore.class},
                    (proxy, method, args) -> {
                        if (method.getName().equals("create") && args[0] instanceof CallRecord r
                                && KEY.equals(r.idempotencyKey()) && held.compareAndSet(false, true)) {
                            firstInStore.countDown();
                            assertThat(release.await(30, TimeUnit.SECONDS)).as("released").isTrue();
                        }
                        try {
                            return method.invoke(memory, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    GlobalCallingManager calling;

    @Test
    void twoRacingFirstPostsWithOneKeyPlaceOneCallAndOneAnswersAsItsReplay() throws Exception {
        String body = "{\"to\":\"+919812340001\"}";
        CompletableFuture<HttpResponse<String>> first = HTTP.sendAsync(post(body), HttpResponse.BodyHandlers.ofString());
        assertThat(firstInStore.await(30, TimeUnit.SECONDS)).as("the first POST reached the store").isTrue();

        HttpResponse<String> second = HTTP.send(post(body), HttpResponse.BodyHandlers.ofString());
        release.countDown();
        HttpResponse<String> held = first.get(30, TimeUnit.SECONDS);

        assertThat(second.statusCode()).as(second.body()).isEqualTo(201);
        String callId = JSON.readTree(second.body()).get("callId").asString();
        assertThat(held.statusCode()).as("the held first is answered as a replay: " + held.body()).isEqualTo(200);
        assertThat(held.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(held.headers().firstValue("Location")).isEmpty();
        assertThat(JSON.readTree(held.body()).get("callId").asString()).isEqualTo(callId);
        List<CallRecord> calls = calling.calls().byNumber("+919812340001", 10);
        assertThat(calls).extracting(CallRecord::callId).containsExactly(callId);
    }

    private HttpRequest post(String json) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/calling/voip"))
                .header("Authorization", "Bearer " + CallingApiIntegrationTest.ACME_KEY)
                .header("Content-Type", "application/json").header(CallingApiController.IDEMPOTENCY_KEY, KEY)
                .POST(HttpRequest.BodyPublishers.ofString(json)).build();
    }
}
