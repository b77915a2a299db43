package io.globalcalling;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A message a terminal sent of its own accord or about a message it got: a reply, a position
 * report, or a provider's confirmation that a message was delivered. It may belong to a call
 * ({@link #callId()} or {@link #providerCallId()}) or to none. Providers build it with
 * {@link #builder}; invalid values are refused with an exception naming the field.
 */
public final class InboundMessage {

    /** What the message is. */
    public enum Kind {
        /** the terminal sent text or bytes */
        REPLY("reply"),
        /** the terminal reported where it is */
        POSITION("position"),
        /** the provider confirms a message to the terminal was delivered */
        DELIVERY_CONFIRMATION("delivery_confirmation");

        private final String wireName;

        Kind(String wireName) {
            this.wireName = wireName;
        }

        /** The stable name stores keep. */
        public String wireName() {
            return wireName;
        }

        /** @throws IllegalArgumentException naming the value when it is no kind's wire name */
        public static Kind fromWireName(String wireName) {
            Objects.requireNonNull(wireName, "kind");
            for (Kind k : values()) {
                if (k.wireName.equals(wireName)) return k;
            }
            throw new IllegalArgumentException("kind '" + wireName
                    + "' is unknown; expected reply, position or delivery_confirmation");
        }
    }

    /**
     * Where a terminal said it was.
     *
     * @param point           the reported place
     * @param accuracyMeters  the radius within which the terminal is, in meters
     */
    public record Position(GeoPoint point, double accuracyMeters) {
        public Position {
            Objects.requireNonNull(point, "point");
            if (!Double.isFinite(accuracyMeters) || accuracyMeters < 0) {
                throw new IllegalArgumentException("accuracyMeters " + accuracyMeters + " must be a finite number >= 0");
            }
        }
    }

    private final String providerId;
    private final Endpoint from;
    private final Instant receivedAt;
    private final Kind kind;
    private final BinaryPayload payload;
    private final String text;
    private final Position position;
    private final String callId;
    private final String providerCallId;
    private final String providerMessageId;
    private final Map<String, String> details;

    private InboundMessage(Builder b) {
        this.providerId = require(b.providerId, "providerId");
        this.from = Objects.requireNonNull(b.from, "from");
        this.receivedAt = Objects.requireNonNull(b.receivedAt, "receivedAt");
        this.kind = Objects.requireNonNull(b.kind, "kind");
        this.payload = Objects.requireNonNull(b.payload, "payload");
        this.text = b.text;
        this.position = b.position;
        this.callId = optional(b.callId, "callId");
        this.providerCallId = optional(b.providerCallId, "providerCallId");
        this.providerMessageId = optional(b.providerMessageId, "providerMessageId");
        this.details = Map.copyOf(b.details);
        if (kind == Kind.POSITION && position == null) {
            throw new IllegalArgumentException("position is required for a message of kind position");
        }
        if (kind == Kind.DELIVERY_CONFIRMATION && callId == null && providerCallId == null) {
            throw new IllegalArgumentException("a delivery_confirmation needs the callId or providerCallId it confirms");
        }
    }

    private static String require(String value, String field) {
        Objects.requireNonNull(value, field);
        if (value.isBlank()) throw new IllegalArgumentException(field + " must not be blank");
        return value;
    }

    private static String optional(String value, String field) {
        return value == null ? null : require(value, field);
    }

    /** Starts a message of {@code kind} that provider {@code providerId} received from {@code from}. */
    public static Builder builder(String providerId, Endpoint from, Kind kind) {
        return new Builder(providerId, from, kind);
    }

    /** A builder holding this message's values, to change some. */
    public Builder toBuilder() {
        Builder b = new Builder(providerId, from, kind);
        b.receivedAt = receivedAt;
        b.payload = payload;
        b.text = text;
        b.position = position;
        b.callId = callId;
        b.providerCallId = providerCallId;
        b.providerMessageId = providerMessageId;
        b.details.putAll(details);
        return b;
    }

    /** The provider that received it. */
    public String providerId() { return providerId; }

    /** The terminal or endpoint it came from. */
    public Endpoint from() { return from; }

    /** When the provider received it. */
    public Instant receivedAt() { return receivedAt; }

    public Kind kind() { return kind; }

    /** The bytes it carried; empty when it carried none. */
    public BinaryPayload payload() { return payload; }

    /** Its text, when the provider decoded some. */
    public Optional<String> text() { return Optional.ofNullable(text); }

    /** Where the terminal was, when reported. */
    public Optional<Position> position() { return Optional.ofNullable(position); }

    /** Our id of the call it refers to, when known. */
    public Optional<String> callId() { return Optional.ofNullable(callId); }

    /** The provider's id of the call it refers to, when given. */
    public Optional<String> providerCallId() { return Optional.ofNullable(providerCallId); }

    /** The provider's id of this message, or of the message it confirms; a store keeps one message per id. */
    public Optional<String> providerMessageId() { return Optional.ofNullable(providerMessageId); }

    /** Other fields worth keeping, by the provider's names. */
    public Map<String, String> details() { return details; }

    @Override
    public boolean equals(Object o) {
        return o instanceof InboundMessage m && providerId.equals(m.providerId) && from.equals(m.from)
                && receivedAt.equals(m.receivedAt) && kind == m.kind && payload.equals(m.payload)
                && Objects.equals(text, m.text) && Objects.equals(position, m.position)
                && Objects.equals(callId, m.callId) && Objects.equals(providerCallId, m.providerCallId)
                && Objects.equals(providerMessageId, m.providerMessageId) && details.equals(m.details);
    }

    @Override
    public int hashCode() {
        return Objects.hash(providerId, from, receivedAt, kind, payload, callId, providerCallId, providerMessageId);
    }

    /** Names the message without its content (text and position may be personal). */
    @Override
    public String toString() {
        return "InboundMessage[" + kind.wireName() + " from provider " + providerId + ", " + payload.size()
                + " bytes, received " + receivedAt + (callId != null ? ", call " + callId : "") + "]";
    }

    /** Builds an {@link InboundMessage}; {@code receivedAt} is required, the rest optional. */
    public static final class Builder {
        private final String providerId;
        private final Endpoint from;
        private final Kind kind;
        private Instant receivedAt;
        private BinaryPayload payload = BinaryPayload.empty();
        private String text;
        private Position position;
        private String callId;
        private String providerCallId;
        private String providerMessageId;
        private final Map<String, String> details = new LinkedHashMap<>();

        private Builder(String providerId, Endpoint from, Kind kind) {
            this.providerId = providerId;
            this.from = from;
            this.kind = kind;
        }

        public Builder receivedAt(Instant at) { this.receivedAt = Objects.requireNonNull(at, "receivedAt"); return this; }

        /** The bytes received; copied. Null is refused: a message without bytes has an empty payload. */
        public Builder payload(byte[] bytes) { this.payload = BinaryPayload.of(bytes); return this; }

        public Builder payload(BinaryPayload payload) { this.payload = Objects.requireNonNull(payload, "payload"); return this; }

        public Builder text(String text) { this.text = text; return this; }

        public Builder position(GeoPoint point, double accuracyMeters) { this.position = new Position(point, accuracyMeters); return this; }

        public Builder position(Position position) { this.position = position; return this; }

        public Builder callId(String callId) { this.callId = callId; return this; }

        public Builder providerCallId(String providerCallId) { this.providerCallId = providerCallId; return this; }

        public Builder providerMessageId(String id) { this.providerMessageId = id; return this; }

        public Builder detail(String key, String value) {
            details.put(Objects.requireNonNull(key, "detail key"), Objects.requireNonNull(value, "detail value"));
            return this;
        }

        public Builder details(Map<String, String> values) {
            values.forEach(this::detail);
            return this;
        }

        /** @throws IllegalArgumentException or NullPointerException naming the field that is missing or invalid */
        public InboundMessage build() {
            return new InboundMessage(this);
        }
    }
}
