package io.globalcalling.core.placement;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.globalcalling.CallCategory;
import io.globalcalling.CallRecord;
import io.globalcalling.CallRequest;
import io.globalcalling.CallStatus;
import io.globalcalling.CallingException;
import io.globalcalling.Endpoint;
import io.globalcalling.ErrorReason;
import io.globalcalling.Money;
import io.globalcalling.PhoneNumber;
import io.globalcalling.SatelliteTerminal;
import io.globalcalling.Secret;
import io.globalcalling.SipUri;
import io.globalcalling.WebhookUrl;
import io.globalcalling.core.CallFailedException;
import io.globalcalling.core.CallPlacement;
import io.globalcalling.core.CallingObserver;
import io.globalcalling.core.coverage.NumberInfo;
import io.globalcalling.core.cost.CostEstimator;
import io.globalcalling.core.internal.ScriptTemplate;
import io.globalcalling.core.lifecycle.CallLifecycle;
import io.globalcalling.core.lifecycle.FreeText;
import io.globalcalling.core.limits.Admission;
import io.globalcalling.core.limits.CallLimits;
import io.globalcalling.core.limits.LimitExceededException;
import io.globalcalling.core.limits.ProviderPacing;
import io.globalcalling.core.policy.DestinationPolicy;
import io.globalcalling.core.routing.QualityTracker;
import io.globalcalling.core.routing.RouteOption;
import io.globalcalling.core.routing.RoutePlan;
import io.globalcalling.core.routing.RoutePlanner;
import io.globalcalling.spi.CallingProvider;
import io.globalcalling.spi.OutboundCall;
import io.globalcalling.spi.PlacedCall;
import io.globalcalling.spi.ProviderException;
import io.globalcalling.spi.Urls;
import io.globalcalling.spi.store.CallStore;
import io.globalcalling.spi.store.CallUpdate;
import io.globalcalling.spi.store.DuplicateCallException;
import io.globalcalling.spi.store.StoredEvent;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * Places one call: check the request → plan its route → admit it against the customer's limits →
 * write its record (before any provider is asked) → place it with the first option, failing over
 * only when a provider definitely did not accept it. A provider that may have got the request but
 * gave no answer is never asked by another: the call is marked for reconciliation, after being sent
 * again (bounded, same call id) only to a provider that deduplicates by it. Thread-safe.
 */
public final class CallPlacer {

    /** The event type of a call ended before any provider was asked, its caller no longer wanting it. */
    public static final String WITHDRAWN = "withdrawn";
    /** The event type of a provider's taking a call, recorded when its answer came. */
    public static final String PLACED = "placed";
    /** The event type of a send whose outcome is unknown, recorded when the provider's answer was found lacking. */
    public static final String OUTCOME_UNKNOWN = "outcome_unknown";
    /** The routed event's key for the payload's size, which settlement reads back for per-byte rates. */
    public static final String PAYLOAD_BYTES = "payloadBytes";

