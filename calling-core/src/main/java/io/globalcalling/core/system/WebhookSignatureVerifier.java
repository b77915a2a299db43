package io.globalcalling.core.system;

import io.globalcalling.core.system.WebhookSignatureException.Problem;
import io.globalcalling.Secret;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Checks the signature of a delivery made by {@link WebhookProvider}: this is what the receiving
 * system uses. The header is {@code Calling-Signature: t=<unix seconds>,v1=<hex>}, where the hex is
 * HMAC-SHA256, keyed with the shared signing secret, of {@code "<t>.<raw body>"} (the scheme of
 * Stripe's {@code Stripe-Signature}). Several {@code v1} values may appear while a secret is being
 * rotated; one match is enough. Verify the raw bytes before parsing the JSON, and deduplicate by the
 * {@code Idempotency-Key} header, which is the same on every retry of one call.
 *
 * <pre>{@code
 * WebhookSignatureVerifier verifier = new WebhookSignatureVerifier(Secret.of(System.getenv("CALLING_SIGNING_SECRET")));
 * verifier.verify(request.getHeader("Calling-Signature"), rawBody, Instant.now()); // throws WebhookSignatureException
 * }</pre>
 *
 * Comparisons are constant-time ({@link MessageDigest#isEqual}); rejection messages never contain
 * the secret or a signature. Thread-safe.
 */
public final class WebhookSignatureVerifier {

    public static final String SIGNATURE_HEADER = "Calling-Signature";
    public static final String IDEMPOTENCY_HEADER = "Idempotency-Key";
    public static final Duration DEFAULT_TOLERANCE = Duration.ofSeconds(300);

    private static final Pattern SECONDS = Pattern.compile("\\d{1,12}");
    private static final Pattern HEX = Pattern.compile("[0-9a-fA-F]{64}");

    private final Secret secret;
    private final Duration tolerance;

    /** A verifier with the default tolerance of 300 seconds. */
    public WebhookSignatureVerifier(Secret secret) {
        this(secret, DEFAULT_TOLERANCE);
    }

    public WebhookSignatureVerifier(Secret secret, Duration tolerance) {
        this.secret = Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(tolerance, "tolerance");
        if (tolerance.isNegative() || tolerance.isZero()) {
            throw new IllegalArgumentException("tolerance " + tolerance + " must be positive");
        }
        this.tolerance = tolerance;
    }

    /**
     * @param header  the {@code Calling-Signature} header's value, or null when absent
     * @param rawBody the body exactly as received
     * @param now     the receiver's current time
     * @throws WebhookSignatureException naming the {@link Problem} when the signature is missing, malformed,
     *                                   outside the tolerance or wrong
     */
    public void verify(String header, byte[] rawBody, Instant now) {
        Objects.requireNonNull(rawBody, "rawBody");
        Objects.requireNonNull(now, "now");
        if (header == null || header.isBlank()) {
            throw new WebhookSignatureException(Problem.MISSING_HEADER, "no " + SIGNATURE_HEADER + " header");
        }
        Long t = null;
        List<String> signatures = new ArrayList<>();
        for (String part : header.split(",")) {
            int eq = part.indexOf('=');
            if (eq < 0) throw malformed();
            String key = part.substring(0, eq).strip();
            String value = part.substring(eq + 1).strip();
            if (key.equals("t")) {
                if (t != null || !SECONDS.matcher(value).matches()) throw malformed();
                t = Long.parseLong(value);
            } else if (key.equals("v1")) {
                if (!HEX.matcher(value).matches()) throw malformed();
                signatures.add(value.toLowerCase(Locale.ROOT));
            }
        }
        if (t == null || signatures.isEmpty()) throw malformed();
        long age = Math.abs(now.getEpochSecond() - t);
        if (age > tolerance.toSeconds()) {
            throw new WebhookSignatureException(Problem.TIMESTAMP_OUTSIDE_TOLERANCE, SIGNATURE_HEADER + " timestamp is "
                    + age + " s from now, outside the " + tolerance.toSeconds() + " s tolerance");
        }
        byte[] expected = hmacHex(secret, t, rawBody).getBytes(StandardCharsets.US_ASCII);
        boolean match = false;
        for (String signature : signatures) {
            match |= MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.US_ASCII));
        }
        if (!match) {
            throw new WebhookSignatureException(Problem.SIGNATURE_MISMATCH,
                    "no v1 signature in " + SIGNATURE_HEADER + " matches the body");
        }
    }

    /** The {@code Calling-Signature} header value for {@code rawBody} signed at {@code timestamp}. */
    public static String sign(Secret secret, Instant timestamp, byte[] rawBody) {
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(rawBody, "rawBody");
        long t = timestamp.getEpochSecond();
        return "t=" + t + ",v1=" + hmacHex(secret, t, rawBody);
    }

    private static WebhookSignatureException malformed() {
        return new WebhookSignatureException(Problem.MALFORMED_HEADER,
                SIGNATURE_HEADER + " header is malformed: expected t=<unix seconds>,v1=<64 hex digits>");
    }

    private static String hmacHex(Secret secret, long t, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.revealBytes(), "HmacSHA256"));
            mac.update((t + ".").getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }

    @Override
    public String toString() {
        return "WebhookSignatureVerifier[tolerance=" + tolerance.toSeconds() + "s]";
    }
}
