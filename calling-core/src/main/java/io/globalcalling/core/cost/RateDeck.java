package io.globalcalling.core.cost;

import io.globalcalling.CallCategory;
import io.globalcalling.Endpoint;
import io.globalcalling.PhoneNumber;
import io.globalcalling.spi.Rate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A provider's rates indexed for longest-prefix lookup on the E.164 digits of a destination, one
 * table per category. The empty prefix is the catch-all; it is also the only rate that matches an
 * endpoint that is not a phone number (a SIP URI, a webhook URL, a satellite terminal). Immutable
 * and thread-safe.
 *
 * <p>Each table is three parallel arrays sorted in digit order (a prefix before the longer
 * prefixes it begins), so a deck of 200,000 prefixes takes a few megabytes and a lookup is one
 * binary search plus at most 15 steps up the chain of enclosing prefixes.
 */
public final class RateDeck {

    private static final RateDeck EMPTY = new RateDeck(new EnumMap<>(CallCategory.class), 0);

    private final Map<CallCategory, Table> tables;
    private final int size;

    private RateDeck(Map<CallCategory, Table> tables, int size) {
        this.tables = tables;
        this.size = size;
    }

    /**
     * Indexes the rates.
     *
     * @throws IllegalArgumentException naming the category and prefix when two rates share both
     */
    public static RateDeck of(List<Rate> rates) {
        Objects.requireNonNull(rates, "rates");
        if (rates.isEmpty()) return EMPTY;
        Map<CallCategory, List<Rate>> byCategory = new EnumMap<>(CallCategory.class);
        for (Rate rate : rates) {
            Objects.requireNonNull(rate, "rate");
            byCategory.computeIfAbsent(rate.category(), c -> new ArrayList<>()).add(rate);
        }
        Map<CallCategory, Table> tables = new EnumMap<>(CallCategory.class);
        byCategory.forEach((category, list) -> tables.put(category, Table.build(list)));
        return new RateDeck(tables, rates.size());
    }

    public static RateDeck empty() {
        return EMPTY;
    }

    /**
     * The rate of the longest prefix that begins the destination's digits, for a phone number; the
     * catch-all rate (empty prefix) for any other endpoint. Empty when the deck prices neither.
     */
    public Optional<Rate> find(CallCategory category, Endpoint destination) {
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(destination, "destination");
        Table table = tables.get(category);
        if (table == null) return Optional.empty();
        Rate rate = destination instanceof PhoneNumber number ? table.longestPrefix(number.value()) : table.catchAll();
        return Optional.ofNullable(rate);
    }

    /** The number of rates in the deck. */
    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    @Override
    public String toString() {
        return "RateDeck[" + size + " rates in " + tables.keySet() + "]";
    }

    /**
     * The rates of one category. A prefix of up to 15 digits is packed into one long:
     * the digits right-padded with zeros to 15, times 16, plus the length. Sorting these keys
     * sorts the prefixes in digit order with each prefix before every longer prefix it begins.
     */
    private static final class Table {
        private static final int MAX_DIGITS = 15;
        private static final long[] POW10 = new long[MAX_DIGITS + 1];

        static {
            POW10[0] = 1;
            for (int i = 1; i <= MAX_DIGITS; i++) POW10[i] = POW10[i - 1] * 10;
        }

        private final long[] keys;
        /** Index of the longest other prefix that begins this one, or -1. */
        private final int[] parents;
        private final Rate[] rates;

        private Table(long[] keys, int[] parents, Rate[] rates) {
            this.keys = keys;
            this.parents = parents;
            this.rates = rates;
        }

        static Table build(List<Rate> list) {
            int n = list.size();
            Rate[] rates = list.toArray(new Rate[0]);
            long[] unsortedKeys = new long[n];
            Integer[] order = new Integer[n];
            for (int i = 0; i < n; i++) {
                unsortedKeys[i] = key(rates[i].prefix(), 0);
                order[i] = i;
            }
            Arrays.sort(order, Comparator.comparingLong(i -> unsortedKeys[i]));
            long[] keys = new long[n];
            Rate[] sortedRates = new Rate[n];
            for (int i = 0; i < n; i++) {
                keys[i] = unsortedKeys[order[i]];
                sortedRates[i] = rates[order[i]];
                if (i > 0 && keys[i] == keys[i - 1]) {
                    throw new IllegalArgumentException("rate deck has two rates for category "
                            + sortedRates[i].category().wireName() + " and prefix '" + sortedRates[i].prefix() + "'");
                }
            }
            // In digit order, the enclosing prefix of an entry is the previous entry or one of its enclosers.
            int[] parents = new int[n];
            for (int i = 0; i < n; i++) {
                int p = i - 1;
                while (p >= 0 && !isPrefixOf(keys[p], keys[i])) p = parents[p];
                parents[i] = p;
            }
            return new Table(keys, parents, sortedRates);
        }

        Rate catchAll() {
            return keys.length > 0 && keys[0] == 0 ? rates[0] : null;
        }

        /** @param e164 a number in E.164 form; its '+' is skipped rather than copied away */
        Rate longestPrefix(String e164) {
            long query = key(e164, 1);
            int i = Arrays.binarySearch(keys, query);
            if (i < 0) i = -i - 2; // the last entry before the query in digit order
            // The longest prefix of the query is that entry or one of the prefixes enclosing it.
            while (i >= 0 && !isPrefixOf(keys[i], query)) i = parents[i];
            return i >= 0 ? rates[i] : null;
        }

        private static long key(String text, int from) {
            int length = text.length() - from;
            long value = 0;
            for (int i = from; i < text.length(); i++) value = value * 10 + (text.charAt(i) - '0');
            return value * POW10[MAX_DIGITS - length] * 16 + length;
        }

        private static boolean isPrefixOf(long prefix, long of) {
            int prefixLength = (int) (prefix & 15);
            if (prefixLength > (int) (of & 15)) return false;
            long scale = POW10[MAX_DIGITS - prefixLength];
            return (prefix >>> 4) / scale == (of >>> 4) / scale;
        }
    }
}
