package io.globalcalling.examples.spring;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** The example as it ships (H2), on a random port: a call placed over HTTP lands in the application's database. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spring.datasource.url=jdbc:h2:mem:calling-example;DB_CLOSE_DELAY=-1")
class CallingApplicationTest {

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aCallPlacedOverHttpIsKeptInTheApplicationsDatabase() throws Exception {
        ExampleClient client = new ExampleClient(port);

        String callId = client.placeCall("+919876543210", "internet_voip");

        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM calling_call WHERE call_id = ?", Integer.class, callId))
                .isEqualTo(1);
        assertThat(client.get("/calls/" + callId).body()).contains("\"providerId\":\"sandbox\"", "\"simulated\":true");
        assertThat(client.get("/actuator/health").body()).contains("\"status\":\"UP\"", "\"calling\"");
        assertThat(client.get("/actuator/metrics/calling.calls.placed?tag=provider:sandbox").body())
                .contains("\"name\":\"calling.calls.placed\"", "\"value\":1.0");
    }

    @Test
    void aMalformedNumberIsRefusedWithItsReason() throws Exception {
        HttpResponse<String> refused = new ExampleClient(port).post("/calls?to=12345");
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("12345");
    }

    /** The example's HTTP API, as a host's client would call it. */
    static final class ExampleClient {
        private final HttpClient http = HttpClient.newHttpClient();
        private final int port;

        ExampleClient(int port) {
            this.port = port;
        }

        String placeCall(String to, String category) throws Exception {
            HttpResponse<String> placed = post("/calls?to=" + to.replace("+", "%2B") + "&category=" + category);
            assertThat(placed.statusCode()).as(placed.body()).isEqualTo(201);
            return placed.body().replaceAll(".*\"callId\":\"([^\"]+)\".*", "$1");
        }

        HttpResponse<String> post(String path) throws Exception {
            return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        }

        HttpResponse<String> get(String path) throws Exception {
            return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
        }
    }
}
