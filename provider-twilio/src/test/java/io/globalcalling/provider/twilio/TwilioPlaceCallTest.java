package io.globalcalling.provider.twilio;

import io.globalcalling.testkit.TestProviderContext;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.globalcalling.CallCategory;
import io.globalcalling.CallRequest;
import io.globalcalling.CallStatus;
import io.globalcalling.ErrorReason;
import io.globalcalling.spi.OutboundCall;
import io.globalcalling.spi.PlacedCall;
import io.globalcalling.spi.ProviderException;
import okhttp3.Dns;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.globalcalling.provider.twilio.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class TwilioPlaceCallTest {

    @RegisterExtension
    static WireMockExtension twilio = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private final TestProviderContext context = TwilioTests.context();

    @AfterEach
    void close() {
        context.close();
    }

    private TwilioProvider provider() {
        return Fixtures.provider(twilio.baseUrl(), context);
    }

    private void answer(int status, String body) {
        twilio.stubFor(post(urlEqualTo(CALLS_PATH)).willReturn(aResponse().withStatus(status)
                .withHeader("Content-Type", "application/json").withHeader("Twilio-Request-Id", "RQ0123456789abcdef")
                .withBody(body)));
    }

    private String sentBody() {
        return twilio.findAll(postRequestedFor(urlEqualTo(CALLS_PATH))).get(0).getBodyAsString();
    }

    @Test
    void placesVoipCallWithExactFormAndBasicAuth() {
        answer(201, call("queued"));
        OutboundCall call = OutboundCall.builder("call-42", CallCategory.INTERNET_VOIP,
                CallRequest.to(TO).answerUrl("https://app.example.com/twiml/connect").record(true)
                        .machineDetection(true).maxDuration(Duration.ofMinutes(30)).build())
                .statusCallbackUrl(CALLBACK).build();

        PlacedCall placed = provider().place(call);

        assertThat(placed).isEqualTo(PlacedCall.of(CALL_SID, CallStatus.QUEUED));
        twilio.verify(1, postRequestedFor(urlEqualTo(CALLS_PATH))
                .withHeader("Authorization", equalTo(BASIC_AUTH))
                .withHeader("Content-Type", equalTo("application/x-www-form-urlencoded")));
        assertThat(formPairs(sentBody())).containsExactly(
                pair("To", TO), pair("From", FROM),
                pair("Url", "https://app.example.com/twiml/connect"), pair("Method", "POST"),
                pair("StatusCallback", CALLBACK.toString()),
                pair("StatusCallbackEvent", "initiated"), pair("StatusCallbackEvent", "ringing"),
                pair("StatusCallbackEvent", "answered"), pair("StatusCallbackEvent", "completed"),
                pair("StatusCallbackMethod", "POST"), pair("Timeout", "60"),
                pair("Record", "true"), pair("RecordingStatusCallback", CALLBACK.toString()),
                pair("RecordingStatusCallbackMethod", "POST"),
                pair("MachineDetection", "Enable"), pair("TimeLimit", "1800"));
    }

    @Test
    void placesAiCallWithInlineSayInTheRequestedLanguageAndVoice() {
        answer(201, call("queued"));

        provider().place(aiCall("Namaste Asha, your order ships today."));

        assertThat(formPairs(sentBody())).containsExactly(
                pair("To", TO), pair("From", FROM),
                pair("Twiml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Say language=\"hi-IN\" "
                        + "voice=\"Polly.Aditi\">Namaste Asha, your order ships today.</Say></Response>"),
                pair("StatusCallback", CALLBACK.toString()),
                pair("StatusCallbackEvent", "initiated"), pair("StatusCallbackEvent", "ringing"),
                pair("StatusCallbackEvent", "answered"), pair("StatusCallbackEvent", "completed"),
                pair("StatusCallbackMethod", "POST"), pair("Timeout", "60"));
    }

    @Test
    void voipCallWithoutAnswerUrlUsesConfiguredTwimlUrlThenDialTarget() {
        answer(201, call("queued"));
        Map<String, String> config = baseConfig(twilio.baseUrl());
        config.put("twilio.voip-dial-to", "sip:agent@pbx.example.com");
        OutboundCall call = OutboundCall.builder("call-42", CallCategory.INTERNET_VOIP,
                CallRequest.to(TO).from("+442071838750").build()).build();

        Fixtures.provider(config, context).place(call);

        assertThat(formPairs(sentBody())).containsExactly(pair("To", TO), pair("From", "+442071838750"),
                pair("Twiml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Dial><Sip>sip:agent@pbx.example.com</Sip></Dial></Response>"),
                pair("Timeout", "60"));

        twilio.resetRequests();
        config.put("twilio.voip-twiml-url", "https://app.example.com/voip.xml");
        Fixtures.provider(config, context).place(call);
        assertThat(formPairs(sentBody())).contains(pair("Url", "https://app.example.com/voip.xml"));
    }

    @Test
    void queuedAnswerIsSuccessNotFailover() {
        answer(201, call("queued"));
        assertThat(provider().place(voipCall()).status()).isEqualTo(CallStatus.QUEUED);
    }

    @Test
    void refusesBeforeAnyRequestWhenCallerIdOrTargetIsMissing() {
        Map<String, String> config = baseConfig(twilio.baseUrl());
        config.remove("twilio.from-number");
        TwilioProvider noCallerId = Fixtures.provider(config, context);
        assertThatThrownBy(() -> noCallerId.place(voipCall()))
                .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.reason()).isEqualTo(ErrorReason.INVALID_REQUEST))
                .hasMessageContaining("caller ID");
        OutboundCall noTarget = OutboundCall.builder("call-42", CallCategory.INTERNET_VOIP, CallRequest.to(TO).build()).build();
        assertThatThrownBy(() -> provider().place(noTarget)).hasMessageContaining("answerUrl");
        OutboundCall satellite = OutboundCall.builder("c", CallCategory.SATELLITE, CallRequest.to(TO).build()).build();
        assertThatThrownBy(() -> provider().place(satellite)).hasMessageContaining("a satellite call goes to a satellite phone");
        assertThatThrownBy(() -> provider().place(aiCall(" \u0001 "))).hasMessageContaining("text to speak");
        assertThatThrownBy(() -> provider().place(aiCall("x".repeat(4000)))).hasMessageContaining("at most 4000");
        twilio.verify(0, postRequestedFor(urlEqualTo(CALLS_PATH)));
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @CsvSource({
            "21211, 400, INVALID_DESTINATION",
            "21214, 400, INVALID_DESTINATION",
            "21217, 400, INVALID_DESTINATION",
            "21215, 400, NOT_PERMITTED",
            "21216, 400, NOT_PERMITTED",
            "32205, 400, NOT_PERMITTED",
            "13227, 400, NOT_PERMITTED",
            "21202, 400, NOT_PERMITTED",
            "20003, 401, AUTHENTICATION",
            "20429, 429, RATE_LIMITED",
            "21201, 400, REJECTED"})
    void mapsTwilioErrorCodesAndKeepsTheirDetails(int code, int http, ErrorReason reason) {
        answer(http, error(code, "Twilio says no", http));

        ProviderException e = catchThrowableOfType(() -> provider().place(voipCall()), ProviderException.class);

        assertThat(e.reason()).isEqualTo(reason);
        assertThat(e.providerId()).isEqualTo("twilio");
        assertThat(e.httpStatus()).isEqualTo(http);
        assertThat(e.providerErrorCode()).contains(Integer.toString(code));
        assertThat(e.moreInfo()).contains("https://www.twilio.com/docs/errors/" + code);
        assertThat(e.providerRequestId()).contains("RQ0123456789abcdef");
        assertThat(e.getMessage()).contains("Twilio says no");
        twilio.verify(1, postRequestedFor(urlEqualTo(CALLS_PATH)));
    }

    @Test
    void aNumberTwiliosErrorMessageQuotesIsMasked() {
        // the call record keeps this message as its errorMessage, so the callee's full number must not be in it
        answer(400, error(21211, "The 'To' number " + TO + " is not a valid phone number.", 400));
        ProviderException invalid = catchThrowableOfType(() -> provider().place(voipCall()), ProviderException.class);
        answer(400, error(21215, "Account not authorized to call " + TO + ". Perhaps you need to enable some "
                + "international permissions: https://www.twilio.com/console/voice/calls/geo-permissions/low-risk", 400));
        ProviderException blocked = catchThrowableOfType(() -> provider().place(voipCall()), ProviderException.class);

        assertThat(invalid.reason()).isEqualTo(ErrorReason.INVALID_DESTINATION);
        assertThat(invalid.getMessage()).doesNotContain(TO).doesNotContain("4155551212")
                .contains("The 'To' number +141******12 is not a valid phone number.").contains("(code 21211)");
        assertThat(blocked.reason()).isEqualTo(ErrorReason.NOT_PERMITTED);
        assertThat(blocked.getMessage()).doesNotContain(TO).contains("not authorized to call +141******12.")
                .contains("geo-permissions/low-risk");
    }

    @Test
    void rateLimitCarriesRetryAfter() {
        twilio.stubFor(post(urlEqualTo(CALLS_PATH)).willReturn(aResponse().withStatus(429).withHeader("Retry-After", "7")
                .withBody(error(20429, "Too Many Requests", 429))));

        ProviderException e = catchThrowableOfType(() -> provider().place(voipCall()), ProviderException.class);

        assertThat(e.reason()).isEqualTo(ErrorReason.RATE_LIMITED);
        assertThat(e.retryable()).isTrue();
        assertThat(e.retryAfter()).contains(Duration.ofSeconds(7));
    }

    @Test
    void serverErrorIsOutcomeUnknownAndNeverResent() {
        answer(500, error(20500, "Internal Server Error", 500));

        ProviderException e = catchThrowableOfType(() -> provider().place(voipCall()), ProviderException.class);

        assertThat(e.reason()).isEqualTo(ErrorReason.OUTCOME_UNKNOWN);
        twilio.verify(1, postRequestedFor(urlEqualTo(CALLS_PATH)));
    }

    @Test
    void serviceUnavailableWithRetryAfterZeroIsNotReplayedByOkHttp() {
        twilio.stubFor(post(urlEqualTo(CALLS_PATH)).willReturn(aResponse().withStatus(503).withHeader("Retry-After", "0")));

        ProviderException e = catchThrowableOfType(() -> provider().place(voipCall()), ProviderException.class);

        assertThat(e.reason()).isEqualTo(ErrorReason.OUTCOME_UNKNOWN);
        twilio.verify(1, postRequestedFor(urlEqualTo(CALLS_PATH)));
    }

    @Test
    void redirectIsNotFollowed() {
        twilio.stubFor(post(urlEqualTo(CALLS_PATH)).willReturn(aResponse().withStatus(307).withHeader("Location", "/elsewhere")));

        ProviderException e = catchThrowableOfType(() -> provider().place(voipCall()), ProviderException.class);

        assertThat(e.reason()).isEqualTo(ErrorReason.REJECTED);
        twilio.verify(1, postRequestedFor(urlEqualTo(CALLS_PATH)));
        twilio.verify(0, postRequestedFor(urlEqualTo("/elsewhere")));
    }

    @ParameterizedTest
    @CsvSource({"CONNECTION_RESET_BY_PEER", "EMPTY_RESPONSE", "RANDOM_DATA_THEN_CLOSE"})
    void failureAfterSendingIsOutcomeUnknownWithExactlyOnePost(Fault fault) {
        twilio.stubFor(post(urlEqualTo(CALLS_PATH)).willReturn(aResponse().withFault(fault)));

        ProviderException e = catchThrowableOfType(() -> provider().place(voipCall()), ProviderException.class);

        assertThat(e.reason()).isEqualTo(ErrorReason.OUTCOME_UNKNOWN);
        assertThat(e.retryable()).isFalse();
        twilio.verify(1, postRequestedFor(urlEqualTo(CALLS_PATH)));
    }

    @Test
    void slowReplyPastReadTimeoutIsOutcomeUnknownWithExactlyOnePost() {
        Map<String, String> config = baseConfig(twilio.baseUrl());
        config.put("twilio.read-timeout", "PT0.2S");
        twilio.stubFor(post(urlEqualTo(CALLS_PATH)).willReturn(aResponse().withStatus(201).withFixedDelay(1000)
                .withBody(call("queued"))));

        ProviderException e = catchThrowableOfType(() -> Fixtures.provider(config, context).place(voipCall()), ProviderException.class);

        assertThat(e.reason()).isEqualTo(ErrorReason.OUTCOME_UNKNOWN);
        twilio.verify(1, postRequestedFor(urlEqualTo(CALLS_PATH)));
    }

    @Test
    void malformedJsonOnSuccessIsOutcomeUnknown() {
        answer(201, "{\"sid\": \"CA12");

        ProviderException e = catchThrowableOfType(() -> provider().place(voipCall()), ProviderException.class);

        assertThat(e.reason()).isEqualTo(ErrorReason.OUTCOME_UNKNOWN);
        assertThat(e.providerRequestId()).contains("RQ0123456789abcdef");
    }

    @Test
    void aNullBodyOnSuccessIsOutcomeUnknownAndNeverResent() {
        // JSON's null reads as no object at all: the 201 says the bytes arrived, so the call may exist
        answer(201, "null");

        ProviderException e = catchThrowableOfType(() -> provider().place(voipCall()), ProviderException.class);

        assertThat(e.reason()).isEqualTo(ErrorReason.OUTCOME_UNKNOWN);
        assertThat(e.getMessage()).contains("201").contains("null");
        assertThat(e.providerRequestId()).contains("RQ0123456789abcdef");
        twilio.verify(1, postRequestedFor(urlEqualTo(CALLS_PATH)));
    }

    @Test
    void malformedErrorBodyStillMapsByHttpStatus() {
        answer(401, "<html>Unauthorized</html>");

        ProviderException e = catchThrowableOfType(() -> provider().place(voipCall()), ProviderException.class);

        assertThat(e.reason()).isEqualTo(ErrorReason.AUTHENTICATION);
        assertThat(e.providerErrorCode()).isEmpty();
    }

    @Test
    void connectionRefusedIsUnavailable() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }

        ProviderException e = catchThrowableOfType(
                () -> Fixtures.provider("http://127.0.0.1:" + closedPort, context).place(voipCall()), ProviderException.class);

        assertThat(e.reason()).isEqualTo(ErrorReason.UNAVAILABLE);
        assertThat(e.retryable()).isTrue();
    }

    @Test
    void unknownHostIsUnavailable() {
        Dns failing = host -> {
            throw new UnknownHostException("no such host: " + host);
        };
        context.shared(OkHttpClient.class, () -> new OkHttpClient.Builder().dns(failing).build());

        ProviderException e = catchThrowableOfType(() -> provider().place(voipCall()), ProviderException.class);

        assertThat(e.reason()).isEqualTo(ErrorReason.UNAVAILABLE);
        twilio.verify(0, postRequestedFor(urlEqualTo(CALLS_PATH)));
    }

    @Test
    void tlsHandshakeFailureIsUnavailable() {
        // an https URL pointing at a plain-HTTP port: the TLS handshake fails before any request byte is sent
        String https = twilio.baseUrl().replace("http://", "https://");

        ProviderException e = catchThrowableOfType(() -> Fixtures.provider(https, context).place(voipCall()), ProviderException.class);

        assertThat(e.reason()).isEqualTo(ErrorReason.UNAVAILABLE);
        twilio.verify(0, postRequestedFor(urlEqualTo(CALLS_PATH)));
    }

    @Test
    void sharedClientIsDerivedNotReplaced() {
        OkHttpClient shared = new OkHttpClient();
        context.shared(OkHttpClient.class, () -> shared);
        answer(201, call("queued"));

        provider().place(voipCall());

        assertThat(shared.connectionPool().connectionCount()).isEqualTo(1);
    }
}
