package io.globalcalling.spring.api;

import io.globalcalling.CallCategory;
import io.globalcalling.CallRequest;
import io.globalcalling.Money;
import io.globalcalling.Priority;
import io.globalcalling.Purpose;
import io.globalcalling.QualityPreference;
import io.globalcalling.Skill;
import org.jspecify.annotations.Nullable;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Pattern;

import static io.globalcalling.spring.api.ApiInputException.parse;
import static io.globalcalling.spring.api.ApiInputException.required;

/**
 * A call as a client asks for it in JSON; enum values are the SDK's wire names ({@code internet_voip},
 * {@code notification}, …). Who pays is the API key's customer, never a field of the body.
 *
 * @param to                   E.164 number, sip: URI, http(s) URL or imei: terminal; required
 * @param category             a pinned category, or absent to let routing choose (initiate only)
 * @param script               what an AI call speaks, at most {@value #MAX_SCRIPT} characters (each variable's value too)
 * @param payload              JSON text for a system_api call, at most {@value #MAX_PAYLOAD_BYTES} bytes in UTF-8
 * @param payloadBase64        bytes for a satellite or system_api call, Base64, at most {@value #MAX_PAYLOAD_BYTES}
 * @param metadata             labels kept with the call: at most {@value #MAX_METADATA_ENTRIES}, each name at most
 *                             {@value #MAX_METADATA_NAME} characters and value at most {@value #MAX_METADATA_VALUE}
 * @param maxDurationSeconds   hang up after this many seconds
 */
