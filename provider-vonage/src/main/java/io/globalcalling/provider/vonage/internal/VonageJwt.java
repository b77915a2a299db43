package io.globalcalling.provider.vonage.internal;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.security.interfaces.RSAPrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Objects;
import java.util.UUID;

/**
 * Mints the application JWT Vonage's Voice API takes as {@code Authorization: Bearer}: RS256 with the
 * application's private key, claims {@code application_id}, {@code iat}, {@code jti} (a fresh UUID) and a short
 * {@code exp}. One token per request: no token outlives the request that needed it, and nothing is cached that
 * could leak.
 */
public final class VonageJwt {

    /** Vonage takes tokens of up to 24 h; ours need only cover one request and a little clock skew. */
    public static final Duration LIFETIME = Duration.ofMinutes(5);

    private final String applicationId;
    private final RSASSASigner signer;
    private final Clock clock;

    public VonageJwt(String applicationId, RSAPrivateKey key, Clock clock) {
        this.applicationId = Objects.requireNonNull(applicationId, "applicationId");
        this.signer = new RSASSASigner(Objects.requireNonNull(key, "key"));
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** A fresh signed token. */
    public String mint() {
        Instant now = clock.instant();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .claim("application_id", applicationId)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(LIFETIME)))
                .jwtID(UUID.randomUUID().toString())
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT).build(), claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a Vonage API token with the configured private key", e);
        }
        return jwt.serialize();
    }

    @Override
    public String toString() {
        return "VonageJwt[" + applicationId + ", key ****]";
    }
}
