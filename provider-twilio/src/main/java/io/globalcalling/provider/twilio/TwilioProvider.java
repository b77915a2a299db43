package io.globalcalling.provider.twilio;

import io.globalcalling.provider.twilio.internal.CallPage;
import io.globalcalling.provider.twilio.internal.CallResource;
import io.globalcalling.provider.twilio.internal.CreatedCall;
import io.globalcalling.provider.twilio.internal.Form;
import io.globalcalling.provider.twilio.internal.ListPage;
import io.globalcalling.provider.twilio.internal.RecordingPage;
import io.globalcalling.provider.twilio.internal.TwilioCalls;
import io.globalcalling.provider.twilio.internal.TwilioHttp;
import io.globalcalling.provider.twilio.internal.TwilioPricing;
import io.globalcalling.provider.twilio.internal.Twiml;
import io.globalcalling.CallCategory;
import io.globalcalling.spi.CallEvent;
import io.globalcalling.CallRequest;
import io.globalcalling.CallStatus;
import io.globalcalling.ConfigurationException;
import io.globalcalling.spi.CallingProvider;
import io.globalcalling.Endpoint;
import io.globalcalling.ErrorReason;
import io.globalcalling.Money;
import io.globalcalling.spi.OutboundCall;
import io.globalcalling.PhoneNumber;
import io.globalcalling.spi.PlacedCall;
import io.globalcalling.spi.PlacementSearch;
import io.globalcalling.spi.ProviderCapabilities;
import io.globalcalling.spi.ProviderPace;
import io.globalcalling.spi.ProviderContext;
import io.globalcalling.spi.ProviderCoverage;
import io.globalcalling.spi.ProviderException;
import io.globalcalling.spi.Rate;
import io.globalcalling.spi.Urls;
import io.globalcalling.SipUri;
import io.globalcalling.spi.WebhookHandler;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

/**
 * Twilio Programmable Voice: places {@code internet_voip} calls (the callee is connected to the host's TwiML URL
 * or a {@code <Dial>} target) and {@code ai_automated} calls (inline TwiML {@code <Say>} of the rendered script),
 * and, when the host enables the category ({@code twilio.categories=internet_voip,ai_automated,satellite}) for
 * an account allowed to dial those ranges, {@code satellite} calls to satellite phones (Iridium +8816/+8817,
 * Inmarsat +870, Thuraya +88216), dialled like an {@code internet_voip} call and priced live from the Pricing
 * API (else the satellite deck); reads calls back for reconciliation, hangs up, erases a call's recordings and call
 * record, quotes live prices from Twilio's Pricing API and verifies Twilio's callbacks. The create request is sent
 * at most once: a doubt after sending is {@link ErrorReason#OUTCOME_UNKNOWN}, to be settled with
 * {@link #findPlaced}, never by dialling again.
 * Thread-safe; build it with {@link TwilioProviderFactory} or directly from a {@link TwilioConfig}.
 */
public final class TwilioProvider implements CallingProvider {

    public static final String ID = "twilio";
    /** Twilio refuses a {@code Twiml} parameter longer than this (twilio.com/docs/voice/api/call-resource). */
    static final int MAX_TWIML_LENGTH = 4000;
    static final List<String> STATUS_EVENTS = List.of("initiated", "ringing", "answered", "completed");
    /** Allowance for the difference between our clock and Twilio's when matching a call by its creation time. */
    static final Duration CLOCK_SKEW = Duration.ofMinutes(2);
    private static final int MAX_LIST_PAGES = 10;
    private static final Set<CallCategory> CATEGORIES = Set.of(CallCategory.INTERNET_VOIP, CallCategory.AI_AUTOMATED);
    /** Satellite calls are placed only when the host enables them: most accounts may not dial those ranges. */
    private static final Set<CallCategory> SUPPORTED = Set.of(CallCategory.INTERNET_VOIP, CallCategory.AI_AUTOMATED,
            CallCategory.SATELLITE);
    private static final String SATELLITE_DECK = "satellite-rates.csv";
    private static final Logger log = LoggerFactory.getLogger(TwilioProvider.class);

