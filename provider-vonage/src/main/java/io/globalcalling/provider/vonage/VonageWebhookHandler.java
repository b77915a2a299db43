package io.globalcalling.provider.vonage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.globalcalling.CallCategory;
import io.globalcalling.CallRecord;
import io.globalcalling.Endpoint;
import io.globalcalling.PhoneNumber;
import io.globalcalling.WebhookRequest;
import io.globalcalling.WebhookResponse;
import io.globalcalling.provider.vonage.internal.Ncco;
import io.globalcalling.provider.vonage.internal.VonageCalls;
import io.globalcalling.spi.CallEvent;
import io.globalcalling.spi.WebhookContext;
import io.globalcalling.spi.WebhookHandler;
import io.globalcalling.spi.WebhookRejectedException;
import io.globalcalling.spi.WebhookResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Verifies and reads Vonage's callbacks to {@code webhooks().handle("vonage", ...)}. Every request must carry a
 * valid signed token ({@link VonageSignedWebhooks}) before anything else is read. Two kinds arrive:
 * <ul>
 * <li>event callbacks (the {@code event_url} we gave, carrying our {@code callId}): a JSON body with
 *     {@code uuid}, {@code status}, {@code detail}, {@code timestamp}, and on completion {@code duration},
 *     {@code rate} and {@code price}; one event each, acknowledged with an empty 200;</li>
 * <li>answer requests (the {@code answer_url} we gave, with {@code type=answer}): answered with the NCCO for
 *     that call, which must be one of ours with this provider.</li>
 * </ul>
 */
final class VonageWebhookHandler implements WebhookHandler {

    static final String ANSWER = "answer";
    private static final Logger log = LoggerFactory.getLogger(VonageWebhookHandler.class);

    private final String providerId;
    private final VonageSignedWebhooks verifier;
    private final VonageConfig config;
    private final Clock clock;
    private final ObjectMapper json;

    VonageWebhookHandler(String providerId, VonageSignedWebhooks verifier, VonageConfig config, Clock clock,
                         ObjectMapper json) {
        this.providerId = providerId;
        this.verifier = verifier;
        this.config = config;
        this.clock = clock;
        this.json = json;
    }

    @Override
    public WebhookResult handle(WebhookRequest request, WebhookContext context) {
        try {
            verifier.verify(request);
        } catch (VonageSignedWebhooks.Refused e) {
            throw reject(request, 403, e.getMessage());
        }
        Map<String, List<String>> query = request.queryParameters();
        String callId = first(query, "callId");
        JsonNode body = body(request);
        if (ANSWER.equals(first(query, "type"))) return answer(request, callId, text(body, "uuid"), context);
        return WebhookResult.events(List.of(toEvent(body, callId, request)));
    }

    /** The NCCO that connects the callee of one of our calls to {@code vonage.voip-connect-to}. */
    private WebhookResult answer(WebhookRequest request, String callId, String uuid, WebhookContext context) {
        Optional<CallRecord> call = callId != null ? context.call(callId)
                : uuid != null ? context.callByProviderId(uuid) : Optional.empty();
        if (call.isEmpty()) throw reject(request, 404, "the answer request names no call of ours");
        CallRecord record = call.get();
        // the token signs the body's uuid, not the URL's callId: both must name the same call
        if (callId != null && uuid != null && !uuid.equals(record.providerCallId())
                && (record.providerCallId() != null || context.callByProviderId(uuid).isPresent())) {
            throw reject(request, 404, "the answer request's callId and uuid name different calls");
        }
        Optional<Endpoint> target = config.voipConnectTo();
        if (record.category() != CallCategory.INTERNET_VOIP || target.isEmpty()) {
            throw reject(request, 404, "call " + record.callId() + " is not answered by an NCCO from this provider");
        }
        PhoneNumber from = record.fromNumber() != null ? PhoneNumber.of(record.fromNumber()) : config.fromNumber();
        String ncco = Ncco.connect(target.get(), from, null).toString();
        return WebhookResult.answer(new WebhookResponse(200, "application/json", ncco));
    }

    private CallEvent toEvent(JsonNode body, String callId, WebhookRequest request) {
        String uuid = text(body, "uuid");
        if (uuid == null && callId == null) throw reject(request, 400, "the callback names no call (no uuid, no callId)");
        String status = text(body, "status");
        String detail = text(body, "detail");
        Instant at = VonageCalls.time(text(body, "timestamp")).orElseGet(clock::instant);
        Map<String, String> details = VonageCalls.details(status, detail);
        for (String name : List.of("rate", "network", "disconnected_by", "sub_state", "sip_code", "recording_uuid")) {
            String v = text(body, name);
            if (v != null) details.put(name, v);
        }
        URI recording = null;
        String recordingUrl = text(body, "recording_url");
        if (recordingUrl != null) {
            try {
                recording = URI.create(recordingUrl);
            } catch (IllegalArgumentException e) {
                details.put("recording_url", recordingUrl);
            }
        }
        return CallEvent.builder(providerId, at).providerCallId(uuid).callId(callId)
                .status(VonageCalls.status(status).orElse(null))
                .answeredBy(VonageCalls.answeredBy(status).orElse(null))
                .duration(VonageCalls.seconds(text(body, "duration")).orElse(null))
                .price(VonageCalls.price(text(body, "price"), config.currency()).orElse(null))
                .recordingUrl(recording).details(details)
                .errorReason(VonageCalls.endReason(status, detail).orElse(null)).build();
    }

    private JsonNode body(WebhookRequest request) {
        if (request.bodyLength() == 0) return json.createObjectNode();
        try {
            JsonNode root = json.readTree(request.body());
            if (root == null || !root.isObject()) throw reject(request, 400, "the callback body is not a JSON object");
            return root;
        } catch (IOException e) {
            throw reject(request, 400, "the callback body is malformed JSON");
        }
    }

    private static String text(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull() || !v.isValueNode()) return null;
        String s = v.asText().strip();
        return s.isEmpty() ? null : s;
    }

    private static String first(Map<String, List<String>> query, String name) {
        return query.getOrDefault(name, List.of()).stream().filter(s -> !s.isBlank()).findFirst().orElse(null);
    }

    private WebhookRejectedException reject(WebhookRequest request, int status, String reason) {
        log.warn("Refused a Vonage callback to {}: {}", request.url().getPath(), reason);
        return new WebhookRejectedException(status, "[" + providerId + "] " + reason);
    }
}
