package io.globalcalling.provider.twilio;

import io.globalcalling.ConfigurationException;
import io.globalcalling.Endpoint;
import io.globalcalling.Money;
import io.globalcalling.PhoneNumber;
import io.globalcalling.spi.ConfigValidation;
import io.globalcalling.spi.ProviderConfig;
import io.globalcalling.spi.Validated;
import io.globalcalling.Secret;
import io.globalcalling.SipUri;
import io.globalcalling.spi.Urls;

import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

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
 *   <tr><td>{@code twilio.region}, {@code twilio.edge}</td><td>route to {@code api.{edge}.{region}.twilio.com}, e.g.
 *       {@code ie1} with {@code dublin}, {@code au1} with {@code sydney}, with that region's own credentials; a region
 *       where Programmable Voice does not run (anything but {@code us1}, {@code ie1}, {@code au1}) is refused; an edge
 *       alone means {@code us1}; a legacy edge id ({@code ie1}, {@code gll}, ...) is refused naming the edge name
 *       that replaced it; a region other than {@code us1} without an edge is refused, its host
 *       {@code api.{region}.twilio.com} having stopped serving on 2026-04-28 (Twilio's API domain migration)</td></tr>
 *   <tr><td>{@code twilio.base-url}</td><td>replaces {@code https://api.twilio.com} (tests, proxies); an {@code http}
 *       URL here is the only way to allow cleartext; refused beside {@code twilio.region} or {@code twilio.edge}</td></tr>
 *   <tr><td>{@code twilio.pricing-base-url}</td><td>replaces {@code https://pricing.twilio.com}; defaults to
 *       {@code twilio.base-url} when that is set</td></tr>
 *   <tr><td>{@code twilio.from-number}</td><td>caller ID used when a request names none</td></tr>
 *   <tr><td>{@code twilio.voip-twiml-url}</td><td>TwiML URL for VoIP calls without an answer URL</td></tr>
 *   <tr><td>{@code twilio.voip-dial-to}</td><td>else a number or SIP URI the callee is connected to with {@code <Dial>}</td></tr>
 *   <tr><td>{@code twilio.webhook-base-url}</td><td>public scheme/host/port Twilio calls, for hosts behind a proxy,
 *       with the path prefix the proxy strips, if any; beside {@code calling.webhook-base-url} it must lead to the
 *       callback URL Twilio is given under that, or the provider does not start</td></tr>
 *   <tr><td>{@code twilio.webhook-max-age}</td><td>how far a callback's {@code Timestamp} may be from our clock, either
 *       way, before it is refused as stale or replayed (default 5 min)</td></tr>
 *   <tr><td>{@code twilio.connect-timeout}, {@code twilio.read-timeout}</td><td>HTTP timeouts (default 10 s, 30 s)</td></tr>
 *   <tr><td>{@code twilio.max-concurrent-requests}</td><td>requests this provider has open to Twilio at once,
 *       1-1000 (default 32); more callers wait their turn in order (as Twilio's own SDK's pool of 20 a host makes
 *       them), not in OkHttp's connection pool, whose every caller scans every connection</td></tr>
 *   <tr><td>{@code twilio.ring-timeout}</td><td>seconds to let the callee's phone ring, 5-600 (default 60)</td></tr>
 *   <tr><td>{@code twilio.pricing-enabled}</td><td>quote live prices from the Pricing API (default true); off, and
 *       refused on, for a region other than {@code us1} unless {@code twilio.pricing-base-url} is set: Twilio serves
 *       Pricing in {@code us1} alone, which refuses another region's credentials</td></tr>
 *   <tr><td>{@code twilio.pricing-ttl}</td><td>how long a country's prices are kept (default 24 h)</td></tr>
 *   <tr><td>{@code twilio.fallback-rate-per-minute}</td><td>USD per minute of the fallback deck (default 0.014, the
 *       US list price); required for {@code ie1} and {@code au1}, where it prices every call without live pricing,
 *       and with live pricing (a {@code twilio.pricing-base-url}) a call whose price fails or is missing</td></tr>
 *   <tr><td>{@code twilio.satellite-rate-per-minute}</td><td>USD per minute of every line of the satellite deck
 *       (default: the deck's own estimates, see {@link TwilioProvider#rates()})</td></tr>
 *   <tr><td>{@code twilio.voice}, {@code twilio.language}</td><td>{@code <Say>} defaults (account voice, en-US)</td></tr>
 *   <tr><td>{@code twilio.tts-languages}</td><td>comma-separated BCP-47 tags the account's voices speak</td></tr>
 *   <tr><td>{@code twilio.countries}</td><td>comma-separated ISO codes the account may call (default: all)</td></tr>
 * </table>
 */
public final class TwilioConfig {

    /** Twilio's list price for an outbound minute to a US number (twilio.com/en-us/voice/pricing/us), in USD. */
    static final String DEFAULT_FALLBACK_RATE = "0.014";
    /**
     * Enough open requests for any account's calls per second at Twilio's round trip, few enough that callers
     * beyond it queue in order instead of all scanning OkHttp's pool at once (at 256 callers that scan, not
     * Twilio, made the slowest calls).
     */
    static final int DEFAULT_MAX_CONCURRENT_REQUESTS = 32;
    /** The languages Twilio's basic {@code man}/{@code woman} voices speak (twilio.com/docs/voice/twiml/say). */
    static final Set<String> BASIC_VOICE_LANGUAGES = Set.of("en-US", "en-GB", "es-ES", "fr-FR", "de-DE");

    /** Every key this provider reads. */
    static final List<String> KEYS = List.of("twilio.account-sid", "twilio.auth-token", "twilio.api-key",
            "twilio.api-secret", "twilio.region", "twilio.edge", "twilio.base-url", "twilio.pricing-base-url",
            "twilio.from-number", "twilio.voip-twiml-url", "twilio.voip-dial-to", "twilio.webhook-base-url",
            "twilio.webhook-max-age", "twilio.connect-timeout", "twilio.read-timeout", "twilio.max-concurrent-requests", "twilio.ring-timeout", "twilio.pricing-enabled",
            "twilio.pricing-ttl", "twilio.fallback-rate-per-minute", "twilio.satellite-rate-per-minute", "twilio.voice",
            "twilio.language", "twilio.tts-languages", "twilio.countries");

    /** Twilio's default region, whose host {@code api.us1.twilio.com} still serves without an edge. */
    private static final String US1 = "us1";
    /**
     * Twilio's Regions outside us1 where Programmable Voice runs (where Twilio processes and stores the calls), each with
     * the edge that serves it (twilio.com regional product availability).
     */
    private static final Map<String, String> REGION_EDGES = Map.of("ie1", "dublin", "au1", "sydney");
    /** The short edge ids Twilio deprecated, each with the edge name that replaced it (twilio.com legacy edge ids). */
    private static final Map<String, String> LEGACY_EDGES = Map.ofEntries(Map.entry("au1", "sydney"),
            Map.entry("br1", "sao-paulo"), Map.entry("ie1", "dublin"), Map.entry("de1", "frankfurt"),
            Map.entry("jp1", "tokyo"), Map.entry("sg1", "singapore"), Map.entry("us1", "ashburn"),
            Map.entry("us2", "umatilla"), Map.entry("gll", "roaming"), Map.entry("us1-ix", "ashburn-ix"),
            Map.entry("us2-ix", "san-jose-ix"), Map.entry("ie1-ix", "london-ix"), Map.entry("de1-ix", "frankfurt-ix"),
            Map.entry("sg1-ix", "singapore-ix"), Map.entry("jp1-ix", "tokyo-ix"), Map.entry("au1-ix", "sydney-ix"));

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
    private final Duration webhookMaxAge;
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final int maxConcurrentRequests;
    private final int ringTimeoutSeconds;
    private final boolean pricingEnabled;
    private final String regionWithoutPricing;
    private final Duration pricingTtl;
    private final Money fallbackRatePerMinute;
    private final Money satelliteRatePerMinute;
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
        this.webhookMaxAge = r.webhookMaxAge;
        this.connectTimeout = r.connectTimeout;
        this.readTimeout = r.readTimeout;
        this.maxConcurrentRequests = r.maxConcurrentRequests;
        this.ringTimeoutSeconds = r.ringTimeoutSeconds;
        this.pricingEnabled = r.pricingEnabled;
        this.regionWithoutPricing = r.regionWithoutPricing;
        this.pricingTtl = r.pricingTtl;
        this.fallbackRatePerMinute = r.fallbackRatePerMinute;
        this.satelliteRatePerMinute = r.satelliteRatePerMinute;
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

    /** Base of the Pricing API, e.g. {@code https://pricing.twilio.com} (also where pricing is off for want of one). */
    public URI pricingBaseUrl() { return pricingBaseUrl; }

    public Optional<PhoneNumber> fromNumber() { return Optional.ofNullable(fromNumber); }

    public Optional<URI> voipTwimlUrl() { return Optional.ofNullable(voipTwimlUrl); }

    public Optional<Endpoint> voipDialTo() { return Optional.ofNullable(voipDialTo); }

    public Optional<URI> webhookBaseUrl() { return Optional.ofNullable(webhookBaseUrl); }

    /** How far a callback's {@code Timestamp} may be from our clock before it is refused. */
    public Duration webhookMaxAge() { return webhookMaxAge; }

    public Duration connectTimeout() { return connectTimeout; }

    public Duration readTimeout() { return readTimeout; }

    /** How many requests this provider has open to Twilio at once; further ones wait their turn in order. */
    public int maxConcurrentRequests() { return maxConcurrentRequests; }

    public int ringTimeoutSeconds() { return ringTimeoutSeconds; }

    public boolean pricingEnabled() { return pricingEnabled; }

    /** The region outside us1 the REST API is routed to, where Twilio serves no Pricing API; empty otherwise. */
    Optional<String> regionWithoutPricing() { return Optional.ofNullable(regionWithoutPricing); }

    public Duration pricingTtl() { return pricingTtl; }

    public Money fallbackRatePerMinute() { return fallbackRatePerMinute; }

    /** The host's price for a minute to a satellite phone, replacing the satellite deck's estimates; empty when not set. */
    public Optional<Money> satelliteRatePerMinute() { return Optional.ofNullable(satelliteRatePerMinute); }

    public Optional<String> voice() { return Optional.ofNullable(voice); }

    public String language() { return language; }

    public Set<String> ttsLanguages() { return ttsLanguages; }

    public Set<String> countries() { return countries; }

    @Override
    public String toString() {
        return "TwilioConfig[accountSid=" + accountSid
                + ", auth=" + (username.equals(accountSid) ? "auth-token" : "api-key " + username)
                + ", password=" + password + ", authToken=" + (authToken == null ? "none" : authToken)
                + ", apiBaseUrl=" + Urls.withoutUserInfo(apiBaseUrl)
                + ", pricingBaseUrl=" + Urls.withoutUserInfo(pricingBaseUrl) + ", fromNumber=" + fromNumber
                + ", webhookBaseUrl=" + (webhookBaseUrl == null ? null : Urls.withoutUserInfo(webhookBaseUrl))
                + ", webhookMaxAge=" + webhookMaxAge
                + ", connectTimeout=" + connectTimeout + ", readTimeout=" + readTimeout
                + ", maxConcurrentRequests=" + maxConcurrentRequests
                + ", ringTimeoutSeconds=" + ringTimeoutSeconds + ", pricingEnabled=" + pricingEnabled
                + ", pricingTtl=" + pricingTtl + ", fallbackRatePerMinute=" + fallbackRatePerMinute
                + ", satelliteRatePerMinute=" + satelliteRatePerMinute + "]";
    }

    /** Reads every key, collecting problems instead of stopping at the first. */
    private static final class Reader {
        private final ProviderConfig config;
        private final ConfigValidation v;

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
        Duration webhookMaxAge;
        Duration connectTimeout;
        Duration readTimeout;
        int maxConcurrentRequests;
        int ringTimeoutSeconds;
        boolean pricingEnabled;
        /** The region the REST API is routed to; null for us1 by default or a base URL. */
        String region;
        String regionWithoutPricing;
        Duration pricingTtl;
        Money fallbackRatePerMinute;
        Money satelliteRatePerMinute;
        String voice;
        String language;
        Set<String> ttsLanguages;
        Set<String> countries;

        Reader(ProviderConfig config) {
            this.config = config;
            this.v = ConfigValidation.of(config, "Twilio configuration");
        }

        void read() {
            readCredentials();
            readHosts();
            fromNumber = v.take(v.string("twilio.from-number").parse(PhoneNumber::of, "is not an E.164 number"));
            voipTwimlUrl = v.take(v.url("twilio.voip-twiml-url"));
            voipDialTo = v.take(v.string("twilio.voip-dial-to").parse(TwilioConfig::dialTarget,
                    "is not an E.164 number or a SIP URI"));
            // only its scheme, host, port and path name the URL Twilio called: a query or fragment would be ignored
            webhookBaseUrl = v.take(v.url("twilio.webhook-base-url")
                    .check(u -> u.getRawQuery() == null && u.getRawFragment() == null, "must not have a query or"
                            + " fragment (the URL Twilio called is its scheme, host, port and path)"));
            webhookMaxAge = duration("twilio.webhook-max-age", Duration.ofMinutes(5));
            connectTimeout = duration("twilio.connect-timeout", Duration.ofSeconds(10));
            readTimeout = duration("twilio.read-timeout", Duration.ofSeconds(30));
            maxConcurrentRequests = orElse(v.take(v.integer("twilio.max-concurrent-requests", 1, 1000)
                    .orElse(DEFAULT_MAX_CONCURRENT_REQUESTS)), DEFAULT_MAX_CONCURRENT_REQUESTS);
            ringTimeoutSeconds = orElse(v.take(v.integer("twilio.ring-timeout", 5, 600).orElse(60)), 60);
            boolean pricingServed = regionWithoutPricing == null;
            pricingEnabled = orElse(v.take(v.bool("twilio.pricing-enabled").orElse(pricingServed)
                    .check(on -> !on || pricingServed, "but Twilio serves its Pricing API in us1 alone (not among the"
                            + " products of region " + regionWithoutPricing + "), where region " + regionWithoutPricing
                            + "'s credentials are refused: leave it unset or false to price calls at"
                            + " twilio.fallback-rate-per-minute, or set twilio.pricing-base-url")), pricingServed);
            pricingTtl = duration("twilio.pricing-ttl", Duration.ofHours(24));
            Validated<BigDecimal> fallback = v.decimal("twilio.fallback-rate-per-minute")
                    .check(r -> r.signum() >= 0, "is not a non-negative decimal amount of USD");
            if (region != null && REGION_EDGES.containsKey(region)) {
                // the default is a US price: from another region it would hold a fraction of most calls' cost, and
                // with live prices from a Pricing API the host names, a quote that fails or is missing falls back to it
                fallback = fallback.required("is missing, and " + (pricingEnabled
                        ? "a call from region " + region + " whose live price fails or is missing is priced at it"
                        : "every call from region " + region + " is priced at it (no live prices there)")
                        + ": its default, " + DEFAULT_FALLBACK_RATE + " USD, is Twilio's price"
                        + " for a minute to a US number, far below most of " + region + "'s prices, so budgets would"
                        + " hold too little: set the dearest per-minute price of the countries the account calls");
            }
            fallbackRatePerMinute = Money.of(orElse(v.take(fallback.orElse(new BigDecimal(DEFAULT_FALLBACK_RATE))),
                    new BigDecimal(DEFAULT_FALLBACK_RATE)), Money.USD);
            BigDecimal satellite = v.take(v.decimal("twilio.satellite-rate-per-minute")
                    .check(r -> r.signum() >= 0, "is not a non-negative decimal amount of USD"));
            satelliteRatePerMinute = satellite == null ? null : Money.of(satellite, Money.USD);
            voice = v.take(v.string("twilio.voice"));
            language = orElse(v.take(v.string("twilio.language").orElse("en-US")
                    .check(l -> LANGUAGE.matcher(l).matches(), "is not a BCP-47 tag such as en-US")), "en-US");
            ttsLanguages = list("twilio.tts-languages", BASIC_VOICE_LANGUAGES, LANGUAGE, "is not a BCP-47 tag");
            countries = list("twilio.countries", Set.of(Locale.getISOCountries()), Pattern.compile("[A-Za-z]{2}"),
                    "is not an ISO 3166-1 alpha-2 code").stream()
                    .map(c -> c.toUpperCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
            v.orThrow();
        }

        private void readCredentials() {
            accountSid = v.take(v.string("twilio.account-sid").required()
                    .check(sid -> ACCOUNT_SID.matcher(sid).matches(), "is not an Account SID (AC + 32 hex digits)"));
            authToken = v.take(v.secret("twilio.auth-token"));
            String apiKey = v.take(v.string("twilio.api-key")
                    .check(k -> API_KEY_SID.matcher(k).matches(), "is not an API key SID (SK + 32 hex digits)"));
            Validated<Secret> apiSecret = v.secret("twilio.api-secret");
            if (config.get("twilio.api-key").isPresent()) {
                username = config.get("twilio.api-key").orElseThrow();
                password = v.take(apiSecret.required("is missing (needed with twilio.api-key)"));
            } else {
                if (apiSecret.isPresent()) {
                    v.problem(Validated.missing("twilio.api-key", "is missing (needed with twilio.api-secret)"));
                } else if (authToken == null) {
                    v.problem(Validated.missing("twilio.auth-token",
                            "is missing (or set TWILIO_AUTH_TOKEN, or twilio.api-key and twilio.api-secret)"));
                }
                username = accountSid;
                password = authToken;
            }
        }

        private void readHosts() {
            String region = hostLabel("twilio.region");
            String edge = hostLabel("twilio.edge");
            if (edge != null && LEGACY_EDGES.containsKey(edge)) {
                // not rewritten, as Twilio's SDKs send the edge as given: the configuration names the edge it means
                v.problem(Validated.malformed("twilio.edge", edge, "is a legacy edge id, which Twilio replaced by"
                        + " descriptive edge names: set twilio.edge=" + LEGACY_EDGES.get(edge)));
            }
            if (edge != null && region == null) region = US1; // Twilio's rule: an edge alone means region us1
            if (region != null && !region.equals(US1) && !REGION_EDGES.containsKey(region)) {
                // br1, de1, jp1, sg1 and us2 were edge ids: calls sent there would be processed nowhere the host chose
                v.problem(Validated.malformed("twilio.region", region, "is not a Twilio Region where Programmable"
                        + " Voice processes and stores calls: set us1, ie1 (twilio.edge=dublin) or au1"
                        + " (twilio.edge=sydney), each with that region's own credentials"
                        + (edge == null ? "; api." + region + ".twilio.com stopped serving on 2026-04-28 (Twilio's API"
                        + " domain migration) and had processed requests in us1" : "")));
            } else if (region != null && edge == null && !region.equals(US1)) {
                // Twilio's SDKs mapped the region to an edge for a while and withdrew it (twilio-java #936): the dead
                // host had processed in us1, so an edge would silently move the data, and need other credentials
                v.problem(Validated.malformed("twilio.region", region, "without twilio.edge names api." + region
                        + ".twilio.com, which Twilio stopped serving on 2026-04-28 (its API domain migration) and which"
                        + " processed requests in us1: remove twilio.region to stay in us1 (api.twilio.com), or set"
                        + " twilio.edge (" + REGION_EDGES.get(region) + ") to process in "
                        + region + " with that region's own credentials"));
            }
            URI base = v.take(v.url("twilio.base-url"));
            // one of the two would be ignored: calls sent elsewhere than the region a host chose for its data
            List<String> routing = Stream.of("twilio.region", "twilio.edge")
                    .filter(key -> config.get(key).isPresent()).toList();
            if (base != null && !routing.isEmpty()) {
                v.problem(Validated.malformed("twilio.base-url", Urls.withoutUserInfo(base.toString()),
                        "is set beside " + String.join(" and ", routing) + ", whose host it would replace: set one or"
                        + " the other"));
            }
            URI pricing = v.take(v.url("twilio.pricing-base-url"));
            apiBaseUrl = base != null ? base : twilioHost("api", edge, region);
            this.region = base != null ? null : region;
            // Pricing is in no other region's products, and a region's credentials work in that region alone
            if (pricing == null && base == null && region != null && !region.equals(US1)) regionWithoutPricing = region;
            pricingBaseUrl = pricing != null ? pricing : base != null ? base
                    : regionWithoutPricing != null ? URI.create("https://pricing.twilio.com")
                    : twilioHost("pricing", edge, region);
        }

        private static URI twilioHost(String product, String edge, String region) {
            return URI.create("https://" + product + (edge == null ? "" : "." + edge)
                    + (region == null ? "" : "." + region) + ".twilio.com");
        }

        private String hostLabel(String key) {
            return v.take(v.string(key).map(s -> s.toLowerCase(Locale.ROOT))
                    .check(l -> HOST_LABEL.matcher(l).matches(), "is not a host label (letters, digits, '-')"));
        }

        private Duration duration(String key, Duration fallback) {
            return orElse(v.take(v.duration(key).orElse(fallback)), fallback);
        }

        private Set<String> list(String key, Set<String> fallback, Pattern item, String problem) {
            List<String> items = v.take(v.list(key, s -> {
                if (!item.matcher(s).matches()) throw new IllegalArgumentException(problem);
                return s;
            }, problem));
            return items == null ? fallback : Set.copyOf(items);
        }

        /** A value whose key was malformed is replaced, so reading goes on to report the other keys. */
        private static <T> T orElse(T value, T fallback) {
            return value != null ? value : fallback;
        }
    }

    private static Endpoint dialTarget(String text) {
        Endpoint e = Endpoint.parse(text);
        if (e instanceof PhoneNumber || e instanceof SipUri) return e;
        throw new IllegalArgumentException("not a number or SIP URI");
    }
}
