package io.globalcalling.spi.store;

import io.globalcalling.CallStatus;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * One entry of a call's append-only event log.
 *
 * @param callId      the call
 * @param source      who reported it: a provider id, or {@code core} for the SDK's own steps
 * @param type        what happened: {@code status}, {@code placed}, {@code failover}, {@code recording}, ...
 * @param status      the status reported, if any
 * @param occurredAt  when it happened
 * @param data        its details (never a secret); all of them take part in {@link #dedupKey()}
 */
public record StoredEvent(String callId, String source, String type, @Nullable CallStatus status, Instant occurredAt,
                          Map<String, String> data) {

    /** The data key of the provider's id for the call. */
    public static final String PROVIDER_CALL_ID = "providerCallId";
    /** The data key of the provider's ordering number, when it sends one. */
    public static final String SEQUENCE = "sequence";
    /** The data key of the provider option the SDK's own step belongs to, 1-based. */
    public static final String ATTEMPT = "attempt";

    public StoredEvent {
        Objects.requireNonNull(callId, "callId");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(occurredAt, "occurredAt");
        data = data == null ? Map.of() : Map.copyOf(data);
    }

    /**
     * What makes this event the same report as another of the same call, so that a replayed callback
     * is stored once: everything the report says (source, type, status and every detail, the provider
     * call id and attempt among them), and its {@code occurredAt} unless the provider numbers its reports
     * ({@link #SEQUENCE}). A provider's redelivery says the same again and is the same report; two reports
     * in one second that say different things (an answer, and the machine verdict after it) are not.
     * The SDK's own steps carry their attempt, so each attempt's step is kept. 64 hex digits (SHA-256).
     */
    public String dedupKey() {
        StringBuilder identity = new StringBuilder();
        append(identity, source);
        append(identity, type);
        append(identity, status == null ? null : status.wireName());
        String sequence = data.get(SEQUENCE);
        append(identity, sequence != null ? "sequence " + sequence : "at " + occurredAt);
        new TreeMap<>(data).forEach((name, value) -> {
            append(identity, name);
            append(identity, value);
        });
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha256.digest(identity.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /**
     * Whether {@code other} is the same report as this one: true exactly when both have the same
     * {@link #dedupKey()}, but compared field by field, so a store that keeps events in memory can
     * deduplicate without keeping a key per event.
     */
    public boolean isSameReportAs(StoredEvent other) {
        Objects.requireNonNull(other, "other");
        return source.equals(other.source) && type.equals(other.type) && status == other.status
                && data.equals(other.data)
                && (data.get(SEQUENCE) != null || occurredAt.equals(other.occurredAt));
    }

    /**
     * The event with its details by their names only: they may say what the person called said (a transcript) or
     * their number (a provider's fields), as {@code CallEvent}'s details may.
     */
    @Override
    public String toString() {
        return "StoredEvent[callId=" + callId + ", source=" + source + ", type=" + type + ", status=" + status
                + ", occurredAt=" + occurredAt + ", data=" + new TreeMap<>(data).keySet() + "]";
    }

    /** Length-prefixed, so that no two different part lists read the same. */
    private static void append(StringBuilder identity, String part) {
        if (part == null) {
            identity.append("-;");
        } else {
            identity.append(part.length()).append(':').append(part).append(';');
        }
    }
}
