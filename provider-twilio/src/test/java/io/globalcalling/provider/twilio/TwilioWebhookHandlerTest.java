package io.globalcalling.provider.twilio;

import io.globalcalling.ConfigurationException;
import io.globalcalling.spi.WebhookContext;
import io.globalcalling.testkit.TestProviderContext;
import io.globalcalling.spi.CallEvent;
import io.globalcalling.CallStatus;
import io.globalcalling.ErrorReason;
import io.globalcalling.spi.WebhookHandler;
import io.globalcalling.spi.WebhookRejectedException;
import io.globalcalling.WebhookRequest;
import io.globalcalling.WebhookResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static io.globalcalling.provider.twilio.Fixtures.ACCOUNT_SID;
import static io.globalcalling.provider.twilio.Fixtures.AUTH_TOKEN;
import static io.globalcalling.provider.twilio.Fixtures.CALL_SID;
import static io.globalcalling.provider.twilio.TwilioSignatureValidatorTest.hmac;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class TwilioWebhookHandlerTest {

    private static final String URL = "https://hooks.example.com/calls/twilio?callId=call-42";
    private final TestProviderContext context = TwilioTests.context();

    @AfterEach
    void close() {
        context.close();
    }

    private WebhookHandler handler(Map<String, String> extra) {
        Map<String, String> config = Fixtures.baseConfig("http://127.0.0.1:1");
        config.putAll(extra);
        return Fixtures.provider(config, context).webhooks();
    }

    private static Map<String, String> statusCallback() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("AccountSid", ACCOUNT_SID);
        p.put("ApiVersion", "2010-04-01");
        p.put("CallSid", CALL_SID);
        p.put("CallStatus", "completed");
        p.put("Called", "+14155551212");
        p.put("Caller", "+15017122661");
        p.put("Direction", "outbound-api");
        p.put("From", "+15017122661");
        p.put("To", "+14155551212");
        p.put("CallDuration", "117");
        p.put("CallbackSource", "call-progress-events");
        p.put("SequenceNumber", "3");
        p.put("Timestamp", "Wed, 01 May 2024 10:02:09 +0000");
        p.put("AnsweredBy", "human");
        return p;
    }

    /** Signs like Twilio: the URL, then each parameter name and value, names sorted. */
    private static WebhookRequest signed(String signedUrl, String receivedUrl, Map<String, String> params) throws Exception {
        String data = signedUrl + new TreeMap<>(params).entrySet().stream()
                .map(e -> e.getKey() + e.getValue()).collect(Collectors.joining());
        String body = params.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return WebhookRequest.post(receivedUrl, Map.of("X-Twilio-Signature", hmac(AUTH_TOKEN, data),
                "Content-Type", "application/x-www-form-urlencoded"), body);
    }

    @Test
    void parsesSignedStatusCallback() throws Exception {
        List<CallEvent> events = handler(Map.of()).handle(signed(URL, URL, statusCallback()), WebhookContext.none()).events();

        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.providerId()).isEqualTo("twilio");
            assertThat(e.providerCallId()).isEqualTo(CALL_SID);
            assertThat(e.callId()).isEqualTo("call-42");
            assertThat(e.status()).isEqualTo(CallStatus.COMPLETED);
            assertThat(e.sequence()).isEqualTo(3L);
            assertThat(e.duration()).isEqualTo(Duration.ofSeconds(117));
            assertThat(e.occurredAt()).isEqualTo(Instant.parse("2024-05-01T10:02:09Z"));
            assertThat(e.answeredBy()).isEqualTo("human");
            assertThat(e.details()).containsEntry("CallbackSource", "call-progress-events")
                    .doesNotContainKeys("From", "To", "Caller", "Called");
        });
    }

    @Test
    void mapsEveryCallbackStatus() throws Exception {
        WebhookHandler handler = handler(Map.of());
        Map<String, CallStatus> cases = Map.of("queued", CallStatus.QUEUED, "initiated", CallStatus.INITIATED,
                "ringing", CallStatus.RINGING, "in-progress", CallStatus.ANSWERED, "completed", CallStatus.COMPLETED,
                "busy", CallStatus.BUSY, "no-answer", CallStatus.NO_ANSWER, "failed", CallStatus.FAILED,
                "canceled", CallStatus.CANCELED);
        for (Map.Entry<String, CallStatus> c : cases.entrySet()) {
            Map<String, String> p = statusCallback();
            p.put("CallStatus", c.getKey());
            assertThat(handler.handle(signed(URL, URL, p), WebhookContext.none()).events().get(0).status()).as(c.getKey()).isEqualTo(c.getValue());
        }
        Map<String, String> future = statusCallback();
        future.put("CallStatus", "some-new-status");
        CallEvent e = handler.handle(signed(URL, URL, future), WebhookContext.none()).events().get(0);
        assertThat(e.status()).isNull();
        assertThat(e.details()).containsEntry("CallStatus", "some-new-status");
    }

    @Test
    void aFailedCallsSipResponseOrErrorCodeBecomesTheEventsErrorReason() throws Exception {
        WebhookHandler handler = handler(Map.of());
        Map<String, ErrorReason> bySip = Map.of("404", ErrorReason.INVALID_DESTINATION, "484", ErrorReason.INVALID_DESTINATION,
                "604", ErrorReason.INVALID_DESTINATION, "403", ErrorReason.REJECTED, "603", ErrorReason.REJECTED);
        for (Map.Entry<String, ErrorReason> c : bySip.entrySet()) {
            Map<String, String> p = statusCallback();
            p.put("CallStatus", "failed");
            p.put("SipResponseCode", c.getKey());
            assertThat(handler.handle(signed(URL, URL, p), WebhookContext.none()).events().get(0).errorReason())
                    .as("SIP " + c.getKey()).isEqualTo(c.getValue());
        }
        Map<String, ErrorReason> byCode = Map.of("21217", ErrorReason.INVALID_DESTINATION,
                "13227", ErrorReason.NOT_PERMITTED, "32205", ErrorReason.NOT_PERMITTED);
        for (Map.Entry<String, ErrorReason> c : byCode.entrySet()) {
            Map<String, String> p = statusCallback();
            p.put("CallStatus", "failed");
            p.put("ErrorCode", c.getKey());
            p.put("SipResponseCode", "500");
            assertThat(handler.handle(signed(URL, URL, p), WebhookContext.none()).events().get(0).errorReason())
                    .as("ErrorCode " + c.getKey()).isEqualTo(c.getValue());
        }
        // a server fault says nothing of the number, and a call that was not a failed end has no error reason
        Map<String, String> fault = statusCallback();
        fault.put("CallStatus", "failed");
        fault.put("SipResponseCode", "503");
        assertThat(handler.handle(signed(URL, URL, fault), WebhookContext.none()).events().get(0).errorReason()).isNull();
        Map<String, String> ringing = statusCallback();
        ringing.put("CallStatus", "ringing");
        ringing.put("SipResponseCode", "404");
        assertThat(handler.handle(signed(URL, URL, ringing), WebhookContext.none()).events().get(0).errorReason()).isNull();
    }

    @Test
    void parsesRecordingAndTranscriptionCallbacks() throws Exception {
        Map<String, String> recording = new LinkedHashMap<>();
        recording.put("AccountSid", ACCOUNT_SID);
        recording.put("CallSid", CALL_SID);
        recording.put("RecordingSid", "RE0123456789abcdef0123456789abcdef");
        recording.put("RecordingUrl", "https://api.twilio.com/2010-04-01/Accounts/" + ACCOUNT_SID + "/Recordings/RE0123456789abcdef0123456789abcdef");
        recording.put("RecordingStatus", "completed");
        recording.put("RecordingDuration", "115");
        recording.put("RecordingChannels", "1");
        recording.put("RecordingSource", "OutboundAPI");
        WebhookHandler handler = handler(Map.of());

        CallEvent rec = handler.handle(signed(URL, URL, recording), WebhookContext.none()).events().get(0);
        assertThat(rec.status()).isNull();
        assertThat(rec.recordingUrl()).isEqualTo(URI.create(recording.get("RecordingUrl")));
        assertThat(rec.details()).containsEntry("RecordingStatus", "completed").containsEntry("RecordingDuration", "115");
        assertThat(rec.occurredAt()).isEqualTo(context.mutableClock().instant());

        Map<String, String> transcription = new LinkedHashMap<>(recording);
        transcription.put("TranscriptionSid", "TR0123456789abcdef0123456789abcdef");
        transcription.put("TranscriptionText", "Yes, please deliver on Friday.");
        transcription.put("TranscriptionStatus", "completed");
        CallEvent tr = handler.handle(signed(URL, URL, transcription), WebhookContext.none()).events().get(0);
        assertThat(tr.transcript()).isEqualTo("Yes, please deliver on Friday.");
        assertThat(tr.details()).containsEntry("TranscriptionStatus", "completed");
    }

    @Test
    void refusesBadSignatureWith403AndNoSecretInTheMessage() throws Exception {
        WebhookRequest good = signed(URL, URL, statusCallback());
        String badSignature = hmac("another-token", URL);
        WebhookRequest forged = new WebhookRequest("POST", good.url(),
                Map.of("X-Twilio-Signature", List.of(badSignature)), good.body());

        WebhookRejectedException e = catchThrowableOfType(() -> handler(Map.of()).handle(forged, WebhookContext.none()).events(), WebhookRejectedException.class);

        assertThat(e.httpStatus()).isEqualTo(403);
        assertThat(e.getMessage()).contains("does not match").doesNotContain(AUTH_TOKEN).doesNotContain(badSignature);
        assertThat(e.refusal()).isEqualTo(WebhookRejectedException.Refusal.BAD_SIGNATURE);
    }

    @Test
    void refusesTamperedBodyAndMissingSignature() throws Exception {
        WebhookRequest good = signed(URL, URL, statusCallback());
        WebhookRequest tampered = new WebhookRequest("POST", good.url(), good.headers(),
                good.bodyText().replace("completed", "busy").getBytes(StandardCharsets.UTF_8));
        WebhookRequest unsigned = new WebhookRequest("POST", good.url(), Map.of(), good.body());

        assertThat(catchThrowableOfType(() -> handler(Map.of()).handle(tampered, WebhookContext.none()).events(), WebhookRejectedException.class).httpStatus()).isEqualTo(403);
        assertThat(catchThrowableOfType(() -> handler(Map.of()).handle(unsigned, WebhookContext.none()).events(), WebhookRejectedException.class))
                .hasMessageContaining("missing X-Twilio-Signature");
    }

    @Test
    void refusesEverythingWhenOnlyAnApiKeyIsConfigured() throws Exception {
        Map<String, String> config = Fixtures.baseConfig("http://127.0.0.1:1");
        config.remove("twilio.auth-token");
        config.put("twilio.api-key", "SK0123456789abcdef0123456789abcdef");
        config.put("twilio.api-secret", "key-secret");
        WebhookHandler handler = Fixtures.provider(config, context).webhooks();

        WebhookRejectedException e = catchThrowableOfType(() -> handler.handle(signed(URL, URL, statusCallback()), WebhookContext.none()).events(),
                WebhookRejectedException.class);

        assertThat(e.httpStatus()).isEqualTo(403);
        assertThat(e.getMessage()).contains("twilio.auth-token is not configured");
    }

    @Test
    void usesConfiguredPublicBaseUrlBehindAProxy() throws Exception {
        String seenByHost = "http://app-7.internal:8080/calls/twilio?callId=call-42";
        WebhookRequest viaProxy = signed(URL, seenByHost, statusCallback());

        assertThat(handler(Map.of("twilio.webhook-base-url", "https://hooks.example.com")).handle(viaProxy, WebhookContext.none()).events())
                .singleElement().extracting(CallEvent::callId).isEqualTo("call-42");
        assertThat(catchThrowableOfType(() -> handler(Map.of()).handle(viaProxy, WebhookContext.none()).events(), WebhookRejectedException.class)).isNotNull();
    }

    @Test
    void acceptsPublicBaseUrlWithNonDefaultPort() throws Exception {
        String publicUrl = "https://hooks.example.com:8443/calls/twilio?callId=call-42";
        WebhookRequest viaProxy = signed(publicUrl, "http://localhost:9000/calls/twilio?callId=call-42", statusCallback());

        assertThat(handler(Map.of("twilio.webhook-base-url", "https://hooks.example.com:8443")).handle(viaProxy, WebhookContext.none()).events()).hasSize(1);
    }

    @Test
    void keepsThePathOfThePublicBaseUrlThatAProxyStrippedFromTheRequest() throws Exception {
        // Twilio called (and signed) the URL under /telephony; the proxy strips that prefix before the host sees it
        String publicUrl = "https://api.example.com/telephony/calls/twilio?callId=call-42";
        WebhookRequest viaProxy = signed(publicUrl, "http://app-7.internal:8080/calls/twilio?callId=call-42",
                statusCallback());

        for (String base : List.of("https://api.example.com/telephony", "https://api.example.com/telephony/")) {
            assertThat(handler(Map.of("twilio.webhook-base-url", base)).handle(viaProxy, WebhookContext.none()).events())
                    .singleElement().extracting(CallEvent::callId).isEqualTo("call-42");
        }
    }

    @Test
    void aRequestAlreadyUnderThePublicBaseUrlsPathIsNotGivenItTwice() throws Exception {
        // a host that hands on the URL Twilio was given (the starter's route does), or a proxy that keeps the prefix
        String publicUrl = "https://api.example.com/telephony/calls/twilio?callId=call-42";
        WebhookHandler handler = handler(Map.of("twilio.webhook-base-url", "https://api.example.com/telephony"));

        assertThat(handler.handle(signed(publicUrl, publicUrl, statusCallback()), WebhookContext.none()).events())
                .hasSize(1);
        assertThat(handler.handle(signed(publicUrl, "http://localhost:9000/telephony/calls/twilio?callId=call-42",
                statusCallback()), WebhookContext.none()).events()).hasSize(1);
    }

    @Test
    void aWebhookBaseUrlThatDisagreesWithTheCallbackUrlTwilioIsGivenIsRefusedAtStartUp() {
        // Twilio is given the manager's URL (calling.webhook-base-url) and signs it; the handler checked the signature
        // against twilio.webhook-base-url's host instead: every callback was refused, while one signed for a URL
        // on that other host, which Twilio was never given, passed
        for (String base : List.of("https://hooks.example.com", "http://calls.example.com",
                "https://calls.example.com:8443", "https://calls.example.com/other")) {
            try (TestProviderContext managed = TestProviderContext.builder().clock(context.clock())
                    .webhookUrl("https://calls.example.com/calling/webhooks/twilio").build()) {
                Map<String, String> config = Fixtures.baseConfig("http://127.0.0.1:1");
                config.put("twilio.webhook-base-url", base);

                ConfigurationException e = catchThrowableOfType(ConfigurationException.class,
                        () -> Fixtures.provider(config, managed));

                assertThat(e).as(base).isNotNull();
                assertThat(e.problems()).singleElement().asString().startsWith("twilio.webhook-base-url")
                        .contains("calling.webhook-base-url", "https://calls.example.com/calling/webhooks/twilio");
            }
        }
    }

    @Test
    void aWebhookBaseUrlThatAgreesWithTheCallbackUrlTwilioIsGivenStillRebuildsTheUrlItSigned() throws Exception {
        String given = "https://calls.example.com/telephony/calling/webhooks/twilio";
        for (String base : List.of("https://calls.example.com", "https://calls.example.com/telephony/",
                "https://calls.example.com/telephony/calling/webhooks")) {
            try (TestProviderContext managed = TestProviderContext.builder().clock(context.clock()).webhookUrl(given)
                    .build()) {
                Map<String, String> config = Fixtures.baseConfig("http://127.0.0.1:1");
                config.put("twilio.webhook-base-url", base);
                WebhookRequest request = signed(given + "?callId=call-42", given + "?callId=call-42", statusCallback());

                assertThat(Fixtures.provider(config, managed).webhooks().handle(request, WebhookContext.none()).events())
                        .as(base).singleElement().extracting(CallEvent::callId).isEqualTo("call-42");
            }
        }
    }

    @Test
    void acceptsRepeatedParametersInTheOrderReceived() throws Exception {
        String body = "CallSid=" + CALL_SID + "&CallStatus=ringing&Extra=b&Extra=a";
        String sig = hmac(AUTH_TOKEN, URL + "CallSid" + CALL_SID + "CallStatusringing" + "Extrab" + "Extraa");
        WebhookRequest request = WebhookRequest.post(URL, Map.of("X-Twilio-Signature", sig), body);

        assertThat(handler(Map.of()).handle(request, WebhookContext.none()).events()).singleElement().extracting(CallEvent::status).isEqualTo(CallStatus.RINGING);
    }

    @Test
    void acceptsSignedJsonCallback() throws Exception {
        String json = "{\"CallSid\": \"" + CALL_SID + "\", \"CallStatus\": \"answered\", \"SequenceNumber\": 2}";
        String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json.getBytes(StandardCharsets.UTF_8)));
        String url = URL + "&bodySHA256=" + hash;
        WebhookRequest request = WebhookRequest.post(url, Map.of("X-Twilio-Signature", hmac(AUTH_TOKEN, url),
                "Content-Type", "application/json"), json);

        CallEvent e = handler(Map.of()).handle(request, WebhookContext.none()).events().get(0);
        assertThat(e.status()).isEqualTo(CallStatus.ANSWERED);
        assertThat(e.sequence()).isEqualTo(2L);

        WebhookRequest changed = WebhookRequest.post(url, Map.of("X-Twilio-Signature", hmac(AUTH_TOKEN, url),
                "Content-Type", "application/json"), json.replace("answered", "completed"));
        assertThat(catchThrowableOfType(() -> handler(Map.of()).handle(changed, WebhookContext.none()).events(), WebhookRejectedException.class).httpStatus()).isEqualTo(403);
    }

    @Test
    void refusesSignedCallbackWithoutCallSidAs400() throws Exception {
        Map<String, String> p = statusCallback();
        p.remove("CallSid");

        WebhookRejectedException e = catchThrowableOfType(() -> handler(Map.of()).handle(signed(URL, URL, p), WebhookContext.none()).events(), WebhookRejectedException.class);

        assertThat(e.httpStatus()).isEqualTo(400);
        assertThat(e.refusal()).isEqualTo(WebhookRejectedException.Refusal.MALFORMED);
    }

    @Test
    void refusesAValidlySignedCallbackWhoseTimestampIsTwoDaysOld() throws Exception {
        Map<String, String> p = statusCallback();
        p.put("Timestamp", "Mon, 29 Apr 2024 10:00:00 +0000");

        WebhookRejectedException e = catchThrowableOfType(() -> handler(Map.of()).handle(signed(URL, URL, p), WebhookContext.none()).events(),
                WebhookRejectedException.class);

        assertThat(e.httpStatus()).isEqualTo(403);
        assertThat(e.getMessage()).contains("stale or replayed", "twilio.webhook-max-age");
        assertThat(e.refusal()).isEqualTo(WebhookRejectedException.Refusal.TOO_OLD);   // metrics count it apart
    }

    @Test
    void refusesACallbackStampedTooFarInTheFuture() throws Exception {
        Map<String, String> p = statusCallback();
        p.put("Timestamp", "Wed, 01 May 2024 10:05:01 +0000");   // our clock: 10:00:00

        assertThat(catchThrowableOfType(() -> handler(Map.of()).handle(signed(URL, URL, p), WebhookContext.none()).events(),
                WebhookRejectedException.class).httpStatus()).isEqualTo(403);
    }

    @Test
    void theReplayWindowIsASettingAndADuplicateInsideItIsStillParsed() throws Exception {
        Map<String, String> p = statusCallback();
        p.put("Timestamp", "Wed, 01 May 2024 09:57:00 +0000");   // three minutes before our clock
        WebhookRequest request = signed(URL, URL, p);
        WebhookHandler handler = handler(Map.of());

        assertThat(handler.handle(request, WebhookContext.none()).events()).hasSize(1);
        assertThat(handler.handle(request, WebhookContext.none()).events()).as("a duplicate: the lifecycle ignores it").hasSize(1);
        assertThat(catchThrowableOfType(() -> handler(Map.of("twilio.webhook-max-age", "PT2M")).handle(request, WebhookContext.none()).events(),
                WebhookRejectedException.class).httpStatus()).isEqualTo(403);
    }

    @Test
    void refusesASignedTimestampThatIsNotADate() throws Exception {
        Map<String, String> p = statusCallback();
        p.put("Timestamp", "yesterday");

        assertThat(catchThrowableOfType(() -> handler(Map.of()).handle(signed(URL, URL, p), WebhookContext.none()).events(),
                WebhookRejectedException.class).httpStatus()).isEqualTo(400);
    }

    @Test
    void aBodyThatIsNotFormEncodingIsRefusedAs400WithoutReadingFurther() {
        WebhookRequest garbled = WebhookRequest.post(URL, Map.of("X-Twilio-Signature", "c2lnbmF0dXJl"), "CallSid=%zz");

        assertThat(catchThrowableOfType(() -> handler(Map.of()).handle(garbled, WebhookContext.none()).events(),
                WebhookRejectedException.class).httpStatus()).isEqualTo(400);
    }

    @Test
    void acknowledgesWithEmptyTwimlResponse() throws Exception {
        WebhookResponse ack = handler(Map.of()).handle(signed(URL, URL, statusCallback()), WebhookContext.none()).response();

        assertThat(ack.status()).isEqualTo(200);
        assertThat(ack.contentType()).isEqualTo("text/xml");
        assertThat(ack.body()).isEqualTo("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response/>");
    }
}