    private final TwilioConfig config;
    private final ProviderContext context;
    private final TwilioHttp http;
    private final HttpUrl apiBase;
    private final HttpUrl accountUrl;
    private final HttpUrl callsUrl;
    private final TwilioPricing pricing;
    private final TwilioWebhookHandler webhooks;
    private final List<Rate> fallbackDeck;
    /** The satellite deck's prefixes are the ranges a satellite call may dial. */
    private final List<Rate> satelliteDeck;
    /** Built once: the router asks for it on every call, and building it checks each of ~250 country codes. */
    private final ProviderCoverage coverage;
    /** Built once: the router and the placer ask for it several times a call, and it never changes. */
    private final ProviderCapabilities capabilities;
    private final AtomicBoolean pricingWarned = new AtomicBoolean();

    /**
     * @throws ConfigurationException when {@code twilio.webhook-base-url} does not lead to the callback URL the
     *                                manager gives Twilio ({@link ProviderContext#webhookUrl()})
     */
    public TwilioProvider(TwilioConfig config, ProviderContext context) {
        this.config = Objects.requireNonNull(config, "config");
        this.context = Objects.requireNonNull(context, "context");
        checkWebhookBase(config, context);
        OkHttpClient shared = context.shared(OkHttpClient.class, OkHttpClient::new);
        boolean cleartext = "http".equalsIgnoreCase(config.apiBaseUrl().getScheme())
                || "http".equalsIgnoreCase(config.pricingBaseUrl().getScheme());
        this.http = new TwilioHttp(ID, shared, config.username(), config.password(), config.connectTimeout(),
                config.readTimeout(), cleartext, config.maxConcurrentRequests(), context.clock());
        this.apiBase = HttpUrl.get(config.apiBaseUrl().toString());
        this.accountUrl = apiBase.newBuilder().addPathSegments("2010-04-01/Accounts")
                .addPathSegment(config.accountSid()).build();
        this.callsUrl = accountUrl.newBuilder().addPathSegment("Calls.json").build();
        this.pricing = new TwilioPricing(http, HttpUrl.get(config.pricingBaseUrl().toString()), context.clock(),
                config.pricingTtl());
        this.webhooks = new TwilioWebhookHandler(ID, config.authToken().map(TwilioSignatureValidator::new).orElse(null),
                config.webhookBaseUrl().orElse(null), context.clock(), config.webhookMaxAge(), http.json());
        config.regionWithoutPricing().ifPresent(region -> log.info("Twilio serves no Pricing API in region {}: calls"
                + " are priced from the fallback deck at {} a minute (twilio.fallback-rate-per-minute)", region,
                config.fallbackRatePerMinute()));
        if (config.authToken().isEmpty()) {
            log.warn("Twilio is configured with an API key but no twilio.auth-token: its callbacks cannot be verified and will be refused");
        }
        this.coverage = ProviderCoverage.countries(config.countries());
        this.capabilities = ProviderCapabilities.builder()
                .recording(true)
                .machineDetection(true)
                .ttsLanguages(config.ttsLanguages())
                .pace(PACE)
                .reconcileGrace(SEARCH_LAG)
                .build();
        this.satelliteDeck = satelliteDeck(config);
        this.fallbackDeck = List.of(
                Rate.perMinute(CallCategory.INTERNET_VOIP, "", config.fallbackRatePerMinute()),
                Rate.perMinute(CallCategory.AI_AUTOMATED, "", config.fallbackRatePerMinute()));
    }

    /** The satellite deck shipped in {@value #SATELLITE_DECK}, each line at {@code twilio.satellite-rate-per-minute} when set. */
    private static List<Rate> satelliteDeck(TwilioConfig config) {
        List<Rate> deck = new ArrayList<>();
        try (InputStream in = TwilioProvider.class.getResourceAsStream(SATELLITE_DECK)) {
            if (in == null) throw new IllegalStateException("resource " + SATELLITE_DECK + " is missing from the classpath");
            List<String> lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(l -> !l.isBlank() && !l.startsWith("#")).skip(1).toList();
            for (String line : lines) {
                String[] fields = line.split(",");
                Money perMinute = config.satelliteRatePerMinute().orElseGet(() -> Money.of(new BigDecimal(fields[2]), Money.USD));
                deck.add(Rate.perMinute(CallCategory.SATELLITE, fields[0], perMinute));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + SATELLITE_DECK, e);
        }
        return List.copyOf(deck);
    }

