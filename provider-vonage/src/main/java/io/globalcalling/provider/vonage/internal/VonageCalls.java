package io.globalcalling.provider.vonage.internal;

import io.globalcalling.CallStatus;
import io.globalcalling.ErrorReason;
import io.globalcalling.Money;
import io.globalcalling.spi.CallEvent;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Reads Vonage's call fields: statuses, {@code detail} reasons, ISO-8601 times, durations and prices. */
public final class VonageCalls {

    private VonageCalls() {
    }

    /**
     * Vonage's call status as ours. {@code machine} and {@code human} are answered calls with an answering-machine
     * verdict ({@link #answeredBy}); {@code timeout} and {@code unanswered} are not answered; {@code rejected} and
     * {@code failed} failed. Empty for statuses that are not a step of the call itself: {@code disconnected} (a
     * leg left; {@code completed} follows with the price), {@code transfer}, {@code input}, and names Vonage may
     * add later, so a new status never breaks a callback.
     */
    public static Optional<CallStatus> status(String vonageStatus) {
        if (vonageStatus == null) return Optional.empty();
        return Optional.ofNullable(switch (vonageStatus.strip().toLowerCase(Locale.ROOT)) {
            case "started" -> CallStatus.QUEUED;
            case "ringing" -> CallStatus.RINGING;
            case "answered", "machine", "human" -> CallStatus.ANSWERED;
            case "completed" -> CallStatus.COMPLETED;
            case "busy" -> CallStatus.BUSY;
            case "timeout", "unanswered" -> CallStatus.NO_ANSWER;
            case "cancelled" -> CallStatus.CANCELED;
            case "failed", "rejected" -> CallStatus.FAILED;
            default -> null;
        });
    }

    /** The answering-machine verdict a {@code machine} or {@code human} status carries. */
    public static Optional<String> answeredBy(String vonageStatus) {
        if (vonageStatus == null) return Optional.empty();
        String s = vonageStatus.strip().toLowerCase(Locale.ROOT);
        return s.equals("machine") || s.equals("human") ? Optional.of(s) : Optional.empty();
    }

    /**
     * Why a call failed, from Vonage's {@code detail}: an invalid or out-of-service number is an invalid
     * destination, {@code restricted} is not permitted, {@code declined} a refusal by the callee, routing and
     * carrier faults are the network being unavailable, {@code internal_error} Vonage's own fault.
     */
    public static Optional<ErrorReason> reason(String detail) {
        if (detail == null) return Optional.empty();
        return Optional.ofNullable(switch (detail.strip().toLowerCase(Locale.ROOT)) {
            case "invalid_number", "number_out_of_service" -> ErrorReason.INVALID_DESTINATION;
            case "restricted" -> ErrorReason.NOT_PERMITTED;
            case "declined" -> ErrorReason.REJECTED;
            case "cannot_route", "carrier_timeout", "unavailable" -> ErrorReason.UNAVAILABLE;
            case "internal_error" -> ErrorReason.INTERNAL;
            default -> null;
        });
    }

    /**
     * Why a call ended unsuccessfully, as its event's error reason: a number that is invalid or out of service, one the
     * account may not call, or a callee who declined, when {@code detail} says so with a failed end ({@code failed},
     * {@code rejected}, {@code busy}, ...). Routing, carrier and Vonage faults are not the number's and give none, nor
     * does a step that is no end.
     */
    public static Optional<ErrorReason> endReason(String vonageStatus, String detail) {
        Optional<CallStatus> status = status(vonageStatus);
        if (status.isEmpty() || !status.get().isTerminal() || status.get() == CallStatus.COMPLETED) return Optional.empty();
        return reason(detail).filter(r -> r == ErrorReason.INVALID_DESTINATION || r == ErrorReason.NOT_PERMITTED
                || r == ErrorReason.REJECTED);
    }

    /** An ISO-8601 instant ({@code 2020-01-01T12:00:00.000Z}); empty when absent or unreadable. */
    public static Optional<Instant> time(String text) {
        if (text == null || text.isBlank()) return Optional.empty();
        try {
            return Optional.of(Instant.parse(text.strip()));
        } catch (DateTimeParseException e) {
            try {
                return Optional.of(java.time.OffsetDateTime.parse(text.strip()).toInstant());
            } catch (DateTimeParseException e2) {
                return Optional.empty();
            }
        }
    }

    /** Whole seconds, as Vonage sends {@code duration} ("60"); empty when absent or not a number. */
    public static Optional<Duration> seconds(String text) {
        if (text == null || text.isBlank()) return Optional.empty();
        try {
            long s = plausible(new BigDecimal(text.strip())).longValueExact();
            return s < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(s));
        } catch (NumberFormatException | ArithmeticException e) {
            return Optional.empty();
        }
    }

    /** The charge in the account's currency ({@code "0.00166667"}); empty when absent, unreadable or negative. */
    public static Optional<Money> price(String amount, String currency) {
        if (amount == null || amount.isBlank()) return Optional.empty();
        try {
            BigDecimal value = plausible(new BigDecimal(amount.strip()));
            return value.signum() < 0 ? Optional.empty() : Optional.of(Money.of(value.toPlainString(), currency));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * The number itself when it has at most 18 digits before and after the point: "1E+999999999" is a valid
     * decimal whose plain form would take a gigabyte to write out.
     */
    public static BigDecimal plausible(BigDecimal value) {
        if (value.precision() - value.scale() > 18 || value.scale() > 18) {
            throw new NumberFormatException("an implausible amount " + value);
        }
        return value;
    }

    /** The details kept with an event: Vonage's status, detail and the reason read from it. */
    public static Map<String, String> details(String status, String detail) {
        Map<String, String> details = new LinkedHashMap<>();
        if (status != null && !status.isBlank()) details.put("status", status);
        if (detail != null && !detail.isBlank()) {
            details.put("detail", detail);
            reason(detail).ifPresent(r -> details.put("reason", r.name()));
        }
        return details;
    }

    /**
     * The call as an event: status, talk time, price, and the latest time Vonage recorded for it
     * ({@code end_time}, else {@code start_time}, else {@code fallback}).
     */
    public static CallEvent toEvent(String providerId, CallResource call, String callId, Instant fallback,
                                    String currency) {
        Instant at = time(call.endTime()).or(() -> time(call.startTime())).orElse(fallback);
        Map<String, String> details = details(call.status(), null);
        if (call.rate() != null) details.put("rate", call.rate());
        if (call.network() != null) details.put("network", call.network());
        return CallEvent.builder(providerId, at).providerCallId(call.uuid()).callId(callId)
                .status(status(call.status()).orElse(null)).duration(seconds(call.duration()).orElse(null))
                .price(price(call.price(), currency).orElse(null)).answeredBy(answeredBy(call.status()).orElse(null))
                .details(details).build();
    }
}
