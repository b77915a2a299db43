package io.globalcalling.provider.twilio.internal;

import io.globalcalling.spi.CallEvent;
import io.globalcalling.CallStatus;
import io.globalcalling.Money;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Reads Twilio's call fields: status names, RFC 2822 dates, durations and (negative) prices. */
public final class TwilioCalls {

    private TwilioCalls() {
    }

    /**
     * Twilio's call status as ours: {@code in-progress} is ANSWERED; {@code initiated} appears only in callbacks.
     * Empty for a name Twilio may add later, so a new status never breaks a callback.
     */
    public static Optional<CallStatus> status(String twilioStatus) {
        if (twilioStatus == null) return Optional.empty();
        return Optional.ofNullable(switch (twilioStatus.strip().toLowerCase(Locale.ROOT)) {
            case "queued" -> CallStatus.QUEUED;
            case "initiated" -> CallStatus.INITIATED;
            case "ringing" -> CallStatus.RINGING;
            case "in-progress", "answered" -> CallStatus.ANSWERED;
            case "completed" -> CallStatus.COMPLETED;
            case "busy" -> CallStatus.BUSY;
            case "no-answer" -> CallStatus.NO_ANSWER;
            case "failed" -> CallStatus.FAILED;
            case "canceled" -> CallStatus.CANCELED;
            default -> null;
        });
    }

    /** Parses Twilio's RFC 2822 dates ("Tue, 31 Aug 2010 20:36:28 +0000"); empty when absent or unreadable. */
    public static Optional<Instant> date(String text) {
        if (text == null || text.isBlank()) return Optional.empty();
        try {
            return Optional.of(ZonedDateTime.parse(text.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
        } catch (DateTimeParseException e) {
            try {
                return Optional.of(Instant.parse(text.strip()));
            } catch (DateTimeParseException e2) {
                return Optional.empty();
            }
        }
    }

    /** Whole seconds, as Twilio sends durations; empty when absent or not a number. */
    public static Optional<Duration> seconds(String text) {
        if (text == null || text.isBlank()) return Optional.empty();
        try {
            long s = Long.parseLong(text.strip());
            return s < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(s));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Twilio reports charges as negative amounts ("-0.01300", unit "USD"); we keep what was paid, positive. */
    public static Optional<Money> price(String amount, String unit) {
        if (amount == null || amount.isBlank() || unit == null || unit.isBlank()) return Optional.empty();
        try {
            return Optional.of(Money.of(new BigDecimal(amount.strip()).abs().toPlainString(), unit));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * The call as an event: status, talk time, price, and the latest time Twilio recorded for it ({@code end_time},
     * else {@code start_time}, else {@code date_updated}, else {@code fallback}).
     */
    public static CallEvent toEvent(String providerId, CallResource call, String callId, Instant fallback) {
        Instant at = date(call.endTime()).or(() -> date(call.startTime()))
                .or(() -> date(call.dateUpdated())).orElse(fallback);
        Map<String, String> details = new LinkedHashMap<>();
        if (call.status() != null) details.put("status", call.status());
        if (call.direction() != null) details.put("direction", call.direction());
        if (call.queueTime() != null) details.put("queue_time", call.queueTime());
        return CallEvent.builder(providerId, at).providerCallId(call.sid()).callId(callId)
                .status(status(call.status()).orElse(null)).duration(seconds(call.duration()).orElse(null))
                .price(price(call.price(), call.priceUnit()).orElse(null)).answeredBy(call.answeredBy())
                .details(details).build();
    }
}