    private static final Logger log = LoggerFactory.getLogger(CallPlacer.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /**
     * The talk time a record's {@code estimatedCost} is priced for (the request's shorter maxDuration
     * wins). The hold covers far longer, the category's hold duration, so that it is rarely exceeded.
     */
    public static final Duration EXPECTED_TALK_TIME = Duration.ofMinutes(2);

    /** What the placer works with; the manager builds one. */
    public record Parts(CallStore store, CallLifecycle lifecycle, Function<String, Optional<CallingProvider>> providers,
                        RoutePlanner planner, CostEstimator estimator, CallLimits limits, ProviderPacing pacing,
                        QualityTracker quality, NumberInfo numbers, DestinationPolicy policy,
                        CallbackUrls callbackUrls, Resend resend, Clock clock) {
        public Parts {
            Objects.requireNonNull(store, "store");
            Objects.requireNonNull(lifecycle, "lifecycle");
            Objects.requireNonNull(providers, "providers");
            Objects.requireNonNull(planner, "planner");
            Objects.requireNonNull(estimator, "estimator");
            Objects.requireNonNull(limits, "limits");
            Objects.requireNonNull(pacing, "pacing");
            Objects.requireNonNull(quality, "quality");
            Objects.requireNonNull(numbers, "numbers");
            Objects.requireNonNull(policy, "policy");
            Objects.requireNonNull(callbackUrls, "callbackUrls");
            Objects.requireNonNull(resend, "resend");
            Objects.requireNonNull(clock, "clock");
        }
    }

    private final CallStore store;
    private final CallLifecycle lifecycle;
    private final Function<String, Optional<CallingProvider>> providers;
    private final RoutePlanner planner;
    private final CostEstimator estimator;
    private final CallLimits limits;
    private final ProviderPacing pacing;
    private final QualityTracker quality;
    private final NumberInfo numbers;
    private final DestinationPolicy policy;
    private final CallbackUrls callbackUrls;
    private final Resend resend;
    private final Clock clock;
    private final CallingObserver observer;

    public CallPlacer(Parts parts) {
        this(parts, new CallingObserver() { });
    }

    /** @param observer told of each placement, failover and pacing turn */
    public CallPlacer(Parts parts, CallingObserver observer) {
        this.store = parts.store();
        this.lifecycle = parts.lifecycle();
        this.providers = parts.providers();
        this.planner = parts.planner();
        this.estimator = parts.estimator();
        this.limits = parts.limits();
        this.pacing = parts.pacing();
        this.quality = parts.quality();
        this.numbers = parts.numbers();
        this.policy = parts.policy();
        this.callbackUrls = parts.callbackUrls();
        this.resend = parts.resend();
        this.clock = parts.clock();
        this.observer = Objects.requireNonNull(observer, "observer");
    }

    /**
     * The route a call would take. No side effects.
     *
     * @throws IllegalArgumentException bad input
     * @throws io.globalcalling.core.policy.DestinationNotPermittedException the destination policy refuses the number
     * @throws io.globalcalling.core.routing.NoRouteException no provider can take the call
     */
    public RoutePlan plan(CallRequest request) {
        Objects.requireNonNull(request, "request");
        validate(request);
        return requireScript(request, planner.plan(request));
    }

    /**
     * Routes, admits, records and places a call; see {@code GlobalCallingManager.call} for what it
     * returns and throws. A request whose idempotency key is on record returns that record.
     */
    public CallRecord call(CallRequest request) {
        return callOnce(request).call();
    }

    /**
     * Like {@link #call}, and tells whether the call was placed now or found under its idempotency key.
     *
     * @throws DuplicateCallException the key's call was placed for another request (see {@link RequestFingerprint});
     *                                nothing was recorded or sent
     */
    public CallPlacement callOnce(CallRequest request) {
        CallPlacement placement = callOnce(request, () -> true);
        if (placement.replayed() && !RequestFingerprint.sameRequest(request, placement.call(),
                store.requestFingerprintKey().orElse(null))) {
            CallRecord call = placement.call();
            throw new DuplicateCallException(call.callId(), "idempotency key '" + request.idempotencyKey()
                    + "' was used for call " + call.callId() + " with another request; a different call needs a new key");
        }
        return placement;
    }

    /**
     * Like {@link #callOnce(CallRequest)}, asking {@code stillWanted} once the call has its turn at a provider's pace,
     * just before it is sent: when it answers false, or throws, and no provider may have the call yet, the call is
     * not sent and ends failed ({@link ErrorReason#NOT_PLACED}, named by no provider, its hold released; the earlier
     * options' refusal when some refused it), and {@link CallFailedException} is thrown (caused by what the check
     * threw, if it threw). A caller whose reason to call lapsed while the call waited for its turn (a campaign paused),
     * or whose check could not be made (its store unreachable), so sends nothing more. A request whose key is on record
     * is answered with that call whatever else it asks: a campaign places an attempt again under its key, at another
     * slot, after its node stalled.
     */
    public CallPlacement callOnce(CallRequest request, BooleanSupplier stillWanted) {
        Objects.requireNonNull(stillWanted, "stillWanted");
        long started = System.nanoTime();
        Objects.requireNonNull(request, "request");
        validate(request);
        if (request.idempotencyKey() != null) {
            Optional<CallRecord> existing = store.findByIdempotencyKey(request.customerId(), request.idempotencyKey());
            if (existing.isPresent()) return new CallPlacement(existing.get(), true);
        }
        RoutePlan plan = requireScript(request, planner.plan(request));
        String spokenText = request.script() == null ? null : ScriptTemplate.render(request.script(), request.variables());
        String callId = newCallId();

        // What the call is expected to cost; priced before the hold, so that a failure here leaves nothing held.
        Duration expected = request.maxDuration() != null && request.maxDuration().compareTo(EXPECTED_TALK_TIME) < 0
                ? request.maxDuration() : EXPECTED_TALK_TIME;
        long messageBytes = messageBytes(request, spokenText);
        Money estimate = estimator.estimate(plan.primary(), expected, messageBytes).total();
        Admission admission = admit(callId, request, plan, messageBytes);

        CallRecord record = CallRecord.initiated(callId, request.customerId(), plan.category(),
                request.from() == null ? null : request.from().value(), request.to().value(), request.purpose(),
                request.priority(), request.idempotencyKey(), request.campaignId(), admission.held(), estimate,
                reasonsOf(plan), admission.bypassed(), clock.instant(), request.metadata());
        if (request.idempotencyKey() != null) {
            Optional<Secret> key = store.requestFingerprintKey();
            if (key.isPresent()) record = record.withRequestFingerprint(RequestFingerprint.of(request, key.get()));
        }
        try {
            store.create(record);
        } catch (DuplicateCallException e) {
            limits.release(callId);
            return new CallPlacement(store.find(e.existingCallId()).orElseThrow(() -> e), true);
        } catch (RuntimeException e) {
            limits.release(callId);
            throw e;
        }
        store.appendEvent(new StoredEvent(callId, "core", "routed", CallStatus.INITIATED, clock.instant(),
                routedDetails(messageBytes, plan, admission)));
        try {
            CallRecord placed = place(record, plan, request, spokenText, stillWanted);
            observer.placed(placed, Duration.ofNanos(System.nanoTime() - started));
            return new CallPlacement(placed, false);
        } catch (CallFailedException e) {
            store.find(callId).ifPresent(r -> observer.placed(r, Duration.ofNanos(System.nanoTime() - started)));
            throw e;
        }
    }

    /**
     * Holds what the dearest option could cost, so a failover never runs past the reservation: the highest
     * per-minute price and the highest fixed part (per call, plus the message: per message and per byte of
     * the payload, at least the minimum charge).
     */
    private Admission admit(String callId, CallRequest request, RoutePlan plan, long messageBytes) {
        Money perMinute = null;
        Money fixed = null;
        for (RouteOption o : plan.options()) {   // a loop, not two streams: every call runs it
            Money fixedPart = estimator.estimate(o, Duration.ZERO, messageBytes).total();
            if (perMinute == null || o.perMinute().compareTo(perMinute) > 0) perMinute = o.perMinute();
            if (fixed == null || fixedPart.compareTo(fixed) > 0) fixed = fixedPart;
        }
        if (perMinute == null) throw new NoSuchElementException("a route plan without options");
        return limits.admit(callId, request, plan.category(), perMinute, fixed);
    }

    /**
     * The size of the message the call delivers, as per-byte rates bill it: the payload's, else, for a terminal,
     * that of the text it is sent (a terminal provider sends the script as the message, in UTF-8 by default).
     */
    private static long messageBytes(CallRequest request, String spokenText) {
        if (request.payload() != null || request.binaryPayload() != null || spokenText == null
                || !(request.to() instanceof SatelliteTerminal)) {
            return request.payloadBytes();
        }
        return spokenText.getBytes(StandardCharsets.UTF_8).length;
    }

    /** The routed event's details; the message's size is kept there for settling per-byte rates. */
    /** Built with {@code Map.of}, the immutable map the event keeps, so that it is not copied into one. */
    private static Map<String, String> routedDetails(long messageBytes, RoutePlan plan, Admission admission) {
        String category = plan.category().wireName();
        String options = Integer.toString(plan.options().size());
        String held = admission.held().toString();
        String limitBypass = Boolean.toString(admission.bypassed());
        String capBypassed = Boolean.toString(plan.capBypassed());
        return messageBytes > 0
                ? Map.of("category", category, "options", options, "held", held, "limitBypass", limitBypass,
                        "capBypassed", capBypassed, PAYLOAD_BYTES, Long.toString(messageBytes))
                : Map.of("category", category, "options", options, "held", held, "limitBypass", limitBypass,
                        "capBypassed", capBypassed);
    }

    /**
     * 128 random bits as 32 hex digits. Not a secret (callbacks are verified by signature), so
     * ThreadLocalRandom serves: UUID.randomUUID's shared SecureRandom was a lock hundreds of callers queued on.
     */
    private static String newCallId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return "call_" + hex16(random.nextLong()) + hex16(random.nextLong());
    }

