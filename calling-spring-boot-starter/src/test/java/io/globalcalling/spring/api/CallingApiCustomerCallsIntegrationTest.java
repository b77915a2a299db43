package io.globalcalling.spring.api;

import io.globalcalling.CallCategory;
import io.globalcalling.CallRecord;
import io.globalcalling.Money;
import io.globalcalling.Priority;
import io.globalcalling.Purpose;
import io.globalcalling.core.store.InMemoryCallStore;
import io.globalcalling.spi.store.CallStore;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /calls} lists the key's customer's own calls however many calls other customers placed since: the
 * store is asked for the customer's calls, not for everyone's recent ones.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "calling.api.enabled=true",
        "calling.api.keys.acme=" + CallingApiIntegrationTest.ACME_HASH,
        "calling.api.keys.globex=" + CallingApiIntegrationTest.GLOBEX_HASH})
class CallingApiCustomerCallsIntegrationTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Instant T0 = Instant.parse("2026-03-01T09:00:00Z");

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {

        /** Kept here so that the test can write many calls directly. */
        @Bean
        CallStore callStore() {
            return new InMemoryCallStore();
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    CallStore store;

    @Test
    void aCustomersOldCallIsListedBehindManyNewerCallsOfOthers() throws Exception {
        store.create(call("globex-old", "globex", "+919811112222", T0));
        for (int i = 0; i < 10_001; i++) {
            store.create(call("acme-" + i, "acme", "+919811112222", T0.plusSeconds(1 + i)));
        }

        for (String query : new String[]{"", "?status=initiated", "?number=%2B919811112222",
                "?status=initiated&number=%2B919811112222&limit=1"}) {
            HttpResponse<String> answer = get("/api/calling/calls" + query, CallingApiIntegrationTest.GLOBEX_KEY);
            assertThat(answer.statusCode()).as(query).isEqualTo(200);
            JsonNode calls = JSON.readTree(answer.body()).get("calls");
            assertThat(calls.findValuesAsString("callId")).as(query).containsExactly("globex-old");
        }

        JsonNode acme = JSON.readTree(get("/api/calling/calls?limit=3", CallingApiIntegrationTest.ACME_KEY).body());
        assertThat(acme.get("calls").findValuesAsString("callId")).as("newest first")
                .containsExactly("acme-10000", "acme-9999", "acme-9998");
    }

    @Test
    void aLimitAboveTheMaximumIsRefused() throws Exception {
        HttpResponse<String> answer = get("/api/calling/calls?limit=1001", CallingApiIntegrationTest.ACME_KEY);
        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(answer.body()).contains("limit", "1001", "1000");
        assertThat(get("/api/calling/calls?limit=1000", CallingApiIntegrationTest.ACME_KEY).statusCode()).isEqualTo(200);
    }

    private static CallRecord call(String callId, String customerId, String to, Instant startedAt) {
        return CallRecord.initiated(callId, customerId, CallCategory.INTERNET_VOIP, "+14155550100", to, Purpose.SUPPORT,
                Priority.NORMAL, null, null, Money.inr("1.5"), Money.inr("0.30"), List.of(), false, startedAt, Map.of());
    }

    private HttpResponse<String> get(String path, String key) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Authorization", "Bearer " + key).build(), HttpResponse.BodyHandlers.ofString());
    }
}
