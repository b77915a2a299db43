package io.globalcalling.spring.api;

import io.globalcalling.Secret;
import io.globalcalling.core.campaign.Target;
import org.jspecify.annotations.Nullable;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A campaign create's targets as a digest, kept with the campaign so that a create under the same
 * Idempotency-Key with other targets is told apart from a retry (as Stripe compares a retry's parameters).
 * The digest outlives an erasure of the numbers in it, and a plain hash of one number or a few is found by hashing
 * every candidate: with a key (the store's erasure key, which the erased numbers' pseudonyms are made with) the
 * SHA-256 is keyed by an HMAC-SHA256 under it; without one, when no number can be erased, it is the SHA-256.
 */
final class RequestFingerprint {

    private final @Nullable Secret key;

    RequestFingerprint(@Nullable Secret key) {
        this.key = key;
    }

    /** The inline targets, in order: each number, time zone and variables (by name). */
    String of(List<Target> targets) {
        MessageDigest sha256 = sha256();
        for (Target t : targets) {
            update(sha256, t.number());
            update(sha256, t.timeZone());
            Map<String, String> variables = new TreeMap<>(t.variables());
            update(sha256, Integer.toString(variables.size()));
            variables.forEach((name, value) -> {
                update(sha256, name);
                update(sha256, value);
            });
        }
        return "targets:" + HexFormat.of().formatHex(keyed(sha256.digest()));
    }

    /** An uploaded CSV file, byte for byte. */
    String of(InputStream csv) throws IOException {
        MessageDigest sha256 = sha256();
        byte[] buffer = new byte[8192];
        for (int n; (n = csv.read(buffer)) != -1; ) sha256.update(buffer, 0, n);
        return "csv:" + HexFormat.of().formatHex(keyed(sha256.digest()));
    }

    private byte[] keyed(byte[] digest) {
        if (key == null) return digest;
        try {
            Mac hmac = Mac.getInstance("HmacSHA256");
            hmac.init(new SecretKeySpec(key.revealBytes(), "HmacSHA256"));
            return hmac.doFinal(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /** Length-prefixed, so that no two different lists of parts read the same. */
    private static void update(MessageDigest sha256, String part) {
        if (part == null) {
            sha256.update((byte) '-');
            return;
        }
        byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
        sha256.update((bytes.length + ":").getBytes(StandardCharsets.US_ASCII));
        sha256.update(bytes);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
