package io.globalcalling.core.store;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The last few immutable values seen, so that the thousands of calls in flight share one copy of what they
 * have in common (route reasons, amounts, event details) instead of each keeping its own. Bounded: each of
 * its slots holds the last value whose hash fell there, so a value seen once costs nothing later.
 *
 * @param <T> an immutable type with value equality
 */
final class RecentValues<T> {

    private final AtomicReferenceArray<T> slots;

    /** @param size how many values it can hold at most, a power of two */
    RecentValues(int size) {
        if (Integer.bitCount(size) != 1) throw new IllegalArgumentException("size " + size + " must be a power of two");
        this.slots = new AtomicReferenceArray<>(size);
    }

    /** An equal value seen before, or {@code value} itself (then remembered in place of an older one). */
    T shared(T value) {
        int h = value.hashCode();
        int slot = (h ^ (h >>> 16)) & (slots.length() - 1);
        T seen = slots.get(slot);
        if (value.equals(seen)) return seen;
        slots.set(slot, value);
        return value;
    }
}
