package io.globalcalling.spring.admin;

import io.globalcalling.CallRecord;
import io.globalcalling.CallRequest;
import io.globalcalling.core.GlobalCallingManager;
import io.globalcalling.spi.ProviderConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import org.springframework.web.servlet.mvc.method.annotation.StalledClient;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/** The dashboard's event stream to a page that stopped reading holds up no placement. */
class StalledDashboardStreamTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final GlobalCallingManager manager = GlobalCallingManager.builder().discoverProviders(true)
            .config(ProviderConfig.empty()).build();
    private StalledClient client;

    @AfterEach
    void close() {
        if (client != null) client.release();
        manager.close();
    }

    @Test
    void aPlacementIsNotHeldUpByADashboardStreamWhoseClientStoppedReading() throws Exception {
        SseEmitter stream = new AdminEventsController(manager).events();
        client = StalledClient.attach(stream);
        client.stopReading();

        CompletableFuture<CallRecord> first = CompletableFuture.supplyAsync(
                () -> manager.call(CallRequest.to("+14155550100").build()));
        assertThat(client.awaitStalled(WAIT)).as("a send to the page blocks").isTrue();
        CompletableFuture<CallRecord> second = CompletableFuture.supplyAsync(
                () -> manager.call(CallRequest.to("+14155550101").build()));

        assertThat(first).as("the placement whose event blocked").succeedsWithin(WAIT);
        assertThat(second).as("a placement after it").succeedsWithin(WAIT);
    }
}
