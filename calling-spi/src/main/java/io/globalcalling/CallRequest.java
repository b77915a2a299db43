package io.globalcalling;

import io.globalcalling.spi.Urls;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * What the host asks for. Only {@link #to()} is required; everything else guides routing or the
 * provider. Nullable components are exposed as they are; build instances with {@link #to(String)}.
 *
 * @param to                   where the call goes
 * @param from                 caller ID to present, when the provider allows one
 * @param category             a pinned category, or null to let routing choose
 * @param purpose              why the call is made, or null
 * @param priority             queueing priority; EMERGENCY bypasses cost caps and customer limits (still recorded)
 * @param location             where the callee is, when known
 * @param terrestrialCoverage  what the host knows of the callee's coverage: TRUE internet/cellular, FALSE none, null unknown
 * @param maxCostPerMinute     options dearer than this are dropped (ignored for emergencies)
 * @param quality              what to favour among providers of one category
 * @param skill                agent skill for human_agent calls, an open name ({@link Skill#of})
 * @param language             BCP-47 language for speech, e.g. {@code hi-IN}
 * @param voice                provider voice name for speech, passed through
 * @param script               the text an AI call speaks, with {@code {{name}}} placeholders
 * @param variables            values for the script's placeholders
 * @param answerUrl            for VoIP: the host's call-control URL (TwiML/NCCO) to connect the callee to
 * @param payload              for system_api: the JSON body to deliver
 * @param binaryPayload        for satellite and system_api: bytes to deliver to a terminal (an SBD message), bounded
 *                             by the provider's declared maximum; set with {@link Builder#payload(byte[])}
 * @param record               record the call
 * @param machineDetection     detect answering machines
 * @param maxDuration          hang up after this long, or null for the provider's default
 * @param customerId           whose limits and budget the call counts against
 * @param idempotencyKey       the same key from one customer never places a second call: a retry of the request is
 *                             answered with its call, and the key reused for a request that differs in anything is
 *                             refused
 * @param campaignId           the campaign this call belongs to, or null
 * @param metadata             free-form labels kept with the record
 */
public record CallRequest(
        Endpoint to,
        @Nullable PhoneNumber from,
        @Nullable CallCategory category,
        @Nullable Purpose purpose,
        Priority priority,
        @Nullable GeoPoint location,
        @Nullable Boolean terrestrialCoverage,
        @Nullable Money maxCostPerMinute,
        QualityPreference quality,
        @Nullable Skill skill,
        @Nullable String language,
        @Nullable String voice,
        @Nullable String script,
        Map<String, String> variables,
        @Nullable URI answerUrl,
        @Nullable String payload,
        @Nullable BinaryPayload binaryPayload,
        boolean record,
        boolean machineDetection,
        @Nullable Duration maxDuration,
        String customerId,
        @Nullable String idempotencyKey,
        @Nullable String campaignId,
        Map<String, String> metadata) {

    public static final String DEFAULT_CUSTOMER = "default";
    private static final Pattern LANGUAGE = Pattern.compile("[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*");
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_.:@\\-]+");
    /** The longest customer id: the JDBI store keeps it in 128 characters. */
    public static final int MAX_CUSTOMER_ID = 128;
    /** The longest idempotency key. */
    public static final int MAX_IDEMPOTENCY_KEY = 200;
    /** The longest destination (its text as a call's record keeps it): the JDBI store keeps it in 512 characters. */
    public static final int MAX_DESTINATION = 512;

    public CallRequest {
        Objects.requireNonNull(to, "to");
        if (to.value().length() > MAX_DESTINATION) {
            // its length only: a URL's user info is a credential
            throw new IllegalArgumentException("to is " + to.value().length() + " characters long, longer than the "
                    + MAX_DESTINATION + " a call's record keeps");
        }
        priority = priority == null ? Priority.NORMAL : priority;
        quality = quality == null ? QualityPreference.BALANCED : quality;
        variables = variables == null ? Map.of() : Map.copyOf(variables);
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
        customerId = customerId == null ? DEFAULT_CUSTOMER : customerId;
        if (maxCostPerMinute != null && maxCostPerMinute.isNegative()) {
            throw new IllegalArgumentException("maxCostPerMinute " + maxCostPerMinute + " must not be negative");
        }
        if (language != null && !LANGUAGE.matcher(language).matches()) {
            throw new IllegalArgumentException("language '" + language + "' is not a BCP-47 tag such as en-US or hi-IN");
        }
        checkCustomerId("customerId", customerId);
        if (idempotencyKey != null) checkIdempotencyKey("idempotencyKey", idempotencyKey);
        if (maxDuration != null && (maxDuration.isNegative() || maxDuration.isZero())) {
            throw new IllegalArgumentException("maxDuration " + maxDuration + " must be positive");
        }
        if (binaryPayload != null && payload != null) {
            throw new IllegalArgumentException("payload: give JSON text or bytes, not both (" + binaryPayload.size()
                    + " bytes and " + payload.length() + " characters given)");
        }
        if (binaryPayload != null && category != null && category != CallCategory.SATELLITE
                && category != CallCategory.SYSTEM_API) {
            throw new IllegalArgumentException("payload of " + binaryPayload.size() + " bytes can go to satellite or "
                    + "system_api calls only, not to category " + category.wireName());
        }
        if (answerUrl != null && !Urls.isAbsoluteHttp(answerUrl)) {
            throw new IllegalArgumentException("answerUrl '" + Urls.withoutUserInfo(answerUrl)
                    + "' must be an absolute http(s) URL with a host");
        }
    }


    /**
     * Checks a customer id, by which calls, holds and campaigns are kept: 1-{@value #MAX_CUSTOMER_ID} characters of
     * letters, digits and {@code _.:@-}. Everything that takes one (campaigns, the REST API, API keys) checks it here.
     *
     * @param what names the value in the message, e.g. {@code customerId}
     * @return the value
     * @throws IllegalArgumentException naming {@code what} and the value, for any other value
     */
    public static String checkCustomerId(String what, String value) {
        return checkKey(what, value, MAX_CUSTOMER_ID);
    }

    /** Checks an idempotency key as {@link #checkCustomerId} a customer id, up to {@value #MAX_IDEMPOTENCY_KEY} characters. */
    public static String checkIdempotencyKey(String what, String value) {
        return checkKey(what, value, MAX_IDEMPOTENCY_KEY);
    }

    private static String checkKey(String what, String value, int longest) {
        Objects.requireNonNull(value, what);
        if (value.length() > longest || !KEY.matcher(value).matches()) {
            throw new IllegalArgumentException(what + " '" + value + "' must be 1-" + longest
                    + " characters of letters, digits and _.:@-");
        }
        return value;
    }
    /**
     * As a record prints itself, except what may hold a secret or personal data: the numbers masked (see
     * {@link Endpoint#mask}), the URLs without their {@code user:password@} part, and the script, variables and
     * payload (a system alert's may carry a token) by their size or names only.
     */
    @Override
    public String toString() {
        return "CallRequest[to=" + Endpoint.mask(to.value())
                + ", from=" + (from == null ? null : PhoneNumber.mask(from.value())) + ", category=" + category
                + ", purpose=" + purpose
                + ", priority=" + priority + ", location=" + location + ", terrestrialCoverage=" + terrestrialCoverage
                + ", maxCostPerMinute=" + maxCostPerMinute + ", quality=" + quality + ", skill=" + skill
                + ", language=" + language + ", voice=" + voice
                + ", script=" + (script == null ? null : "<" + script.length() + " characters>")
                + ", variables=" + variables.keySet()
                + ", answerUrl=" + (answerUrl == null ? null : Urls.withoutUserInfo(answerUrl))
                + ", payload=" + (payload == null ? null : "<" + payload.length() + " characters>")
                + ", binaryPayload=" + (binaryPayload == null ? null : "<binary>") + ", record=" + record
                + ", machineDetection=" + machineDetection + ", maxDuration=" + maxDuration + ", customerId=" + customerId
                + ", idempotencyKey=" + idempotencyKey + ", campaignId=" + campaignId + ", metadata=" + metadata + "]";
    }

    public static Builder to(String endpoint) {
        return new Builder(Endpoint.parse(endpoint));
    }

    public static Builder to(Endpoint endpoint) {
        return new Builder(Objects.requireNonNull(endpoint, "to"));
    }

    public Builder toBuilder() {
        Builder b = new Builder(to);
        b.from = from; b.category = category; b.purpose = purpose; b.priority = priority; b.location = location;
        b.terrestrialCoverage = terrestrialCoverage; b.maxCostPerMinute = maxCostPerMinute; b.quality = quality;
        b.skill = skill; b.language = language; b.voice = voice; b.script = script;
        b.variables.putAll(variables); b.answerUrl = answerUrl; b.payload = payload; b.binaryPayload = binaryPayload;
        b.record = record;
        b.machineDetection = machineDetection; b.maxDuration = maxDuration; b.customerId = customerId;
        b.idempotencyKey = idempotencyKey; b.campaignId = campaignId; b.metadata.putAll(metadata);
        return b;
    }

    public Optional<CallCategory> pinnedCategory() {
        return Optional.ofNullable(category);
    }

    /** The binary payload, when the request carries one. */
    public Optional<BinaryPayload> binaryPayloadIfAny() {
        return Optional.ofNullable(binaryPayload);
    }

    /**
     * The size of the message the call delivers, as per-byte pricing counts it: the binary payload's
     * bytes, else the JSON payload's UTF-8 bytes, else 0.
     */
    public long payloadBytes() {
        if (binaryPayload != null) return binaryPayload.size();
        return payload == null ? 0 : payload.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }

    public boolean isEmergency() {
        return priority == Priority.EMERGENCY || purpose == Purpose.EMERGENCY;
    }

    public static final class Builder {
        private final Endpoint to;
        private PhoneNumber from;
        private CallCategory category;
        private Purpose purpose;
        private Priority priority;
        private GeoPoint location;
        private Boolean terrestrialCoverage;
        private Money maxCostPerMinute;
        private QualityPreference quality;
        private Skill skill;
        private String language;
        private String voice;
        private String script;
        private final Map<String, String> variables = new LinkedHashMap<>();
        private URI answerUrl;
        private String payload;
        private BinaryPayload binaryPayload;
        private boolean record;
        private boolean machineDetection;
        private Duration maxDuration;
        private String customerId;
        private String idempotencyKey;
        private String campaignId;
        private final Map<String, String> metadata = new LinkedHashMap<>();

        private Builder(Endpoint to) {
            this.to = to;
        }

        public Builder from(String number) { this.from = number == null ? null : PhoneNumber.of(number); return this; }
        public Builder from(PhoneNumber number) { this.from = number; return this; }
        public Builder category(CallCategory category) { this.category = category; return this; }
        public Builder category(String wireName) { this.category = CallCategory.fromWireName(wireName); return this; }
        public Builder purpose(Purpose purpose) { this.purpose = purpose; return this; }
        public Builder priority(Priority priority) { this.priority = priority; return this; }
        public Builder location(double latitude, double longitude) { this.location = GeoPoint.of(latitude, longitude); return this; }
        public Builder location(GeoPoint location) { this.location = location; return this; }
        public Builder terrestrialCoverage(Boolean available) { this.terrestrialCoverage = available; return this; }
        public Builder maxCostPerMinute(Money max) { this.maxCostPerMinute = max; return this; }
        public Builder quality(QualityPreference quality) { this.quality = quality; return this; }
        public Builder skill(Skill skill) { this.skill = skill; return this; }
        public Builder language(String language) { this.language = language; return this; }
        public Builder voice(String voice) { this.voice = voice; return this; }
        public Builder script(String script) { this.script = script; return this; }
        public Builder variable(String name, String value) { this.variables.put(name, value); return this; }
        public Builder variables(Map<String, String> values) { this.variables.putAll(values); return this; }
        public Builder answerUrl(String url) {
            try {
                this.answerUrl = url == null ? null : new URI(url);
            } catch (URISyntaxException e) {   // not URI.create: its message would quote the URL, credentials and all
                throw new IllegalArgumentException("answerUrl '" + Urls.withoutUserInfo(url) + "' is not a valid URI: "
                        + e.getReason());
            }
            return this;
        }
        public Builder answerUrl(URI url) { this.answerUrl = url; return this; }
        public Builder payload(String json) { this.payload = json; return this; }
        /** Bytes for a satellite or system_api call, copied; null clears them. */
        public Builder payload(byte[] bytes) { this.binaryPayload = bytes == null ? null : BinaryPayload.of(bytes); return this; }
        public Builder payload(BinaryPayload bytes) { this.binaryPayload = bytes; return this; }
        public Builder record(boolean record) { this.record = record; return this; }
        public Builder machineDetection(boolean detect) { this.machineDetection = detect; return this; }
        public Builder maxDuration(Duration max) { this.maxDuration = max; return this; }
        public Builder customerId(String customerId) { this.customerId = customerId; return this; }
        public Builder idempotencyKey(String key) { this.idempotencyKey = key; return this; }
        public Builder campaignId(String campaignId) { this.campaignId = campaignId; return this; }
        public Builder metadata(String key, String value) { this.metadata.put(key, value); return this; }

        public CallRequest build() {
            return new CallRequest(to, from, category, purpose, priority, location, terrestrialCoverage,
                    maxCostPerMinute, quality, skill, language, voice, script, variables, answerUrl, payload,
                    binaryPayload, record, machineDetection, maxDuration, customerId, idempotencyKey, campaignId, metadata);
        }
    }
}
