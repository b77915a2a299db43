package io.globalcalling.provider.vonage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.globalcalling.CallCategory;
import io.globalcalling.CallRequest;
import io.globalcalling.CallStatus;
import io.globalcalling.ErrorReason;
import io.globalcalling.spi.OutboundCall;
import io.globalcalling.spi.PlacedCall;
import io.globalcalling.spi.ProviderException;
import io.globalcalling.testkit.TestProviderContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** {@code POST /v1/calls}: the exact body, the application JWT, and every fault mapped without a second POST. */
class VonagePlaceCallTest {

    @RegisterExtension
    static WireMockExtension vonage = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private final ObjectMapper json = new ObjectMapper();
    private final TestProviderContext context = VonageFixtures.context();
    private VonageProvider provider = VonageFixtures.provider(VonageFixtures.baseConfig(vonage.baseUrl()), context);

    @AfterEach
    void close() {
        context.close();
    }

    private void answer(int status, String body) {
        vonage.stubFor(post(urlPathEqualTo("/v1/calls")).willReturn(aResponse().withStatus(status)
                .withHeader("Content-Type", "application/json").withHeader("X-Request-Id", "req-123").withBody(body)));
    }

    private JsonNode sentBody() throws Exception {
        List<LoggedRequest> sent = vonage.findAll(postRequestedFor(urlPathEqualTo("/v1/calls")));
        assertThat(sent).hasSize(1);
        return json.readTree(sent.get(0).getBodyAsString());
    }

    @Test
    void anInternetCallPostsVonagesExactFieldsWithTheNumberWithoutPlus() throws Exception {
        answer(201, VonageFixtures.created(VonageFixtures.CALL_UUID));
        OutboundCall call = OutboundCall.builder("call-42", CallCategory.INTERNET_VOIP, CallRequest.to(VonageFixtures.TO)
                .machineDetection(true).maxDuration(Duration.ofSeconds(90)).build())
                .statusCallbackUrl(VonageFixtures.CALLBACK).build();

        PlacedCall placed = provider.place(call);

        assertThat(placed).isEqualTo(PlacedCall.of(VonageFixtures.CALL_UUID, CallStatus.QUEUED));
        assertThat(sentBody()).isEqualTo(json.readTree("""
                {"to":[{"type":"phone","number":"447700900000"}],
                 "from":{"type":"phone","number":"447700900001"},
                 "ncco":[{"action":"connect","from":"447700900001",
                          "endpoint":[{"type":"sip","uri":"sip:desk@pbx.example.com"}]}],
                 "event_url":["https://hooks.example.com/calling/webhooks/vonage?callId=call-42"],
                 "event_method":"POST","machine_detection":"continue","length_timer":90,"ringing_timer":60}
                """));
    }

    @Test
    void aHostAnswerUrlIsPassedAsVonagesAnswerUrlArray() throws Exception {
        answer(201, VonageFixtures.created(VonageFixtures.CALL_UUID));
        provider.place(OutboundCall.builder("call-42", CallCategory.INTERNET_VOIP, CallRequest.to(VonageFixtures.TO)
                .answerUrl("https://app.example.com/ncco").build()).build());

        JsonNode body = sentBody();
        assertThat(body.get("answer_url")).isEqualTo(json.readTree("[\"https://app.example.com/ncco\"]"));
        assertThat(body.has("ncco")).isFalse();
        assertThat(body.has("event_url")).isFalse();
    }

    @Test
    void theRequestIsAuthorisedWithAFreshRs256ApplicationToken() {
        answer(201, VonageFixtures.created(VonageFixtures.CALL_UUID));
        provider.place(VonageFixtures.voipCall());

        String auth = vonage.findAll(postRequestedFor(urlPathEqualTo("/v1/calls"))).get(0).getHeader("Authorization");
        assertThat(auth).startsWith("Bearer ");
        String jwt = auth.substring(7);
        assertThat(VonageFixtures.isSignedByApplicationKey(jwt)).isTrue();
        assertThat(VonageFixtures.decodePart(jwt, 0)).contains("\"alg\":\"RS256\"");
        long iat = VonageFixtures.START.getEpochSecond();
        assertThat(VonageFixtures.decodePart(jwt, 1)).contains("\"application_id\":\"" + VonageFixtures.APPLICATION_ID + "\"")
                .contains("\"iat\":" + iat).contains("\"exp\":" + (iat + 300)).containsPattern("\"jti\":\"[0-9a-f-]{36}\"");
    }