    /**
     * How long after a create Twilio's call list may still miss the call. Twilio's Call resource documentation
     * states no consistency bound for reading the list, so this is a conservative choice: five minutes (over
     * twice the SDK's default) before an empty list is trusted and the call's hold given back.
     */
    static final Duration SEARCH_LAG = Duration.ofMinutes(5);

    /** Twilio's default calls-per-second limit of an account. */
    static final ProviderPace PACE = ProviderPace.of(1, 1);

    /**
     * Twilio signs the callback URL it was given, the manager's ({@code calling.webhook-base-url}), and the handler
     * checks the signature against that URL rebuilt under {@code twilio.webhook-base-url}: on another scheme, host or
     * port, or beside the path, every callback would be refused, and one signed for a URL Twilio was never given
     * accepted.
     */
    private static void checkWebhookBase(TwilioConfig config, ProviderContext context) {
        Optional<URI> base = config.webhookBaseUrl();
        Optional<URI> given = context.webhookUrl();
        if (base.isEmpty() || given.isEmpty() || leadsTo(base.get(), given.get())) return;
        throw new ConfigurationException("Twilio configuration", List.of("twilio.webhook-base-url = '"
                + Urls.withoutUserInfo(base.get()) + "' does not lead to " + Urls.withoutUserInfo(given.get())
                + ", the callback URL Twilio is given (calling.webhook-base-url) and signs: leave it unset, or give"
                + " that URL's scheme, host and port with at most the start of its path"));
    }