    private static String hex16(long bits) {
        String hex = Long.toHexString(bits);
        return "0".repeat(16 - hex.length()) + hex;
    }

    private CallRecord place(CallRecord record, RoutePlan plan, CallRequest request, String spokenText,
                             BooleanSupplier stillWanted) {
        String callId = record.callId();
        RuntimeException last = null;
        int attempt = 0;
        for (RouteOption option : plan.options()) {
            attempt++;
            Optional<CallingProvider> provider = providers.apply(option.providerId());
            if (provider.isEmpty()) continue;
            CallingProvider p = provider.get();
            store.update(CallUpdate.of(callId, clock.instant()).provider(p.id(), null).attempt(attempt)
                    .simulated(p.capabilities().simulated()));
            OutboundCall outbound = OutboundCall.builder(callId, plan.category(), request).attempt(attempt)
                    .spokenText(spokenText).statusCallbackUrl(callbackUrls.forCall(p.id(), callId)).build();
            try {
                awaitTurn(p.id());
            } catch (LimitExceededException e) {
                // the provider's pacing queue stayed full: nothing was sent, the next option may be free
                last = e;
                logFailover(record, attempt, p.id(), e.reason(), e.getMessage());
                continue;
            }
            // the turn may have come long after the call was asked for: it is sent only if it is still wanted
            boolean wanted;
            try {
                wanted = stillWanted.getAsBoolean();
            } catch (RuntimeException e) {
                // nothing was sent, so it ends here as not wanted: left named and unsent, its hold would wait on a
                // reconciliation that a provider unable to search for it never ends
                log.warn("call {}: whether its caller still wanted it could not be told; it is not sent", callId, e);
                return withdraw(callId, p.id(), last, e);
            }
            if (!wanted) return withdraw(callId, p.id(), last, null);
            PlacedCall placed;
            try {
                placed = p.place(outbound);
            } catch (ProviderException e) {
                last = e;
                quality.recordFailure(p.id(), e.reason());
                if (e.reason() == ErrorReason.OUTCOME_UNKNOWN) {
                    return p.capabilities().idempotentPlacement() ? sendAgain(p, outbound, e)
                            : markUnknown(callId, p.id(), e.reason(), e.getMessage(), 1, e.providerCallId().orElse(null));
                }
                if (e.reason() == ErrorReason.RATE_LIMITED) {
                    e.retryAfter().ifPresent(d -> pacing.slowDown(p.id(), d));
                }
                if (!failsOver(e.reason())) break;
                logFailover(record, attempt, p.id(), e.reason(), e.getMessage());
                continue;
            } catch (RuntimeException e) {
                // A provider that broke its contract: its request may have left, so the call is treated as
                // unanswered (reconciled, never re-dialled) rather than left initiated with its hold forever.
                return brokeContract(p, callId, e, 1);
            }
            // Outside the try: the provider took the call, so a failure recording or settling it (the ledger down
            // at an end it answered with) is ours, never the provider's, and the call never goes to another one.
            return accepted(p, outbound, placed, 1);
        }
        return fail(callId, last);
    }

