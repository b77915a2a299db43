package io.globalcalling.provider.vonage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.globalcalling.Secret;
import io.globalcalling.WebhookRequest;

import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;

/**
 * Checks Vonage's signed callbacks: {@code Authorization: Bearer <JWT>}, HS256 with the account's signature
 * secret. The token must verify, be issued within {@code maxAge} of our clock (either way), not be expired or
 * not yet valid, name our application (and API key, when one is configured), and its {@code payload_hash} must be
 * the SHA-256 of the body. Vonage hashes the JSON it sent, compact; the raw bytes are tried first and then the
 * compact re-serialisation of the same JSON, so a proxy that re-indents the body does not break verification
 * while any change of content still does.
 */
final class VonageSignedWebhooks {

    /** Allowance for clock difference on {@code exp} and {@code nbf}. */
    static final Duration SKEW = Duration.ofSeconds(30);

    private final MACVerifier verifier;
    private final String applicationId;
    private final String apiKey;
    private final Clock clock;
    private final Duration maxAge;
    private final ObjectMapper json;

    VonageSignedWebhooks(Secret secret, String applicationId, String apiKey, Clock clock, Duration maxAge,
                         ObjectMapper json) {
        try {
            this.verifier = new MACVerifier(secret.revealBytes());
        } catch (JOSEException e) {
            throw new IllegalArgumentException("the signature secret is too short for HS256");
        }
        this.applicationId = Objects.requireNonNull(applicationId, "applicationId");
        this.apiKey = apiKey;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.maxAge = Objects.requireNonNull(maxAge, "maxAge");
        this.json = Objects.requireNonNull(json, "json");
    }

    /**
     * @throws Refused naming what failed, never the token or the secret
     */
    void verify(WebhookRequest request) {
        String header = request.header("Authorization").orElse("").strip();
        if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) throw new Refused("missing Authorization: Bearer token");
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(header.substring(7).strip());
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw new Refused("the Bearer token is not a signed JWT");
        }
        if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm())) {
            throw new Refused("the token is signed with " + jwt.getHeader().getAlgorithm() + ", not HS256");
        }
        try {
            if (!jwt.verify(verifier)) throw new Refused("the token's signature does not match the signature secret");
        } catch (JOSEException e) {
            throw new Refused("the token's signature cannot be checked");
        }
        checkTimes(claims);
        checkIdentity(claims);
        checkPayload(claims, request.body());
    }

    private void checkTimes(JWTClaimsSet claims) {
        Instant now = clock.instant();
        Date iat = claims.getIssueTime();
        if (iat == null) throw new Refused("the token has no iat");
        if (Duration.between(iat.toInstant(), now).abs().compareTo(maxAge) > 0) {
            throw new Refused("the token was issued at " + iat.toInstant() + ", more than " + maxAge + " from now ("
                    + now + "): stale, replayed or from the future (see vonage.webhook-max-age)");
        }
        Date exp = claims.getExpirationTime();
        if (exp != null && !now.isBefore(exp.toInstant().plus(SKEW))) {
            throw new Refused("the token expired at " + exp.toInstant());
        }
        Date nbf = claims.getNotBeforeTime();
        if (nbf != null && now.plus(SKEW).isBefore(nbf.toInstant())) {
            throw new Refused("the token is not valid before " + nbf.toInstant());
        }
    }

    private void checkIdentity(JWTClaimsSet claims) {
        Object app = claims.getClaim("application_id");
        if (app != null && !applicationId.equals(app.toString())) {
            throw new Refused("the token is for another application");
        }
        Object key = claims.getClaim("api_key");
        if (apiKey != null && (key == null || !apiKey.equals(key.toString()))) {
            throw new Refused("the token is for another API key");
        }
    }

    private void checkPayload(JWTClaimsSet claims, byte[] body) {
        Object claimed = claims.getClaim("payload_hash");
        if (claimed == null) {
            if (body.length == 0) return;
            throw new Refused("the token has no payload_hash for a body of " + body.length + " bytes");
        }
        String expected = claimed.toString().toLowerCase(Locale.ROOT);
        if (matches(expected, body)) return;
        byte[] compact = compact(body);
        if (compact != null && matches(expected, compact)) return;
        throw new Refused("the body does not match the token's payload_hash (tampered with?)");
    }

    private static boolean matches(String expectedHex, byte[] bytes) {
        return MessageDigest.isEqual(expectedHex.getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                sha256Hex(bytes).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    private byte[] compact(byte[] body) {
        try {
            // the whole body must be that one JSON value: nothing appended may ride on the signature
            JsonNode tree = json.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(body);
            return tree == null ? null : json.writeValueAsBytes(tree);
        } catch (IOException e) {
            return null;
        }
    }

    static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** Verification failed; the message says why without quoting the token. */
    static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message, null, false, false);
        }
    }
}
