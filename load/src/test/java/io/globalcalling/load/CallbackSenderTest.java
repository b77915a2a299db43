package io.globalcalling.load;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Callbacks delivered as Twilio does, retries included. */
class CallbackSenderTest {

    private HttpServer receiver;
    private final List<String> tokens = new CopyOnWriteArrayList<>();
    private final AtomicInteger refuseFirst = new AtomicInteger();

    @BeforeEach
    void start() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                tokens.add(exchange.getRequestHeaders().getFirst("I-Twilio-Idempotency-Token"));
                exchange.sendResponseHeaders(refuseFirst.getAndDecrement() > 0 ? 503 : 200, -1);
            }
        });
        receiver.start();
    }

    @AfterEach
    void stop() {
        receiver.stop(0);
    }

    @Test
    void aRetriedCallbackKeepsItsIdempotencyTokenAndAnotherCallbackHasItsOwn() throws Exception {
        URI url = URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook");
        refuseFirst.set(1);
        try (CallbackSender sender = new CallbackSender(LoadDefaults.AUTH_TOKEN, 2)) {
            sender.expect();
            sender.send(url, Map.of("CallSid", "CA1", "CallStatus", "completed"));
            awaitDelivered(sender, 1);
            sender.expect();
            sender.send(url, Map.of("CallSid", "CA2", "CallStatus", "completed"));
            awaitDelivered(sender, 2);

            assertThat(sender.retried.get()).isEqualTo(1);
        }
        assertThat(tokens).hasSize(3).doesNotContainNull();
        assertThat(tokens.get(1)).as("Twilio keeps the token when it retries a callback").isEqualTo(tokens.get(0));
        assertThat(tokens.get(2)).as("each callback has its own").isNotEqualTo(tokens.get(0));
    }

    private static void awaitDelivered(CallbackSender sender, long count) throws InterruptedException {
        for (int i = 0; i < 1000 && sender.delivered.get() < count; i++) Thread.sleep(10);
        assertThat(sender.delivered.get()).isEqualTo(count);
    }
}
