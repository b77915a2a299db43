package io.globalcalling.testkit;

import io.globalcalling.CallCategory;
import io.globalcalling.spi.CallEvent;
import io.globalcalling.CallStatus;
import io.globalcalling.spi.CallingProvider;
import io.globalcalling.spi.InboundMessageSink;
import io.globalcalling.Endpoint;
import io.globalcalling.InboundMessage;
import io.globalcalling.ErrorReason;
import io.globalcalling.Money;
import io.globalcalling.spi.OutboundCall;
import io.globalcalling.spi.PlacedCall;
import io.globalcalling.spi.PlacementSearch;
import io.globalcalling.spi.ProviderCapabilities;
import io.globalcalling.spi.ProviderCoverage;
import io.globalcalling.spi.ProviderException;
import io.globalcalling.spi.Rate;
import io.globalcalling.spi.WebhookHandler;
import io.globalcalling.spi.WebhookResult;
import io.globalcalling.spi.WebhookRejectedException;
import io.globalcalling.WebhookRequest;

import org.jspecify.annotations.Nullable;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A {@link CallingProvider} whose every placement takes a scripted {@link Outcome}: accepted (in any
 * status, terminal ones too), refused for any {@link ErrorReason}, 429 with Retry-After, unavailable
 * before sending, or a timeout or reset after sending (the call accepted or not, unknown to the
 * caller). It keeps the truth a real provider would: which calls it accepted and where they are,
 * every attempt it received and whether that attempt's bytes may have left the caller. Model-based
 * and failure tests use it to drive the whole call path and check it against that truth.
 *
 * <p>Built with {@code idempotentPlacement(true)} it deduplicates by our call id, as a provider
 * that declares {@code idempotentPlacement} must: a call it already holds, sent again, is the same call. Without it, a call
 * sent twice is two calls. Built with an inbound sink, it passes on the messages its terminals send
 * ({@link #receive}).
 *
 * <p>Callbacks are made from {@link CallEvent}s with {@link #callback(CallEvent)}: the request's body
 * names the event, which {@link #webhooks()} hands back. They are not signed: this provider is for tests.
 *
 * <pre>{@code
 * ScriptedProvider p = ScriptedProvider.builder().id("cheap").clock(clock).build();
 * p.next(Outcome.timeoutAfterSending(true));     // the provider took it, the caller heard nothing
 * p.next(Outcome.accept(CallStatus.QUEUED));
 * }</pre>
 *
 * Thread-safe.
 */
public final class ScriptedProvider implements CallingProvider {

    /** Orders attempts across every scripted provider of a test. */
    private static final AtomicLong SEQUENCE = new AtomicLong();

    private final String id;
    private final Set<CallCategory> categories;
    private final List<Rate> rates;
    private final Clock clock;
    private final ProviderCoverage coverage;
    private final ProviderCapabilities capabilities;
    private final @Nullable InboundMessageSink inbound;
    private final Consumer<OutboundCall> onPlace;

    private final Deque<Outcome> script = new ArrayDeque<>();
    private final List<Attempt> attempts = new ArrayList<>();
    private final Map<String, Held> byProviderCallId = new ConcurrentHashMap<>();
    private final Map<String, Held> byCallId = new ConcurrentHashMap<>();
    /** How many calls it created for each of our call ids: more than one is a call placed twice. */
    private final Map<String, Integer> created = new ConcurrentHashMap<>();
    private final Map<String, CallEvent> callbacks = new ConcurrentHashMap<>();
    /** The id each of our call ids was named by a failure that named one (see {@link Outcome#namingProviderCallId}). */
    private final Map<String, String> named = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    /** How many of the next fetches and searches fail. */
    private final AtomicLong lookupsToFail = new AtomicLong();

    private ScriptedProvider(Builder b) {
        this.id = b.id;
        this.categories = Set.copyOf(b.categories);
        this.rates = b.categories.stream().map(c -> b.perCall == null ? Rate.perMinute(c, "", b.perMinute)
                : new Rate(c, "", b.perMinute, b.perCall, 60, 0)).toList();
        this.clock = b.clock;
        // a satellite provider reaches everywhere; the others every country
        this.coverage = new ProviderCoverage(Set.copyOf(Arrays.asList(Locale.getISOCountries())),
                categories.contains(CallCategory.SATELLITE));
        this.capabilities = ProviderCapabilities.builder().idempotentPlacement(b.idempotentPlacement)
                .maxPayloadBytes(b.maxPayloadBytes).simulated(b.simulated).reconcileGrace(b.reconcileGrace).build();
        this.inbound = b.inbound;
        this.onPlace = b.onPlace;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** What one placement does. Build with the static factories. */
    public record Outcome(Kind kind, CallStatus placedStatus, ErrorReason reason, Duration retryAfter,
                          boolean acceptedAnyway, Duration searchLag, boolean namesProviderCallId) {

        /** The kinds of outcome. */
        public enum Kind { ACCEPT, REFUSE, RATE_LIMITED, UNAVAILABLE, TIMEOUT_AFTER_SENDING, RESET_AFTER_SENDING }

        public Outcome {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(searchLag, "searchLag");
            if (namesProviderCallId && reason != ErrorReason.OUTCOME_UNKNOWN) {
                throw new IllegalArgumentException("only an unknown outcome names the call's id in its failure: " + kind);
            }
        }

        private Outcome(Kind kind, CallStatus placedStatus, ErrorReason reason, Duration retryAfter,
                        boolean acceptedAnyway, Duration searchLag) {
            this(kind, placedStatus, reason, retryAfter, acceptedAnyway, searchLag, false);
        }

        /** Accepted, answering {@code status} (a terminal one too: the call ended at placement). */
        public static Outcome accept(CallStatus status) {
            return new Outcome(Kind.ACCEPT, Objects.requireNonNull(status, "status"), null, null, true, Duration.ZERO);
        }

        /** A definite refusal: the provider did not take the call. */
        public static Outcome refuse(ErrorReason reason) {
            return new Outcome(Kind.REFUSE, null, Objects.requireNonNull(reason, "reason"), null, false, Duration.ZERO);
        }

        /** HTTP 429 with Retry-After: nothing accepted. */
        public static Outcome rateLimited(Duration retryAfter) {
            return new Outcome(Kind.RATE_LIMITED, null, ErrorReason.RATE_LIMITED,
                    Objects.requireNonNull(retryAfter, "retryAfter"), false, Duration.ZERO);
        }

        /** The connection failed before anything was sent. */
        public static Outcome unavailable() {
            return new Outcome(Kind.UNAVAILABLE, null, ErrorReason.UNAVAILABLE, null, false, Duration.ZERO);
        }

        /** Sent, then no answer in time; the provider took the call when {@code acceptedAnyway}. */
        public static Outcome timeoutAfterSending(boolean acceptedAnyway) {
            return new Outcome(Kind.TIMEOUT_AFTER_SENDING, null, ErrorReason.OUTCOME_UNKNOWN, null, acceptedAnyway,
                    Duration.ZERO);
        }

        /** Sent, then the connection was reset; the provider took the call when {@code acceptedAnyway}. */
        public static Outcome resetAfterSending(boolean acceptedAnyway) {
            return new Outcome(Kind.RESET_AFTER_SENDING, null, ErrorReason.OUTCOME_UNKNOWN, null, acceptedAnyway,
                    Duration.ZERO);
        }

        /**
         * How long after placement {@link #findPlaced} first sees the call (a provider's search lags); a provider
         * keeps its promise while this is at most the reconcile grace it was built with.
         */
        public Outcome withSearchLag(Duration lag) {
            return new Outcome(kind, placedStatus, reason, retryAfter, acceptedAnyway, lag, namesProviderCallId);
        }

        /**
         * A timeout or reset whose failure names the id the call has at the provider should it have taken the
         * request ({@link ProviderException#providerCallId()}: an id the client chose before sending, such as an SBD
         * message's MTMSN), taken or not. A provider that deduplicates names one id per call id, the one it gives the
         * call when it takes it.
         */
        public Outcome namingProviderCallId() {
            return new Outcome(kind, placedStatus, reason, retryAfter, acceptedAnyway, searchLag, true);
        }

        /** Whether the request's bytes may have reached the provider (it may have acted on them). */
        public boolean mayHaveLeft() {
            return kind == Kind.ACCEPT || kind == Kind.TIMEOUT_AFTER_SENDING || kind == Kind.RESET_AFTER_SENDING;
        }

        /** Whether the provider holds the call afterwards. */
        public boolean accepts() {
            return kind == Kind.ACCEPT || (mayHaveLeft() && acceptedAnyway);
        }

        @Override
        public String toString() {
            return switch (kind) {
                case ACCEPT -> "accept(" + placedStatus + ")";
                case REFUSE -> "refuse(" + reason + ")";
                case RATE_LIMITED -> "429(retryAfter=" + retryAfter.toSeconds() + "s)";
                case UNAVAILABLE -> "unavailable";
                case TIMEOUT_AFTER_SENDING, RESET_AFTER_SENDING -> kind.name().toLowerCase(Locale.ROOT)
                        + "(accepted=" + acceptedAnyway + ", searchLag=" + searchLag.toSeconds() + "s"
                        + (namesProviderCallId ? ", names its id" : "") + ")";
            };
        }
    }

    /**
     * One placement received.
     *
     * @param sequence  its order among the attempts of every scripted provider
     */
    public record Attempt(long sequence, String providerId, String callId, int attempt, Outcome outcome) {
    }

    /** A call the provider holds: its truth. */
    private static final class Held {
        final String callId;
        final String providerCallId;
        final Instant visibleFrom;
        CallStatus status;
        Duration talk;
        Money price;

        Held(String callId, String providerCallId, CallStatus status, Instant visibleFrom) {
            this.callId = callId;
            this.providerCallId = providerCallId;
            this.status = status;
            this.visibleFrom = visibleFrom;
        }
    }

    // --- scripting ---------------------------------------------------------------------------

    /** The next placement takes this outcome; without one a placement is accepted as queued. */
    public ScriptedProvider next(Outcome outcome) {
        Objects.requireNonNull(outcome, "outcome");
        synchronized (script) {
            script.addLast(outcome);
        }
        return this;
    }

    /** Forgets outcomes not used yet. */
    public void clearScript() {
        synchronized (script) {
            script.clear();
        }
    }

    /**
     * The next {@code lookups} fetches and searches fail with a {@link ProviderException}, as they do while the
     * provider's API cannot be reached; the calls it holds go on all the same.
     */
    public void failLookups(int lookups) {
        if (lookups < 0) throw new IllegalArgumentException("lookups " + lookups + " must not be negative");
        lookupsToFail.set(lookups);
    }

    private void lookUp() {
        if (lookupsToFail.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw ProviderException.of(id, ErrorReason.UNAVAILABLE, "lookup failed: API unreachable");
        }
    }

    /** Moves a held call forward on the provider's side (only forward, like a real far end). */
    public void advance(String providerCallId, CallStatus status) {
        advance(providerCallId, status, null, null);
    }

    /**
     * Moves a held call forward, with the talk time and price {@link #fetch} reports from then on
     * (each null when not known).
     */
    public void advance(String providerCallId, CallStatus status, Duration talk, Money price) {
        Objects.requireNonNull(status, "status");
        Held held = byProviderCallId.get(Objects.requireNonNull(providerCallId, "providerCallId"));
        if (held == null) throw new IllegalArgumentException("providerCallId '" + providerCallId + "' is not held");
        synchronized (held) {
            if (!held.status.canMoveTo(status)) return;
            held.status = status;
            if (talk != null) held.talk = talk;
            if (price != null) held.price = price;
        }
    }

    /**
     * Passes on a message one of its terminals sent (a reply, a position, a delivery confirmation) through
     * the inbound sink it was built with, as its listener would.
     *
     * @throws IllegalStateException when it was built without an inbound sink
     */
    public void receive(InboundMessage message) {
        Objects.requireNonNull(message, "message");
        if (inbound == null) throw new IllegalStateException("no inbound sink: build with inbound(...)");
        inbound.accept(message);
    }

    /** A callback carrying {@code event}, as the provider would POST it. */
    public WebhookRequest callback(CallEvent event) {
        Objects.requireNonNull(event, "event");
        String key = "e" + ids.incrementAndGet();
        callbacks.put(key, event);
        return WebhookRequest.post("https://host.example/webhooks/" + id, Map.of(), "event=" + key);
    }

    // --- truth -------------------------------------------------------------------------------

    /** Every placement received, in order. */
    public List<Attempt> attempts() {
        synchronized (attempts) {
            return List.copyOf(attempts);
        }
    }

    /** The provider's id for our call, when it holds the call. */
    public Optional<String> providerCallIdOf(String callId) {
        return Optional.ofNullable(byCallId.get(callId)).map(h -> h.providerCallId);
    }

    /** The id a failure last named for our call ({@link Outcome#namingProviderCallId}), held by the provider or not. */
    public Optional<String> namedProviderCallIdOf(String callId) {
        return Optional.ofNullable(named.get(callId));
    }

    /** How many calls it created for our call id: 0 or 1 unless the call was placed twice. */
    public int created(String callId) {
        return created.getOrDefault(callId, 0);
    }

    /** Where a held call is, by the provider's truth. */
    public Optional<CallStatus> statusOf(String callId) {
        Held held = byCallId.get(callId);
        if (held == null) return Optional.empty();
        synchronized (held) {
            return Optional.of(held.status);
        }
    }

    /** Whether {@link #findPlaced} would find the call now. */
    public boolean findable(String callId) {
        Held held = byCallId.get(callId);
        return held != null && !clock.instant().isBefore(held.visibleFrom);
    }

    // --- CallingProvider ---------------------------------------------------------------------

    @Override
    public String id() {
        return id;
    }

    @Override
    public Set<CallCategory> categories() {
        return categories;
    }

    @Override
    public ProviderCapabilities capabilities() {
        return capabilities;
    }

    @Override
    public ProviderCoverage coverage() {
        return coverage;
    }

    @Override
    public boolean covers(Endpoint endpoint) {
        return endpoint != null;
    }

    @Override
    public List<Rate> rates() {
        return rates;
    }

    @Override
    public PlacedCall place(OutboundCall call) {
        Objects.requireNonNull(call, "call");
        onPlace.accept(call);
        Outcome outcome;
        synchronized (script) {
            outcome = script.isEmpty() ? Outcome.accept(CallStatus.QUEUED) : script.pollFirst();
        }
        synchronized (attempts) {
            attempts.add(new Attempt(SEQUENCE.incrementAndGet(), id, call.callId(), call.attempt(), outcome));
        }
        Held already = capabilities.idempotentPlacement() ? byCallId.get(call.callId()) : null;
        if (already != null) {
            // deduplicated by our call id: the call exists once, whatever this send's answer is
            return switch (outcome.kind()) {
                case ACCEPT -> new PlacedCall(already.providerCallId, statusOf(call.callId()).orElseThrow());
                default -> throw failure(outcome, name(call.callId(), outcome, already.providerCallId));
            };
        }
        String providerCallId = null;
        if (outcome.accepts() || outcome.namesProviderCallId()) {
            // a deduplicating provider's call has one id, whichever send named it or took it
            String earlier = capabilities.idempotentPlacement() ? named.get(call.callId()) : null;
            providerCallId = earlier != null ? earlier : id.toUpperCase(Locale.ROOT) + "-" + ids.incrementAndGet();
        }
        if (outcome.accepts()) {
            CallStatus status = outcome.kind() == Outcome.Kind.ACCEPT ? outcome.placedStatus() : CallStatus.QUEUED;
            Held held = new Held(call.callId(), providerCallId, status, clock.instant().plus(outcome.searchLag()));
            byProviderCallId.put(providerCallId, held);
            byCallId.put(call.callId(), held);
            created.merge(call.callId(), 1, Integer::sum);
        }
        if (outcome.kind() == Outcome.Kind.ACCEPT) return new PlacedCall(providerCallId, outcome.placedStatus());
        throw failure(outcome, name(call.callId(), outcome, providerCallId));
    }

    /** The id the failure names for the call, remembered as its name; null when the outcome names none. */
    private @Nullable String name(String callId, Outcome outcome, @Nullable String providerCallId) {
        if (!outcome.namesProviderCallId()) return null;
        named.put(callId, Objects.requireNonNull(providerCallId, "providerCallId"));
        return providerCallId;
    }

    private ProviderException failure(Outcome outcome, @Nullable String named) {
        return switch (outcome.kind()) {
            case ACCEPT -> throw new IllegalArgumentException("an accepted outcome is no failure");
            case REFUSE -> ProviderException.of(id, outcome.reason(), "refused: " + outcome.reason());
            case RATE_LIMITED -> ProviderException.builder(id, ErrorReason.RATE_LIMITED, "Too Many Requests")
                    .httpStatus(429).retryAfter(outcome.retryAfter()).build();
            case UNAVAILABLE -> ProviderException.of(id, ErrorReason.UNAVAILABLE, "connect refused: nothing sent");
            case TIMEOUT_AFTER_SENDING -> ProviderException.builder(id, ErrorReason.OUTCOME_UNKNOWN,
                    "read timed out after sending").providerCallId(named).build();
            case RESET_AFTER_SENDING -> ProviderException.builder(id, ErrorReason.OUTCOME_UNKNOWN,
                    "connection reset after sending").providerCallId(named).build();
        };
    }

    @Override
    public Optional<CallEvent> fetch(String providerCallId) {
        lookUp();
        Held held = byProviderCallId.get(Objects.requireNonNull(providerCallId, "providerCallId"));
        return held == null ? Optional.empty() : Optional.of(eventOf(held));
    }

    /**
     * Searches its calls by our call id as a provider with an eventually consistent list does: a call it took is
     * missing until its outcome's search lag has passed, and the answer is then "not placed" all the same. Its
     * declared {@link ProviderCapabilities#reconcileGrace()} is what makes that answer safe to act on.
     */
    @Override
    public PlacementSearch findPlaced(OutboundCall call, Instant sentFrom, Instant sentUntil) {
        Objects.requireNonNull(call, "call");
        lookUp();
        return findable(call.callId()) ? PlacementSearch.found(eventOf(byCallId.get(call.callId())))
                : PlacementSearch.notPlaced();
    }

    private CallEvent eventOf(Held held) {
        synchronized (held) {
            return new CallEvent(id, held.providerCallId, held.callId, held.status, clock.instant(), null, held.talk,
                    held.price, null, null, null, Map.of());
        }
    }

    @Override
    public void hangUp(String providerCallId) {
        if (byProviderCallId.containsKey(providerCallId)) advance(providerCallId, CallStatus.CANCELED);
    }

    @Override
    public WebhookHandler webhooks() {
        return (request, context) -> {
            String body = request.bodyText();
            CallEvent event = body.startsWith("event=") ? callbacks.get(body.substring("event=".length())) : null;
            if (event == null) throw new WebhookRejectedException(400, id + ": callback names no known event");
            return WebhookResult.events(List.of(event));
        };
    }

    /** Builds a {@link ScriptedProvider}. */
    public static final class Builder {
        private String id = "scripted";
        private Set<CallCategory> categories = EnumSet.of(CallCategory.INTERNET_VOIP);
        private Money perMinute = Money.inr("1");
        private @Nullable Money perCall;
        private Clock clock = Clock.systemUTC();
        private boolean idempotentPlacement;
        private int maxPayloadBytes;
        private boolean simulated;
        private Duration reconcileGrace = ProviderCapabilities.DEFAULT_RECONCILE_GRACE;
        private @Nullable InboundMessageSink inbound;
        private Consumer<OutboundCall> onPlace = call -> { };

        private Builder() {
        }

        /** Told of every call as it arrives, before the scripted outcome: a test checks what must precede a send. */
        public Builder onPlace(Consumer<OutboundCall> onPlace) {
            this.onPlace = Objects.requireNonNull(onPlace, "onPlace");
            return this;
        }

        /** Whether it deduplicates by our call id (declared in its capabilities); default false. */
        public Builder idempotentPlacement(boolean idempotent) {
            this.idempotentPlacement = idempotent;
            return this;
        }

        /** The largest binary payload it carries; default 0 (none). */
        public Builder maxPayloadBytes(int max) {
            if (max < 0) throw new IllegalArgumentException("maxPayloadBytes " + max + " must not be negative");
            this.maxPayloadBytes = max;
            return this;
        }

        /**
         * The longest its search may lag, as it declares it ({@link ProviderCapabilities#reconcileGrace()});
         * default 2 minutes. Script no {@link Outcome#withSearchLag} longer, or it breaks its promise.
         */
        public Builder reconcileGrace(Duration reconcileGrace) {
            this.reconcileGrace = Objects.requireNonNull(reconcileGrace, "reconcileGrace");
            return this;
        }

        /** Whether it declares itself simulated (places no real call); default false. */
        public Builder simulated(boolean simulated) {
            this.simulated = simulated;
            return this;
        }

        /** Where {@link #receive} passes messages from terminals: a provider context's {@code inbound()}. */
        public Builder inbound(InboundMessageSink inbound) {
            this.inbound = Objects.requireNonNull(inbound, "inbound");
            return this;
        }

        /** Lower-case letters, digits, '-' or '_'; default {@code scripted}. */
        public Builder id(String id) {
            Objects.requireNonNull(id, "id");
            if (!id.matches("[a-z][a-z0-9_-]*")) {
                throw new IllegalArgumentException("id '" + id + "' must be lower-case letters, digits, '-' or '_'");
            }
            this.id = id;
            return this;
        }

        /** Default internet_voip. */
        public Builder categories(CallCategory... categories) {
            if (categories.length == 0) throw new IllegalArgumentException("categories must not be empty");
            this.categories = EnumSet.copyOf(Arrays.asList(categories));
            return this;
        }

        /** The catch-all per-minute rate of every category; default 1 INR. */
        public Builder perMinute(Money perMinute) {
            this.perMinute = Objects.requireNonNull(perMinute, "perMinute");
            return this;
        }

        /** The fee of every call it ends, talked on or not, in the per-minute rate's currency; default none. */
        public Builder perCall(Money perCall) {
            this.perCall = Objects.requireNonNull(perCall, "perCall");
            return this;
        }

        /** The clock of search lags and fetched events; default the system clock. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public ScriptedProvider build() {
            return new ScriptedProvider(this);
        }
    }
}
