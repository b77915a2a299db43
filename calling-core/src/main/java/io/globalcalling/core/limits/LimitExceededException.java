package io.globalcalling.core.limits;

import io.globalcalling.CallingException;
import io.globalcalling.ErrorReason;
import io.globalcalling.Money;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A call was refused by a limit before anything was sent. The {@link #reason()} says which kind:
 * {@link ErrorReason#RATE_WINDOW} (a customer's call-rate window is full), {@link ErrorReason#SPEND_LIMIT}
 * (the call's hold would push a budget period past its cap) or {@link ErrorReason#PACING_TIMEOUT} (a
 * provider's pacing queue gave no turn within the allowed wait). It names the limit, the window or
 * period, the count or amount against the cap, and {@link #retryAt()}: when the next call could pass.
 */
public final class LimitExceededException extends CallingException {

    private final String limitName;
    private final String customerId;
    private final String providerId;
    private final String window;
    private final String windowKey;
    private final Long count;
    private final Long callCap;
    private final Money spent;
    private final Money requested;
    private final Money spendCap;
    private final Instant retryAt;

    private LimitExceededException(ErrorReason reason, String message, String limitName, String customerId,
                                   String providerId, String window, String windowKey, Long count, Long callCap,
                                   Money spent, Money requested, Money spendCap, Instant retryAt) {
        super(reason, message);
        this.limitName = limitName;
        this.customerId = customerId;
        this.providerId = providerId;
        this.window = window;
        this.windowKey = windowKey;
        this.count = count;
        this.callCap = callCap;
        this.spent = spent;
        this.requested = requested;
        this.spendCap = spendCap;
        this.retryAt = Objects.requireNonNull(retryAt, "retryAt");
    }

    /** A customer's call-rate window is full: {@code count} calls of {@code cap} already started in it. */
    public static LimitExceededException rateWindow(String customerId, String window, Instant windowStart,
                                                    long count, long cap, Instant retryAt) {
        String message = "customer '" + customerId + "' reached its limit of " + cap + " calls per " + window
                + " (" + count + " counted in the window starting " + windowStart + "); the next call is allowed at "
                + retryAt;
        return new LimitExceededException(ErrorReason.RATE_WINDOW, message, "calls-per-" + window, customerId,
                null, window, windowStart.toString(), count, cap, null, null, null, retryAt);
    }

    /** A call's hold of {@code requested} would push a budget period past its cap. */
    public static LimitExceededException spendLimit(String customerId, String period, String periodKey,
                                                    Money spent, Money requested, Money cap, Instant retryAt) {
        String message = "customer '" + customerId + "' would exceed its " + period + " budget " + periodKey
                + ": " + spent + " spent or held + " + requested + " for this call > cap " + cap
                + "; the budget renews at " + retryAt;
        return new LimitExceededException(ErrorReason.SPEND_LIMIT, message, "spend-per-" + period, customerId,
                null, period, periodKey, null, null, spent, requested, cap, retryAt);
    }

    /** No pacing turn at provider {@code providerId} within {@code maxWait}. */
    public static LimitExceededException pacingTimeout(String providerId, Duration maxWait, Instant retryAt,
                                                       String why) {
        String message = "provider '" + providerId + "' has no free call slot within the maximum wait of "
                + maxWait + " (" + why + "); the next slot is at " + retryAt;
        return new LimitExceededException(ErrorReason.PACING_TIMEOUT, message, "provider-pacing", null,
                providerId, null, null, null, null, null, null, null, retryAt);
    }

    /** Which limit refused: {@code calls-per-<window>}, {@code spend-per-<period>} or {@code provider-pacing}. */
    public String limitName() {
        return limitName;
    }

    /** The customer whose limit refused; empty for provider pacing. */
    public Optional<String> customerId() {
        return Optional.ofNullable(customerId);
    }

    /** The provider whose pacing refused; empty for customer limits. */
    public Optional<String> providerId() {
        return Optional.ofNullable(providerId);
    }

    /** The rate window's or budget period's name, e.g. {@code minute} or {@code day}. */
    public Optional<String> window() {
        return Optional.ofNullable(window);
    }

    /** Which window or period: the window's start instant, or the period key such as {@code 2026-11-24}. */
    public Optional<String> windowKey() {
        return Optional.ofNullable(windowKey);
    }

    /** Calls already counted in the full rate window. */
    public OptionalLong count() {
        return count == null ? OptionalLong.empty() : OptionalLong.of(count);
    }

    /** The rate window's cap. */
    public OptionalLong callCap() {
        return callCap == null ? OptionalLong.empty() : OptionalLong.of(callCap);
    }

    /** What the budget period held (settled plus reserved) before this call. */
    public Optional<Money> spent() {
        return Optional.ofNullable(spent);
    }

    /** The hold this call asked for. */
    public Optional<Money> requested() {
        return Optional.ofNullable(requested);
    }

    /** The budget period's cap. */
    public Optional<Money> spendCap() {
        return Optional.ofNullable(spendCap);
    }

    /**
     * When the next call could pass: the end of the full window or budget period, or the provider's next
     * free slot. A budget may free up earlier when running calls settle below their holds.
     */
    public Instant retryAt() {
        return retryAt;
    }
}
