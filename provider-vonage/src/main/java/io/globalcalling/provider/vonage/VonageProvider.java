package io.globalcalling.provider.vonage;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.globalcalling.CallCategory;
import io.globalcalling.CallRequest;
import io.globalcalling.CallStatus;
import io.globalcalling.Endpoint;
import io.globalcalling.ErrorReason;
import io.globalcalling.PhoneNumber;
import io.globalcalling.SipUri;
import io.globalcalling.provider.vonage.internal.CallPage;
import io.globalcalling.provider.vonage.internal.CallResource;
import io.globalcalling.provider.vonage.internal.Ncco;
import io.globalcalling.provider.vonage.internal.ShippedData;
import io.globalcalling.provider.vonage.internal.VonageCalls;
import io.globalcalling.provider.vonage.internal.VonageHttp;
import io.globalcalling.provider.vonage.internal.VonageJwt;
import io.globalcalling.provider.vonage.internal.VonagePricing;
import io.globalcalling.spi.BillingUnit;
import io.globalcalling.spi.CallEvent;
import io.globalcalling.spi.CallingProvider;
import io.globalcalling.spi.OutboundCall;
import io.globalcalling.spi.PlacedCall;
import io.globalcalling.spi.PlacementSearch;
import io.globalcalling.spi.ProviderCapabilities;
import io.globalcalling.spi.ProviderContext;
import io.globalcalling.spi.ProviderCoverage;
import io.globalcalling.spi.ProviderException;
import io.globalcalling.spi.ProviderPace;
import io.globalcalling.spi.Rate;
import io.globalcalling.spi.WebhookHandler;
import okhttp3.Credentials;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The Vonage Voice API: places {@code internet_voip} calls (the callee is connected by an NCCO {@code connect} to
 * {@code vonage.voip-connect-to}, or to the host's answer URL) and {@code ai_automated} calls (an NCCO
 * {@code talk} of the rendered script in the callee's language) and, when the host enables the category
 * ({@code vonage.categories=internet_voip,ai_automated,satellite}) for an account allowed to dial those ranges,
 * {@code satellite} calls to satellite phones (Iridium +8816/+8817, Inmarsat +870, Thuraya +88216), dialled like
 * an {@code internet_voip} call and priced live by prefix (else the satellite deck); reads calls back, hangs up,
 * quotes live prices and verifies Vonage's signed callbacks. The create request is sent at most once: a doubt after sending is
 * {@link ErrorReason#OUTCOME_UNKNOWN}, settled with {@link #findPlaced}, never by dialling again.
 * Thread-safe; build it with {@link VonageProviderFactory} or directly from a {@link VonageConfig}.
 */
public final class VonageProvider implements CallingProvider {

    public static final String ID = "vonage";
    /**
     * Vonage's default: 3 new calls in any rolling second per account (Voice API concepts, "Calls Per Second (CPS)
     * Limit"). No burst: a bucket of 3 refilled at 3 a second would start 5 within one second after a quiet spell.
     */
    static final ProviderPace PACE = ProviderPace.of(3, 1);
    /** Vonage's longest call, in seconds: the maximum of {@code length_timer}. */
    static final int MAX_LENGTH_SECONDS = 7200;
    /** Allowance for the difference between our clock and Vonage's when matching a call by its start time. */
    static final Duration CLOCK_SKEW = Duration.ofMinutes(2);
    /**
     * How long after a create Vonage's call list may still miss the call. Vonage's Voice API reference states no
     * consistency bound for {@code GET /v1/calls}, so this is a conservative choice: five minutes (over twice the
     * SDK's default) before an empty list is trusted and the call's hold given back.
     */
    static final Duration SEARCH_LAG = Duration.ofMinutes(5);
    private static final int PAGE_SIZE = 100;
    private static final int MAX_LIST_PAGES = 10;
    private static final Set<CallCategory> CATEGORIES = Set.of(CallCategory.INTERNET_VOIP, CallCategory.AI_AUTOMATED);
    /** Satellite calls are placed only when the host enables them: most accounts may not dial those ranges. */
    private static final Set<CallCategory> SUPPORTED = Set.of(CallCategory.INTERNET_VOIP, CallCategory.AI_AUTOMATED,
            CallCategory.SATELLITE);
    private static final Logger log = LoggerFactory.getLogger(VonageProvider.class);

    private final VonageConfig config;
    private final ProviderContext context;
    private final ObjectMapper json = VonageHttp.newMapper();
    private final VonageHttp http;
    private final HttpUrl callsUrl;
    private final VonagePricing pricing;
    private final VonageWebhookHandler webhooks;
    /** Vonage's languages the account uses, as Vonage spells them, by lower-case code. */
    private final Map<String, String> languages;
    private final ProviderCapabilities capabilities;
    private final ProviderCoverage coverage;
    /** The satellite deck, at {@code vonage.satellite-rate-per-minute} when set; its prefixes are the ranges a satellite call may dial. */
    private final List<Rate> satelliteDeck;
    private final AtomicBoolean pricingWarned = new AtomicBoolean();

    public VonageProvider(VonageConfig config, ProviderContext context) {
        this.config = Objects.requireNonNull(config, "config");
        this.context = Objects.requireNonNull(context, "context");
        OkHttpClient shared = context.shared(OkHttpClient.class, OkHttpClient::new);
        VonageJwt jwt = new VonageJwt(config.applicationId(), config.privateKey(), context.clock());
        this.http = new VonageHttp(ID, shared, () -> "Bearer " + jwt.mint(), config.connectTimeout(),
                config.readTimeout(), isHttp(config.apiBaseUrl()), context.clock(), json);
        this.callsUrl = HttpUrl.get(config.apiBaseUrl().toString()).newBuilder().addPathSegments("v1/calls").build();
        this.pricing = config.apiKey().map(key -> {
            String basic = Credentials.basic(key, config.apiSecret().orElseThrow().reveal());
            VonageHttp pricingHttp = new VonageHttp(ID, shared, () -> basic, config.connectTimeout(),
                    config.readTimeout(), isHttp(config.pricingBaseUrl()), context.clock(), json);
            return new VonagePricing(pricingHttp, HttpUrl.get(config.pricingBaseUrl().toString()), context.clock(),
                    config.pricingTtl());
        }).orElse(null);
        this.webhooks = new VonageWebhookHandler(ID, new VonageSignedWebhooks(config.signatureSecret(),
                config.applicationId(), config.apiKey().orElse(null), context.clock(), config.webhookMaxAge(), json),
                config, context.clock(), json);
        this.languages = usableLanguages(config);
        this.capabilities = ProviderCapabilities.builder()
                .recording(config.recording())
                .machineDetection(true)
                .ttsLanguages(languages.values().stream().filter(VonageProvider::isBcp47).collect(Collectors.toSet()))
                .pace(PACE)
                .billingUnits(EnumSet.of(BillingUnit.PER_MINUTE))
                .reconcileGrace(SEARCH_LAG)
                .build();
        Set<String> regions = ShippedData.get().regions();
        this.coverage = ProviderCoverage.countries(config.countries().isEmpty() ? regions
                : config.countries().stream().filter(regions::contains).collect(Collectors.toSet()));
        this.satelliteDeck = ShippedData.get().satelliteRates().stream()
                .map(r -> config.satelliteRatePerMinute().map(price -> Rate.builder(r.category(), r.prefix())
                        .perMinute(price).incrementSeconds(r.incrementSeconds()).build()).orElse(r))
                .toList();
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Set<CallCategory> categories() {
        return CATEGORIES;
    }

    /** Also {@code satellite}, which the host enables with {@code vonage.categories} for an account allowed to dial it. */
    @Override
    public Set<CallCategory> supportedCategories() {
        return SUPPORTED;
    }

    /**
     * Recording (unless {@code vonage.recording=false}), answering-machine detection, the TTS languages of
     * Vonage's list (narrowed by {@code vonage.tts-languages}; Vonage's {@code en-GB-SCT} and {@code en-GB-WLS}
     * are usable but not declared, as they are not BCP-47 tags), billed per minute, paced at Vonage's default
     * of 3 calls per second.
     */
    @Override
    public ProviderCapabilities capabilities() {
        return capabilities;
    }

    /** Every country with a calling code in the shipped data, narrowed by {@code vonage.countries}; and satellite phones. */
    @Override
    public ProviderCoverage coverage() {
        return coverage;
    }

    @Override
    public boolean covers(Endpoint endpoint) {
        if (endpoint instanceof SipUri) return true;
        if (!(endpoint instanceof PhoneNumber number)) return false;
        if (isSatellitePhone(number)) return true;
        // any country of the calling code: +1 is Canada's as much as the US's, and the core checks the number's own
        return ShippedData.get().regionsOf(number.digits()).stream().anyMatch(coverage.countries()::contains);
    }

    /**
     * The shipped default deck (EUR, billed per second; see {@code vonage-rates.tsv} for its source and date), and
     * the satellite deck: one line per satellite range (+8816, +8817, +870, +88216). No published Vonage price for
     * those ranges was found, so its lines are an estimate (10.00 EUR a minute) whose source and date
     * {@code satellite-rates.tsv} records; {@code vonage.satellite-rate-per-minute} replaces it with the account's
     * own price. With an API key, {@link #quote} prices a satellite phone from the Pricing API's prefix pricing.
     */
    @Override
    public List<Rate> rates() {
        List<Rate> deck = new ArrayList<>(ShippedData.get().rates());
        deck.addAll(satelliteDeck);
        return List.copyOf(deck);
    }

    /**
     * A live price from the Pricing API; empty without an API key, unpriced or unreachable, so the deck prices the
     * call. An ordinary number is priced by its country (cached per country); a satellite phone by its range's prefix
     * pricing (cached per range), billed per second as Vonage bills, unless {@code vonage.satellite-rate-per-minute}
     * sets the price.
     */
    @Override
    public Optional<Rate> quote(CallCategory category, Endpoint destination) {
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(destination, "destination");
        if (pricing == null || !SUPPORTED.contains(category) || !(destination instanceof PhoneNumber number)) {
            return Optional.empty();
        }
        Optional<Rate> satelliteRange = satelliteDeck.stream().filter(r -> number.digits().startsWith(r.prefix())).findFirst();
        if (category == CallCategory.SATELLITE && satelliteRange.isEmpty()) return Optional.empty();
        try {
            if (satelliteRange.isPresent()) {
                if (config.satelliteRatePerMinute().isPresent()) return Optional.empty();
                Rate range = satelliteRange.get();
                return pricing.prefixQuote(range.prefix(), number).map(q -> Rate.builder(category, range.prefix())
                        .perMinute(q.perMinute()).incrementSeconds(range.incrementSeconds()).build());
            }
            return pricing.quote(number).map(q -> Rate.builder(category, q.callingCode())
                    .perMinute(q.perMinute()).incrementSeconds(1).build());
        } catch (ProviderException e) {
            if (pricingWarned.compareAndSet(false, true)) {
                log.warn("Vonage Pricing API failed, using the default deck: {}", e.getMessage());
            } else {
                log.debug("Vonage Pricing API failed, using the default deck: {}", e.getMessage());
            }
            return Optional.empty();
        }
    }

    @Override
    public PlacedCall place(OutboundCall call) {
        Objects.requireNonNull(call, "call");
        ObjectNode body = createBody(call);
        log.debug("Placing Vonage {} call {} to {}", call.category().wireName(), call.callId(), PhoneNumber.mask(call.to().value()));
        CallResource created = http.send("POST", callsUrl, body, CallResource.class, VonageHttp.Kind.CREATE)
                .orElse(null);
        if (created == null || created.uuid() == null || created.uuid().isBlank()) {
            throw ProviderException.builder(ID, ErrorReason.OUTCOME_UNKNOWN,
                    "Vonage accepted the call but its answer has no uuid").httpStatus(201).build();
        }
        CallStatus status = VonageCalls.status(created.status()).orElse(CallStatus.QUEUED);
        log.info("Vonage accepted call {} as {} ({})", call.callId(), created.uuid(), created.status());
        return PlacedCall.of(created.uuid(), status);
    }

    /** The {@code POST /v1/calls} body; every check happens here, before any I/O. */
    ObjectNode createBody(OutboundCall call) {
        if (!SUPPORTED.contains(call.category())) {
            throw invalid("Vonage places internet_voip, ai_automated and satellite calls, not " + call.category().wireName());
        }
        CallRequest request = call.request();
        Endpoint to = destination(call.to());
        if (call.category() == CallCategory.SATELLITE && !(to instanceof PhoneNumber number && isSatellitePhone(number))) {
            throw ProviderException.of(ID, ErrorReason.INVALID_DESTINATION, "a satellite call goes to a satellite phone (+"
                    + String.join(", +", satelliteDeck.stream().map(Rate::prefix).toList()) + "), not to "
                    + PhoneNumber.mask(to.value()));
        }
        PhoneNumber from = callerId(call);
        if (request.record() && !config.recording()) {
            throw invalid("record: this Vonage account does not record calls (vonage.recording=false)");
        }
        URI callback = call.statusCallbackUrl();
        URI recordTo = request.record() ? callback : null;
        ObjectNode body = json.createObjectNode();
        body.putArray("to").add(Ncco.endpoint(to));
        body.putObject("from").put("type", "phone").put("number", from.digits());
        if (call.category() == CallCategory.AI_AUTOMATED) {
            String text = call.spokenText();
            if (text == null || text.isBlank()) throw invalid("spokenText: an ai_automated call needs the text to speak");
            body.set("ncco", Ncco.talk(text, language(request, to), style(request.voice()), recordTo));
        } else if (request.answerUrl() != null) {
            body.putArray("answer_url").add(request.answerUrl().toString());
        } else if (config.voipConnectTo().isPresent()) {
            body.set("ncco", Ncco.connect(config.voipConnectTo().get(), from, recordTo));
        } else {
            throw invalid("answerUrl: an internet_voip or satellite call needs CallRequest.answerUrl or vonage.voip-connect-to");
        }
        if (callback != null) {
            body.putArray("event_url").add(callback.toString());
            body.put("event_method", "POST");
        }
        if (request.machineDetection()) body.put("machine_detection", config.machineDetection());
        if (request.maxDuration() != null) {
            long seconds = Math.max(1, (request.maxDuration().toMillis() + 999) / 1000);
            body.put("length_timer", Math.min(seconds, MAX_LENGTH_SECONDS));
        }
        body.put("ringing_timer", config.ringingTimer());
        return body;
    }

    /**
     * The request's language when Vonage speaks it; else the language of the destination's country; else
     * {@code vonage.language}.
     *
     * @throws ProviderException INVALID_REQUEST naming the language when the request's is not one Vonage speaks
     */
    String language(CallRequest request, Endpoint to) {
        if (request.language() != null) {
            String spoken = languages.get(request.language().toLowerCase(Locale.ROOT));
            if (spoken == null) {
                throw invalid("language '" + request.language() + "' is not one of Vonage's text-to-speech languages");
            }
            return spoken;
        }
        if (to instanceof PhoneNumber number) {
            Optional<String> local = ShippedData.get().regionOf(number.digits())
                    .flatMap(ShippedData.get()::languageFor)
                    .map(l -> languages.get(l.toLowerCase(Locale.ROOT)));
            if (local.isPresent()) return local.get();
        }
        return config.language();
    }

    @Override
    public Optional<CallEvent> fetch(String providerCallId) {
        Objects.requireNonNull(providerCallId, "providerCallId");
        return http.get(callUrl(providerCallId), CallResource.class)
                .map(c -> VonageCalls.toEvent(ID, c, null, context.clock().instant(), config.currency()));
    }

    @Override
    public PlacementSearch findPlaced(OutboundCall call, Instant sentFrom, Instant sentUntil) {
        return findPlaced(call, sentFrom, sentUntil, providerCallId -> false);
    }

    /**
     * Finds the call a create request whose answer was lost may have made. Vonage's call list shows neither the
     * event URL that carries our call id nor any field of ours, so the match is by what it does show: outbound
     * calls to the same destination from the same number, started (by Vonage's clock) between {@code sentFrom}
     * and {@code sentUntil}, each widened by two minutes of clock skew ({@code date_start} and {@code date_end}),
     * read to the last page ({@code count} says how many there are). Exactly one match is our call. None, with
     * every page read, means Vonage never took it. Anything else is unknown: a page that failed or was not found,
     * more than {@value #MAX_LIST_PAGES} pages, several matches. A call the core has on record for another of its
     * calls ({@code recordedOnAnother}) is no match: another call to the same number, placed a minute before, is then
     * not taken for this one's twin.
     */
    @Override
    public PlacementSearch findPlaced(OutboundCall call, Instant sentFrom, Instant sentUntil,
                                      Predicate<String> recordedOnAnother) {
        Objects.requireNonNull(call, "call");
        Objects.requireNonNull(sentFrom, "sentFrom");
        Objects.requireNonNull(sentUntil, "sentUntil");
        Objects.requireNonNull(recordedOnAnother, "recordedOnAnother");
        if (!SUPPORTED.contains(call.category())) return PlacementSearch.notPlaced();   // refused before sending
        Endpoint to = destination(call.to());
        String from = callerId(call).digits();
        Instant earliest = sentFrom.minus(CLOCK_SKEW).truncatedTo(ChronoUnit.SECONDS);
        Instant latest = sentUntil.plus(CLOCK_SKEW).truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
        Optional<List<CallResource>> listed;
        try {
            listed = listAll(earliest, latest);
        } catch (ProviderException e) {
            return PlacementSearch.unknown("Vonage's call list could not be read: " + e.getMessage());
        }
        if (listed.isEmpty()) {
            return PlacementSearch.unknown("Vonage's call list has more than " + MAX_LIST_PAGES
                    + " pages for the window, or was not found; the search is incomplete");
        }
        Map<String, CallResource> matches = new TreeMap<>();
        for (CallResource c : listed.get()) {
            boolean outbound = c.direction() == null || c.direction().equals("outbound");
            if (c.uuid() != null && outbound && sameEndpoint(c.to(), to)
                    && c.from() != null && from.equals(c.from().number()) && !recordedOnAnother.test(c.uuid())) {
                matches.put(c.uuid(), c);
            }
        }
        if (matches.size() > 1) {
            return PlacementSearch.unknown(matches.size() + " Vonage calls to this destination from this number match "
                    + "the lost request; cannot tell which is ours");
        }
        return matches.values().stream().findFirst()
                .map(c -> PlacementSearch.found(VonageCalls.toEvent(ID, c, call.callId(), context.clock().instant(),
                        config.currency())))
                .orElseGet(PlacementSearch::notPlaced);
    }

    /** Every call in the window on every page; empty when the list was not found or has too many pages. */
    private Optional<List<CallResource>> listAll(Instant start, Instant end) {
        List<CallResource> out = new ArrayList<>();
        for (int page = 0; page < MAX_LIST_PAGES; page++) {
            HttpUrl url = callsUrl.newBuilder().addQueryParameter("date_start", start.toString())
                    .addQueryParameter("date_end", end.toString()).addQueryParameter("page_size", Integer.toString(PAGE_SIZE))
                    .addQueryParameter("record_index", Integer.toString(page * PAGE_SIZE))
                    .addQueryParameter("order", "asc").build();
            Optional<CallPage> got = http.get(url, CallPage.class);
            if (got.isEmpty()) return Optional.empty();
            // a null in place of a call may be the one searched for: skipping it could answer "not placed" and
            // release the hold of a call that exists, so the page is refused and the search stays unknown
            if (got.get().calls().stream().anyMatch(Objects::isNull)) {
                throw ProviderException.builder(ID, ErrorReason.INTERNAL, "Vonage's call list page at record_index "
                        + page * PAGE_SIZE + " has an empty entry (null) in place of a call").httpStatus(200).build();
            }
            out.addAll(got.get().calls());
            Integer count = got.get().count();
            boolean last = got.get().calls().size() < PAGE_SIZE || (count != null && count <= (page + 1) * PAGE_SIZE);
            if (last) return Optional.of(out);
        }
        return Optional.empty();
    }

    private static boolean sameEndpoint(CallResource.Party party, Endpoint to) {
        if (party == null) return false;
        if (to instanceof PhoneNumber p) return p.digits().equals(party.number());
        return to.value().equals(party.uri());
    }

    /** Ends the call: {@code PUT /v1/calls/{uuid}} with {@code action: hangup}; a call already over is left as it is. */
    @Override
    public void hangUp(String providerCallId) {
        Objects.requireNonNull(providerCallId, "providerCallId");
        ObjectNode body = json.createObjectNode().put("action", "hangup");
        try {
            http.send("PUT", callUrl(providerCallId), body, CallResource.class, VonageHttp.Kind.UPDATE);
        } catch (ProviderException e) {
            boolean over = e.httpStatus() >= 400 && e.httpStatus() < 500 && fetch(providerCallId)
                    .flatMap(CallEvent::statusIfAny).map(CallStatus::isTerminal).orElse(false);
            if (!over) throw e;
        }
    }

    @Override
    public WebhookHandler webhooks() {
        return webhooks;
    }

    @Override
    public String toString() {
        return "VonageProvider[" + config.applicationId() + " via " + callsUrl.host() + "]";
    }

    private HttpUrl callUrl(String uuid) {
        if (uuid.isBlank()) throw new IllegalArgumentException("providerCallId must not be blank");
        return callsUrl.newBuilder().addPathSegment(uuid).build();
    }

    private boolean isSatellitePhone(PhoneNumber number) {
        return satelliteDeck.stream().anyMatch(r -> number.digits().startsWith(r.prefix()));
    }

    private PhoneNumber callerId(OutboundCall call) {
        return call.request().from() != null ? call.request().from() : config.fromNumber();
    }

    private static Endpoint destination(Endpoint to) {
        if (to instanceof PhoneNumber || to instanceof SipUri) return to;
        throw invalid("to: Vonage calls phone numbers and SIP URIs, not " + to.getClass().getSimpleName());
    }

    /** Vonage's {@code style}: a voice of the language, by number; another voice name is not Vonage's. */
    private static Integer style(String voice) {
        if (voice == null) return null;
        if (!voice.matches("\\d{1,3}")) throw invalid("voice '" + voice + "' is not a Vonage style number (0, 1, ...)");
        return Integer.valueOf(voice);
    }

    private static Map<String, String> usableLanguages(VonageConfig config) {
        Map<String, String> out = new LinkedHashMap<>();
        Set<String> wanted = config.ttsLanguages().stream().map(l -> l.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
        for (String code : ShippedData.get().languages()) {
            String key = code.toLowerCase(Locale.ROOT);
            if (wanted.isEmpty() || wanted.contains(key)) out.put(key, code);
        }
        if (out.isEmpty()) {
            throw new io.globalcalling.ConfigurationException("Vonage configuration",
                    List.of("vonage.tts-languages names none of Vonage's text-to-speech languages"));
        }
        return Map.copyOf(out);
    }

    private static boolean isBcp47(String tag) {
        return java.util.Locale.forLanguageTag(tag).toLanguageTag().equalsIgnoreCase(tag);
    }

    private static boolean isHttp(URI url) {
        return "http".equalsIgnoreCase(url.getScheme());
    }

    private static ProviderException invalid(String message) {
        return ProviderException.of(ID, ErrorReason.INVALID_REQUEST, message);
    }
}
