package io.globalcalling.provider.vonage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.globalcalling.CallCategory;
import io.globalcalling.CallRecord;
import io.globalcalling.CallStatus;
import io.globalcalling.ErrorReason;
import io.globalcalling.Money;
import io.globalcalling.Priority;
import io.globalcalling.WebhookRequest;
import io.globalcalling.spi.CallEvent;
import io.globalcalling.spi.WebhookContext;
import io.globalcalling.spi.WebhookRejectedException;
import io.globalcalling.spi.WebhookResult;
import io.globalcalling.testkit.TestProviderContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Signed event callbacks and answer requests, with tokens made by the JDK's Mac, not by the provider's library. */
class VonageWebhookTest {

    private static final String URL = VonageFixtures.CALLBACK.toString();
    private static final String SECRET = VonageFixtures.SIGNATURE_SECRET;
    private final TestProviderContext context = VonageFixtures.context();
    private final VonageProvider provider = VonageFixtures.provider(VonageFixtures.baseConfig("http://127.0.0.1:9"), context);
    private final Instant now = VonageFixtures.START;

    @AfterEach
    void close() {
        context.close();
    }

    private WebhookResult handle(WebhookRequest request) {
        return provider.webhooks().handle(request, WebhookContext.none());
    }

    private WebhookRejectedException refused(WebhookRequest request) {
        WebhookRejectedException e = catchThrowableOfType(WebhookRejectedException.class, () -> handle(request));
        assertThat(e).as("refused").isNotNull();
        return e;
    }

    @Test
    void aCompletedEventSettlesTheRealCostAndDuration() {
        String body = VonageFixtures.eventBody(VonageFixtures.CALL_UUID, "completed",
                ",\"start_time\":\"2024-05-01T10:00:05.000Z\",\"end_time\":\"2024-05-01T10:01:05.000Z\","
                        + "\"duration\":\"60\",\"rate\":\"0.39000000\",\"price\":\"0.39000000\",\"network\":\"23410\"");

        WebhookResult result = handle(VonageFixtures.event(URL, body, SECRET, now));

        assertThat(result.response().status()).isEqualTo(200);
        CallEvent e = result.events().get(0);
        assertThat(e.providerCallId()).isEqualTo(VonageFixtures.CALL_UUID);
        assertThat(e.callId()).isEqualTo("call-42");
        assertThat(e.status()).isEqualTo(CallStatus.COMPLETED);
        assertThat(e.duration()).isEqualTo(Duration.ofSeconds(60));
        assertThat(e.price()).isEqualTo(Money.of("0.39000000", "EUR"));
        assertThat(e.occurredAt()).isEqualTo(Instant.parse("2024-05-01T10:00:30Z"));
        assertThat(e.details()).containsEntry("rate", "0.39000000").containsEntry("network", "23410");
    }

    @Test
    void aFailedEventCarriesVonagesDetailAndTheReasonReadFromIt() {
        Map<String, String> expected = Map.of("invalid_number", "INVALID_DESTINATION", "restricted", "NOT_PERMITTED",
                "declined", "REJECTED", "cannot_route", "UNAVAILABLE", "internal_error", "INTERNAL");
        expected.forEach((detail, reason) -> {
            String body = VonageFixtures.eventBody(VonageFixtures.CALL_UUID, "failed", ",\"detail\":\"" + detail + "\"");
            CallEvent e = handle(VonageFixtures.event(URL, body, SECRET, now)).events().get(0);
            assertThat(e.status()).isEqualTo(CallStatus.FAILED);
            assertThat(e.details()).containsEntry("detail", detail).containsEntry("reason", reason);
        });
    }

    @Test
    void aCallEndedForABadOrForbiddenNumberCarriesTheReasonAsTheEventsErrorReason() {
        Map<String, ErrorReason> expected = Map.of("invalid_number", ErrorReason.INVALID_DESTINATION,
                "number_out_of_service", ErrorReason.INVALID_DESTINATION, "restricted", ErrorReason.NOT_PERMITTED,
                "declined", ErrorReason.REJECTED);
        expected.forEach((detail, reason) -> {
            for (String status : List.of("failed", "rejected")) {
                String body = VonageFixtures.eventBody(VonageFixtures.CALL_UUID, status, ",\"detail\":\"" + detail + "\"");
                CallEvent e = handle(VonageFixtures.event(URL, body, SECRET, now)).events().get(0);
                assertThat(e.errorReason()).as(status + " with " + detail).isEqualTo(reason);
            }
        });
        // a network fault is not the number's, and a step that is no end explains no end
        String routing = VonageFixtures.eventBody(VonageFixtures.CALL_UUID, "failed", ",\"detail\":\"cannot_route\"");
        assertThat(handle(VonageFixtures.event(URL, routing, SECRET, now)).events().get(0).errorReason()).isNull();
        String ringing = VonageFixtures.eventBody(VonageFixtures.CALL_UUID, "ringing", ",\"detail\":\"invalid_number\"");
        assertThat(handle(VonageFixtures.event(URL, ringing, SECRET, now)).events().get(0).errorReason()).isNull();
    }

