package io.globalcalling.load;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The driver against a stand-in for the host's API: every answer is either a new call or counted against the run. */
class DriverTest {

    private HttpServer host;

    @AfterEach
    void stop() {
        if (host != null) host.stop(0);
    }

    @Test
    void aCreatedAnswerWithoutACallIdIsCountedNotLost() throws Exception {
        Driver driver = driverAgainst("{}");

        driver.place(3);
        driver.awaitPlacements(Duration.ofSeconds(30));
        driver.close();

        // lost, no call was placed and none refused: the audit of nothing would be clean
        assertThat(driver.placed).isEmpty();
        assertThat(driver.refusals()).containsEntry("HTTP 201 without a callId", 3L);
    }

    @Test
    void aCreatedAnswerRepeatingACallIdIsCountedNotMergedWithTheFirst() throws Exception {
        Driver driver = driverAgainst("{\"callId\":\"call-1\"}");

        driver.place(2);
        driver.awaitPlacements(Duration.ofSeconds(30));
        driver.close();

        // two calls accepted with one id: the audit would find one record for "one" call
        assertThat(driver.placed).containsExactly("call-1");
        assertThat(driver.refusals()).containsEntry("HTTP 201 with a callId already answered", 1L);
    }

    /** A driver placing against an API that answers every call 201 with {@code body}. */
    private Driver driverAgainst(String body) throws IOException {
        host = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        host.createContext("/api/calling/voip", exchange -> {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(201, bytes.length);
                exchange.getResponseBody().write(bytes);
            }
        });
        host.start();
        return new Driver(URI.create("http://127.0.0.1:" + host.getAddress().getPort()), List.of("key-1"), 1);
    }
}
