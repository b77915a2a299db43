package io.globalcalling.provider.twilio.internal;

import io.globalcalling.spi.CallEvent;
import io.globalcalling.CallStatus;
import io.globalcalling.ErrorReason;
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
import java.util.Set;

/** Reads Twilio's call fields: status names, RFC 2822 dates, durations and (negative) prices. */
public final class TwilioCalls {

    /** SIP answers that say the number does not exist: 404 Not Found, 484 Address Incomplete, 604 Does Not Exist Anywhere. */
    private static final Set<Integer> SIP_NO_SUCH_NUMBER = Set.of(404, 484, 604);
    /** SIP answers that refuse the call: 403 Forbidden, 603 Decline. */
    private static final Set<Integer> SIP_REFUSED = Set.of(403, 603);

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

    /**
     * Why a call ended unsuccessfully, from its status callback: Twilio's {@code ErrorCode} when it is one a refused
     * create also gives (an invalid number, a destination the account may not call), else the {@code SipResponseCode}
     * the far end answered (a number that does not exist is an invalid destination; 403 and 603 are refusals). Empty
     * for any other code and for a callback that is no failed end.
     */
    public static Optional<ErrorReason> endReason(String twilioStatus, String errorCode, String sipResponseCode) {
        Optional<CallStatus> status = status(twilioStatus);
        if (status.isEmpty() || !status.get().isTerminal() || status.get() == CallStatus.COMPLETED) return Optional.empty();
        Integer code = number(errorCode);
        if (code != null && TwilioHttp.INVALID_DESTINATION.contains(code)) return Optional.of(ErrorReason.INVALID_DESTINATION);
        if (code != null && TwilioHttp.NOT_PERMITTED.contains(code)) return Optional.of(ErrorReason.NOT_PERMITTED);
        Integer sip = number(sipResponseCode);
        if (sip != null && SIP_NO_SUCH_NUMBER.contains(sip)) return Optional.of(ErrorReason.INVALID_DESTINATION);
        if (sip != null && SIP_REFUSED.contains(sip)) return Optional.of(ErrorReason.REJECTED);
        return Optional.empty();
    }

    private static Integer number(String text) {
        if (text == null || text.isBlank()) return null;
        try {
            return Integer.valueOf(text.strip());
        } catch (NumberFormatException e) {
            return null;
        }
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

    /**
     * Twilio reports charges as negative amounts ("-0.01300", unit "USD"); we keep what was paid, positive. Empty when
     * absent or unreadable.
     */
    public static Optional<Money> price(String amount, String unit) {
        if (amount == null || amount.isBlank() || unit == null || unit.isBlank()) return Optional.empty();
        try {
            return Optional.of(Money.of(plausible(new BigDecimal(amount.strip())).abs().toPlainString(), unit));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * The amount itself when it has at most 18 digits before and after the point: "1E+999999999" is a valid decimal
     * whose plain form would take a gigabyte to write out.
     *
     * @throws NumberFormatException when it has more
     */
    static BigDecimal plausible(BigDecimal value) {
        if (value.precision() - value.scale() > 18 || value.scale() > 18) {
            throw new NumberFormatException("an implausible amount");
        }
        return value;
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