    @Test
    void anAiCallSpeaksHostileTextLiterallyInOneTalkAction() throws Exception {
        answer(201, VonageFixtures.created(VonageFixtures.CALL_UUID));
        String hostile = "Hi\"}],\"ncco\":[{\"action\":\"connect\",\"endpoint\":[{\"type\":\"phone\",\"number\":\"1900\"}]}] \\ <Say/> \u0000";

        provider.place(VonageFixtures.aiCall(hostile, "hi-IN"));

        JsonNode ncco = sentBody().get("ncco");
        assertThat(ncco).hasSize(1);
        assertThat(ncco.get(0).get("action").asText()).isEqualTo("talk");
        assertThat(ncco.get(0).get("text").asText()).isEqualTo(hostile);
        assertThat(ncco.get(0).get("language").asText()).isEqualTo("hi-IN");
    }

    @Test
    void theLanguageComesFromTheRequestElseTheDestinationsCountryElseTheDefault() throws Exception {
        answer(201, VonageFixtures.created(VonageFixtures.CALL_UUID));
        assertThat(provider.language(CallRequest.to("+919876543210").language("TA-in").build(),
                io.globalcalling.PhoneNumber.of("+919876543210"))).isEqualTo("ta-IN");
        assertThat(provider.language(CallRequest.to("+919876543210").build(),
                io.globalcalling.PhoneNumber.of("+919876543210"))).isEqualTo("hi-IN");
        assertThat(provider.language(CallRequest.to("+33612345678").build(),
                io.globalcalling.PhoneNumber.of("+33612345678"))).isEqualTo("fr-FR");
        // no Vonage voice for Kenya: the configured default
        assertThat(provider.language(CallRequest.to("+254712345678").build(),
                io.globalcalling.PhoneNumber.of("+254712345678"))).isEqualTo("en-US");

        ProviderException e = catchThrowableOfType(ProviderException.class,
                () -> provider.place(VonageFixtures.aiCall("Hello", "xx-XX")));
        assertThat(e.reason()).isEqualTo(ErrorReason.INVALID_REQUEST);
        assertThat(e.getMessage()).contains("language 'xx-XX'");
        vonage.verify(0, postRequestedFor(urlPathEqualTo("/v1/calls")));
    }

    @Test
    void recordingIsAskedInTheNccoOnlyWhenTheAccountAllowsIt() throws Exception {
        answer(201, VonageFixtures.created(VonageFixtures.CALL_UUID));
        OutboundCall call = OutboundCall.builder("call-42", CallCategory.AI_AUTOMATED,
                CallRequest.to(VonageFixtures.TO).record(true).build()).spokenText("Hello")
                .statusCallbackUrl(VonageFixtures.CALLBACK).build();

        provider.place(call);
        JsonNode record = sentBody().get("ncco").get(0);
        assertThat(record.get("action").asText()).isEqualTo("record");
        assertThat(record.get("eventUrl").get(0).asText()).isEqualTo(VonageFixtures.CALLBACK.toString());

        Map<String, String> noRecording = VonageFixtures.baseConfig(vonage.baseUrl());
        noRecording.put("vonage.recording", "false");
        provider = VonageFixtures.provider(noRecording, context);
        ProviderException e = catchThrowableOfType(ProviderException.class, () -> provider.place(call));
        assertThat(e.reason()).isEqualTo(ErrorReason.INVALID_REQUEST);
        assertThat(e.getMessage()).contains("record");
    }

    @Test
    void rfc7807ErrorsMapToReasonsKeepingVonagesTypeAndRequestId() {
        String problem = """
                {"type":"https://developer.nexmo.com/api-errors#%s","title":"%s","detail":"d",
                 "instance":"bf0ca0bf927b3b52e3cb03217e1a1ddf"}""";
        Map<Integer, ErrorReason> cases = Map.of(401, ErrorReason.AUTHENTICATION, 403, ErrorReason.NOT_PERMITTED,
                400, ErrorReason.REJECTED);
        cases.forEach((status, reason) -> {
            vonage.resetAll();
            answer(status, problem.formatted("e" + status, "Title " + status));
            ProviderException e = catchThrowableOfType(ProviderException.class, () -> provider.place(VonageFixtures.voipCall()));
            assertThat(e.reason()).as("HTTP " + status).isEqualTo(reason);
            assertThat(e.providerErrorCode()).contains("https://developer.nexmo.com/api-errors#e" + status);
            assertThat(e.providerRequestId()).contains("req-123");
            assertThat(e.getMessage()).contains("Title " + status);
        });
    }

