package io.globalcalling.spring.api;

import io.globalcalling.core.GlobalCallingManager;
import io.globalcalling.spi.store.Campaign;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Configuration;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A campaign keeps a fingerprint of its create's targets, to tell a retry from another request under the same
 * Idempotency-Key. It was a plain SHA-256 of the numbers, kept after their erasure: for a campaign of one number
 * (or a few), hashing each candidate number finds it. With an erasure key it is keyed by that key, as the erased
 * number's pseudonym is, and a retry is still told from another request.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "calling.api.enabled=true",
        "calling.api.keys.acme=" + CallingApiIntegrationTest.ACME_HASH,
        "calling.store.erasure-key=erasure-key-for-tests",
        "sandbox.time-scale=0.001"})
class CampaignFingerprintErasureTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String NUMBER = "+919876543210";

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {
    }

    @LocalServerPort
    int port;

    @Autowired
    GlobalCallingManager calling;

    @Test
    void theTargetsFingerprintIsNoPlainHashOfTheNumbers() throws Exception {
        String body = "{\"name\": \"One number\", \"targets\": [{\"number\": \"" + NUMBER + "\"}]}";
        assertThat(post(body, "one-number").statusCode()).isEqualTo(201);
        Campaign campaign = calling.campaigns().list("acme", 10).stream()
                .filter(c -> "one-number".equals(c.idempotencyKey())).findFirst().orElseThrow();

        // what anyone can compute for a guessed number: each part length-prefixed, no time zone, no variables
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        sha256.update((NUMBER.length() + ":" + NUMBER + "-1:0").getBytes(StandardCharsets.UTF_8));
        String plain = HexFormat.of().formatHex(sha256.digest());
        assertThat(campaign.policy()).contains("request=targets:").doesNotContain(plain);

        HttpResponse<String> retry = post(body, "one-number");
        assertThat(retry.statusCode()).as(retry.body()).isEqualTo(200);
        assertThat(retry.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        HttpResponse<String> other = post(body.replace("3210", "3211"), "one-number");
        assertThat(other.statusCode()).as(other.body()).isEqualTo(409);
    }

    private HttpResponse<String> post(String json, String key) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/calling/campaign/create"))
                .header("Authorization", "Bearer " + CallingApiIntegrationTest.ACME_KEY)
                .header("Content-Type", "application/json").header(CallingApiController.IDEMPOTENCY_KEY, key)
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
