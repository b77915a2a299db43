package io.globalcalling.core.sandbox;

import io.globalcalling.CallCategory;
import io.globalcalling.spi.CallEvent;
import io.globalcalling.spi.CallEventSink;
import io.globalcalling.CallStatus;
import io.globalcalling.spi.CallingProvider;
import io.globalcalling.Endpoint;
import io.globalcalling.ErrorReason;
import io.globalcalling.Money;
import io.globalcalling.spi.OutboundCall;
import io.globalcalling.PhoneNumber;
import io.globalcalling.spi.PlacedCall;
import io.globalcalling.Priority;
import io.globalcalling.spi.ProviderCapabilities;
import io.globalcalling.spi.ProviderPace;
import io.globalcalling.spi.ProviderContext;
import io.globalcalling.spi.ProviderCoverage;
import io.globalcalling.spi.ProviderException;
import io.globalcalling.spi.Rate;
import io.globalcalling.SatelliteTerminal;
import io.globalcalling.SipUri;
import io.globalcalling.Skill;
import io.globalcalling.spi.WebhookHandler;
import io.globalcalling.WebhookUrl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A provider that serves all five categories with no credentials and places no real call: every
 * call's life is simulated, and everything it reports says so (ids start with {@code SBX}, every
 * event carries {@code simulated=true}, {@link ProviderCapabilities#simulated()} is true). Prices
 * come from its rate deck ({@code rates.csv} in this package: the seed's INR prices, with a few
 * country prefixes varying inside the seed's ranges).
 *
 * <p><b>Lifecycle.</b> {@link #place} decides the outcome from a {@link Random} seeded by
 * {@code sandbox.seed} and returns at once with status {@code queued}; the events
 * queued → ringing → answered → completed (or busy, no_answer, failed) then arrive through
 * {@link ProviderContext#events()}, timed by {@link ProviderContext#scheduler()}. Event timestamps
 * lie on the simulated timeline: the context clock's instant at {@code place()} plus simulated
 * seconds. Each simulated second takes {@code sandbox.time-scale} real seconds (default 0.001, so a
 * five-minute call plays out in 0.3 s). {@link #fetch} returns the latest event delivered.
 *
 * <p><b>Magic destinations</b>, by the last four digits of a number or terminal IMEI, the user part
 * of a SIP URI or the path of a webhook URL (like Twilio's test numbers):
 * <ul>
 * <li>{@code ...0000}: answered and completed</li>
 * <li>{@code ...0001}: busy</li>
 * <li>{@code ...0002}: no answer</li>
 * <li>{@code ...0003}: failed (a simulated network failure)</li>
 * <li>{@code ...0004}: refused at once: {@link ProviderException} {@link ErrorReason#INVALID_DESTINATION}</li>
 * <li>{@code ...0005}: refused at once: {@link ProviderException} {@link ErrorReason#UNAVAILABLE}</li>
 * </ul>
 * Any other destination completes 80% of the time, is not answered 8%, busy 7%, failed 5%
 * (system_api deliveries: completed 98%, failed 2%).
 *
 * <p><b>human_agent.</b> A pool of simulated agents, one skill each ({@code sandbox.agents.<skill>},
 * 5,000 in all by default). The callee is dialled first; once answered, the call goes to
 * {@code waiting_for_agent} and takes a free agent with the requested skill (general when none), or
 * waits in the skill's queue when every such agent is busy, EMERGENCY and HIGH before NORMAL and LOW,
 * first come first served within a priority. With an agent it goes to {@code with_agent}, then
 * {@code completed}: its duration runs from the answer, waiting included. Events carry {@code skill},
 * {@code agent} and {@code queued_seconds} once an agent took the call and, while waiting,
 * {@code queue_position}. The agent frees up when the call ends; a call asking for a skill the
 * sandbox has no agent of is refused.
 *
 * <p><b>ai_automated.</b> {@link OutboundCall#spokenText()} is what the simulated voice says, in
 * the request's language, which must be one of the TTS languages in {@code tts-languages.txt}. The
 * completed event carries a transcript (the spoken text and a simulated reply) and details
 * {@code sentiment} (positive, neutral or negative) and {@code sentiment_score}: the reply's count of
 * positive words (yes, great, good, thanks, sure, works, happy, ...) minus negative ones (no, not,
 * never, bad, stop, unhappy, cancel, ...).
 *
 * <p>Coverage: every ISO 3166 country the JDK knows, and global (satellite reaches everywhere).
 */
public final class SandboxProvider implements CallingProvider {

    public static final String ID = "sandbox";

    private static final Logger log = LoggerFactory.getLogger(SandboxProvider.class);
    private static final int MAX_REMEMBERED_CALLS = 100_000;
    private static final String DEFAULT_LANGUAGE = "en-US";
    /** Simulated replies of the callee to an ai_automated call. */
    private static final List<String> REPLIES = List.of(
            "Yes, that works for me. Thank you!",
            "Great, thanks for letting me know.",
            "Sure, please go ahead.",
            "Okay. I will check and call back later.",
            "Can you send the details by message?",
            "No, I am not interested. Please stop calling.",
            "This is a bad time, and I am unhappy with the service.");

    /** What every event of a call of the category carries, and most carry nothing more: one map each, shared. */
    private static final Map<CallCategory, Map<String, String>> PLAIN_DETAILS = plainDetails();

    private final SandboxConfig config;
    private final Clock clock;
    private final CallEventSink sink;
    private final ScheduledExecutorService scheduler;
    private final List<Rate> rates;
    private final ProviderCapabilities capabilities;
    private final ProviderCoverage coverage;
    private final AgentPool agents;
    private final Random random;
    private final Map<String, SimulatedCall> calls = Collections.synchronizedMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, SimulatedCall> eldest) {
            return size() > MAX_REMEMBERED_CALLS;
        }
    });
    private volatile boolean closed;

    public SandboxProvider(SandboxConfig config, ProviderContext context) {
        this.config = Objects.requireNonNull(config, "config");
        Objects.requireNonNull(context, "context");
        this.clock = context.clock();
        this.sink = context.events();
        this.scheduler = context.scheduler();
        this.rates = SandboxResources.rates();
        this.capabilities = ProviderCapabilities.builder()
                .transcription(true)
                .ttsLanguages(SandboxResources.languages())
                .agents(config.agentsBySkill(), config.totalAgents())
                .simulated(true)
                .pace(ProviderPace.UNLIMITED) // nothing to overload: it places no real call
                .build();
        this.coverage = ProviderCoverage.globalCoverage(Set.copyOf(Arrays.asList(Locale.getISOCountries())));
        this.agents = new AgentPool(config.agentsBySkill());
        this.random = new Random(config.seed());
        // The registry logs whether it is active (a simulated provider is dropped beside real ones).
        log.debug("sandbox provider created: calls are simulated, nothing is dialled (seed {}, time-scale {}, {} agents, {} TTS languages)",
                config.seed(), config.timeScale(), config.totalAgents(), capabilities.ttsLanguages().size());
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Set<CallCategory> categories() {
        return Collections.unmodifiableSet(EnumSet.allOf(CallCategory.class));
    }

    @Override
    public ProviderCapabilities capabilities() {
        return capabilities;
    }

    @Override
    public ProviderCoverage coverage() {
        return coverage;
    }

    /** Every kind of endpoint; {@link #place} checks that it suits the call's category. */
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
        if (closed) throw failure(ErrorReason.UNAVAILABLE, "the sandbox provider is closed");
        CallCategory category = call.category();
        Endpoint to = call.to();
        // messages name the endpoint as it prints: a number masked, a URL without its user info (a credential)
        if (!suits(category, to)) {
            throw failure(ErrorReason.INVALID_DESTINATION, category.wireName() + " cannot reach " + kind(to) + " " + to);
        }
        String magic = magicDigits(to);
        if (magic.endsWith("0004")) {
            throw failure(ErrorReason.INVALID_DESTINATION, to + " is not a valid destination (simulated: ends in 0004)");
        }
        if (magic.endsWith("0005")) {
            throw failure(ErrorReason.UNAVAILABLE, "simulated outage: " + to + " ends in 0005");
        }
        String language = null;
        if (category == CallCategory.AI_AUTOMATED) {
            language = call.request().language() == null ? DEFAULT_LANGUAGE : call.request().language();
            String requested = language;
            if (capabilities.ttsLanguages().stream().noneMatch(t -> t.equalsIgnoreCase(requested))) {
                throw failure(ErrorReason.REJECTED, "the sandbox voice does not speak '" + language + "'");
            }
        }
        Skill skill = null;
        if (category == CallCategory.HUMAN_AGENT) {
            skill = call.request().skill() == null ? Skill.GENERAL : call.request().skill();
            if (agents.size(skill) == 0) {
                throw failure(ErrorReason.REJECTED, "no simulated agent has skill " + skill.wireName()
                        + " (sandbox.agents." + skill.wireName() + " = 0)");
            }
        }

        SimulatedCall c = new SimulatedCall("SBX" + UUID.randomUUID().toString().replace("-", ""), call,
                category == CallCategory.AI_AUTOMATED ? spokenText(call) : null, rateFor(category, to),
                clock.instant(), System.nanoTime(), plan(call, magic), skill, language);
        calls.put(c.id, c);
        start(c);
        return PlacedCall.of(c.id, CallStatus.QUEUED);
    }

    @Override
    public Optional<CallEvent> fetch(String providerCallId) {
        Objects.requireNonNull(providerCallId, "providerCallId");
        SimulatedCall c = calls.get(providerCallId);
        if (c == null) return Optional.empty();
        synchronized (c) {
            return Optional.of(c.last != null ? c.last : event(c, queuedStep(c)));
        }
    }

    /** Ends the call: completed with the talk time so far when answered, else canceled; frees its agent or queue place. */
    @Override
    public void hangUp(String providerCallId) {
        Objects.requireNonNull(providerCallId, "providerCallId");
        SimulatedCall c = calls.get(providerCallId);
        if (c == null) throw failure(ErrorReason.INVALID_REQUEST, "no simulated call " + providerCallId);
        CallEvent ended;
        synchronized (c) {
            if (c.terminal()) return;
            if (c.timer != null) c.timer.cancel(false);
            double now = c.simulatedSecondsNow(config.timeScale());
            if (c.last != null && c.last.status().isAnswered()) {
                Duration talk = Duration.ofMillis(Math.round((now - c.answeredAt) * 1000));
                ended = deliver(c, new Step(now, CallStatus.COMPLETED, talk, Map.of("hung_up", "true")));
            } else {
                ended = deliver(c, new Step(now, CallStatus.CANCELED, null, Map.of("hung_up", "true")));
            }
        }
        if (ended != null) freeAgent(c);
    }

    /** The sandbox receives no callbacks: its events arrive through the context's event sink. */
    @Override
    public WebhookHandler webhooks() {
        return WebhookHandler.none(ID);
    }

    /** Stops every simulated call where it is; idempotent. */
    @Override
    public void close() {
        closed = true;
        List<SimulatedCall> all;
        synchronized (calls) {
            all = new ArrayList<>(calls.values());
        }
        for (SimulatedCall c : all) {
            synchronized (c) {
                if (c.timer != null) c.timer.cancel(false);
            }
        }
    }

    // --- simulation ---------------------------------------------------------------------------

    /** What will happen to a call, drawn from the seeded random in a fixed order. */
    private record Plan(CallStatus outcome, double ring, double answer, Duration talk, String reply) {
    }

    /** One event of a call's timeline, {@code at} simulated seconds after it was placed. */
    private record Step(double at, CallStatus status, Duration talk, Map<String, String> extra) {
    }

    private Plan plan(OutboundCall call, String magic) {
        synchronized (random) {
            int roll = random.nextInt(100);
            double ring = 1 + random.nextInt(3);
            double answer = 2 + random.nextInt(11);
            CallStatus outcome;
            if (magic.endsWith("0000")) outcome = CallStatus.COMPLETED;
            else if (magic.endsWith("0001")) outcome = CallStatus.BUSY;
            else if (magic.endsWith("0002")) outcome = CallStatus.NO_ANSWER;
            else if (magic.endsWith("0003")) outcome = CallStatus.FAILED;
            else if (call.category() == CallCategory.SYSTEM_API) outcome = roll < 98 ? CallStatus.COMPLETED : CallStatus.FAILED;
            else if (roll < 80) outcome = CallStatus.COMPLETED;
            else if (roll < 88) outcome = CallStatus.NO_ANSWER;
            else if (roll < 95) outcome = CallStatus.BUSY;
            else outcome = CallStatus.FAILED;
            String reply = null;
            long talkSeconds;
            switch (call.category()) {
                case AI_AUTOMATED -> {
                    reply = REPLIES.get(random.nextInt(REPLIES.size()));
                    String spoken = spokenText(call);
                    // about 2.5 words a second, plus pauses
                    talkSeconds = 4 + Math.round((words(spoken) + words(reply)) / 2.5);
                }
                case HUMAN_AGENT -> talkSeconds = 60 + random.nextInt(541);
                case SATELLITE -> talkSeconds = 30 + random.nextInt(151);
                case SYSTEM_API -> talkSeconds = 0;
                default -> talkSeconds = 30 + random.nextInt(271);
            }
            Duration talk = Duration.ofSeconds(talkSeconds);
            Duration max = call.request().maxDuration();
            if (max != null && talk.compareTo(max) > 0) talk = max;
            return new Plan(outcome, ring, answer, talk, reply);
        }
    }

    private static Step queuedStep(SimulatedCall c) {
        return new Step(0, CallStatus.QUEUED, null, Map.of());
    }

    /** A human_agent call was answered: it waits for an agent of its skill, taking a free one at once if any. */
    private void awaitAgent(SimulatedCall c, double answeredAt) {
        AgentPool.Request request;
        synchronized (c) {
            if (closed || c.terminal()) return;
            // under the call's lock, so that an agent handed over at once is with the call after it waited
            request = agents.request(c.id, c.skill, c.priority, agent -> assign(c, agent));
            c.queuePosition = request.queuePosition();
            deliver(c, new Step(answeredAt, CallStatus.WAITING_FOR_AGENT, null, request.assigned() ? Map.of()
                    : Map.of("queue_position", Integer.toString(request.queuePosition()))));
        }
        if (request.assigned()) assign(c, request.agent());
    }

    /** A waiting human_agent call got its agent: it talks for the planned time, within its maximum duration. */
    private void assign(SimulatedCall c, String agent) {
        boolean keep;
        double at = 0;
        Step end = null;
        synchronized (c) {
            keep = !closed && !c.terminal();
            if (keep) {
                c.agent = agent;
                at = Math.max(c.answeredAt, c.queuePosition > 0 ? c.simulatedSecondsNow(config.timeScale()) : c.answeredAt);
                c.queuedSeconds = at - c.answeredAt;
                deliver(c, new Step(at, CallStatus.WITH_AGENT, null, Map.of()));
                double endAt = at + c.plan.talk.toMillis() / 1000.0;
                Duration max = c.maxDuration;
                if (max != null) endAt = Math.max(at, Math.min(endAt, c.answeredAt + max.toMillis() / 1000.0));
                Duration connected = Duration.ofMillis(Math.round((endAt - c.answeredAt) * 1000));
                end = new Step(endAt, CallStatus.COMPLETED, connected, Map.of());
            }
        }
        if (!keep) {
            AgentPool.Handoff next = agents.release(c.skill, agent);
            if (next != null) next.run();
            return;
        }
        run(c, end, at);
    }

    /** Plays the call's timeline out from its plan, one step at a time. */
    private void start(SimulatedCall c) {
        run(c, queuedStep(c), 0);
    }

    /**
     * The step after {@code step} in the call's planned timeline, or null where it stops: at its end, or
     * for a human_agent call at the answer, when it waits for an agent.
     */
    private static Step after(SimulatedCall c, Step step) {
        Plan p = c.plan;
        return switch (step.status) {
            case QUEUED -> {
                if (c.category == CallCategory.SYSTEM_API) {
                    yield p.outcome == CallStatus.COMPLETED
                            ? new Step(0.2, CallStatus.COMPLETED, Duration.ZERO, Map.of("delivered", "simulated"))
                            : new Step(0.2, CallStatus.FAILED, null, Map.of("error", "simulated delivery failure"));
                }
                yield p.outcome == CallStatus.FAILED
                        ? new Step(1, CallStatus.FAILED, null, Map.of("error", "simulated network failure"))
                        : new Step(p.ring, CallStatus.RINGING, null, Map.of());
            }
            case RINGING -> switch (p.outcome) {
                case BUSY -> new Step(p.ring + 3, CallStatus.BUSY, null, Map.of());
                case NO_ANSWER -> new Step(p.ring + 30, CallStatus.NO_ANSWER, null, Map.of());
                default -> new Step(p.ring + p.answer, CallStatus.ANSWERED, null, Map.of());
            };
            case ANSWERED -> c.skill == null
                    ? new Step(p.ring + p.answer + p.talk.toMillis() / 1000.0, CallStatus.COMPLETED, p.talk, Map.of())
                    : null;
            default -> null;
        };
    }

    /**
     * Delivers {@code step} after its simulated delay, then schedules the step after it: one chain per call
     * keeps order, and only the step due next is kept.
     */
    private void run(SimulatedCall c, Step step, double previousAt) {
        if (step == null || closed) return;
        double delaySimulated = Math.max(0, step.at - previousAt);
        long delayNanos = (long) (delaySimulated * config.timeScale() * 1e9);
        synchronized (c) {
            if (c.terminal()) return;
            try {
                c.timer = scheduler.schedule(() -> {
                    CallEvent delivered;
                    synchronized (c) {
                        delivered = deliver(c, step);
                    }
                    if (delivered != null && delivered.status().isTerminal()) freeAgent(c);
                    if (delivered != null && delivered.status() == CallStatus.ANSWERED && c.skill != null) {
                        awaitAgent(c, step.at);
                    }
                    run(c, after(c, step), Math.max(step.at, previousAt));
                }, delayNanos, TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) {
                if (!closed) log.warn("sandbox call {} stopped: the scheduler refused its next event", c.id);
            }
        }
    }

    /** Delivers the step's event unless the call already moved past it; caller holds the call's lock. */
    private CallEvent deliver(SimulatedCall c, Step step) {
        if (c.last != null && !c.last.status().canMoveTo(step.status)) return null;
        if (step.status == CallStatus.ANSWERED) c.answeredAt = step.at;
        CallEvent event = event(c, step);
        c.last = event;
        sink.accept(event);
        return event;
    }

    private CallEvent event(SimulatedCall c, Step step) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("simulated", "true");
        details.put("category", c.category.wireName());
        if (c.skill != null) {
            details.put("skill", c.skill.wireName());
            details.put("priority", c.priority.wireName());
            if (c.agent != null) {
                details.put("agent", c.agent);
                details.put("queued_seconds", String.format(Locale.ROOT, "%.1f", c.queuedSeconds));
            }
        }
        if (c.language != null) details.put("language", c.language);
        details.putAll(step.extra);
        String transcript = null;
        if (step.status == CallStatus.COMPLETED && c.plan.reply != null && c.answered()) {
            transcript = "sandbox voice (" + c.language + "): " + c.spokenText + "\ncallee: " + c.plan.reply;
            Sentiment.Result sentiment = Sentiment.of(c.plan.reply);
            details.put("sentiment", sentiment.label());
            details.put("sentiment_score", Integer.toString(sentiment.score()));
        }
        Money price = null;
        if (step.status.isTerminal()) {
            Rate rate = c.rate;
            price = step.status == CallStatus.COMPLETED ? rate.priceFor(step.talk).rounded()
                    : Money.zero(rate.perMinute().currency());
        }
        Map<String, String> plain = PLAIN_DETAILS.get(c.category);
        Instant at = c.placedAt.plusMillis(Math.round(step.at * 1000));
        return CallEvent.builder(ID, at).providerCallId(c.id).callId(c.callId).status(step.status)
                .duration(step.talk).price(price).transcript(transcript).details(details.equals(plain) ? plain : details).build();
    }

    private static Map<CallCategory, Map<String, String>> plainDetails() {
        Map<CallCategory, Map<String, String>> plain = new EnumMap<>(CallCategory.class);
        for (CallCategory category : CallCategory.values()) {
            plain.put(category, Map.of("simulated", "true", "category", category.wireName()));
        }
        return plain;
    }

    private void freeAgent(SimulatedCall c) {
        if (c.skill == null) return;
        String agent;
        synchronized (c) {
            agent = c.agent;
            c.agent = null;
        }
        if (agent == null) {
            agents.cancel(c.skill, c.id);
            return;
        }
        AgentPool.Handoff next = agents.release(c.skill, agent);
        if (next != null) next.run();
    }

    /** The longest-prefix rate of the category for the destination's digits (the catch-all for non-numbers). */
    Rate rateFor(CallCategory category, Endpoint to) {
        String digits = to instanceof PhoneNumber p ? p.digits() : "";
        return rates.stream()
                .filter(r -> r.category() == category && digits.startsWith(r.prefix()))
                .max(Comparator.comparingInt(r -> r.prefix().length()))
                .orElseThrow(() -> new IllegalStateException("the sandbox rate deck has no catch-all rate for " + category.wireName()));
    }

    private static boolean suits(CallCategory category, Endpoint to) {
        return switch (category) {
            case SYSTEM_API -> to instanceof WebhookUrl || to instanceof SatelliteTerminal;
            case SATELLITE -> to instanceof PhoneNumber || to instanceof SatelliteTerminal;
            default -> to instanceof PhoneNumber || to instanceof SipUri;
        };
    }

    private static String kind(Endpoint to) {
        if (to instanceof PhoneNumber) return "phone number";
        if (to instanceof SipUri) return "SIP URI";
        if (to instanceof WebhookUrl) return "webhook URL";
        return "satellite terminal";
    }

    /** The part of a destination whose ending selects a magic outcome. */
    private static String magicDigits(Endpoint to) {
        if (to instanceof PhoneNumber p) return p.digits();
        if (to instanceof SatelliteTerminal t) return t.imei();
        if (to instanceof SipUri s) return s.value().substring(s.value().indexOf(':') + 1, s.value().indexOf('@'));
        String path = ((WebhookUrl) to).uri().getPath();
        return path == null ? "" : path;
    }

    private static String spokenText(OutboundCall call) {
        if (call.spokenText() != null) return call.spokenText();
        return call.request().script() == null ? "" : call.request().script();
    }

    private static int words(String text) {
        String t = text.strip();
        return t.isEmpty() ? 0 : t.split("\\s+").length;
    }

    private ProviderException failure(ErrorReason reason, String message) {
        return ProviderException.of(ID, reason, message);
    }

    /**
     * One simulated call; guarded by its own lock. It keeps only what its timeline and events need, not the
     * request: many thousands may be in flight.
     */
    private static final class SimulatedCall {
        final String id;
        final String callId;
        final CallCategory category;
        final Priority priority;
        final Duration maxDuration;
        /** What an ai_automated call says; null for the other categories. */
        final String spokenText;
        /** The deck's rate for the destination, which prices the end. */
        final Rate rate;
        final Instant placedAt;
        final long placedNanos;
        final Plan plan;
        final Skill skill;
        final String language;
        ScheduledFuture<?> timer;
        CallEvent last;
        String agent;
        int queuePosition;
        double queuedSeconds;
        /** Simulated seconds from placing to the answer; NaN until answered. */
        double answeredAt = Double.NaN;

        SimulatedCall(String id, OutboundCall call, String spokenText, Rate rate, Instant placedAt, long placedNanos,
                      Plan plan, Skill skill, String language) {
            this.id = id;
            this.callId = call.callId();
            this.category = call.category();
            this.priority = call.request().priority();
            this.maxDuration = call.request().maxDuration();
            this.spokenText = spokenText;
            this.rate = rate;
            this.placedAt = placedAt;
            this.placedNanos = placedNanos;
            this.plan = plan;
            this.skill = skill;
            this.language = language;
        }

        boolean terminal() {
            return last != null && last.status().isTerminal();
        }

        boolean answered() {
            return !Double.isNaN(answeredAt);
        }

        /** Simulated seconds since the call was placed, from real elapsed time. */
        double simulatedSecondsNow(double timeScale) {
            return (System.nanoTime() - placedNanos) / 1e9 / timeScale;
        }
    }
}
