/**
 * The Vonage Voice API as a calling provider: {@code internet_voip} and {@code ai_automated} calls
 * ({@code POST /v1/calls} with an NCCO), event callbacks verified as signed webhooks, live voice prices from
 * Vonage's Pricing API, and reconciliation by listing calls. Found through {@link java.util.ServiceLoader} as
 * factory {@code vonage}; configured with {@link io.globalcalling.provider.vonage.VonageConfig}.
 *
 * <p>JWTs are minted (RS256, application private key) and verified (HS256, signature secret) with
 * nimbus-jose-jwt: a maintained, widely used library with no runtime dependencies of its own and a real
 * module descriptor, so it adds nothing else to a host's classpath (jjwt needs a Jackson or Gson adapter
 * module and has had version clashes with the Vonage SDK itself, vonage-java-sdk issue #360).
 */
@NullMarked
package io.globalcalling.provider.vonage;

import org.jspecify.annotations.NullMarked;
