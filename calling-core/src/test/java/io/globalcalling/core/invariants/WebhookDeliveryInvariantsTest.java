package io.globalcalling.core.invariants;

import com.sun.net.httpserver.HttpServer;
import io.globalcalling.core.CallFailedException;
import io.globalcalling.core.GlobalCallingManager;
import io.globalcalling.CallCategory;
import io.globalcalling.CallRequest;
import io.globalcalling.CallStatus;
import io.globalcalling.spi.ProviderConfig;
import io.globalcalling.testkit.MutableClock;
import io.globalcalling.testkit.ScriptedProvider;
import io.globalcalling.testkit.ScriptedProvider.Outcome;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real webhook provider against a local receiver that answers each delivery as scripted (2xx, 4xx,
 * 429, 5xx, or a connection reset after the request arrived), with a scripted provider as the next
 * option: once a delivery reached the receiver and it may have acted on it, the call is never sent to
 * the other provider (issue 9: double delivery).
 */
class WebhookDeliveryInvariantsTest {

    /** What the receiver does with one delivery. */
    enum Answer {
        OK(200), BAD_REQUEST(400), NOT_FOUND(404), TOO_MANY(429), ERROR(500), UNAVAILABLE(503), RESET(0);

        final int code;

        Answer(int code) {
            this.code = code;
        }

        /** Whether the receiver may have acted on the delivery. */
        boolean mayHaveActed() {
            return this == OK || this == ERROR || this == UNAVAILABLE || this == RESET;
        }
    }

    private static HttpServer server;
    private static final Deque<Answer> script = new ArrayDeque<>();
    private static final List<Answer> given = new ArrayList<>();

    @BeforeContainer
    static void start() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/hook", exchange -> {
            exchange.getRequestBody().readAllBytes();
            Answer answer;
            synchronized (script) {
                answer = script.isEmpty() ? Answer.OK : script.pollFirst();
                given.add(answer);
            }
            if (answer == Answer.RESET) {
                exchange.close();   // the request arrived; no answer goes back
                return;
            }
            if (answer == Answer.TOO_MANY) exchange.getResponseHeaders().add("Retry-After", "0");
            exchange.sendResponseHeaders(answer.code, -1);
            exchange.close();
        });
        server.start();
    }

    @AfterContainer
    static void stop() {
        server.stop(0);
    }

    @Property(tries = 40)
    void aDeliveryThatMayHaveArrivedNeverFailsOver(@ForAll("answers") List<Answer> answers) {
        synchronized (script) {
            script.clear();
            script.addAll(answers);
            given.clear();
        }
        MutableClock clock = MutableClock.create();
        ScriptedProvider backup = ScriptedProvider.builder().id("backup").categories(CallCategory.SYSTEM_API).clock(clock).build();
        backup.next(Outcome.accept(CallStatus.QUEUED));
        ProviderConfig config = ProviderConfig.of(Map.of("webhook.signing-secret", "model-secret",
                "webhook.allow-http", "true", "webhook.allowed-private-networks", "127.0.0.0/8,::1/128",
                "webhook.max-attempts", "3", "webhook.read-timeout", "PT5S"));
        String callId;
        try (GlobalCallingManager manager = GlobalCallingManager.builder().config(config).clock(clock)
                .provider(backup).build()) {
            try {
                callId = manager.call(CallRequest.to("http://127.0.0.1:" + server.getAddress().getPort() + "/hook")
                        .category(CallCategory.SYSTEM_API).payload("{\"n\":1}").build()).callId();
            } catch (CallFailedException e) {
                callId = e.callId();
            }
        }
        List<Answer> answered;
        synchronized (script) {
            answered = List.copyOf(given);
        }
        assertThat(answered).as("the webhook provider is the first option").isNotEmpty();
        if (answered.stream().anyMatch(Answer::mayHaveActed)) {
            assertThat(backup.attempts()).as("call %s reached the receiver (answers %s), then went to another provider",
                    callId, answered).isEmpty();
        }
    }

    /** One answer per attempt (three), mostly those after which the provider tries again. */
    @Provide
    Arbitrary<List<Answer>> answers() {
        return Arbitraries.frequency(Tuple.of(3, Answer.ERROR), Tuple.of(3, Answer.UNAVAILABLE), Tuple.of(2, Answer.TOO_MANY),
                Tuple.of(2, Answer.RESET), Tuple.of(2, Answer.OK), Tuple.of(1, Answer.BAD_REQUEST), Tuple.of(1, Answer.NOT_FOUND))
                .list().ofSize(3);
    }
}