    /** Whether the handler rebuilds {@code callback} under {@code base}: same scheme and authority, a path prefix. */
    private static boolean leadsTo(URI base, URI callback) {
        if (!(base.getScheme() + "://" + base.getRawAuthority())
                .equals(callback.getScheme() + "://" + callback.getRawAuthority())) {
            return false;
        }
        String prefix = base.getRawPath() == null ? "" : base.getRawPath().replaceAll("/+$", "");
        String path = callback.getRawPath() == null ? "" : callback.getRawPath();
        return path.equals(prefix) || path.startsWith(prefix + "/");
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Set<CallCategory> categories() {
        return CATEGORIES;
    }

    /** Also {@code satellite}, which the host enables with {@code twilio.categories} for an account allowed to dial it. */
    @Override
    public Set<CallCategory> supportedCategories() {
        return SUPPORTED;
    }

    /**
     * Recording and answering-machine detection; TTS languages as configured. Transcription is not requested.
     * Paced at Twilio's default of 1 call per second per account; a host whose account Twilio raised sets
     * its own pace on the manager's builder. Its call list is trusted {@link #SEARCH_LAG} after a create.
     */
    @Override
    public ProviderCapabilities capabilities() {
        return capabilities;
    }

    /** The countries configured in {@code twilio.countries}; the account's Geo Permissions decide the rest. */
    @Override
    public ProviderCoverage coverage() {
        return coverage;
    }

    @Override
    public boolean covers(Endpoint endpoint) {
        return endpoint instanceof PhoneNumber || endpoint instanceof SipUri;
    }

    /**
     * The fallback deck: one catch-all line per category at {@code twilio.fallback-rate-per-minute} (default
     * 0.014 USD, Twilio's list price for an outbound minute to the US), billed per started minute as Twilio
     * bills. No TTS surcharge: Twilio bills its premium voices per character, not per minute.
     * {@link #quote} overrides it with live prices when pricing is enabled.
     *
     * <p>And the satellite deck: one line per satellite range (+8816, +8817, +870, +88216). No published Twilio
     * price for those ranges was found, so the deck's lines are an estimate (10.00 USD a minute) whose source and
     * date the resource {@value #SATELLITE_DECK} records; {@code twilio.satellite-rate-per-minute} replaces it with
     * the account's own price. With live pricing on, {@link #quote} prices a satellite phone from the Pricing API.
     */
    @Override
    public List<Rate> rates() {
        List<Rate> deck = new ArrayList<>(fallbackDeck);
        deck.addAll(satelliteDeck);
        return List.copyOf(deck);
    }

    /**
     * A live price from the Pricing API; empty when disabled, unpriced or unreachable, so the deck prices the call.
     * An ordinary number is priced from its country's prices (cached per country); a satellite phone from the
     * number's own {@code outbound_call_prices} at the account's current price, billed per started minute as Twilio
     * bills, unless {@code twilio.satellite-rate-per-minute} sets the price.
     */
    @Override
    public Optional<Rate> quote(CallCategory category, Endpoint destination) {
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(destination, "destination");
        if (!config.pricingEnabled() || !SUPPORTED.contains(category) || !(destination instanceof PhoneNumber number)) {
            return Optional.empty();
        }
        Optional<Rate> satelliteRange = satelliteDeck.stream().filter(r -> number.digits().startsWith(r.prefix())).findFirst();
        if (category == CallCategory.SATELLITE && satelliteRange.isEmpty()) return Optional.empty();
        try {
            if (satelliteRange.isPresent()) {
                if (config.satelliteRatePerMinute().isPresent()) return Optional.empty();
                String range = satelliteRange.get().prefix();
                return pricing.numberQuote(number).map(perMinute -> Rate.perMinute(category, range, perMinute));
            }
            return pricing.quote(number).map(q -> Rate.perMinute(category, q.prefix(), q.perMinute()));
        } catch (ProviderException e) {
            if (pricingWarned.compareAndSet(false, true)) {
                log.warn("Twilio Pricing API failed, using the fallback deck: {}", e.getMessage());
            } else {
                log.debug("Twilio Pricing API failed, using the fallback deck: {}", e.getMessage());
            }
            return Optional.empty();
        }
    }

    @Override
    public PlacedCall place(OutboundCall call) {
        Objects.requireNonNull(call, "call");
        Form form = createForm(call);
        if (log.isDebugEnabled()) {   // the masked number is built only when it is logged
            log.debug("Placing Twilio {} call {} to {}", call.category().wireName(), call.callId(), PhoneNumber.mask(call.to().value()));
        }
        CreatedCall created = http.postForm(callsUrl, form, CreatedCall.class, TwilioHttp.Kind.CREATE);
        if (created.sid() == null || created.sid().isBlank()) {
            throw ProviderException.builder(ID, ErrorReason.OUTCOME_UNKNOWN,
                    "Twilio accepted the call but its answer has no sid").httpStatus(201).build();
        }
        // "queued" is Twilio accepting the call (above the account's CPS it waits its turn), never a failure
        CallStatus status = TwilioCalls.status(created.status()).orElse(CallStatus.QUEUED);
        log.info("Twilio accepted call {} as {} ({})", call.callId(), created.sid(), created.status());
        return PlacedCall.of(created.sid(), status);
    }

    private boolean isSatellitePhone(Endpoint to) {
        return to instanceof PhoneNumber number && satelliteDeck.stream().anyMatch(r -> number.digits().startsWith(r.prefix()));
    }

    /** The create form; every check happens here, before any I/O. */
    Form createForm(OutboundCall call) {
        if (!SUPPORTED.contains(call.category())) {
            throw invalid("Twilio places internet_voip, ai_automated and satellite calls, not " + call.category().wireName());
        }
        CallRequest request = call.request();
        String to = destination(call.to());
        if (call.category() == CallCategory.SATELLITE && !isSatellitePhone(call.to())) {
            throw ProviderException.of(ID, ErrorReason.INVALID_DESTINATION, "a satellite call goes to a satellite "
                    + "phone (+" + String.join(", +", satelliteDeck.stream().map(Rate::prefix).toList()) + "), not to "
                    + PhoneNumber.mask(call.to().value()));
        }
        PhoneNumber from = callerId(call).orElseThrow(() ->
                invalid("no caller ID: set CallRequest.from or twilio.from-number"));
        Form form = new Form().add("To", to).add("From", from.value());
        if (call.category() == CallCategory.AI_AUTOMATED) {
            String text = call.spokenText();
            if (text == null || Twiml.legalCharacters(text).isBlank()) {
                throw invalid("an ai_automated call needs the text to speak");
            }
            String language = request.language() != null ? request.language() : config.language();
            String voice = request.voice() != null ? request.voice() : config.voice().orElse(null);
            form.add("Twiml", checkedTwiml(Twiml.say(text, language, voice)));
        } else if (request.answerUrl() != null) {
            form.add("Url", request.answerUrl().toString()).add("Method", "POST");
        } else if (config.voipTwimlUrl().isPresent()) {
            form.add("Url", config.voipTwimlUrl().get().toString()).add("Method", "POST");
        } else if (config.voipDialTo().isPresent()) {
            form.add("Twiml", checkedTwiml(Twiml.dial(config.voipDialTo().get().value())));
        } else {
            throw invalid("an internet_voip call needs CallRequest.answerUrl, twilio.voip-twiml-url or twilio.voip-dial-to");
        }
        URI callback = call.statusCallbackUrl();
        if (callback != null) {
            form.add("StatusCallback", callback.toString());
            for (String event : STATUS_EVENTS) form.add("StatusCallbackEvent", event);
            form.add("StatusCallbackMethod", "POST");
        }
        form.add("Timeout", Integer.toString(config.ringTimeoutSeconds()));
        if (request.record()) {
            form.add("Record", "true");
            if (callback != null) {
                form.add("RecordingStatusCallback", callback.toString()).add("RecordingStatusCallbackMethod", "POST");
            }
        }
        if (request.machineDetection()) form.add("MachineDetection", "Enable");
        if (request.maxDuration() != null) {
            long seconds = Math.max(1, (request.maxDuration().toMillis() + 999) / 1000);
            form.add("TimeLimit", Long.toString(seconds));
        }
        return form;
    }

    @Override
    public Optional<CallEvent> fetch(String providerCallId) {
        Objects.requireNonNull(providerCallId, "providerCallId");
        return http.get(callUrl(providerCallId), CallResource.class)
                .map(c -> TwilioCalls.toEvent(ID, c, null, context.clock().instant()));
    }

    @Override
    public PlacementSearch findPlaced(OutboundCall call, Instant sentFrom, Instant sentUntil) {
        return findPlaced(call, sentFrom, sentUntil, providerCallId -> false);
    }

    /**
     * Finds the call a create request whose answer was lost may have made. Twilio's call list does not show the
     * callback URL that carries our call id, and a create request carries no idempotency key, so the match is by
     * what the list does show: outbound calls to the same destination from the same caller ID, created (by
     * Twilio's clock) between {@code sentFrom} and {@code sentUntil}, each widened by two minutes of clock skew.
     * Two queries cover it: {@code Status=queued} (a queued call has no start time yet), then {@code StartTime>}
     * (a date, as Twilio filters by day), each read to its last page. Exactly one match is our call. None, with
     * every page read, means Twilio never took it (a call it cancelled before dialling would show neither a start
     * time nor the queued status, and costs nothing). Anything else is unknown: no caller ID to search by, a page
     * that failed or was not found, more pages than {@value #MAX_LIST_PAGES}, several matches. A call the core has on
     * record for another of its calls ({@code recordedOnAnother}) is no match: another call to the same number, placed
     * a minute before, is then not taken for this one's twin.
     */
    @Override
    public PlacementSearch findPlaced(OutboundCall call, Instant sentFrom, Instant sentUntil,
                                      Predicate<String> recordedOnAnother) {
        Objects.requireNonNull(call, "call");
        Objects.requireNonNull(sentFrom, "sentFrom");
        Objects.requireNonNull(sentUntil, "sentUntil");
        Objects.requireNonNull(recordedOnAnother, "recordedOnAnother");
        if (!SUPPORTED.contains(call.category())) return PlacementSearch.notPlaced();   // refused before sending
        Optional<PhoneNumber> from = callerId(call);
        if (from.isEmpty()) return PlacementSearch.unknown("Twilio: no caller ID to search the call list by");
        String to = destination(call.to());
        Instant earliest = sentFrom.minus(CLOCK_SKEW);
        Instant latest = sentUntil.plus(CLOCK_SKEW);
        HttpUrl.Builder query = callsUrl.newBuilder().addQueryParameter("To", to)
                .addQueryParameter("From", from.get().value()).addQueryParameter("PageSize", "50");
        // queued first: a call dialled between the two reads then shows in the second, with its start time (read
        // the other way round, a call that leaves the queue between them is in neither)
        List<HttpUrl> searches = List.of(
                query.build().newBuilder().addQueryParameter("Status", "queued").build(),
                query.build().newBuilder().addQueryParameter("StartTime>",
                        DateTimeFormatter.ISO_LOCAL_DATE.format(earliest.atOffset(ZoneOffset.UTC))).build());
        Map<String, CallResource> matches = new LinkedHashMap<>();
        try {
            for (HttpUrl search : searches) {
                Optional<List<CallResource>> listed = listAll(search, CallPage.class);
                if (listed.isEmpty()) {
                    return PlacementSearch.unknown("Twilio's call list has more than " + MAX_LIST_PAGES
                            + " pages for this destination, or was not found; the search is incomplete");
                }
                for (CallResource c : listed.get()) {
                    Optional<Instant> created = TwilioCalls.date(c.dateCreated());
                    boolean inWindow = created.isPresent() && !created.get().isBefore(earliest) && !created.get().isAfter(latest);
                    boolean outbound = c.direction() == null || c.direction().equals("outbound-api");
                    if (c.sid() != null && inWindow && outbound && !recordedOnAnother.test(c.sid())) matches.put(c.sid(), c);
                }
            }
        } catch (ProviderException e) {
            return PlacementSearch.unknown("Twilio's call list could not be read: " + e.getMessage());
        }
        if (matches.size() > 1) {
            return PlacementSearch.unknown(matches.size() + " Twilio calls to this destination from this caller ID "
                    + "match the lost request; cannot tell which is ours");
        }
        return matches.values().stream().findFirst()
                .map(c -> PlacementSearch.found(TwilioCalls.toEvent(ID, c, call.callId(), context.clock().instant())))
                .orElseGet(PlacementSearch::notPlaced);
    }

    /** Every item on every page from {@code first}; empty when the list was not found or has too many pages. */
    private <T> Optional<List<T>> listAll(HttpUrl first, Class<? extends ListPage<T>> pageType) {
        List<T> out = new ArrayList<>();
        HttpUrl url = first;
        for (int page = 0; page < MAX_LIST_PAGES; page++) {
            Optional<? extends ListPage<T>> got = http.get(url, pageType);
            if (got.isEmpty()) return Optional.empty();
            out.addAll(got.get().items());
            String next = got.get().nextPageUri();
            if (next == null || next.isBlank()) return Optional.of(out);
            url = nextPage(next);
            // a next page elsewhere than Twilio's API is never followed (our credentials go with it)
            if (url == null || !url.scheme().equals(apiBase.scheme()) || !url.host().equals(apiBase.host())
                    || url.port() != apiBase.port()) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /**
     * The next page's URL. Twilio's {@code next_page_uri} is a path from the root of its API, so below a base URL
     * with a path of its own (a proxy forwarding {@code /twilio/...}) it goes under that path.
     */
    private HttpUrl nextPage(String next) {
        HttpUrl url = apiBase.resolve(next);
        String basePath = apiBase.encodedPath();
        if (url == null || !next.startsWith("/") || next.startsWith("//") || basePath.equals("/")) return url;
        String prefix = basePath.endsWith("/") ? basePath.substring(0, basePath.length() - 1) : basePath;
        return url.newBuilder().encodedPath(prefix + url.encodedPath()).build();
    }

    /**
     * Ends the call. Twilio's {@code Status=canceled} ends a queued or ringing call and leaves an answered one
     * alone, while {@code completed} hangs up an answered call; so this cancels first and, if Twilio reports the
     * call in progress, completes it. A call that had already ended is left as it is.
     */
    @Override
    public void hangUp(String providerCallId) {
        Objects.requireNonNull(providerCallId, "providerCallId");
        CallResource afterCancel = update(providerCallId, "canceled");
        Optional<CallStatus> status = TwilioCalls.status(afterCancel.status());
        if (status.isPresent() && status.get() != CallStatus.ANSWERED) return; // canceled, or already over
        try {
            update(providerCallId, "completed");
        } catch (ProviderException e) {
            // it may have ended between the two requests: then there is nothing left to do
            boolean over = fetch(providerCallId).flatMap(CallEvent::statusIfAny).map(CallStatus::isTerminal).orElse(false);
            if (!over) throw e;
        }
    }

    /**
     * Deletes the call's recordings, read from every page of Twilio's list, and then the call's record in Twilio's
     * call log: recordings first, so that a failure part-way leaves the call record and the next try finds what is
     * left. A deleted recording's audio is gone, but Twilio keeps its metadata for 40 days. A 404 counts as already
     * deleted. Nothing is re-sent within one erasure; the caller tries again after a {@link ProviderException}:
     * the list could not be read to its end, it holds a recording of another call, or a delete failed (Twilio
     * refuses, with code 20009, to delete a call that is still in progress).
     */
    @Override
    public void eraseCall(String providerCallId) {
        Objects.requireNonNull(providerCallId, "providerCallId");
        HttpUrl callRecord = callUrl(providerCallId);
        HttpUrl search = accountUrl.newBuilder().addPathSegment("Recordings.json")
                .addQueryParameter("CallSid", providerCallId).addQueryParameter("PageSize", "1000").build();
        List<RecordingPage.Recording> recordings = listAll(search, RecordingPage.class).orElseThrow(() ->
                ProviderException.of(ID, ErrorReason.INTERNAL, "Twilio's list of the recordings of call "
                        + providerCallId + " could not be read to its end (not found, more than " + MAX_LIST_PAGES
                        + " pages, or a next page elsewhere than Twilio's API); nothing was deleted"));
        for (RecordingPage.Recording recording : recordings) {
            if (recording.sid() == null || recording.sid().isBlank() || !providerCallId.equals(recording.callSid())) {
                throw ProviderException.of(ID, ErrorReason.INTERNAL, "Twilio listed recording " + recording.sid()
                        + " of call " + recording.callSid() + " among those of call " + providerCallId
                        + "; nothing was deleted");
            }
        }
        for (RecordingPage.Recording recording : recordings) {
            http.delete(accountUrl.newBuilder().addPathSegment("Recordings").addPathSegment(recording.sid() + ".json")
                    .build());
        }
        http.delete(callRecord);
        log.info("Erased Twilio call {} and its {} recording(s)", providerCallId, recordings.size());
    }

    private CallResource update(String sid, String status) {
        Form form = new Form().add("Status", status);
        return http.postForm(callUrl(sid), form, CallResource.class, TwilioHttp.Kind.UPDATE);
    }

    @Override
    public WebhookHandler webhooks() {
        return webhooks;
    }

    @Override
    public String toString() {
        return "TwilioProvider[" + config.accountSid() + " via " + apiBase.host() + "]";
    }

    private HttpUrl callUrl(String sid) {
        if (sid.isBlank()) throw new IllegalArgumentException("providerCallId must not be blank");
        return accountUrl.newBuilder().addPathSegment("Calls").addPathSegment(sid + ".json").build();
    }

    private Optional<PhoneNumber> callerId(OutboundCall call) {
        return Optional.ofNullable(call.request().from()).or(config::fromNumber);
    }

    private static String destination(Endpoint to) {
        if (to instanceof PhoneNumber || to instanceof SipUri) return to.value();
        throw invalid("Twilio calls phone numbers and SIP URIs, not " + to.getClass().getSimpleName());
    }

    private static String checkedTwiml(String twiml) {
        if (twiml.length() > MAX_TWIML_LENGTH) {
            throw invalid("the TwiML is " + twiml.length() + " characters; Twilio accepts at most " + MAX_TWIML_LENGTH);
        }
        return twiml;
    }

    private static ProviderException invalid(String message) {
        return ProviderException.of(ID, ErrorReason.INVALID_REQUEST, message);
    }
}
