package io.globalcalling.provider.twilio;

import com.github.tomakehurst.wiremock.extension.Parameters;
import com.github.tomakehurst.wiremock.extension.ServeEventListener;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.globalcalling.CallStatus;
import io.globalcalling.ConfigurationException;
import io.globalcalling.ErrorReason;
import io.globalcalling.spi.ProviderException;
import io.globalcalling.spi.PlacedCall;
import io.globalcalling.spi.ProviderConfig;
import io.globalcalling.testkit.TestProviderContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.globalcalling.provider.twilio.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** {@code twilio.max-concurrent-requests}: callers beyond the cap wait their turn before sending anything. */
class TwilioConcurrencyCapTest {

    /** Counts the requests Twilio holds open; each is held until a third is open or 300 ms pass. */
    private static final class OpenRequests implements ServeEventListener {
        final AtomicInteger open = new AtomicInteger();
        final AtomicInteger most = new AtomicInteger();
        final CountDownLatch third = new CountDownLatch(1);

        @Override
        public void beforeMatch(ServeEvent event, Parameters parameters) {
            int now = open.incrementAndGet();
            most.accumulateAndGet(now, Math::max);
            if (now >= 3) third.countDown();
        }

        @Override
        public void beforeResponseSent(ServeEvent event, Parameters parameters) {
            try {
                third.await(300, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                open.decrementAndGet();
            }
        }

        @Override
        public String getName() {
            return "open-requests";
        }
    }

    private static final OpenRequests OPEN = new OpenRequests();

    @RegisterExtension
    static WireMockExtension twilio = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().extensions(OPEN)).build();

    private final TestProviderContext context = TwilioTests.context();
    private final ExecutorService callers = Executors.newFixedThreadPool(6);

    @AfterEach
    void close() {
        callers.shutdownNow();
        context.close();
    }

    @Test
    void neverHasMoreRequestsOpenThanTheCap() throws Exception {
        // Without the cap, the third caller's request arrives while two are held, and the most open reaches 3.
        twilio.stubFor(post(urlEqualTo(CALLS_PATH)).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody(call("queued"))));
        Map<String, String> config = baseConfig(twilio.baseUrl());
        config.put("twilio.max-concurrent-requests", "2");
        TwilioProvider provider = Fixtures.provider(config, context);

        List<Future<PlacedCall>> placed = new ArrayList<>();
        for (int i = 0; i < 6; i++) placed.add(callers.submit(() -> provider.place(voipCall())));

        for (Future<PlacedCall> f : placed) {
            assertThat(f.get(30, TimeUnit.SECONDS)).isEqualTo(PlacedCall.of(CALL_SID, CallStatus.QUEUED));
        }
        assertThat(OPEN.most.get()).isEqualTo(2);
    }

    @Test
    void aCallerInterruptedBeforeItsTurnSendsNothingAndIsUnavailable() {
        twilio.stubFor(post(urlEqualTo(CALLS_PATH)).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody(call("queued"))));
        TwilioProvider provider = Fixtures.provider(twilio.baseUrl(), context);

        Thread.currentThread().interrupt();
        ProviderException e;
        try {
            e = catchThrowableOfType(() -> provider.place(voipCall()), ProviderException.class);
        } finally {
            Thread.interrupted();
        }

        assertThat(e.reason()).isEqualTo(ErrorReason.UNAVAILABLE);   // nothing left: safe to fail over
        assertThat(e).hasMessageContaining("interrupted while waiting to send POST");
        twilio.verify(0, postRequestedFor(urlEqualTo(CALLS_PATH)));
    }

    @Test
    void capOutsideOneToAThousandIsRefusedNamingTheKey() {
        Map<String, String> config = baseConfig("https://api.twilio.com");
        config.put("twilio.max-concurrent-requests", "0");

        assertThatThrownBy(() -> TwilioConfig.from(ProviderConfig.of(config)))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("twilio.max-concurrent-requests = '0'");
    }

    @Test
    void capDefaultsTo32() {
        assertThat(TwilioConfig.from(ProviderConfig.of(baseConfig("https://api.twilio.com"))).maxConcurrentRequests())
                .isEqualTo(32);
    }
}
