package io.globalcalling.spring.api;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import org.springframework.web.servlet.mvc.method.annotation.StalledClient;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Each stream's events are sent on the streams' own threads; one whose client stopped reading delays only itself. */
class SseStreamsTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final List<StalledClient> clients = new ArrayList<>();

    @AfterEach
    void release() {
        clients.forEach(StalledClient::release);
    }

    @Test
    void aStreamWhoseClientStoppedReadingIsEndedOnceItsBacklogIsFullAndHoldsUpNoOtherStream() throws Exception {
        SseStreams streams = new SseStreams(2);
        CountDownLatch ended = new CountDownLatch(1);
        SseEmitter stalled = streams.open(Duration.ofMinutes(1), ended::countDown);
        SseEmitter other = streams.open(Duration.ofMinutes(1), () -> { });
        StalledClient slow = attach(stalled);
        StalledClient reading = attach(other);
        slow.stopReading();

        streams.send(stalled, event(1));   // returns: sent on another thread, where it blocks
        assertThat(slow.awaitStalled(WAIT)).isTrue();
        streams.send(stalled, event(2));
        streams.send(stalled, event(3));   // two waiting: the backlog is full
        streams.send(other, event(1));
        assertThat(reading.awaitTaken(1, WAIT)).as("another stream is not held up").isTrue();
        assertThat(ended.getCount()).isEqualTo(1);

        streams.send(stalled, event(4));

        assertThat(ended.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("the stalled stream is ended").isTrue();
        assertThat(streams.size()).isEqualTo(1);
        streams.send(other, event(2));
        assertThat(reading.awaitTaken(1, WAIT)).isTrue();
    }

    @Test
    void completingEveryStreamAtShutdownDoesNotWaitForASendToAClientThatStoppedReading() throws Exception {
        SseStreams streams = new SseStreams();
        SseEmitter stalled = streams.open(Duration.ofMinutes(1), () -> { });
        SseEmitter other = streams.open(Duration.ofMinutes(1), () -> { });
        StalledClient slow = attach(stalled);
        StalledClient reading = attach(other);
        slow.stopReading();
        streams.send(stalled, event(1));
        assertThat(slow.awaitStalled(WAIT)).isTrue();

        CompletableFuture<Void> completing = CompletableFuture.runAsync(streams::completeAll);

        assertThat(completing).as("the host's shutdown").succeedsWithin(WAIT);
        assertThat(reading.awaitCompleted(WAIT)).as("the stream still read is completed").isTrue();
        slow.release();
        assertThat(slow.awaitCompleted(WAIT)).as("the stalled one, once its send is over").isTrue();
    }

    private StalledClient attach(SseEmitter emitter) throws Exception {
        StalledClient client = StalledClient.attach(emitter);
        clients.add(client);
        return client;
    }

    private static SseEmitter.SseEventBuilder event(int n) {
        return SseEmitter.event().name("status").data("change " + n);
    }
}
