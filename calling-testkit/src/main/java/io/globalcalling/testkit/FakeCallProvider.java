package io.globalcalling.testkit;

import io.globalcalling.CallCategory;
import io.globalcalling.spi.CallEvent;
import io.globalcalling.spi.CallEventSink;
import io.globalcalling.InboundMessage;
import io.globalcalling.spi.InboundMessageSink;
import io.globalcalling.CallStatus;
import io.globalcalling.spi.CallingProvider;
import io.globalcalling.Endpoint;
import io.globalcalling.Money;
import io.globalcalling.spi.OutboundCall;
import io.globalcalling.spi.PlacedCall;
import io.globalcalling.spi.ProviderCapabilities;
import io.globalcalling.spi.ProviderContext;
import io.globalcalling.spi.ProviderCoverage;
import io.globalcalling.spi.ProviderException;
import io.globalcalling.spi.Rate;
import io.globalcalling.Secret;
import io.globalcalling.Skill;
import io.globalcalling.spi.WebhookHandler;
import io.globalcalling.spi.WebhookResult;
import io.globalcalling.spi.WebhookRejectedException;
import io.globalcalling.WebhookRequest;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * A scriptable, in-memory {@link CallingProvider} for tests of code that places calls. It records
 * every {@link OutboundCall} it receives, answers each with a scripted outcome (accept with a given
 * id, or throw a given {@link ProviderException}), and produces status callbacks as real HTTP-style
 * {@link WebhookRequest}s that its {@link #webhooks()} verifies, so a host's webhook entry point can
 * be exercised end to end.
 *
 * <p>Callbacks are {@code POST}ed form bodies ({@code ProviderCallId}, {@code CallId}, {@code Status},
 * {@code Sequence}, {@code Duration}) signed like Stripe's: header
 * {@value #SIGNATURE_HEADER}{@code : t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">}. The
 * handler refuses a missing, malformed or wrong signature, or one more than {@link #TOLERANCE} away
 * from the provider's clock, with HTTP 403.
 *
 * <pre>{@code
 * FakeCallProvider fake = FakeCallProvider.builder().categories(CallCategory.INTERNET_VOIP).build();
 * fake.acceptNext("CALL-1");
 * fake.failNext(ProviderException.of("fake", ErrorReason.UNAVAILABLE, "down"));
 * WebhookRequest completed = fake.callback("CALL-1", CallStatus.COMPLETED, Duration.ofSeconds(42));
 * }</pre>
 *
 * Thread-safe.
 */
public final class FakeCallProvider implements CallingProvider {

    /** The header carrying a callback's signature. */
    public static final String SIGNATURE_HEADER = "Fake-Signature";
    /** How far a callback's signed timestamp may be from the provider's clock. */
    public static final Duration TOLERANCE = Duration.ofSeconds(300);

    private static final Pattern ID = Pattern.compile("[a-z][a-z0-9_-]*");

    private final String id;
    private final Set<CallCategory> categories;
    private final Set<CallCategory> supportedCategories;
    private final List<Rate> rates;
    private final ProviderCoverage coverage;
    private final ProviderCapabilities capabilities;
    private final Secret signingSecret;
    private final Clock clock;
    private final CallEventSink events;
    private final InboundMessageSink inbound;
    private final URI webhookUrl;

    private final List<OutboundCall> received = Collections.synchronizedList(new ArrayList<>());
    private final List<String> hungUp = Collections.synchronizedList(new ArrayList<>());
    private final List<String> erased = Collections.synchronizedList(new ArrayList<>());
    private final Deque<Outcome> script = new ArrayDeque<>();
    private final Map<String, ProviderException> failuresByDestination = new ConcurrentHashMap<>();
    private final Map<String, CallState> calls = new ConcurrentHashMap<>();
    /** Our call id → its provider call id, kept when the capabilities declare idempotentPlacement. */
    private final Map<String, String> placedByCallId = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private volatile boolean closed;

    private FakeCallProvider(Builder b) {
        this.id = b.id;
        this.categories = Collections.unmodifiableSet(EnumSet.copyOf(b.categories));
        EnumSet<CallCategory> supported = EnumSet.copyOf(b.categories);
        supported.addAll(b.alsoSupported);
        this.supportedCategories = Collections.unmodifiableSet(supported);
        this.rates = b.rates.isEmpty() ? defaultRates(categories) : List.copyOf(b.rates);
        this.coverage = b.coverage != null ? b.coverage : defaultCoverage(categories);
        this.capabilities = b.capabilities != null ? b.capabilities : defaultCapabilities(categories);
        this.signingSecret = b.signingSecret;
        this.clock = b.clock;
        this.events = b.events;
        this.inbound = b.inbound;
        this.webhookUrl = b.webhookUrl;
    }

    /** A builder for a provider with id {@code fake} serving internet_voip. */
    public static Builder builder() {
        return new Builder();
    }

    // --- scripting -------------------------------------------------------------------------

    /** The next call placed is accepted with this provider call id. Scripted outcomes are used in order. */
    public FakeCallProvider acceptNext(String providerCallId) {
        Objects.requireNonNull(providerCallId, "providerCallId");
        if (providerCallId.isBlank()) throw new IllegalArgumentException("providerCallId must not be blank");
        synchronized (script) {
            script.addLast(new Outcome(providerCallId, null));
        }
        return this;
    }

    /** The next call placed fails with {@code error}. Scripted outcomes are used in order. */
    public FakeCallProvider failNext(ProviderException error) {
        Objects.requireNonNull(error, "error");
        synchronized (script) {
            script.addLast(new Outcome(null, error));
        }
        return this;
    }

    /** Every call to {@code destination} fails with {@code error}, before any scripted outcome is used. */
    public FakeCallProvider failCallsTo(Endpoint destination, ProviderException error) {
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(error, "error");
        failuresByDestination.put(destination.value(), error);
        return this;
    }

    // --- what happened ----------------------------------------------------------------------

    /** Every call {@link #place} received, in order, including those that failed. */
    public List<OutboundCall> receivedCalls() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    /** The provider call ids passed to {@link #hangUp}, in order. */
    public List<String> hungUpCalls() {
        synchronized (hungUp) {
            return List.copyOf(hungUp);
        }
    }

    /** The provider call ids passed to {@link #eraseCall}, in order. */
    public List<String> erasedCalls() {
        synchronized (erased) {
            return List.copyOf(erased);
        }
    }

    /** The status the fake's simulated far end holds for a call it accepted. */
    public Optional<CallStatus> statusOf(String providerCallId) {
        return Optional.ofNullable(calls.get(providerCallId)).map(s -> s.status);
    }

    public boolean isClosed() {
        return closed;
    }

    /** The secret callbacks are signed with; hand it to whatever else must verify them. */
    public Secret signingSecret() {
        return signingSecret;
    }

    // --- callbacks and events ----------------------------------------------------------------

    /** A signed callback reporting that the call moved to {@code status}; also moves the call's state as {@link #fetch} reports it. */
    public WebhookRequest callback(String providerCallId, CallStatus status) {
        return callback(providerCallId, status, null);
    }

    /**
     * A signed callback reporting that the call moved to {@code status} after {@code duration} of
     * talk time (null when not reported), signed at the clock's current instant.
     */
    public WebhookRequest callback(String providerCallId, CallStatus status, Duration duration) {
        Objects.requireNonNull(providerCallId, "providerCallId");
        Objects.requireNonNull(status, "status");
        CallState state = calls.get(providerCallId);
        long sequence = state == null ? 1 : state.advance(status);
        Map<String, String> form = new LinkedHashMap<>();
        form.put("ProviderCallId", providerCallId);
        if (state != null) form.put("CallId", state.call.callId());
        form.put("Status", status.wireName());
        form.put("Sequence", Long.toString(sequence));
        if (duration != null) form.put("Duration", Long.toString(duration.toSeconds()));
        StringBuilder body = new StringBuilder();
        form.forEach((k, v) -> {
            if (body.length() > 0) body.append('&');
            body.append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(v, StandardCharsets.UTF_8));
        });
        long t = clock.instant().getEpochSecond();
        String signature = "t=" + t + ",v1=" + hmacHex(signingSecret, t + "." + body);
        return WebhookRequest.post(webhookUrl.toString(),
                Map.of(SIGNATURE_HEADER, signature, "Content-Type", "application/x-www-form-urlencoded"),
                body.toString());
    }

    /**
     * Moves the call to {@code status} and delivers the event through the sink given to the builder
     * (as a provider with its own event stream would), returning it.
     *
     * @throws IllegalStateException when the builder was given no event sink
     */
    public CallEvent publish(String providerCallId, CallStatus status) {
        Objects.requireNonNull(providerCallId, "providerCallId");
        Objects.requireNonNull(status, "status");
        if (events == null) throw new IllegalStateException("no event sink: build the fake with events(...) or context(...)");
        CallState state = calls.get(providerCallId);
        Long sequence = state == null ? null : state.advance(status);
        CallEvent event = CallEvent.builder(id, clock.instant()).providerCallId(providerCallId)
                .callId(state == null ? null : state.call.callId()).status(status).sequence(sequence).build();
        events.accept(event);
        return event;
    }

    /**
     * Delivers {@code message} through the context's inbound sink, as a provider listening for its
     * terminals would.
     *
     * @throws IllegalStateException when the builder was given no context that takes inbound messages
     */
    public void receive(InboundMessage message) {
        Objects.requireNonNull(message, "message");
        if (inbound == null) throw new IllegalStateException("no inbound sink: build the fake with context(...)");
        inbound.accept(message);
    }

    // --- CallingProvider ----------------------------------------------------------------------

    @Override
    public String id() {
        return id;
    }

    @Override
    public Set<CallCategory> categories() {
        return categories;
    }

    @Override
    public Set<CallCategory> supportedCategories() {
        return supportedCategories;
    }

    @Override
    public ProviderCapabilities capabilities() {
        return capabilities;
    }

    @Override
    public ProviderCoverage coverage() {
        return coverage;
    }

    /** Every kind of endpoint. */
    @Override
    public boolean covers(Endpoint endpoint) {
        return endpoint != null;
    }

    @Override
    public List<Rate> rates() {
        return rates;
    }

    /**
     * Records the call, then applies the first of: a failure registered for its destination, the next
     * scripted outcome, or acceptance under a generated id ({@code FAKE-1}, {@code FAKE-2}, ...). When
     * the capabilities declare {@code idempotentPlacement}, a call id it accepted already is answered
     * with that call again, as a deduplicating provider does: nothing new is created.
     */
    @Override
    public PlacedCall place(OutboundCall call) {
        Objects.requireNonNull(call, "call");
        if (closed) throw new IllegalStateException("provider " + id + " is closed");
        received.add(call);
        if (!capabilities.idempotentPlacement()) return accept(call);
        synchronized (placedByCallId) {
            String earlier = placedByCallId.get(call.callId());
            if (earlier != null) return PlacedCall.of(earlier, CallStatus.QUEUED);
            PlacedCall placed = accept(call);
            placedByCallId.put(call.callId(), placed.providerCallId());
            return placed;
        }
    }

    private PlacedCall accept(OutboundCall call) {
        ProviderException destinationFailure = failuresByDestination.get(call.to().value());
        if (destinationFailure != null) throw destinationFailure;
        Outcome outcome;
        synchronized (script) {
            outcome = script.pollFirst();
        }
        if (outcome != null && outcome.error != null) throw outcome.error;
        String providerCallId = outcome != null ? outcome.providerCallId : "FAKE-" + ids.incrementAndGet();
        calls.put(providerCallId, new CallState(call, CallStatus.QUEUED));
        return PlacedCall.of(providerCallId, CallStatus.QUEUED);
    }

    @Override
    public Optional<CallEvent> fetch(String providerCallId) {
        Objects.requireNonNull(providerCallId, "providerCallId");
        CallState state = calls.get(providerCallId);
        if (state == null) return Optional.empty();
        synchronized (state) {
            return Optional.of(CallEvent.builder(id, clock.instant()).providerCallId(providerCallId)
                    .callId(state.call.callId()).status(state.status).sequence(state.sequence).build());
        }
    }

    /** Records the hang-up and moves an accepted call that has not ended to canceled. */
    @Override
    public void hangUp(String providerCallId) {
        Objects.requireNonNull(providerCallId, "providerCallId");
        hungUp.add(providerCallId);
        CallState state = calls.get(providerCallId);
        if (state != null) state.advance(CallStatus.CANCELED);
    }

    /** Records the id; the fake keeps nothing else of a call to delete. */
    @Override
    public void eraseCall(String providerCallId) {
        Objects.requireNonNull(providerCallId, "providerCallId");
        erased.add(providerCallId);
    }

    @Override
    public WebhookHandler webhooks() {
        return (request, context) -> WebhookResult.events(verifyAndParse(request));
    }

    /** Idempotent. */
    @Override
    public void close() {
        closed = true;
    }

    private List<CallEvent> verifyAndParse(WebhookRequest request) {
        Objects.requireNonNull(request, "request");
        String header = request.header(SIGNATURE_HEADER)
                .orElseThrow(() -> new WebhookRejectedException(403, id + ": missing " + SIGNATURE_HEADER + " header"));
        Long t = null;
        List<String> signatures = new ArrayList<>();
        for (String part : header.split(",")) {
            int eq = part.indexOf('=');
            if (eq < 0) continue;
            String key = part.substring(0, eq).strip();
            String value = part.substring(eq + 1).strip();
            if (key.equals("t")) {
                try {
                    t = Long.parseLong(value);
                } catch (NumberFormatException e) {
                    throw new WebhookRejectedException(403, id + ": signature timestamp is not a number");
                }
            } else if (key.equals("v1")) {
                signatures.add(value);
            }
        }
        if (t == null || signatures.isEmpty()) {
            throw new WebhookRejectedException(403, id + ": malformed " + SIGNATURE_HEADER + " header (expected t=...,v1=...)");
        }
        long age = Math.abs(clock.instant().getEpochSecond() - t);
        if (age > TOLERANCE.toSeconds()) {
            throw new WebhookRejectedException(403, WebhookRejectedException.Refusal.TOO_OLD, id + ": signature timestamp is " + age
                    + " s from now, outside the " + TOLERANCE.toSeconds() + " s tolerance");
        }
        byte[] expected = hmacHex(signingSecret, t + "." + request.bodyText()).getBytes(StandardCharsets.US_ASCII);
        boolean match = false;
        for (String s : signatures) {
            match |= MessageDigest.isEqual(expected, s.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII));
        }
        if (!match) throw new WebhookRejectedException(403, id + ": signature does not match the body");

        Map<String, List<String>> form = request.formParameters();
        String providerCallId = first(form, "ProviderCallId");
        String statusText = first(form, "Status");
        if (providerCallId == null || statusText == null) {
            throw new WebhookRejectedException(400, id + ": callback lacks ProviderCallId or Status");
        }
        CallStatus status;
        Long sequence;
        Duration duration;
        try {
            status = CallStatus.fromWireName(statusText);
            String seq = first(form, "Sequence");
            sequence = seq == null ? null : Long.parseLong(seq);
            String d = first(form, "Duration");
            duration = d == null ? null : Duration.ofSeconds(Long.parseLong(d));
        } catch (IllegalArgumentException e) {
            throw new WebhookRejectedException(400, id + ": malformed callback field: " + e.getMessage());
        }
        return List.of(CallEvent.builder(id, Instant.ofEpochSecond(t)).providerCallId(providerCallId)
                .callId(first(form, "CallId")).status(status).sequence(sequence).duration(duration).build());
    }

    private static String first(Map<String, List<String>> form, String name) {
        List<String> values = form.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static String hmacHex(Secret secret, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.revealBytes(), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(data.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }

    private static List<Rate> defaultRates(Set<CallCategory> categories) {
        List<Rate> out = new ArrayList<>();
        for (CallCategory c : categories) {
            out.add(c == CallCategory.SYSTEM_API
                    ? Rate.perCall(c, "", Money.inr("0.01"))
                    : Rate.perMinute(c, "", Money.inr("1")));
        }
        return List.copyOf(out);
    }

    private static ProviderCoverage defaultCoverage(Set<CallCategory> categories) {
        Set<String> all = Set.copyOf(Arrays.asList(Locale.getISOCountries()));
        return ProviderCoverage.of(all, categories.contains(CallCategory.SATELLITE));
    }

    private static ProviderCapabilities defaultCapabilities(Set<CallCategory> categories) {
        boolean ai = categories.contains(CallCategory.AI_AUTOMATED);
        boolean human = categories.contains(CallCategory.HUMAN_AGENT);
        return ProviderCapabilities.builder()
                .ttsLanguages(ai ? Set.of("en-US") : Set.of())
                .agents(human ? Map.of(Skill.GENERAL, 1) : Map.of(), human ? 1 : 0)
                .build();
    }

    private record Outcome(String providerCallId, ProviderException error) {
    }

    private static final class CallState {
        final OutboundCall call;
        CallStatus status;
        long sequence;

        CallState(OutboundCall call, CallStatus status) {
            this.call = call;
            this.status = status;
        }

        /** Moves forward only, like a real far end; returns this change's sequence number. */
        synchronized long advance(CallStatus next) {
            if (status.canMoveTo(next)) status = next;
            return ++sequence;
        }
    }

    /** Builds a {@link FakeCallProvider}; every setting has a default. */
    public static final class Builder {
        private String id = "fake";
        private Set<CallCategory> categories = EnumSet.of(CallCategory.INTERNET_VOIP);
        private final Set<CallCategory> alsoSupported = EnumSet.noneOf(CallCategory.class);
        private final List<Rate> rates = new ArrayList<>();
        private ProviderCoverage coverage;
        private ProviderCapabilities capabilities;
        private Secret signingSecret = Secret.of("fake-signing-secret");
        private Clock clock = Clock.systemUTC();
        private CallEventSink events;
        private InboundMessageSink inbound;
        private URI webhookUrl = URI.create("https://host.example/webhooks/fake");

        private Builder() {
        }

        /** Lower-case letters, digits, '-' and '_'; default {@code fake}. */
        public Builder id(String id) {
            Objects.requireNonNull(id, "id");
            if (!ID.matcher(id).matches()) {
                throw new IllegalArgumentException("id '" + id + "' must be lower-case letters, digits, '-' or '_'");
            }
            this.id = id;
            return this;
        }

        /** Default internet_voip. */
        /** Categories it can also serve when the host configures {@code <id>.categories} to include them. */
        public Builder alsoSupports(CallCategory... categories) {
            alsoSupported.addAll(Arrays.asList(categories));
            return this;
        }

        public Builder categories(CallCategory... categories) {
            if (categories.length == 0) throw new IllegalArgumentException("categories must not be empty");
            this.categories = EnumSet.copyOf(Arrays.asList(categories));
            return this;
        }

        /** Adds a rate; without any, each category gets a catch-all rate (1 INR/min, system_api 0.01 INR/call). */
        public Builder rate(Rate rate) {
            this.rates.add(Objects.requireNonNull(rate, "rate"));
            return this;
        }

        /** Default: every ISO country the JDK knows, global when satellite is served. */
        public Builder coverage(ProviderCoverage coverage) {
            this.coverage = Objects.requireNonNull(coverage, "coverage");
            return this;
        }

        /** Default: none, plus en-US speech for ai_automated and one general agent for human_agent. */
        public Builder capabilities(ProviderCapabilities capabilities) {
            this.capabilities = Objects.requireNonNull(capabilities, "capabilities");
            return this;
        }

        public Builder signingSecret(Secret secret) {
            this.signingSecret = Objects.requireNonNull(secret, "signingSecret");
            return this;
        }

        /** The clock callbacks are signed and verified by; default the system clock. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Where {@link FakeCallProvider#publish} delivers events. */
        public Builder events(CallEventSink events) {
            this.events = Objects.requireNonNull(events, "events");
            return this;
        }

        /** The URL callbacks are addressed to; default {@code https://host.example/webhooks/fake}. */
        public Builder webhookUrl(URI webhookUrl) {
            this.webhookUrl = Objects.requireNonNull(webhookUrl, "webhookUrl");
            return this;
        }

        /** Takes the clock, the event sink and (when present) the webhook URL from a provider context. */
        public Builder context(ProviderContext context) {
            Objects.requireNonNull(context, "context");
            this.clock = context.clock();
            this.events = context.events();
            try {
                this.inbound = context.inbound();
            } catch (UnsupportedOperationException e) {
                this.inbound = null;   // a context that takes no inbound messages
            }
            context.webhookUrl().ifPresent(u -> this.webhookUrl = u);
            return this;
        }

        public FakeCallProvider build() {
            return new FakeCallProvider(this);
        }
    }
}
