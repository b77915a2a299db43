package io.globalcalling.provider.iridium;

import io.globalcalling.ErrorReason;

/**
 * The refusals a DirectIP gateway answers an MT message with (status -1 to -12 of the MT confirmation), each with
 * Iridium's meaning and the {@link ErrorReason} it maps to. A status of 0 to 50 is not here: it is the message's
 * place in the terminal's queue, an acceptance.
 */
public enum MtStatus {
    INVALID_IMEI(-1, "invalid IMEI", ErrorReason.INVALID_DESTINATION),
    UNKNOWN_IMEI(-2, "unknown or unprovisioned IMEI", ErrorReason.INVALID_DESTINATION),
    PAYLOAD_TOO_LARGE(-3, "payload too large", ErrorReason.INVALID_REQUEST),
    PAYLOAD_MISSING(-4, "payload expected but missing", ErrorReason.INVALID_REQUEST),
    QUEUE_FULL(-5, "the terminal's MT queue is full (50 messages)", ErrorReason.RATE_LIMITED),
    RESOURCES_UNAVAILABLE(-6, "MT resources unavailable", ErrorReason.REJECTED),
    PROTOCOL_VIOLATION(-7, "DirectIP protocol violation", ErrorReason.INTERNAL),
    RING_ALERTS_DISABLED(-8, "ring alerts are disabled for this IMEI", ErrorReason.NOT_PERMITTED),
    NOT_ATTACHED(-9, "the terminal is not attached (SSD)", ErrorReason.REJECTED),
    SOURCE_IP_REJECTED(-10, "our source IP address is rejected by the MT filter", ErrorReason.AUTHENTICATION),
    MTMSN_OUT_OF_RANGE(-11, "MTMSN out of range (1-65535)", ErrorReason.INTERNAL),
    CERTIFICATE_REJECTED(-12, "client TLS certificate rejected", ErrorReason.AUTHENTICATION);

    private final int code;
    private final String meaning;
    private final ErrorReason reason;

    MtStatus(int code, String meaning, ErrorReason reason) {
        this.code = code;
        this.meaning = meaning;
        this.reason = reason;
    }

    /** The status as the gateway sends it, -1 to -12. */
    public int code() {
        return code;
    }

    /** What Iridium says it means. */
    public String meaning() {
        return meaning;
    }

    /** What the SDK makes of it. */
    public ErrorReason reason() {
        return reason;
    }

    /** The refusal with this code, if it is one of Iridium's. */
    public static java.util.Optional<MtStatus> of(int code) {
        for (MtStatus s : values()) {
            if (s.code == code) return java.util.Optional.of(s);
        }
        return java.util.Optional.empty();
    }
}