    /** The provider took the call: record it (a provider that answered with the end itself is settled now). */
    private CallRecord accepted(CallingProvider p, OutboundCall outbound, PlacedCall placed, int tries) {
        String callId = outbound.callId();
        quality.recordSuccess(p.id());
        String attempt = Integer.toString(outbound.attempt());
        Map<String, String> data = tries > 1   // Map.of, the immutable map the event keeps: not copied into one
                ? Map.of("provider", p.id(), "providerCallId", placed.providerCallId(), "attempt", attempt,
                        "tries", Integer.toString(tries))
                : Map.of("provider", p.id(), "providerCallId", placed.providerCallId(), "attempt", attempt);
        // A provider may answer with the end itself (a synchronous delivery, a 201 saying failed):
        // the lifecycle then settles it like any other end.
        CallUpdate update = CallUpdate.of(callId, clock.instant()).provider(p.id(), placed.providerCallId())
                .status(placed.status());
        return lifecycle.record(placed.status().isTerminal() ? update.endedAt(clock.instant()) : update,
                new StoredEvent(callId, "core", PLACED, placed.status(), clock.instant(), data));
    }

    /**
     * Sends the very same call (same id, same attempt) again to a provider that deduplicates by our
     * call id, so the call is created at most once however many sends arrive. Bounded by
     * {@link Resend#maxTries()}, with growing waits; the call never goes to another provider, since
     * the first send may have been taken. What is still unknown after the last try is reconciled.
     */
    private CallRecord sendAgain(CallingProvider p, OutboundCall outbound, ProviderException unknown) {
        String callId = outbound.callId();
        ErrorReason reason = unknown.reason();
        String message = unknown.getMessage();
        String named = unknown.providerCallId().orElse(null);
        int tries = 1;
        while (tries < resend.maxTries() && resendable(reason)) {
            try {
                resend.sleeper().sleep(resend.backoffBefore(tries + 1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();   // stop trying; reconciliation finds out what happened
                break;
            }
            tries++;
            log.info("call {}: provider '{}' gave no answer ({}); sending it again with the same id, try {} of {}",
                    callId, p.id(), reason, tries, resend.maxTries());
            PlacedCall placed;
            try {
                awaitTurn(p.id());
                placed = p.place(outbound);
            } catch (ProviderException e) {
                quality.recordFailure(p.id(), e.reason());
                if (e.reason() == ErrorReason.RATE_LIMITED) e.retryAfter().ifPresent(d -> pacing.slowDown(p.id(), d));
                reason = e.reason();
                message = e.getMessage();
                if (e.providerCallId().isPresent()) named = e.providerCallId().get();
                continue;
            } catch (LimitExceededException e) {
                // this try was not sent (its pacing queue stayed full); the earlier sends are still unknown
                message = e.getMessage();
                continue;
            } catch (RuntimeException e) {
                return brokeContract(p, callId, e, tries);
            }
            // outside the try, as at the first send: a failure recording or settling the call is not the provider's
            return accepted(p, outbound, placed, tries);
        }
        return markUnknown(callId, p.id(), ErrorReason.OUTCOME_UNKNOWN, message, tries, named);
    }

    /** A re-send can still be taken: the provider did not answer, was unreachable, or asked to slow down. */
    private static boolean resendable(ErrorReason reason) {
        return reason == ErrorReason.OUTCOME_UNKNOWN || reason == ErrorReason.UNAVAILABLE
                || reason == ErrorReason.RATE_LIMITED;
    }

    /** Waits for a turn at the provider's pace, telling the observer how long it took or that none came. */
    private void awaitTurn(String providerId) {
        Duration waited;
        try {
            waited = pacing.acquire(providerId);
        } catch (LimitExceededException e) {
            observer.pacingTimedOut(providerId);
            throw e;
        }
        observer.pacingWaited(providerId, waited);
    }

    private CallRecord brokeContract(CallingProvider p, String callId, RuntimeException e, int tries) {
        log.error("call {}: provider '{}' failed unexpectedly", callId, p.id(), e);
        quality.recordFailure(p.id(), ErrorReason.INTERNAL);
        return markUnknown(callId, p.id(), ErrorReason.INTERNAL, "provider '" + p.id() + "' failed unexpectedly: " + e, tries,
                null);
    }

    /** Fail over only when the provider definitely did not accept the call. */
    public static boolean failsOver(ErrorReason reason) {
        return reason == ErrorReason.UNAVAILABLE || reason == ErrorReason.RATE_LIMITED
                || reason == ErrorReason.AUTHENTICATION;
    }

    private void logFailover(CallRecord record, int attempt, String providerId, ErrorReason reason, String message) {
        String callId = record.callId();
        observer.failedOver(providerId, record.category(), reason);
        log.info("call {}: provider '{}' did not take it ({}); trying the next option", callId, providerId, reason);
        // the attempt keeps each failover its own event when several happen within one clock tick
        store.appendEvent(new StoredEvent(callId, "core", "failover", null, clock.instant(),
                Map.of("provider", providerId, "attempt", Integer.toString(attempt), "reason", reason.name(),
                        "message", FreeText.cap(String.valueOf(message)))));
    }

    /**
     * The call's outcome is unknown: it is flagged for reconciliation. {@code providerCallId} is the id the provider
     * named for it although no answer came (see {@link ProviderException#providerCallId()}), kept on the record so
     * that a later report naming it finds the call; null when it named none.
     */
    private CallRecord markUnknown(String callId, String providerId, ErrorReason reason, String providerMessage, int tries,
                                   @Nullable String providerCallId) {
        log.warn("call {}: provider '{}' may have got the request but gave no answer ({} send(s)); it will be reconciled, "
                + "never sent to another provider", callId, providerId, tries);
        String message = FreeText.cap(String.valueOf(providerMessage));
        Map<String, String> data = new LinkedHashMap<>(Map.of("provider", providerId, "message", message));
        if (tries > 1) data.put("tries", Integer.toString(tries));
        if (providerCallId != null) data.put("providerCallId", providerCallId);
        store.appendEvent(new StoredEvent(callId, "core", OUTCOME_UNKNOWN, null, clock.instant(), data));
        CallRecord now = store.find(callId).orElseThrow();
        if (now.status().isTerminal()) return now;   // its callback told the outcome before the answer was lost
        CallUpdate update = CallUpdate.of(callId, clock.instant()).needsReconciliation(true).error(reason.name(), message);
        store.update(providerCallId == null ? update : update.provider(providerId, providerCallId));
        return store.find(callId).orElseThrow();
    }

    /**
     * Ends a call its caller no longer wants, or could not say it still wants ({@code checkFailed}), before it was
     * sent: as the earlier options' refusal when some refused it, else as not placed, with a {@value #WITHDRAWN} event
     * saying no provider was asked.
     */
    private CallRecord withdraw(String callId, String providerId, @Nullable RuntimeException refused,
                                @Nullable RuntimeException checkFailed) {
        if (refused != null) return fail(callId, refused);
        String message = checkFailed == null ? "withdrawn before it was sent: its caller no longer wanted it"
                : "withdrawn before it was sent: its caller could not tell whether it still wanted it";
        log.info("call {}: {}", callId, message);
        lifecycle.record(CallUpdate.of(callId, clock.instant()).status(CallStatus.FAILED).endedAt(clock.instant())
                        .error(ErrorReason.NOT_PLACED.name(), message),
                new StoredEvent(callId, "core", WITHDRAWN, null, clock.instant(), Map.of("provider", providerId)));
        throw new CallFailedException(callId, ErrorReason.NOT_PLACED, message, checkFailed);
    }

    private CallRecord fail(String callId, RuntimeException last) {
        ErrorReason reason = last instanceof CallingException ce ? ce.reason() : ErrorReason.NO_ROUTE;
        String message = last == null ? "no provider option was available" : FreeText.cap(last.getMessage());
        // the lifecycle's end: the hold is released (no provider took the call) and listeners are told
        lifecycle.record(CallUpdate.of(callId, clock.instant()).status(CallStatus.FAILED).endedAt(clock.instant())
                .error(reason.name(), message));
        throw new CallFailedException(callId, reason, message, last);
    }

    private void validate(CallRequest request) {
        if (request.to() instanceof PhoneNumber n && !numbers.isSatellite(n) && !numbers.isValid(n)) {
            throw new IllegalArgumentException("phone number '" + n.value() + "' is well-formed E.164 but not a valid number "
                    + "in its country's numbering plan");
        }
        PhoneNumber from = request.from();
        if (from != null && !numbers.isSatellite(from) && !numbers.isValid(from)) {
            throw new IllegalArgumentException("caller ID (from) '" + from.value() + "' is well-formed E.164 but not a valid "
                    + "number in its country's numbering plan");
        }
        if (request.category() == CallCategory.AI_AUTOMATED && request.script() == null) {
            throw new IllegalArgumentException("script is required for an ai_automated call: it is what the call speaks");
        }
        if (request.script() != null && ScriptTemplate.blank(request.script())) {
            throw new IllegalArgumentException("script must not be blank: it is what the call speaks");
        }
        if (request.payload() != null) requireJson(request.payload());
        if (request.category() != null && !reaches(request.category(), request.to())) {
            // the bad input in full, but not a URL's user info: that is a credential
            throw new IllegalArgumentException("category " + request.category().wireName() + " cannot reach '"
                    + Urls.withoutUserInfo(request.to().value()) + "': it reaches " + reachable(request.category()));
        }
        policy.check(request, request.category(), numbers);
    }

    /** The plan, unless routing chose ai_automated (a notification or alert, say) for a request with no script. */
    private static RoutePlan requireScript(CallRequest request, RoutePlan plan) {
        if (plan.category() == CallCategory.AI_AUTOMATED && request.script() == null) {
            throw new IllegalArgumentException("script is required for an ai_automated call: it is what the call "
                    + "speaks, and this call routes as ai_automated (" + String.join("; ", plan.categoryReasons()) + ")");
        }
        return plan;
    }

    /** The payload is a JSON body; text that is not would be refused by the provider, after the call was recorded. */
    private static void requireJson(String payload) {
        try {
            JSON.readTree(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("payload is not valid JSON: " + e.getOriginalMessage());
        }
    }

    /** Which kinds of destination a category can reach at all, whatever provider serves it. */
    private static boolean reaches(CallCategory category, Endpoint to) {
        return switch (category) {
            case SYSTEM_API -> to instanceof WebhookUrl || to instanceof SatelliteTerminal;
            case SATELLITE -> to instanceof PhoneNumber || to instanceof SatelliteTerminal;
            case INTERNET_VOIP, AI_AUTOMATED, HUMAN_AGENT -> to instanceof PhoneNumber || to instanceof SipUri;
        };
    }

    private static String reachable(CallCategory category) {
        return switch (category) {
            case SYSTEM_API -> "http(s) URLs and satellite terminals (imei:)";
            case SATELLITE -> "phone numbers and satellite terminals (imei:)";
            case INTERNET_VOIP, AI_AUTOMATED, HUMAN_AGENT -> "phone numbers and SIP URIs";
        };
    }

    private static List<String> reasonsOf(RoutePlan plan) {
        List<String> reasons = new ArrayList<>(plan.categoryReasons());
        for (RouteOption o : plan.options()) {
            reasons.add(o.providerId() + ": " + String.join("; ", o.reasons()));
        }
        return reasons;
    }
}