    @Test
    void machineAndHumanAreAnsweredCallsWithAVerdict() {
        for (String verdict : List.of("machine", "human")) {
            CallEvent e = handle(VonageFixtures.event(URL, VonageFixtures.eventBody(VonageFixtures.CALL_UUID, verdict, ""),
                    SECRET, now)).events().get(0);
            assertThat(e.status()).isEqualTo(CallStatus.ANSWERED);
            assertThat(e.answeredBy()).isEqualTo(verdict);
        }
    }

    @Test
    void disconnectedIsNotTerminalSoTheCompletedEventStillBringsThePrice() {
        CallEvent e = handle(VonageFixtures.event(URL, VonageFixtures.eventBody(VonageFixtures.CALL_UUID, "disconnected", ""),
                SECRET, now)).events().get(0);
        assertThat(e.status()).isNull();
        assertThat(e.details()).containsEntry("status", "disconnected");
    }

    @Test
    void aTokenSignedWithAnotherSecretIsRefused() {
        String body = VonageFixtures.eventBody(VonageFixtures.CALL_UUID, "completed", "");
        WebhookRejectedException e = refused(VonageFixtures.event(URL, body, "another-secret-of-enough-length-0123456789", now));
        assertThat(e.httpStatus()).isEqualTo(403);
        assertThat(e.getMessage()).contains("signature").doesNotContain(SECRET);
    }

    @Test
    void aTamperedBodyIsRefused() {
        String body = VonageFixtures.eventBody(VonageFixtures.CALL_UUID, "completed", ",\"price\":\"0.01\"");
        String token = VonageFixtures.callbackToken(SECRET, VonageFixtures.claims(now, body));
        WebhookRequest tampered = WebhookRequest.post(URL, Map.of("Authorization", "Bearer " + token),
                body.replace("0.01", "0.00"));
        WebhookRejectedException e = refused(tampered);
        assertThat(e.httpStatus()).isEqualTo(403);
        assertThat(e.getMessage()).contains("payload_hash");
    }

    @Test
    void theSameJsonReindentedStillVerifies() {
        String body = VonageFixtures.eventBody(VonageFixtures.CALL_UUID, "ringing", "");
        String token = VonageFixtures.callbackToken(SECRET, VonageFixtures.claims(now, body));
        WebhookRequest pretty = WebhookRequest.post(URL, Map.of("Authorization", "Bearer " + token),
                body.replace(",\"", ",\n  \"").replace("\":", "\": "));
        assertThat(handle(pretty).events().get(0).status()).isEqualTo(CallStatus.RINGING);
    }

    @Test
    void staleAndFutureTokensAreRefused() {
        String body = VonageFixtures.eventBody(VonageFixtures.CALL_UUID, "completed", "");
        assertThat(refused(VonageFixtures.event(URL, body, SECRET, now.minus(Duration.ofMinutes(6)))).getMessage())
                .contains("vonage.webhook-max-age");
        assertThat(refused(VonageFixtures.event(URL, body, SECRET, now.plus(Duration.ofMinutes(6)))).httpStatus())
                .isEqualTo(403);
    }

    @Test
    void expiredAndNotYetValidTokensAreRefused() {
        String body = VonageFixtures.eventBody(VonageFixtures.CALL_UUID, "completed", "");
        String hash = VonageFixtures.sha256Hex(body);
        String expired = "{\"iat\":" + now.getEpochSecond() + ",\"exp\":" + (now.getEpochSecond() - 60)
                + ",\"payload_hash\":\"" + hash + "\"}";
        String notYet = "{\"iat\":" + now.getEpochSecond() + ",\"nbf\":" + (now.getEpochSecond() + 120)
                + ",\"payload_hash\":\"" + hash + "\"}";
        assertThat(refused(request(body, VonageFixtures.callbackToken(SECRET, expired))).getMessage()).contains("expired");
        assertThat(refused(request(body, VonageFixtures.callbackToken(SECRET, notYet))).getMessage()).contains("not valid before");
    }