public record CallBody(@Nullable String to, @Nullable String from, @Nullable String category,
                       @Nullable String purpose, @Nullable String priority, @Nullable Location location,
                       @Nullable Boolean terrestrialCoverage, @Nullable Amount maxCostPerMinute,
                       @Nullable String quality, @Nullable String skill, @Nullable String language,
                       @Nullable String voice, @Nullable String script, @Nullable Map<String, String> variables,
                       @Nullable String answerUrl, @Nullable String payload, @Nullable String payloadBase64,
                       @Nullable Boolean record, @Nullable Boolean machineDetection,
                       @Nullable Integer maxDurationSeconds, @Nullable Map<String, String> metadata) {

    /** The longest script, and the longest value of a script variable, in characters. */
    public static final int MAX_SCRIPT = 16 * 1024;
    /** The largest payload, JSON text (in UTF-8) or bytes, in bytes: what the SDK takes as a callback's body. */
    public static final int MAX_PAYLOAD_BYTES = 64 * 1024;
    /** The most labels a call's metadata holds. */
    public static final int MAX_METADATA_ENTRIES = 50;
    /** The longest metadata label name, in characters. */
    public static final int MAX_METADATA_NAME = 40;
    /** The longest metadata label value, in characters. */
    public static final int MAX_METADATA_VALUE = 500;

    /** Where the callee is. */
    public record Location(double latitude, double longitude) {
    }

    /** A sum of money: a decimal amount as text and an ISO 4217 currency. */
    public record Amount(@Nullable String amount, @Nullable String currency) {

        /**
         * Plain decimal digits: an exponent (1e10000000) would have Money write out every digit, seconds of
         * arithmetic on a request thread, or overflow its scale.
         */
        private static final Pattern DECIMAL = Pattern.compile("[+-]?\\d{1,20}(\\.\\d{1,10})?");

        Money toMoney(String field) {
            String a = required(field + ".amount", amount);
            String c = required(field + ".currency", currency);
            if (!DECIMAL.matcher(a.strip()).matches()) {
                throw new ApiInputException(field, a + " " + c, field + ".amount '" + a
                        + "' is not a decimal amount such as 0.50 (at most 20 digits, and 10 after the point)");
            }
            return parse(field, a + " " + c, v -> Money.of(a, c));
        }
    }

    /**
     * The SDK's request for {@code customerId}, its category pinned to {@code pinned} when that is not null.
     *
     * @throws IllegalArgumentException naming the field and the value
     */
    public CallRequest toRequest(String customerId, @Nullable CallCategory pinned, @Nullable String idempotencyKey) {
        CallRequest.Builder b = parse("to", required("to", to), CallRequest::to);
        if (category != null) {
            CallCategory asked = parse("category", category, CallCategory::fromWireName);
            if (pinned != null && asked != pinned) {
                throw new ApiInputException("category", category, "category '" + category
                        + "' conflicts with this endpoint, which places " + pinned.wireName() + " calls");
            }
            b.category(asked);
        }
        if (pinned != null) b.category(pinned);
        if (from != null) b.from(parse("from", from, io.globalcalling.PhoneNumber::of));
        if (purpose != null) b.purpose(parse("purpose", purpose, Purpose::fromWireName));
        if (priority != null) b.priority(parse("priority", priority, Priority::fromWireName));
        if (location != null) {
            b.location(parse("location", location.latitude() + "," + location.longitude(),
                    v -> io.globalcalling.GeoPoint.of(location.latitude(), location.longitude())));
        }
        b.terrestrialCoverage(terrestrialCoverage);
        if (maxCostPerMinute != null) b.maxCostPerMinute(maxCostPerMinute.toMoney("maxCostPerMinute"));
        if (quality != null) b.quality(parse("quality", quality, QualityPreference::fromWireName));
        if (skill != null) b.skill(parse("skill", skill, Skill::of));
        if (script != null) atMost("script", script.length(), MAX_SCRIPT, "characters");
        b.language(language).voice(voice).script(script);
        if (variables != null) {
            withValues("variables", variables).forEach((name, value) ->
                    atMost("variables." + name, value.length(), MAX_SCRIPT, "characters"));
            b.variables(variables);
        }
        if (answerUrl != null) b.answerUrl(parse("answerUrl", answerUrl, java.net.URI::create));
        if (payload != null) {
            atMost("payload", payload.getBytes(StandardCharsets.UTF_8).length, MAX_PAYLOAD_BYTES, "bytes");
        }
        b.payload((String) payload);
        if (payloadBase64 != null) {
            byte[] bytes = parse("payloadBase64", payloadBase64, Base64.getDecoder()::decode);
            atMost("payloadBase64", bytes.length, MAX_PAYLOAD_BYTES, "bytes");
            b.payload(bytes);
        }
        b.record(Boolean.TRUE.equals(record)).machineDetection(Boolean.TRUE.equals(machineDetection));
        if (maxDurationSeconds != null) {
            if (maxDurationSeconds < 1) {
                throw new ApiInputException("maxDurationSeconds", maxDurationSeconds.toString(),
                        "maxDurationSeconds " + maxDurationSeconds + " must be positive");
            }
            b.maxDuration(Duration.ofSeconds(maxDurationSeconds));
        }
        if (metadata != null) {
            atMost("metadata", metadata.size(), MAX_METADATA_ENTRIES, "labels");
            withValues("metadata", metadata).forEach((name, value) -> {
                atMost("metadata." + name, value.length(), MAX_METADATA_VALUE, "characters");
                if (name.length() > MAX_METADATA_NAME) {
                    throw new ApiInputException("metadata", null, "metadata names are at most " + MAX_METADATA_NAME
                            + " characters long; one is " + name.length());
                }
                b.metadata(name, value);
            });
        }
        b.customerId(customerId).idempotencyKey(idempotencyKey);
        return b.build();
    }

    /**
     * @throws ApiInputException naming {@code field}, not quoting it (it is long), when {@code size} is over
     *                           {@code max}
     */
    static void atMost(String field, long size, long max, String unit) {
        if (size > max) {
            throw new ApiInputException(field, null, field + " is " + size + " " + unit + " long; the API takes at most "
                    + max);
        }
    }

    /** JSON's {@code null} as a value would fail the request's copy of the map with no word of which entry. */
    private static Map<String, String> withValues(String field, Map<String, String> values) {
        values.forEach((name, value) -> required(field + "." + name, value));
        return values;
    }
}
