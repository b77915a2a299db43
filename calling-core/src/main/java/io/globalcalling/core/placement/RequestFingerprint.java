package io.globalcalling.core.placement;

import io.globalcalling.CallRecord;
import io.globalcalling.CallRequest;
import io.globalcalling.Secret;
import org.jspecify.annotations.Nullable;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A request as an HMAC-SHA256, under the store's secret, of a canonical encoding of every component of
 * {@link CallRequest}: whatever one changes is another call (Stripe compares a retry's parameters the same way). Keyed,
 * so that nobody without the secret can test guesses of a number, script or code against a fingerprint.
 *
 * <p>In it, each as the request holds it, maps sorted by name, absent values told from empty ones: {@code to},
 * {@code from}, {@code category}, {@code purpose}, {@code priority}, {@code location}, {@code terrestrialCoverage},
 * {@code maxCostPerMinute} (its value, so 5 and 5.00 are one cap), {@code quality}, {@code skill}, {@code language},
 * {@code voice}, {@code script}, {@code variables}, {@code answerUrl}, {@code payload}, {@code binaryPayload},
 * {@code record}, {@code machineDetection}, {@code maxDuration}, {@code customerId}, {@code idempotencyKey},
 * {@code campaignId} and {@code metadata}. None is left out: the customer and key are those the record was found by.
 */
final class RequestFingerprint {

    /** Names the encoding: a record's fingerprint of another is compared as a record without one is. */
    static final String VERSION = "v1:";

    private final ByteArrayOutputStream out = new ByteArrayOutputStream(256);

    private RequestFingerprint() {
    }

    static String of(CallRequest r, Secret key) {
        RequestFingerprint f = new RequestFingerprint();
        f.put("to", r.to().value());
        f.put("from", r.from() == null ? null : r.from().value());
        f.put("category", r.category() == null ? null : r.category().wireName());
        f.put("purpose", r.purpose() == null ? null : r.purpose().wireName());
        f.put("priority", r.priority().wireName());
        f.put("location", r.location() == null ? null : r.location().latitude() + "," + r.location().longitude());
        f.put("terrestrialCoverage", r.terrestrialCoverage() == null ? null : r.terrestrialCoverage().toString());
        f.put("maxCostPerMinute", r.maxCostPerMinute() == null ? null
                : r.maxCostPerMinute().amount().stripTrailingZeros().toPlainString() + " "
                        + r.maxCostPerMinute().currency().getCurrencyCode());
        f.put("quality", r.quality().wireName());
        f.put("skill", r.skill() == null ? null : r.skill().wireName());
        f.put("language", r.language());
        f.put("voice", r.voice());
        f.put("script", r.script());
        f.put("variables", r.variables());
        f.put("answerUrl", r.answerUrl() == null ? null : r.answerUrl().toString());
        f.put("payload", r.payload());
        f.put("binaryPayload", r.binaryPayload() == null ? null : r.binaryPayload().toByteArray());
        f.put("record", Boolean.toString(r.record()));
        f.put("machineDetection", Boolean.toString(r.machineDetection()));
        f.put("maxDuration", r.maxDuration() == null ? null : r.maxDuration().toString());
        f.put("customerId", r.customerId());
        f.put("idempotencyKey", r.idempotencyKey());
        f.put("campaignId", r.campaignId());
        f.put("metadata", r.metadata());
        return VERSION + HexFormat.of().formatHex(hmac(key, f.out.toByteArray()));
    }

    /**
     * Whether {@code request} is the one {@code call} was placed for: by the fingerprints when the call kept one of
     * this version and the store has its key, else by what the record keeps of a request (the destination, a pinned
     * category, the caller id, purpose, priority and metadata).
     */
    static boolean sameRequest(CallRequest request, CallRecord call, @Nullable Secret key) {
        String kept = call.requestFingerprint();
        if (key != null && kept != null && kept.startsWith(VERSION)) return kept.equals(of(request, key));
        return call.toNumber().equals(request.to().value())
                && (request.category() == null || request.category() == call.category())
                && Objects.equals(call.fromNumber(), request.from() == null ? null : request.from().value())
                && call.purpose() == request.purpose()
                && call.priority() == request.priority()
                && call.metadata().equals(request.metadata());
    }

    private void put(String name, @Nullable String value) {
        put(name, value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    private void put(String name, Map<String, String> values) {
        TreeMap<String, String> sorted = new TreeMap<>(values);
        put(name, Integer.toString(sorted.size()));
        sorted.forEach((n, v) -> {
            put(name, n);
            put(name, v);
        });
    }

    /** The name, then the value's length and bytes (or -1 for none): no two different requests encode alike. */
    private void put(String name, byte @Nullable [] value) {
        byte[] field = name.getBytes(StandardCharsets.UTF_8);
        out.writeBytes(length(field.length));
        out.writeBytes(field);
        out.writeBytes(length(value == null ? -1 : value.length));
        if (value != null) out.writeBytes(value);
    }

    private static byte[] length(int n) {
        return new byte[] {(byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n};
    }

    private static byte[] hmac(Secret key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.revealBytes(), "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
