package io.globalcalling.load;

import com.sun.net.httpserver.HttpServer;
import io.globalcalling.CallCategory;
import io.globalcalling.CallRequest;
import io.globalcalling.CallStatus;
import io.globalcalling.ErrorReason;
import io.globalcalling.Secret;
import io.globalcalling.provider.twilio.TwilioConfig;
import io.globalcalling.provider.twilio.TwilioProvider;
import io.globalcalling.provider.twilio.TwilioSignatureValidator;
import io.globalcalling.spi.CallEvent;
import io.globalcalling.spi.OutboundCall;
import io.globalcalling.spi.PlacementSearch;
import io.globalcalling.spi.PlacedCall;
import io.globalcalling.spi.ProviderConfig;
import io.globalcalling.spi.ProviderException;
import io.globalcalling.testkit.TestProviderContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The simulator as the real Twilio provider sees it: its wire shapes read by TwilioProvider, its callbacks signed. */
class TwilioSimulatorTest {

    /** A minute of talk is a tenth of a second here. */
    private static final SimulatorSettings ALL_ANSWERED = new SimulatorSettings(LoadDefaults.ACCOUNT_SID,
            LoadDefaults.AUTH_TOKEN, 600, Duration.ofSeconds(1), Duration.ofSeconds(2), 1, 0, 0, Duration.ofMinutes(1), Duration.ofMinutes(4),
            0, 0, "0.0140", 4, 1);

    private TwilioSimulator simulator;
    private HttpServer receiver;
    private final List<Map<String, String>> callbacks = new CopyOnWriteArrayList<>();
    private final List<Boolean> signaturesValid = new CopyOnWriteArrayList<>();
    private final TestProviderContext context = TestProviderContext.create();

