package io.globalcalling.spring.api;

import io.globalcalling.CallRequest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * API keys known by their SHA-256 hashes only, so the configuration holds nothing that opens the API. A presented
 * key is hashed and compared with every configured hash in constant time, all of them each time, so neither the
 * answer's timing nor its content says how close a guess came.
 */
public final class HashedApiKeys implements ApiKeys {

    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-fA-F]{64}");

    private record Entry(String customerId, byte[] hash) {
    }

    private final List<Entry> entries = new ArrayList<>();

    /**
     * @param hashes SHA-256 hex digests of the keys, by customer id
     * @throws IllegalArgumentException naming the property of a bad customer id, a value that is not 64 hex
     *                                  digits or a key another customer has (the value itself is not repeated), or
     *                                  when there are no keys at all
     */
    public HashedApiKeys(Map<String, String> hashes) {
        Objects.requireNonNull(hashes, "hashes");
        if (hashes.isEmpty()) {
            throw new IllegalArgumentException("calling.api.keys is empty: with calling.api.enabled=true give each "
                    + "customer a key as calling.api.keys.<customerId>=<SHA-256 hex of the key>");
        }
        hashes.forEach((customer, hex) -> {
            try {
                CallRequest.checkCustomerId("customer id", customer);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("calling.api.keys." + customer + ": " + e.getMessage());
            }
            if (hex == null || !SHA256_HEX.matcher(hex.trim()).matches()) {
                throw new IllegalArgumentException("calling.api.keys." + customer
                        + " must be the SHA-256 of the key as 64 hex digits, not the key itself");
            }
            byte[] hash = HexFormat.of().parseHex(hex.trim());
            // a key opens one customer's account: a second customer with it would be served as the first
            entries.stream().filter(e -> Arrays.equals(e.hash(), hash)).findFirst().ifPresent(e -> {
                throw new IllegalArgumentException("calling.api.keys." + customer + " has the same key as calling.api.keys."
                        + e.customerId() + ": give each customer a key of its own");
            });
            entries.add(new Entry(customer, hash));
        });
    }

    /** The SHA-256 of {@code key} as 64 lower-case hex digits: the value to configure for it. */
    public static String sha256Hex(String key) {
        return HexFormat.of().formatHex(sha256(key));
    }

    @Override
    public Optional<String> customerOf(String presentedKey) {
        byte[] presented = sha256(Objects.requireNonNull(presentedKey, "presentedKey"));
        String found = null;
        for (Entry e : entries) {
            if (MessageDigest.isEqual(e.hash(), presented) && found == null) found = e.customerId();
        }
        return Optional.ofNullable(found);
    }

    private static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return "HashedApiKeys" + entries.stream().map(Entry::customerId).toList();
    }
}
