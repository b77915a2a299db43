package io.globalcalling.provider.twilio;

import io.globalcalling.spi.ConfigurationException;
import io.globalcalling.spi.Endpoint;
import io.globalcalling.spi.Money;
import io.globalcalling.spi.PhoneNumber;
import io.globalcalling.spi.ProviderConfig;
import io.globalcalling.spi.Secret;
import io.globalcalling.spi.SipUri;

import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The Twilio provider's settings, read from {@code twilio.*} keys (each also found in environment form, e.g.
 * {@code TWILIO_ACCOUNT_SID}). Credentials are an Account SID with its Auth Token, or an API key SID and
 * secret with the Account SID, as in Twilio's own tools. {@link #from(ProviderConfig)} reports every missing or
 * malformed key at once and never a secret's value; {@link #toString()} hides the secrets.
 *
 * <table>
 *   <caption>Keys</caption>
 *   <tr><td>{@code twilio.account-sid}</td><td>required, {@code AC} + 32 hex digits</td></tr>
 *   <tr><td>{@code twilio.auth-token}</td><td>the Auth Token: API auth unless an API key is set, and always the key
 *       that signs webhooks</td></tr>
 *   <tr><td>{@code twilio.api-key}, {@code twilio.api-secret}</td><td>an API key ({@code SK...}) and its secret</td></tr>
 *   <tr><td>{@code twilio.region}, {@code twilio.edge}</td><td>route to {@code api.{edge}.{region}.twilio.com}</td></tr>
 *   <tr><td>{@code twilio.base-url}</td><td>replaces {@code https://api.twilio.com} (tests, proxies); an {@code http}
 *       URL here is the only way to allow cleartext</td></tr>
 *   <tr><td>{@code twilio.pricing-base-url}</td><td>replaces {@code https://pricing.twilio.com}; defaults to
 *       {@code twilio.base-url} when that is set</td></tr>
 *   <tr><td>{@code twilio.from-number}</td><td>caller ID used when a request names none</td></tr>
 *   <tr><td>{@code twilio.voip-twiml-url}</td><td>TwiML URL for VoIP calls without an answer URL</td></tr>
 *   <tr><td>{@code twilio.voip-dial-to}</td><td>else a number or SIP URI the callee is connected to with {@code <Dial>}</td></tr>
 *   <tr><td>{@code twilio.webhook-base-url}</td><td>public scheme/host/port Twilio calls, for hosts behind a proxy</td></tr>
 *   <tr><td>{@code twilio.connect-timeout}, {@code twilio.read-timeout}</td><td>HTTP timeouts (default 10 s, 30 s)</td></tr>
 *   <tr><td>{@code twilio.ring-timeout}</td><td>seconds to let the callee's phone ring, 5-600 (default 60)</td></tr>
 *   <tr><td>{@code twilio.pricing-enabled}</td><td>quote live prices from the Pricing API (default true)</td></tr>
 *   <tr><td>{@code twilio.pricing-ttl}</td><td>how long a country's prices are kept (default 24 h)</td></tr>
 *   <tr><td>{@code twilio.fallback-rate-per-minute}</td><td>USD per minute of the fallback deck (default 0.014)</td></tr>
 *   <tr><td>{@code twilio.voice}, {@code twilio.language}</td><td>{@code <Say>} defaults (account voice, en-US)</td></tr>
 *   <tr><td>{@code twilio.tts-languages}</td><td>comma-separated BCP-47 tags the account's voices speak</td></tr>
 *   <tr><td>{@code twilio.countries}</td><td>comma-separated ISO codes the account may call (default: all)</td></tr>
 * </table>
 */
public final class TwilioConfig {

    /** Twilio's list price for an outbound minute to a US number (twilio.com/en-us/voice/pricing/us), in USD. */
    static final String DEFAULT_FALLBACK_RATE = "0.014";
    /** The languages Twilio's basic {@code man}/{@code woman} voices speak (twilio.com/docs/voice/twiml/say). */
    static final Set<String> BASIC_VOICE_LANGUAGES = Set.of("en-US", "en-GB", "es-ES", "fr-FR", "de-DE");

    /** Every key this provider reads. */
    static final List<String> KEYS = List.of("twilio.account-sid", "twilio.auth-token", "twilio.api-key",
            "twilio.api-secret", "twilio.region", "twilio.edge", "twilio.base-url", "twilio.pricing-base-url",
            "twilio.from-number", "twilio.voip-twiml-url", "twilio.voip-dial-to", "twilio.webhook-base-url",
            "twilio.connect-timeout", "twilio.read-timeout", "twilio.ring-timeout", "twilio.pricing-enabled",
            "twilio.pricing-ttl", "twilio.fallback-rate-per-minute", "twilio.voice", "twilio.language",
            "twilio.tts-languages", "twilio.countries");

    private static final Pattern ACCOUNT_SID = Pattern.compile("AC[0-9a-fA-F]{32}");
    private static final Pattern API_KEY_SID = Pattern.compile("SK[0-9a-fA-F]{32}");
    private static final Pattern HOST_LABEL = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private static final Pattern LANGUAGE = Pattern.compile("[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*");

    private final String accountSid;
    private final String username;
    private final Secret password;
    private final Secret authToken;
    private final URI apiBaseUrl;
    private final URI pricingBaseUrl;
    private final PhoneNumber fromNumber;
    private final URI voipTwimlUrl;
    private final Endpoint voipDialTo;
    private final URI webhookBaseUrl;
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final int ringTimeoutSeconds;
    private final boolean pricingEnabled;
    private final Duration pricingTtl;
    private final Money fallbackRatePerMinute;
    private final String voice;
    private final String language;
    private final Set<String> ttsLanguages;
    private final Set<String> countries;

    private TwilioConfig(Reader r) {
        this.accountSid = r.accountSid;
        this.username = r.username;
        this.password = r.password;
        this.authToken = r.authToken;
        this.apiBaseUrl = r.apiBaseUrl;
        this.pricingBaseUrl = r.pricingBaseUrl;
        this.fromNumber = r.fromNumber;
        this.voipTwimlUrl = r.voipTwimlUrl;
        this.voipDialTo = r.voipDialTo;
        this.webhookBaseUrl = r.webhookBaseUrl;
        this.connectTimeout = r.connectTimeout;
        this.readTimeout = r.readTimeout;
        this.ringTimeoutSeconds = r.ringTimeoutSeconds;
        this.pricingEnabled = r.pricingEnabled;
        this.pricingTtl = r.pricingTtl;
        this.fallbackRatePerMinute = r.fallbackRatePerMinute;
        this.voice = r.voice;
        this.language = r.language;
        this.ttsLanguages = r.ttsLanguages;
        this.countries = r.countries;
    }

    /**
     * Whether {@code config} sets any {@code twilio.*} key of the table above. Then {@link #from} must find a
     * complete configuration, so a partial one (an Account SID without its token, an API key without its
     * secret) is reported instead of leaving the provider silently inactive.
     */
    public static boolean isConfigured(ProviderConfig config) {
        Objects.requireNonNull(config, "config");
        return KEYS.stream().anyMatch(key -> config.get(key).isPresent());
    }

    /**
     * Reads and checks every {@code twilio.*} key.
     *
     * @throws ConfigurationException listing every missing or malformed key, never a secret's value
     */
    public static TwilioConfig from(ProviderConfig config) {
        Objects.requireNonNull(config, "config");
        Reader r = new Reader(config);
        r.read();
        if (!r.problems.isEmpty()) throw new ConfigurationException("Twilio configuration", r.problems);
        return new TwilioConfig(r);
    }

    public String accountSid() { return accountSid; }

    /** The Basic-auth user: the Account SID, or the API key SID when one is configured. */
    public String username() { return username; }

    /** The Basic-auth password: the Auth Token or the API key secret. */
    public Secret password() { return password; }

    /** The Auth Token, which signs Twilio's webhooks; empty when only an API key was configured. */
    public Optional<Secret> authToken() { return Optional.ofNullable(authToken); }

    /** Base of the REST API, e.g. {@code https://api.twilio.com}. */
    public URI apiBaseUrl() { return apiBaseUrl; }

    /** Base of the Pricing API, e.g. {@code https://pricing.twilio.com}. */
    public URI pricingBaseUrl() { return pricingBaseUrl; }

    public Optional<PhoneNumber> fromNumber() { return Optional.ofNullable(fromNumber); }

    public Optional<URI> voipTwimlUrl() { return Optional.ofNullable(voipTwimlUrl); }

    public Optional<Endpoint> voipDialTo() { return Optional.ofNullable(voipDialTo); }

    public Optional<URI> webhookBaseUrl() { return Optional.ofNullable(webhookBaseUrl); }

    public Duration connectTimeout() { return connectTimeout; }

    public Duration readTimeout() { return readTimeout; }

    public int ringTimeoutSeconds() { return ringTimeoutSeconds; }

    public boolean pricingEnabled() { return pricingEnabled; }

    public Duration pricingTtl() { return pricingTtl; }

    public Money fallbackRatePerMinute() { return fallbackRatePerMinute; }

    public Optional<String> voice() { return Optional.ofNullable(voice); }

    public String language() { return language; }

    public Set<String> ttsLanguages() { return ttsLanguages; }

    public Set<String> countries() { return countries; }

    @Override
    public String toString() {
        return "TwilioConfig[accountSid=" + accountSid
                + ", auth=" + (username.equals(accountSid) ? "auth-token" : "api-key " + username)
                + ", password=" + password + ", authToken=" + (authToken == null ? "none" : authToken)
                + ", apiBaseUrl=" + apiBaseUrl + ", pricingBaseUrl=" + pricingBaseUrl
                + ", fromNumber=" + fromNumber + ", webhookBaseUrl=" + webhookBaseUrl
                + ", connectTimeout=" + connectTimeout + ", readTimeout=" + readTimeout
                + ", ringTimeoutSeconds=" + ringTimeoutSeconds + ", pricingEnabled=" + pricingEnabled
                + ", pricingTtl=" + pricingTtl + ", fallbackRatePerMinute=" + fallbackRatePerMinute + "]";
    }

    /** Reads every key, collecting problems instead of stopping at the first. */
    private static final class Reader {
        private final ProviderConfig config;
        private final List<String> problems = new ArrayList<>();

        String accountSid;
        String username;
        Secret password;
        Secret authToken;
        URI apiBaseUrl;
        URI pricingBaseUrl;
        PhoneNumber fromNumber;
        URI voipTwimlUrl;
        Endpoint voipDialTo;
        URI webhookBaseUrl;
        Duration connectTimeout;
        Duration readTimeout;
        int ringTimeoutSeconds;
        boolean pricingEnabled;
        Duration pricingTtl;
        Money fallbackRatePerMinute;
        String voice;
        String language;
        Set<String> ttsLanguages;
        Set<String> countries;

        Reader(ProviderConfig config) {
            this.config = config;
        }

        void read() {
            readCredentials();
            readHosts();
            fromNumber = parse("twilio.from-number", PhoneNumber::of, "is not an E.164 number");
            voipTwimlUrl = url("twilio.voip-twiml-url");
            voipDialTo = parse("twilio.voip-dial-to", TwilioConfig::dialTarget, "is not an E.164 number or a SIP URI");
            webhookBaseUrl = url("twilio.webhook-base-url");
            connectTimeout = positiveDuration("twilio.connect-timeout", Duration.ofSeconds(10));
            readTimeout = positiveDuration("twilio.read-timeout", Duration.ofSeconds(30));
            ringTimeoutSeconds = intInRange("twilio.ring-timeout", 60, 5, 600);
            pricingEnabled = bool("twilio.pricing-enabled", true);
            pricingTtl = positiveDuration("twilio.pricing-ttl", Duration.ofHours(24));
            fallbackRatePerMinute = rate("twilio.fallback-rate-per-minute");
            voice = config.get("twilio.voice").orElse(null);
            language = config.get("twilio.language").orElse("en-US");
            if (!LANGUAGE.matcher(language).matches()) {
                problems.add("twilio.language '" + language + "' is not a BCP-47 tag such as en-US");
            }
            ttsLanguages = list("twilio.tts-languages", BASIC_VOICE_LANGUAGES, LANGUAGE, "is not a BCP-47 tag");
            countries = list("twilio.countries", Set.of(Locale.getISOCountries()), Pattern.compile("[A-Za-z]{2}"),
                    "is not an ISO 3166-1 alpha-2 code").stream()
                    .map(c -> c.toUpperCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
        }

        private void readCredentials() {
            accountSid = config.get("twilio.account-sid").orElse(null);
            if (accountSid == null) {
                problems.add("twilio.account-sid is missing (or set TWILIO_ACCOUNT_SID)");
            } else if (!ACCOUNT_SID.matcher(accountSid).matches()) {
                problems.add("twilio.account-sid '" + accountSid + "' is not an Account SID (AC + 32 hex digits)");
            }
            authToken = config.secret("twilio.auth-token").orElse(null);
            Optional<String> apiKey = config.get("twilio.api-key");
            Optional<Secret> apiSecret = config.secret("twilio.api-secret");
            if (apiKey.isPresent()) {
                if (!API_KEY_SID.matcher(apiKey.get()).matches()) {
                    problems.add("twilio.api-key '" + apiKey.get() + "' is not an API key SID (SK + 32 hex digits)");
                }
                if (apiSecret.isEmpty()) problems.add("twilio.api-secret is missing (needed with twilio.api-key)");
                username = apiKey.get();
                password = apiSecret.orElse(null);
            } else {
                if (apiSecret.isPresent()) {
                    problems.add("twilio.api-key is missing (needed with twilio.api-secret)");
                } else if (authToken == null) {
                    problems.add("twilio.auth-token is missing (or set TWILIO_AUTH_TOKEN, or twilio.api-key and twilio.api-secret)");
                }
                username = accountSid;
                password = authToken;
            }
        }

        private void readHosts() {
            String region = hostLabel("twilio.region");
            String edge = hostLabel("twilio.edge");
            if (edge != null && region == null) region = "us1"; // Twilio's rule: an edge alone means region us1
            URI base = url("twilio.base-url");
            URI pricing = url("twilio.pricing-base-url");
            apiBaseUrl = base != null ? base : twilioHost("api", edge, region);
            pricingBaseUrl = pricing != null ? pricing : base != null ? base : twilioHost("pricing", edge, region);
        }

        private static URI twilioHost(String product, String edge, String region) {
            return URI.create("https://" + product + (edge == null ? "" : "." + edge)
                    + (region == null ? "" : "." + region) + ".twilio.com");
        }

        private String hostLabel(String key) {
            String v = config.get(key).map(s -> s.toLowerCase(Locale.ROOT)).orElse(null);
            if (v != null && !HOST_LABEL.matcher(v).matches()) {
                problems.add(key + " '" + v + "' is not a host label (letters, digits, '-')");
                return null;
            }
            return v;
        }

        private URI url(String key) {
            String v = config.get(key).orElse(null);
            if (v == null) return null;
            try {
                URI uri = new URI(v);
                String scheme = uri.getScheme();
                if (scheme == null || uri.getHost() == null
                        || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))) {
                    problems.add(key + " '" + v + "' is not an absolute http(s) URL");
                    return null;
                }
                return uri;
            } catch (URISyntaxException e) {
                problems.add(key + " '" + v + "' is not a URL: " + e.getReason());
                return null;
            }
        }

        private <T> T parse(String key, Function<String, T> parser, String problem) {
            String v = config.get(key).orElse(null);
            if (v == null) return null;
            try {
                return parser.apply(v);
            } catch (IllegalArgumentException e) {
                problems.add(key + " '" + v + "' " + problem);
                return null;
            }
        }

        private Duration positiveDuration(String key, Duration fallback) {
            try {
                Duration d = config.getDuration(key).orElse(fallback);
                if (d.isNegative() || d.isZero()) {
                    problems.add(key + " " + d + " must be positive");
                    return fallback;
                }
                return d;
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
                return fallback;
            }
        }

        private int intInRange(String key, int fallback, int min, int max) {
            try {
                int v = config.getInt(key).orElse(fallback);
                if (v < min || v > max) {
                    problems.add(key + " " + v + " must be between " + min + " and " + max);
                    return fallback;
                }
                return v;
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
                return fallback;
            }
        }

        private boolean bool(String key, boolean fallback) {
            String v = config.get(key).orElse(null);
            if (v == null) return fallback;
            if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) return Boolean.parseBoolean(v);
            problems.add(key + " '" + v + "' is not true or false");
            return fallback;
        }

        private Money rate(String key) {
            String v = config.get(key).orElse(DEFAULT_FALLBACK_RATE);
            try {
                BigDecimal amount = new BigDecimal(v);
                if (amount.signum() >= 0) return Money.of(amount, Money.USD);
            } catch (NumberFormatException e) {
                // reported below
            }
            problems.add(key + " '" + v + "' is not a non-negative decimal amount of USD");
            return Money.of(DEFAULT_FALLBACK_RATE, "USD");
        }

        private Set<String> list(String key, Set<String> fallback, Pattern item, String problem) {
            Optional<String> v = config.get(key);
            if (v.isEmpty()) return fallback;
            Set<String> out = new LinkedHashSet<>();
            for (String s : Arrays.stream(v.get().split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList()) {
                if (item.matcher(s).matches()) out.add(s);
                else problems.add(key + " item '" + s + "' " + problem);
            }
            return Set.copyOf(out);
        }
    }

    private static Endpoint dialTarget(String text) {
        Endpoint e = Endpoint.parse(text);
        if (e instanceof PhoneNumber || e instanceof SipUri) return e;
        throw new IllegalArgumentException("not a number or SIP URI");
    }
}
