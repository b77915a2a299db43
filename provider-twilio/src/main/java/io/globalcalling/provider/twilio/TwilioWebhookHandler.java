package io.globalcalling.provider.twilio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.globalcalling.provider.twilio.internal.TwilioCalls;
import io.globalcalling.provider.twilio.internal.Twiml;
import io.globalcalling.spi.CallEvent;
import io.globalcalling.spi.WebhookContext;
import io.globalcalling.spi.WebhookHandler;
import io.globalcalling.spi.WebhookRejectedException;
import io.globalcalling.spi.WebhookResult;
import io.globalcalling.WebhookRequest;
import io.globalcalling.WebhookResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Verifies and reads Twilio's status, recording and transcription callbacks. The URL that was signed is the
 * request's, with scheme, host and port replaced by {@code twilio.webhook-base-url} when one is set (a host
 * behind a TLS-terminating proxy sees another URL than the one Twilio called), and that URL's path put in front
 * of the request's when a proxy stripped it. Our call id comes from the
 * {@code callId} query parameter of the callback URL the core gave Twilio.
 *
 * <p>The signature is checked before anything else is read from the request. A callback that carries a
 * {@code Timestamp} (status callbacks do, in RFC 2822 form) is refused when that time is further than
 * {@code twilio.webhook-max-age} from our clock, either way: a captured callback cannot be replayed later. Inside
 * the window a replay is a duplicate, which the lifecycle ignores.
 */
final class TwilioWebhookHandler implements WebhookHandler {

    static final String SIGNATURE_HEADER = "X-Twilio-Signature";
    private static final Logger log = LoggerFactory.getLogger(TwilioWebhookHandler.class);
    /** Twilio expects TwiML back even from a status callback; an empty document asks nothing of the call. */
    private static final WebhookResponse ACKNOWLEDGEMENT = new WebhookResponse(200, "text/xml", Twiml.EMPTY_RESPONSE);
    /** Callback fields kept in {@link CallEvent#details()}; phone numbers and names are left out on purpose. */
    private static final List<String> DETAIL_FIELDS = List.of("CallStatus", "CallbackSource", "Direction",
            "RecordingSid", "RecordingStatus", "RecordingDuration", "RecordingChannels", "RecordingSource",
            "TranscriptionSid", "TranscriptionStatus", "ErrorCode", "SipResponseCode", "ParentCallSid");

    private final String providerId;
    private final TwilioSignatureValidator validator;
    private final URI publicBase;
    /** The public base's path without its trailing '/': "" for a base that is only scheme, host and port. */
    private final String publicPrefix;
    private final Clock clock;
    private final Duration maxAge;
    private final ObjectMapper json;

    /**
     * @param validator null when no Auth Token is configured: every callback is then refused
     * @param maxAge    how far a callback's {@code Timestamp} may be from our clock
     */
    TwilioWebhookHandler(String providerId, TwilioSignatureValidator validator, URI publicBase, Clock clock,
                         Duration maxAge, ObjectMapper json) {
        this.providerId = providerId;
        this.validator = validator;
        this.publicBase = publicBase;
        this.publicPrefix = publicBase == null || publicBase.getRawPath() == null ? ""
                : publicBase.getRawPath().replaceAll("/+$", "");
        this.clock = clock;
        this.maxAge = maxAge;
        this.json = json;
    }

    /**
     * A status, recording or transcription callback becomes one event, acknowledged with an empty TwiML document.
     * The call is named by the request itself (our id in the URL, Twilio's {@code CallSid}), so the context is
     * not consulted. Twilio's voice URL never reaches this handler: the provider sends its own documents inline
     * ({@code Twiml}) and a {@code Url} only when the host (or {@code twilio.voip-twiml-url}) serves the TwiML.
     */
    @Override
    public WebhookResult handle(WebhookRequest request, WebhookContext context) {
        return WebhookResult.of(List.of(verifyAndParse(request)), ACKNOWLEDGEMENT);
    }

    private CallEvent verifyAndParse(WebhookRequest request) {
        if (validator == null) {
            throw reject(request, 403, "signature cannot be checked: twilio.auth-token is not configured");
        }
        String signature = request.header(SIGNATURE_HEADER).orElse("");
        if (signature.isBlank()) throw reject(request, 403, "missing " + SIGNATURE_HEADER + " header");
        String signedUrl = publicUrl(request.url());
        // Only what the signature covers is read before it is checked: the form fields, or the raw JSON body.
        boolean jsonBody = isJson(request);
        Map<String, List<String>> form = jsonBody ? Map.of() : formOf(request);
        boolean valid = jsonBody
                ? validator.validateBody(signedUrl, request.body(), signature)
                : validator.validate(signedUrl, form, signature);
        if (!valid) {
            throw reject(request, 403, SIGNATURE_HEADER + " does not match the request"
                    + " (check twilio.webhook-base-url and that the Auth Token is the primary one)");
        }
        Map<String, String> fields = jsonBody ? jsonFields(request) : firstValues(form);
        Instant at = checkedTimestamp(fields.get("Timestamp"), request);
        return toEvent(fields, request.queryParameters(), at, request);
    }

    /** The form parameters; bad percent-encoding is a malformed request (400), not a fault. */
    private Map<String, List<String>> formOf(WebhookRequest request) {
        try {
            return request.formParameters();
        } catch (IllegalArgumentException e) {
            throw reject(request, 400, "the form body is malformed (a bad percent-escape)");
        }
    }

