package io.globalcalling.core.limits;

/**
 * How fast calls may be started at one provider account: {@code callsPerSecond} on average, with at
 * most {@code burst} started back to back after a quiet spell (a token bucket of {@code burst} tokens
 * refilled at {@code callsPerSecond}). A burst of 1 spaces calls evenly, so no one-second window ever
 * holds more than {@code callsPerSecond} placements.
 *
 * @param callsPerSecond  the sustained rate, at least 1
 * @param burst           the most calls started together, at least 1
 */
public record Pace(long callsPerSecond, long burst) {

    /** Twilio: 1 call per second per account unless Twilio raised it. */
    public static final Pace TWILIO = new Pace(1, 1);
    /** Vonage Voice: 3 call-create requests per second. */
    public static final Pace VONAGE = new Pace(3, 1);
    /** Amazon Connect StartOutboundVoiceContact: 2 requests per second, burst 5. */
    public static final Pace AWS_CONNECT = new Pace(2, 5);

    public Pace {
        if (callsPerSecond < 1) throw new IllegalArgumentException("callsPerSecond " + callsPerSecond + " must be at least 1");
        if (burst < 1) throw new IllegalArgumentException("burst " + burst + " must be at least 1");
    }

    public static Pace of(long callsPerSecond, long burst) {
        return new Pace(callsPerSecond, burst);
    }
}