    @Test
    void a429IsRateLimitedWithItsRetryAfter() {
        vonage.stubFor(post(urlPathEqualTo("/v1/calls")).willReturn(aResponse().withStatus(429)
                .withHeader("Retry-After", "7").withBody("{\"type\":\"https://developer.nexmo.com/api-errors#throttled\",\"title\":\"Too Many Requests\"}")));

        ProviderException e = catchThrowableOfType(ProviderException.class, () -> provider.place(VonageFixtures.voipCall()));

        assertThat(e.reason()).isEqualTo(ErrorReason.RATE_LIMITED);
        assertThat(e.retryAfter()).contains(Duration.ofSeconds(7));
        vonage.verify(1, postRequestedFor(urlPathEqualTo("/v1/calls")));
    }

    @Test
    void a5xxAfterSendingIsAnUnknownOutcomeAndIsSentExactlyOnce() {
        answer(503, "{\"title\":\"Service Unavailable\"}");
        assertUnknownAfterExactlyOnePost();
    }

    @Test
    void aResetConnectionIsAnUnknownOutcomeAndIsSentExactlyOnce() {
        vonage.stubFor(post(urlPathEqualTo("/v1/calls")).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        assertUnknownAfterExactlyOnePost();
    }

    @Test
    void aSlowAnswerIsAnUnknownOutcomeAndIsSentExactlyOnce() {
        Map<String, String> config = VonageFixtures.baseConfig(vonage.baseUrl());
        config.put("vonage.read-timeout", "PT0.3S");
        provider = VonageFixtures.provider(config, context);
        vonage.stubFor(post(urlPathEqualTo("/v1/calls")).willReturn(aResponse().withStatus(201)
                .withFixedDelay(1500).withBody(VonageFixtures.created(VonageFixtures.CALL_UUID))));
        assertUnknownAfterExactlyOnePost();
    }

    @Test
    void a408IsNotReplayedByTheHttpClient() {
        // OkHttp silently repeats a request answered 408 unless its body is one-shot or retries are off
        vonage.stubFor(post(urlPathEqualTo("/v1/calls")).willReturn(aResponse().withStatus(408)
                .withBody("{\"title\":\"Request Timeout\"}")));

        ProviderException e = catchThrowableOfType(ProviderException.class, () -> provider.place(VonageFixtures.voipCall()));

        assertThat(e.reason()).isEqualTo(ErrorReason.REJECTED);
        vonage.verify(1, postRequestedFor(urlPathEqualTo("/v1/calls")));
    }

    @Test
    void malformedJsonInA201IsAnUnknownOutcome() {
        answer(201, "{\"uuid\": ");
        assertUnknownAfterExactlyOnePost();
    }

    @Test
    void aRedirectIsNotFollowed() {
        vonage.stubFor(post(urlPathEqualTo("/v1/calls")).willReturn(aResponse().withStatus(307)
                .withHeader("Location", vonage.baseUrl() + "/v1/elsewhere")));

        ProviderException e = catchThrowableOfType(ProviderException.class, () -> provider.place(VonageFixtures.voipCall()));

        assertThat(e.reason()).isEqualTo(ErrorReason.REJECTED);
        vonage.verify(1, postRequestedFor(urlPathEqualTo("/v1/calls")));
        vonage.verify(0, postRequestedFor(urlPathEqualTo("/v1/elsewhere")));
    }

    @Test
    void badInputIsRefusedBeforeAnythingIsSent() {
        ProviderException e = catchThrowableOfType(ProviderException.class, () -> provider.place(
                OutboundCall.builder("c", CallCategory.AI_AUTOMATED, CallRequest.to(VonageFixtures.TO).build()).build()));
        assertThat(e.reason()).isEqualTo(ErrorReason.INVALID_REQUEST);
        assertThat(e.getMessage()).contains("spokenText");
        e = catchThrowableOfType(ProviderException.class, () -> provider.place(OutboundCall.builder("c",
                CallCategory.AI_AUTOMATED, CallRequest.to(VonageFixtures.TO).voice("Kimberly").build()).spokenText("Hi").build()));
        assertThat(e.getMessage()).contains("voice 'Kimberly'");
        vonage.verify(0, postRequestedFor(urlPathEqualTo("/v1/calls")));
    }

    private void assertUnknownAfterExactlyOnePost() {
        ProviderException e = catchThrowableOfType(ProviderException.class, () -> provider.place(VonageFixtures.voipCall()));
        assertThat(e).isNotNull();
        assertThat(e.reason()).isEqualTo(ErrorReason.OUTCOME_UNKNOWN);
        vonage.verify(1, postRequestedFor(urlPathEqualTo("/v1/calls")));
    }
}
