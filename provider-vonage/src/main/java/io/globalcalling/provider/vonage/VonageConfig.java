package io.globalcalling.provider.vonage;

import io.globalcalling.ConfigurationException;
import io.globalcalling.Endpoint;
import io.globalcalling.Money;
import io.globalcalling.PhoneNumber;
import io.globalcalling.Secret;
import io.globalcalling.SipUri;
import io.globalcalling.spi.ConfigValidation;
import io.globalcalling.spi.ProviderConfig;
import io.globalcalling.spi.Urls;
import io.globalcalling.spi.Validated;
import io.globalcalling.provider.vonage.internal.PrivateKeys;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.interfaces.RSAPrivateKey;
import java.time.Duration;
import java.util.Currency;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The Vonage provider's settings, read from {@code vonage.*} keys (each also found in environment form, e.g.
 * {@code VONAGE_APPLICATION_ID}). {@link #from(ProviderConfig)} reports every missing or malformed key at once
 * and never a secret's value; {@link #toString()} hides the secrets.
 *
 * <table>
 *   <caption>Keys</caption>
 *   <tr><td>{@code vonage.application-id}</td><td>required: the Voice application's id (a UUID)</td></tr>
 *   <tr><td>{@code vonage.private-key-path} or {@code vonage.private-key}</td><td>required, one of them: the
 *       application's RSA private key, PEM PKCS#8 ({@code -----BEGIN PRIVATE KEY-----}), as a file or inline</td></tr>
 *   <tr><td>{@code vonage.signature-secret}</td><td>required: the account signature secret that signs callbacks
 *       (HS256, so at least 32 bytes)</td></tr>
 *   <tr><td>{@code vonage.from-number}</td><td>required: the Vonage number calls come from, unless a request names one</td></tr>
 *   <tr><td>{@code vonage.api-key}, {@code vonage.api-secret}</td><td>optional, both or neither: live prices from
 *       the Pricing API, and the {@code api_key} a callback's token must carry</td></tr>
 *   <tr><td>{@code vonage.base-url}</td><td>replaces {@code https://api.nexmo.com} (tests, proxies); an {@code http}
 *       URL here is the only way to allow cleartext</td></tr>
 *   <tr><td>{@code vonage.pricing-base-url}</td><td>replaces {@code https://rest.nexmo.com}; defaults to
 *       {@code vonage.base-url} when that is set</td></tr>
 *   <tr><td>{@code vonage.voip-connect-to}</td><td>a number or SIP URI an internet_voip call without an answer URL
 *       connects the callee to</td></tr>
 *   <tr><td>{@code vonage.language}</td><td>TTS language when neither the request nor the destination decides
 *       (default en-US)</td></tr>
 *   <tr><td>{@code vonage.tts-languages}</td><td>comma-separated subset of Vonage's languages the account uses
 *       (default: all Vonage lists)</td></tr>
 *   <tr><td>{@code vonage.countries}</td><td>comma-separated ISO codes the account may call (default: every
 *       country with a calling code)</td></tr>
 *   <tr><td>{@code vonage.recording}</td><td>whether the account may record calls (default true)</td></tr>
 *   <tr><td>{@code vonage.machine-detection}</td><td>{@code continue} or {@code hangup} when a machine answers
 *       (default continue)</td></tr>
 *   <tr><td>{@code vonage.ringing-timer}</td><td>seconds to ring, 1-120 (default 60)</td></tr>
 *   <tr><td>{@code vonage.currency}</td><td>the account's billing currency, in which callbacks report
 *       {@code price} (default EUR)</td></tr>
 *   <tr><td>{@code vonage.satellite-rate-per-minute}</td><td>EUR per minute of every line of the satellite deck
 *       (default: the deck's own estimates, see {@link VonageProvider#rates()})</td></tr>
 *   <tr><td>{@code vonage.webhook-max-age}</td><td>how far a callback token's {@code iat} may be from our clock
 *       (default 5 min)</td></tr>
 *   <tr><td>{@code vonage.pricing-ttl}</td><td>how long a country's live prices are kept (default 24 h)</td></tr>
 *   <tr><td>{@code vonage.connect-timeout}, {@code vonage.read-timeout}</td><td>HTTP timeouts (default 10 s, 30 s)</td></tr>
 * </table>
 */
public final class VonageConfig {

    /** Every key this provider reads. */
    static final List<String> KEYS = List.of("vonage.application-id", "vonage.private-key-path",
            "vonage.private-key", "vonage.signature-secret", "vonage.from-number", "vonage.api-key",
            "vonage.api-secret", "vonage.base-url", "vonage.pricing-base-url", "vonage.voip-connect-to",
            "vonage.language", "vonage.tts-languages", "vonage.countries", "vonage.recording",
            "vonage.machine-detection", "vonage.ringing-timer", "vonage.currency", "vonage.satellite-rate-per-minute",
            "vonage.webhook-max-age",
            "vonage.pricing-ttl", "vonage.connect-timeout", "vonage.read-timeout");

    /** HS256 keys shorter than the hash are refused by RFC 7518 section 3.2 (and by nimbus-jose-jwt). */
    static final int MIN_SECRET_BYTES = 32;
    private static final Pattern LANGUAGE = Pattern.compile("[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*");

    private final String applicationId;
    private final RSAPrivateKey privateKey;
    private final Secret signatureSecret;
    private final PhoneNumber fromNumber;
    private final String apiKey;
    private final Secret apiSecret;
    private final URI apiBaseUrl;
    private final URI pricingBaseUrl;
    private final Endpoint voipConnectTo;
    private final String language;
    private final Set<String> ttsLanguages;
    private final Set<String> countries;
    private final boolean recording;
    private final String machineDetection;
    private final int ringingTimer;
    private final String currency;
    private final Money satelliteRatePerMinute;
    private final Duration webhookMaxAge;
    private final Duration pricingTtl;
    private final Duration connectTimeout;
    private final Duration readTimeout;

    private VonageConfig(Reader r) {
        applicationId = r.applicationId;
        privateKey = r.privateKey;
        signatureSecret = r.signatureSecret;
        fromNumber = r.fromNumber;
        apiKey = r.apiKey;
        apiSecret = r.apiSecret;
        apiBaseUrl = r.apiBaseUrl;
        pricingBaseUrl = r.pricingBaseUrl;
        voipConnectTo = r.voipConnectTo;
        language = r.language;
        ttsLanguages = r.ttsLanguages;
        countries = r.countries;
        recording = r.recording;
        machineDetection = r.machineDetection;
        ringingTimer = r.ringingTimer;
        currency = r.currency;
        satelliteRatePerMinute = r.satelliteRatePerMinute;
        webhookMaxAge = r.webhookMaxAge;
        pricingTtl = r.pricingTtl;
        connectTimeout = r.connectTimeout;
        readTimeout = r.readTimeout;
    }

    /**
     * Whether {@code config} sets any {@code vonage.*} key above. Then {@link #from} must find a complete
     * configuration, so a partial one is reported instead of leaving the provider silently inactive.
     */
    public static boolean isConfigured(ProviderConfig config) {
        Objects.requireNonNull(config, "config");
        return KEYS.stream().anyMatch(key -> config.get(key).isPresent());
    }

    /**
     * Reads and checks every {@code vonage.*} key.
     *
     * @throws ConfigurationException listing every missing or malformed key, never a secret's value
     */
    public static VonageConfig from(ProviderConfig config) {
        Objects.requireNonNull(config, "config");
        Reader r = new Reader(config);
        r.read();
        return new VonageConfig(r);
    }

    public String applicationId() { return applicationId; }

    /** The key that signs our API tokens (RS256). */
    public RSAPrivateKey privateKey() { return privateKey; }

    /** The secret that signs Vonage's callbacks (HS256). */
    public Secret signatureSecret() { return signatureSecret; }

    public PhoneNumber fromNumber() { return fromNumber; }

    public Optional<String> apiKey() { return Optional.ofNullable(apiKey); }

    public Optional<Secret> apiSecret() { return Optional.ofNullable(apiSecret); }

    /** Base of the Voice API, e.g. {@code https://api.nexmo.com}. */
    public URI apiBaseUrl() { return apiBaseUrl; }

    /** Base of the Pricing API, e.g. {@code https://rest.nexmo.com}. */
    public URI pricingBaseUrl() { return pricingBaseUrl; }

    public Optional<Endpoint> voipConnectTo() { return Optional.ofNullable(voipConnectTo); }

    public String language() { return language; }

    /** The configured subset of Vonage's TTS languages; empty means every language Vonage lists. */
    public Set<String> ttsLanguages() { return ttsLanguages; }

    /** The configured countries; empty means every country with a calling code. */
    public Set<String> countries() { return countries; }

    public boolean recording() { return recording; }

    /** {@code continue} or {@code hangup}. */
    public String machineDetection() { return machineDetection; }

    public int ringingTimer() { return ringingTimer; }

    public String currency() { return currency; }

    /** The host's price in EUR for a minute to a satellite phone, replacing the satellite deck's estimates; empty when not set. */
    public Optional<Money> satelliteRatePerMinute() { return Optional.ofNullable(satelliteRatePerMinute); }

    public Duration webhookMaxAge() { return webhookMaxAge; }

    public Duration pricingTtl() { return pricingTtl; }

    public Duration connectTimeout() { return connectTimeout; }

    public Duration readTimeout() { return readTimeout; }

    @Override
    public String toString() {
        return "VonageConfig[applicationId=" + applicationId + ", privateKey=****, signatureSecret=" + signatureSecret
                + ", fromNumber=" + fromNumber + ", apiKey=" + apiKey + ", apiSecret=" + apiSecret
                + ", apiBaseUrl=" + Urls.withoutUserInfo(apiBaseUrl)
                + ", pricingBaseUrl=" + Urls.withoutUserInfo(pricingBaseUrl) + ", language=" + language
                + ", recording=" + recording + ", machineDetection=" + machineDetection
                + ", ringingTimer=" + ringingTimer + ", currency=" + currency
                + ", satelliteRatePerMinute=" + satelliteRatePerMinute + ", webhookMaxAge=" + webhookMaxAge
                + ", pricingTtl=" + pricingTtl + ", connectTimeout=" + connectTimeout
                + ", readTimeout=" + readTimeout + "]";
    }

    /** Reads every key, collecting problems instead of stopping at the first. */
    private static final class Reader {
        private final ProviderConfig config;
        private final ConfigValidation v;

        String applicationId;
        RSAPrivateKey privateKey;
        Secret signatureSecret;
        PhoneNumber fromNumber;
        String apiKey;
        Secret apiSecret;
        URI apiBaseUrl;
        URI pricingBaseUrl;
        Endpoint voipConnectTo;
        String language;
        Set<String> ttsLanguages;
        Set<String> countries;
        boolean recording;
        String machineDetection;
        int ringingTimer;
        String currency;
        Money satelliteRatePerMinute;
        Duration webhookMaxAge;
        Duration pricingTtl;
        Duration connectTimeout;
        Duration readTimeout;

        Reader(ProviderConfig config) {
            this.config = config;
            this.v = ConfigValidation.of(config, "Vonage configuration");
        }

        void read() {
            applicationId = v.take(v.string("vonage.application-id").required()
                    .check(Reader::isUuid, "is not a Vonage application id (a UUID)"));
            privateKey = readPrivateKey();
            signatureSecret = v.take(v.secret("vonage.signature-secret")
                    .required("is missing (the signature secret that signs Vonage's callbacks)")
                    .check(s -> s.revealBytes().length >= MIN_SECRET_BYTES,
                            "is shorter than " + MIN_SECRET_BYTES + " bytes, too short for HS256"));
            fromNumber = v.take(v.string("vonage.from-number").required()
                    .parse(PhoneNumber::of, "is not an E.164 number"));
            readPricingCredentials();
            URI base = v.take(v.url("vonage.base-url"));
            URI pricing = v.take(v.url("vonage.pricing-base-url"));
            apiBaseUrl = base != null ? base : URI.create("https://api.nexmo.com");
            pricingBaseUrl = pricing != null ? pricing : base != null ? base : URI.create("https://rest.nexmo.com");
            voipConnectTo = v.take(v.string("vonage.voip-connect-to").parse(VonageConfig::connectTarget,
                    "is not an E.164 number or a SIP URI"));
            language = orElse(v.take(v.string("vonage.language").orElse("en-US")
                    .check(l -> LANGUAGE.matcher(l).matches(), "is not a BCP-47 tag such as en-US")), "en-US");
            ttsLanguages = list("vonage.tts-languages", LANGUAGE, "is not a BCP-47 tag");
            countries = list("vonage.countries", Pattern.compile("[A-Za-z]{2}"), "is not an ISO 3166-1 alpha-2 code")
                    .stream().map(c -> c.toUpperCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
            recording = orElse(v.take(v.bool("vonage.recording").orElse(true)), true);
            machineDetection = orElse(v.take(v.string("vonage.machine-detection").orElse("continue")
                    .map(s -> s.toLowerCase(Locale.ROOT))
                    .check(s -> s.equals("continue") || s.equals("hangup"), "is not continue or hangup")), "continue");
            ringingTimer = orElse(v.take(v.integer("vonage.ringing-timer", 1, 120).orElse(60)), 60);
            currency = orElse(v.take(v.string("vonage.currency").orElse("EUR").map(s -> s.toUpperCase(Locale.ROOT))
                    .check(Reader::isCurrency, "is not an ISO 4217 currency code")), "EUR");
            BigDecimal satellite = v.take(v.decimal("vonage.satellite-rate-per-minute")
                    .check(r -> r.signum() >= 0, "is not a non-negative decimal amount of EUR"));
            satelliteRatePerMinute = satellite == null ? null : Money.of(satellite, Currency.getInstance("EUR"));
            webhookMaxAge = duration("vonage.webhook-max-age", Duration.ofMinutes(5));
            pricingTtl = duration("vonage.pricing-ttl", Duration.ofHours(24));
            connectTimeout = duration("vonage.connect-timeout", Duration.ofSeconds(10));
            readTimeout = duration("vonage.read-timeout", Duration.ofSeconds(30));
            v.orThrow();
        }

        /** Exactly one of the path and the inline PEM; the key's bytes never appear in a message. */
        private RSAPrivateKey readPrivateKey() {
            Optional<String> path = config.get("vonage.private-key-path");
            Validated<Secret> inline = v.secret("vonage.private-key");
            if (path.isPresent() && inline.isPresent()) {
                v.problem(Validated.malformed("vonage.private-key", null,
                        "is set together with vonage.private-key-path; set one of them"));
                return null;
            }
            if (path.isEmpty() && !inline.isPresent()) {
                v.problem(Validated.missing("vonage.private-key-path",
                        "is missing (or set vonage.private-key to the PEM text)"));
                return null;
            }
            String key = path.isPresent() ? "vonage.private-key-path" : "vonage.private-key";
            String pem;
            if (path.isPresent()) {
                try {
                    pem = Files.readString(Path.of(path.get()), StandardCharsets.US_ASCII);
                } catch (IOException | InvalidPathException e) {
                    v.problem(Validated.malformed(key, path.get(), "cannot be read (" + e.getClass().getSimpleName() + ")"));
                    return null;
                }
            } else {
                pem = v.take(inline).reveal();
            }
            try {
                return PrivateKeys.rsaFromPkcs8Pem(pem);
            } catch (IllegalArgumentException e) {
                v.problem(Validated.malformed(key, path.orElse(null), "is not " + e.getMessage()));
                return null;
            }
        }

        private void readPricingCredentials() {
            apiKey = v.take(v.string("vonage.api-key"));
            apiSecret = v.take(v.secret("vonage.api-secret"));
            if (apiKey != null && apiSecret == null) {
                v.problem(Validated.missing("vonage.api-secret", "is missing (needed with vonage.api-key)"));
            } else if (apiKey == null && apiSecret != null) {
                v.problem(Validated.missing("vonage.api-key", "is missing (needed with vonage.api-secret)"));
            }
        }

        private Duration duration(String key, Duration fallback) {
            return orElse(v.take(v.duration(key).orElse(fallback)), fallback);
        }

        private Set<String> list(String key, Pattern item, String problem) {
            List<String> items = v.take(v.list(key, s -> {
                if (!item.matcher(s).matches()) throw new IllegalArgumentException(problem);
                return s;
            }, problem));
            return items == null ? Set.of() : Set.copyOf(items);
        }

        private static boolean isUuid(String s) {
            try {
                return UUID.fromString(s).toString().equalsIgnoreCase(s);
            } catch (IllegalArgumentException e) {
                return false;
            }
        }

        private static boolean isCurrency(String code) {
            try {
                java.util.Currency.getInstance(code);
                return true;
            } catch (IllegalArgumentException e) {
                return false;
            }
        }

        /** A value whose key was malformed is replaced, so reading goes on to report the other keys. */
        private static <T> T orElse(T value, T fallback) {
            return value != null ? value : fallback;
        }
    }

    private static Endpoint connectTarget(String text) {
        Endpoint e = Endpoint.parse(text);
        if (e instanceof PhoneNumber || e instanceof SipUri) return e;
        throw new IllegalArgumentException("not a number or SIP URI");
    }
}