    @Test
    void unsignedAndUnsecuredTokensAreRefused() {
        String body = VonageFixtures.eventBody(VonageFixtures.CALL_UUID, "completed", "");
        assertThat(refused(WebhookRequest.post(URL, Map.of(), body)).getMessage()).contains("Bearer");
        String b64 = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\"}".getBytes());
        String claims = java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString(VonageFixtures.claims(now, body).getBytes());
        assertThat(refused(request(body, b64 + "." + claims + ".")).httpStatus()).isEqualTo(403);
    }

    @Test
    void aTokenForAnotherApplicationIsRefused() {
        String body = VonageFixtures.eventBody(VonageFixtures.CALL_UUID, "completed", "");
        String claims = VonageFixtures.claims(now, body).replace(VonageFixtures.APPLICATION_ID, "00000000-0000-4000-8000-000000000000");
        assertThat(refused(request(body, VonageFixtures.callbackToken(SECRET, claims))).getMessage()).contains("another application");
    }

    @Test
    void malformedJsonIsA400AfterTheSignatureIsChecked() {
        assertThat(refused(VonageFixtures.event(URL, "{\"uuid\": ", SECRET, now)).httpStatus()).isEqualTo(400);
        assertThat(refused(VonageFixtures.event(URL, "{\"uuid\": ", "wrong-secret-of-enough-length-0123456789ab", now))
                .httpStatus()).isEqualTo(403);
    }

    @Test
    void anAnswerRequestIsAnsweredWithTheNccoForThatCall() throws Exception {
        String answerUrl = "https://hooks.example.com/calling/webhooks/vonage?callId=call-42&type=answer";
        String body = "{\"to\":\"447700900000\",\"from\":\"447700900001\",\"uuid\":\"" + VonageFixtures.CALL_UUID
                + "\",\"conversation_uuid\":\"CON-1\"}";
        CallRecord ours = CallRecord.initiated("call-42", "acme", CallCategory.INTERNET_VOIP, VonageFixtures.FROM,
                VonageFixtures.TO, null, Priority.NORMAL, null, null, null, null, List.of(), false, now, Map.of());
        WebhookContext calls = new WebhookContext() {
            @Override
            public Optional<CallRecord> call(String callId) {
                return callId.equals("call-42") ? Optional.of(ours) : Optional.empty();
            }

            @Override
            public Optional<CallRecord> callByProviderId(String providerCallId) {
                return Optional.empty();
            }
        };

        WebhookResult result = provider.webhooks().handle(VonageFixtures.event(answerUrl, body, SECRET, now), calls);

        assertThat(result.events()).isEmpty();
        assertThat(result.response().contentType()).isEqualTo("application/json");
        JsonNode ncco = new ObjectMapper().readTree(result.response().body());
        assertThat(ncco).isEqualTo(new ObjectMapper().readTree("""
                [{"action":"connect","from":"447700900001","endpoint":[{"type":"sip","uri":"sip:desk@pbx.example.com"}]}]
                """));
        WebhookRejectedException unknown = catchThrowableOfType(WebhookRejectedException.class, () -> provider.webhooks()
                .handle(VonageFixtures.event(answerUrl.replace("call-42", "call-7"), body, SECRET, now), calls));
        assertThat(unknown.httpStatus()).isEqualTo(404);
    }

    @Test
    void anAnswerRequestWhoseSignedUuidIsAnotherCallOfOursIsRefused() {
        // the token signs the body (call X's uuid), not the URL's callId: call-42 is known to Vonage as another call
        CallRecord r = record(CallCategory.INTERNET_VOIP);
        CallRecord otherUuid = new CallRecord(r.callId(), r.customerId(), r.category(), "vonage",
                "aaaaaaaa-bbbb-cccc-dddd-000000000042", r.fromNumber(), r.toNumber(), r.status(), r.purpose(),
                r.priority(), r.attempt(), r.idempotencyKey(), r.campaignId(), r.heldAmount(), r.estimatedCost(),
                r.cost(), r.durationSeconds(), r.recordingUrl(), r.transcript(), r.aiSentiment(), r.routeReasons(),
                r.errorReason(), r.errorMessage(), r.needsReconciliation(), r.limitBypass(), r.simulated(),
                r.startedAt(), r.answeredAt(), r.endedAt(), r.createdAt(), r.updatedAt(), r.metadata());
        WebhookContext calls = new WebhookContext() {
            @Override
            public Optional<CallRecord> call(String callId) {
                return callId.equals("call-42") ? Optional.of(otherUuid) : Optional.empty();
            }

            @Override
            public Optional<CallRecord> callByProviderId(String providerCallId) {
                return Optional.empty();
            }
        };
        String answerUrl = "https://hooks.example.com/calling/webhooks/vonage?callId=call-42&type=answer";
        String body = "{\"uuid\":\"" + VonageFixtures.CALL_UUID + "\"}";

        WebhookRejectedException e = catchThrowableOfType(WebhookRejectedException.class, () -> provider.webhooks()
                .handle(VonageFixtures.event(answerUrl, body, SECRET, now), calls));

        assertThat(e).as("refused").isNotNull();
        assertThat(e.httpStatus()).isEqualTo(404);
    }

    @Test
    void anAnswerRequestWithoutCallIdFindsTheCallByVonagesUuid() {
        String answerUrl = "https://hooks.example.com/calling/webhooks/vonage?type=answer";
        String body = "{\"uuid\":\"" + VonageFixtures.CALL_UUID + "\"}";
        CallRecord voip = record(CallCategory.INTERNET_VOIP);
        WebhookResult result = provider.webhooks().handle(VonageFixtures.event(answerUrl, body, SECRET, now),
                byUuid(voip));
        assertThat(result.response().body()).contains("sip:desk@pbx.example.com");
        WebhookRejectedException noUuid = catchThrowableOfType(WebhookRejectedException.class, () -> provider.webhooks()
                .handle(VonageFixtures.event(answerUrl, "{}", SECRET, now), byUuid(voip)));
        assertThat(noUuid.httpStatus()).isEqualTo(404);
    }

    @Test
    void anAnswerRequestIsRefusedForAnotherCategoryOrWithoutAConnectTarget() {
        String answerUrl = "https://hooks.example.com/calling/webhooks/vonage?type=answer";
        String body = "{\"uuid\":\"" + VonageFixtures.CALL_UUID + "\"}";
        WebhookRejectedException ai = catchThrowableOfType(WebhookRejectedException.class, () -> provider.webhooks()
                .handle(VonageFixtures.event(answerUrl, body, SECRET, now), byUuid(record(CallCategory.AI_AUTOMATED))));
        assertThat(ai.httpStatus()).isEqualTo(404);
        Map<String, String> config = VonageFixtures.baseConfig("http://127.0.0.1:9");
        config.remove("vonage.voip-connect-to");
        VonageProvider noTarget = VonageFixtures.provider(config, context);
        WebhookRejectedException none = catchThrowableOfType(WebhookRejectedException.class, () -> noTarget.webhooks()
                .handle(VonageFixtures.event(answerUrl, body, SECRET, now), byUuid(record(CallCategory.INTERNET_VOIP))));
        assertThat(none.httpStatus()).isEqualTo(404);
    }

    @Test
    void anEventNamingNoCallIsA400ButOneNamingEitherIsRead() {
        String noCallId = "https://hooks.example.com/calling/webhooks/vonage";
        assertThat(refused(VonageFixtures.event(noCallId, "{\"status\":\"ringing\"}", SECRET, now)).httpStatus())
                .isEqualTo(400);
        CallEvent byUuid = handle(VonageFixtures.event(noCallId,
                VonageFixtures.eventBody(VonageFixtures.CALL_UUID, "ringing", ""), SECRET, now)).events().get(0);
        assertThat(byUuid.callId()).isNull();
        assertThat(byUuid.providerCallId()).isEqualTo(VonageFixtures.CALL_UUID);
        CallEvent byCallId = handle(VonageFixtures.event(URL, "{\"status\":\"ringing\"}", SECRET, now)).events().get(0);
        assertThat(byCallId.callId()).isEqualTo("call-42");
        assertThat(byCallId.providerCallId()).isNull();
    }

    @Test
    void blankValuesCountAsAbsent() {
        String url = "https://hooks.example.com/calling/webhooks/vonage?callId=%20&callId=call-42";
        String body = "{\"uuid\":\"" + VonageFixtures.CALL_UUID + "\",\"status\":\"  \",\"detail\":\"\"}";
        CallEvent e = handle(VonageFixtures.event(url, body, SECRET, now)).events().get(0);
        assertThat(e.callId()).isEqualTo("call-42");
        assertThat(e.status()).isNull();
        assertThat(e.details()).doesNotContainKeys("status", "detail");
    }

    private CallRecord record(CallCategory category) {
        return CallRecord.initiated("call-42", "acme", category, VonageFixtures.FROM,
                VonageFixtures.TO, null, Priority.NORMAL, null, null, null, null, List.of(), false, now, Map.of());
    }

    private static WebhookContext byUuid(CallRecord record) {
        return new WebhookContext() {
            @Override
            public Optional<CallRecord> call(String callId) {
                return Optional.empty();
            }

            @Override
            public Optional<CallRecord> callByProviderId(String providerCallId) {
                return providerCallId.equals(VonageFixtures.CALL_UUID) ? Optional.of(record) : Optional.empty();
            }
        };
    }

    private static WebhookRequest request(String body, String token) {
        return WebhookRequest.post(URL, Map.of("Authorization", "Bearer " + token), body);
    }

}