    @BeforeEach
    void start() throws IOException {
        simulator = TwilioSimulator.start(ALL_ANSWERED, 0);
        TwilioSignatureValidator validator = new TwilioSignatureValidator(Secret.of(LoadDefaults.AUTH_TOKEN));
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/calling/webhooks/twilio", exchange -> {
            try (exchange) {
                Map<String, List<String>> form = form(new String(exchange.getRequestBody().readAllBytes(),
                        StandardCharsets.UTF_8));
                String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + exchange.getRequestURI();
                signaturesValid.add(validator.validate(url, form,
                        exchange.getRequestHeaders().getFirst("X-Twilio-Signature")));
                Map<String, String> first = new LinkedHashMap<>();
                form.forEach((k, v) -> first.put(k, v.get(0)));
                callbacks.add(first);
                exchange.sendResponseHeaders(200, -1);
            }
        });
        receiver.start();
    }

    @AfterEach
    void stop() {
        simulator.close();
        receiver.stop(0);
        context.close();
    }

    @Test
    void aCallIsCreatedOncePlayedOutAndCalledBackWithSignedCallbacksTwilioProviderAccepts() throws Exception {
        TwilioProvider twilio = provider(LoadDefaults.AUTH_TOKEN);
        URI callback = URI.create("http://127.0.0.1:" + receiver.getAddress().getPort()
                + "/calling/webhooks/twilio?callId=call-1");

        PlacedCall placed = twilio.place(OutboundCall.builder("call-1", CallCategory.INTERNET_VOIP,
                CallRequest.to("+14155551212").build()).statusCallbackUrl(callback).build());

        assertThat(placed.providerCallId()).matches("CA[0-9a-f]{32}");
        assertThat(placed.status()).isEqualTo(CallStatus.QUEUED);
        awaitStatus("completed");
        assertThat(signaturesValid).hasSize(4).containsOnly(true);
        // steps milliseconds apart are delivered concurrently, so they may arrive in any order
        assertThat(callbacks).extracting(c -> c.get("CallStatus") + "#" + c.get("SequenceNumber"))
                .containsExactlyInAnyOrder("initiated#0", "ringing#1", "in-progress#2", "completed#3");
        Map<String, String> completed = callbacks.stream().filter(c -> c.get("CallStatus").equals("completed"))
                .findFirst().orElseThrow();
        assertThat(completed).containsEntry("CallSid", placed.providerCallId()).containsKey("Timestamp");
        assertThat(Long.parseLong(completed.get("CallDuration"))).isBetween(1L, 240L);

        CallEvent fetched = twilio.fetch(placed.providerCallId()).orElseThrow();
        assertThat(fetched.status()).isEqualTo(CallStatus.COMPLETED);
        assertThat(fetched.duration()).isEqualTo(Duration.ofSeconds(Long.parseLong(completed.get("CallDuration"))));
        long minutes = (Long.parseLong(completed.get("CallDuration")) + 59) / 60;
        assertThat(fetched.price().amount()).isEqualByComparingTo(new java.math.BigDecimal("0.0140").multiply(
                java.math.BigDecimal.valueOf(minutes)));

        // how the call ended, as the audit reads it: by our call id, the talk time and price of the last callback
        assertThat(simulator.callOutcomes()).singleElement().satisfies(o -> assertThat(o)
                .containsEntry("callId", "call-1").containsEntry("sid", placed.providerCallId())
                .containsEntry("status", "completed").containsEntry("duration", completed.get("CallDuration"))
                .containsEntry("price", new java.math.BigDecimal("0.0140").multiply(java.math.BigDecimal.valueOf(minutes))
                        .setScale(5).negate().toPlainString())
                .containsEntry("price_unit", "USD"));

        Map<String, Object> stats = simulator.stats();
        assertThat(stats).containsEntry("creates", 1L).containsEntry("callbackUrls", 1)
                .containsEntry("maxCreatesPerCallbackUrl", 1).containsEntry("callbacksDelivered", 4L)
                .containsEntry("active", 0L).containsEntry("callbacksPending", 0L);
    }

    @Test
    void hangingUpEveryCallCompletesAnAnsweredCallWithTheTimeTalkedAndCallsItBack() throws Exception {
        simulator.close();
        // a minute passes in a second: answered within a fifth of a second, then ten seconds of talk
        simulator = TwilioSimulator.start(new SimulatorSettings(LoadDefaults.ACCOUNT_SID, LoadDefaults.AUTH_TOKEN, 60,
                Duration.ofSeconds(1), Duration.ofSeconds(2), 1, 0, 0, Duration.ofMinutes(10), Duration.ofMinutes(10),
                0, 0, "0.0140", 4, 1), 0);
        TwilioProvider twilio = provider(LoadDefaults.AUTH_TOKEN);
        PlacedCall placed = twilio.place(OutboundCall.builder("call-3", CallCategory.INTERNET_VOIP,
                CallRequest.to("+14155551212").build()).statusCallbackUrl(URI.create("http://127.0.0.1:"
                + receiver.getAddress().getPort() + "/calling/webhooks/twilio?callId=call-3")).build());
        awaitStatus("in-progress");

        HttpResponse<String> ended = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + simulator.port() + "/hang-up-all"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(ended.body()).isEqualTo("1");
        awaitStatus("completed");
        Map<String, String> completed = callbacks.stream().filter(c -> c.get("CallStatus").equals("completed"))
                .findFirst().orElseThrow();
        assertThat(completed).containsEntry("CallSid", placed.providerCallId()).containsKey("CallDuration");
        assertThat(signaturesValid).containsOnly(true);
        assertThat(twilio.fetch(placed.providerCallId()).orElseThrow().status()).isEqualTo(CallStatus.COMPLETED);
        assertThat(simulator.callOutcomes()).singleElement().satisfies(o -> assertThat(o)
                .containsEntry("callId", "call-3").containsEntry("status", "completed")
                .containsEntry("duration", completed.get("CallDuration")));
        assertThat(simulator.stats()).containsEntry("active", 0L).containsEntry("callbacksPending", 0L)
                .containsEntry("callbacksDelivered", 4L);
    }

    @Test
    void aCallbackIsNeverHeldBackForANextStepMinutesAway() throws Exception {
        simulator.close();
        // every callback out of order if it can be; answered within a fifth of a second, then 2 minutes of talk
        simulator = TwilioSimulator.start(new SimulatorSettings(LoadDefaults.ACCOUNT_SID, LoadDefaults.AUTH_TOKEN, 60,
                Duration.ofSeconds(1), Duration.ofSeconds(2), 1, 0, 0, Duration.ofHours(2), Duration.ofHours(2), 0, 1,
                "0.0140", 4, 1), 0);
        provider(LoadDefaults.AUTH_TOKEN).place(OutboundCall.builder("call-4", CallCategory.INTERNET_VOIP,
                CallRequest.to("+14155551212").build()).statusCallbackUrl(URI.create("http://127.0.0.1:"
                + receiver.getAddress().getPort() + "/calling/webhooks/twilio?callId=call-4")).build());

        // held back until the completion, its Timestamp would be two hours old: a replay the host refuses
        awaitStatus("in-progress");

        assertThat(callbacks).extracting(c -> c.get("CallStatus")).contains("in-progress").doesNotContain("completed");
        assertThat(simulator.stats()).containsEntry("callbacksReordered", 2L);
    }

    @Test
    void aWrongAuthTokenIsAnsweredWithTwiliosAuthenticationError() {
        TwilioProvider twilio = provider("not-the-token");

        assertThatThrownBy(() -> twilio.place(OutboundCall.builder("call-2", CallCategory.INTERNET_VOIP,
                CallRequest.to("+14155551212").build()).build()))
                .isInstanceOfSatisfying(ProviderException.class, e -> {
                    assertThat(e.reason()).isEqualTo(ErrorReason.AUTHENTICATION);
                    assertThat(e.providerErrorCode()).contains("20003");
                });
        assertThat(simulator.stats()).containsEntry("creates", 0L);
    }

    @Test
    void anUnknownCallIsNotFound() {
        assertThat(provider(LoadDefaults.AUTH_TOKEN).fetch("CA00000000000000000000000000000000")).isEmpty();
    }

    @Test
    void reconcilingFindsTheCallTheSimulatorCreatedThroughTwiliosCallList() throws Exception {
        TwilioProvider twilio = provider(LoadDefaults.AUTH_TOKEN);
        Instant sent = Instant.now();
        OutboundCall call = voip("call-5", "+14155551212");
        PlacedCall placed = twilio.place(call); // as if its answer had been lost

        CallEvent found = ((PlacementSearch.Found) twilio.findPlaced(call, sent, Instant.now())).event();

        assertThat(found.providerCallId()).isEqualTo(placed.providerCallId());
        assertThat(found.callId()).isEqualTo("call-5");
        assertThat(simulator.stats()).containsEntry("lists", 2L); // started since the day, and still queued
    }

    @Test
    void reconcilingACreateThatNeverReachedTheSimulatorFindsNothing() throws Exception {
        TwilioProvider twilio = provider(LoadDefaults.AUTH_TOKEN);
        twilio.place(voip("call-6", "+14155551212")); // another destination's call is not ours

        assertThat(twilio.findPlaced(voip("call-7", "+14155551313"), Instant.now(), Instant.now()))
                .isEqualTo(PlacementSearch.notPlaced());
        assertThat(simulator.stats()).containsEntry("lists", 2L);
    }

    @Test
    void theCallListPagesWithTwiliosPagingFieldsSoAMatchOnALaterPageIsSeen() throws Exception {
        TwilioProvider twilio = provider(LoadDefaults.AUTH_TOKEN);
        Instant sent = Instant.now();
        for (int i = 0; i < 52; i++) twilio.place(voip("call-p" + i, "+14155551212"));

        Map<String, Object> page = listStartedSince2000();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!page.get("end").equals(49) && System.nanoTime() < deadline) { // until at least 50 have left the queue
            Thread.sleep(20);
            page = listStartedSince2000();
        }
        assertThat(page).containsKeys("calls", "first_page_uri", "next_page_uri", "previous_page_uri", "uri")
                .containsEntry("page", 0).containsEntry("page_size", 50).containsEntry("start", 0).containsEntry("end", 49);
        assertThat((List<?>) page.get("calls")).hasSize(50);
        assertThat((String) page.get("next_page_uri")).startsWith("/2010-04-01/Accounts/" + LoadDefaults.ACCOUNT_SID
                + "/Calls.json?To=%2B14155551212&StartTime%3E=2000-01-01&PageSize=50&Page=1&PageToken=PA");

        // 52 calls match and the provider reads both pages of each query: it cannot tell which is ours
        assertThat(twilio.findPlaced(voip("call-p0", "+14155551212"), sent, Instant.now()))
                .isInstanceOfSatisfying(PlacementSearch.Unknown.class, u -> assertThat(u.why()).contains("52 Twilio calls"));
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> listStartedSince2000() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + simulator.port() + "/2010-04-01/Accounts/" + LoadDefaults.ACCOUNT_SID
                + "/Calls.json?To=%2B14155551212&StartTime%3E=2000-01-01&PageSize=50"))
                .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(
                        (LoadDefaults.ACCOUNT_SID + ":" + LoadDefaults.AUTH_TOKEN).getBytes(StandardCharsets.UTF_8)))
                .build(), HttpResponse.BodyHandlers.ofString());
        return new com.fasterxml.jackson.databind.ObjectMapper().readValue(response.body(), Map.class);
    }

    private static OutboundCall voip(String callId, String to) {
        return OutboundCall.builder(callId, CallCategory.INTERNET_VOIP, CallRequest.to(to).build()).build();
    }

    private TwilioProvider provider(String authToken) {
        Map<String, String> config = new HashMap<>();
        config.put("twilio.account-sid", LoadDefaults.ACCOUNT_SID);
        config.put("twilio.auth-token", authToken);
        config.put("twilio.base-url", "http://127.0.0.1:" + simulator.port());
        config.put("twilio.from-number", LoadDefaults.FROM);
        config.put("twilio.voip-dial-to", "+14155550100");
        config.put("twilio.pricing-enabled", "false");
        return new TwilioProvider(TwilioConfig.from(ProviderConfig.of(config)), context);
    }

    private void awaitStatus(String status) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos(); // roomy: a loaded machine is slow
        while (callbacks.stream().noneMatch(c -> status.equals(c.get("CallStatus"))) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        Thread.sleep(200); // a late duplicate would show here; none is configured
    }

    private static Map<String, List<String>> form(String body) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            out.computeIfAbsent(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8), k -> new ArrayList<>())
                    .add(URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }
}
