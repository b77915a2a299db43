package io.globalcalling;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * Bytes sent to or received from a terminal (an Iridium SBD message, say). Immutable: the bytes are
 * copied in and out, and equal payloads hold equal bytes. {@link #toString()} shows the size only,
 * since a payload may carry anything.
 */
public final class BinaryPayload {

    private static final BinaryPayload EMPTY = new BinaryPayload(new byte[0]);

    private final byte[] bytes;

    private BinaryPayload(byte[] bytes) {
        this.bytes = bytes;
    }

    /** A payload holding a copy of {@code bytes}. */
    public static BinaryPayload of(byte[] bytes) {
        Objects.requireNonNull(bytes, "payload");
        return bytes.length == 0 ? EMPTY : new BinaryPayload(bytes.clone());
    }

    /** A payload of no bytes (a delivery confirmation carries none, say). */
    public static BinaryPayload empty() {
        return EMPTY;
    }

    /** How many bytes it holds. */
    public int size() {
        return bytes.length;
    }

    public boolean isEmpty() {
        return bytes.length == 0;
    }

    /** A copy of the bytes. */
    public byte[] toByteArray() {
        return bytes.clone();
    }

    /** A read-only view of the bytes, positioned at the start. */
    public ByteBuffer asReadOnlyBuffer() {
        return ByteBuffer.wrap(bytes).asReadOnlyBuffer();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BinaryPayload other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "BinaryPayload[" + bytes.length + " bytes]";
    }
}