    /** When the callback's event happened: its {@code Timestamp}, which must lie within the window; else now. */
    private Instant checkedTimestamp(String timestamp, WebhookRequest request) {
        Instant now = clock.instant();
        if (timestamp == null || timestamp.isBlank()) return now; // recording and transcription callbacks carry none
        Instant at = TwilioCalls.date(timestamp)
                .orElseThrow(() -> reject(request, 400, "Timestamp is not an RFC 2822 date"));
        if (Duration.between(at, now).abs().compareTo(maxAge) > 0) {
            throw reject(request, 403, WebhookRejectedException.Refusal.TOO_OLD, "Timestamp " + at + " is more than " + maxAge + " from now (" + now
                    + "): a stale or replayed callback (see twilio.webhook-max-age)");
        }
        return at;
    }

    private CallEvent toEvent(Map<String, String> f, Map<String, List<String>> query, Instant at, WebhookRequest request) {
        String callSid = f.get("CallSid");
        if (callSid == null || callSid.isBlank()) throw reject(request, 400, "the callback has no CallSid");
        String callId = query.getOrDefault("callId", List.of()).stream()
                .filter(s -> !s.isBlank()).findFirst().orElse(null);
        Long sequence = null;
        try {
            if (f.get("SequenceNumber") != null) sequence = Long.parseLong(f.get("SequenceNumber").strip());
        } catch (NumberFormatException e) {
            log.debug("ignoring a SequenceNumber that is not a number");
        }
        URI recording = null;
        String recordingUrl = f.get("RecordingUrl");
        Map<String, String> details = new LinkedHashMap<>();
        if (recordingUrl != null && !recordingUrl.isBlank()) {
            try {
                recording = URI.create(recordingUrl.strip());
            } catch (IllegalArgumentException e) {
                details.put("RecordingUrl", recordingUrl);
            }
        }
        DETAIL_FIELDS.forEach(name -> {
            String v = f.get(name);
            if (v != null && !v.isBlank()) details.put(name, v);
        });
        String transcript = f.get("TranscriptionText");
        String answeredBy = f.get("AnsweredBy");
        return CallEvent.builder(providerId, at).providerCallId(callSid.strip()).callId(callId)
                .status(TwilioCalls.status(f.get("CallStatus")).orElse(null)).sequence(sequence)
                .duration(TwilioCalls.seconds(f.get("CallDuration")).orElse(null)).recordingUrl(recording)
                .transcript(transcript == null || transcript.isEmpty() ? null : transcript)
                .answeredBy(answeredBy == null || answeredBy.isBlank() ? null : answeredBy)
                .errorReason(TwilioCalls.endReason(f.get("CallStatus"), f.get("ErrorCode"), f.get("SipResponseCode"))
                        .orElse(null))
                .details(details).build();
    }

    /**
     * The URL Twilio called: the request's, with the configured public scheme, host and port, and the public base's
     * path in front of the request's path unless that is already under it (a proxy that strips the base's path
     * prefix hands the host only the rest).
     */
    String publicUrl(URI url) {
        String raw = url.toString();
        if (publicBase == null) return raw;
        int schemeEnd = raw.indexOf("://");
        if (schemeEnd < 0) return raw;
        int pathStart = schemeEnd + 3;
        while (pathStart < raw.length() && "/?#".indexOf(raw.charAt(pathStart)) < 0) pathStart++;
        String rest = raw.substring(pathStart);
        boolean underPrefix = rest.equals(publicPrefix) || rest.startsWith(publicPrefix + "/")
                || rest.startsWith(publicPrefix + "?");
        return publicBase.getScheme() + "://" + publicBase.getRawAuthority() + (underPrefix ? "" : publicPrefix) + rest;
    }

    /** By its Content-Type or the body hash Twilio puts in the URL of a JSON callback. */
    private static boolean isJson(WebhookRequest request) {
        String type = request.header("Content-Type").orElse("").toLowerCase(Locale.ROOT);
        String query = request.url().getRawQuery();
        return type.startsWith("application/json")
                || (query != null && ("&" + query).contains("&bodySHA256="));
    }

    private Map<String, String> jsonFields(WebhookRequest request) {
        try {
            JsonNode root = json.readTree(request.body());
            if (root == null || !root.isObject()) throw reject(request, 400, "the JSON callback is not an object");
            Map<String, String> out = new LinkedHashMap<>();
            root.properties().forEach(e -> {
                if (e.getValue().isValueNode() && !e.getValue().isNull()) out.put(e.getKey(), e.getValue().asText());
            });
            return out;
        } catch (IOException e) { // JacksonException included
            throw reject(request, 400, "the JSON callback is malformed");
        }
    }

    private static Map<String, String> firstValues(Map<String, List<String>> form) {
        Map<String, String> out = new LinkedHashMap<>();
        form.forEach((k, v) -> {
            if (!v.isEmpty()) out.put(k, v.get(0));
        });
        return out;
    }

    private WebhookRejectedException reject(WebhookRequest request, int status, String reason) {
        return reject(request, status, status == 403 ? WebhookRejectedException.Refusal.BAD_SIGNATURE
                : WebhookRejectedException.Refusal.MALFORMED, reason);
    }

    private WebhookRejectedException reject(WebhookRequest request, int status, WebhookRejectedException.Refusal refusal,
                                            String reason) {
        log.warn("Refused a Twilio callback to {}: {}", request.url().getPath(), reason);
        return new WebhookRejectedException(status, refusal, "[" + providerId + "] " + reason);
    }
}
