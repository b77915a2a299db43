package io.globalcalling.provider.vonage;

import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.globalcalling.CallCategory;
import io.globalcalling.PhoneNumber;
import io.globalcalling.WebhookRequest;
import io.globalcalling.provider.vonage.internal.VonageJwt;
import io.globalcalling.spi.ProviderConfig;
import io.globalcalling.spi.WebhookContext;
import io.globalcalling.testkit.TestProviderContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.globalcalling.provider.vonage.VonageFixtures.CALLBACK;
import static io.globalcalling.provider.vonage.VonageFixtures.CALL_UUID;
import static io.globalcalling.provider.vonage.VonageFixtures.START;
import static io.globalcalling.provider.vonage.VonageFixtures.TO;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Greps the private key, the signature secret, the API secret and every API token the provider minted out of every
 * exception, toString() and log line (at debug level) the provider produces on its success and failure paths.
 */
class SecretLeakTest {

    private static final String CANARY_SIGNATURE_SECRET = "CANARYsignature0123456789abcdef0123456789";
    private static final String CANARY_API_SECRET = "CANARYapisecret5e4d3c";
    private static final String CANARY_KEY_TEXT = "CANARYprivatekey9a8b7c";

    @RegisterExtension
    static WireMockExtension vonage = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @Test
    void canarySecretsKeysAndTokensNeverAppearInExceptionsToStringsOrLogs() throws Exception {
        List<String> seen = new ArrayList<>();
        ByteArrayOutputStream logs = new ByteArrayOutputStream();
        PrintStream originalErr = System.err;
        System.setErr(new PrintStream(logs, true, StandardCharsets.UTF_8));
        try (TestProviderContext context = VonageFixtures.context()) {
            Map<String, String> config = VonageFixtures.baseConfig(vonage.baseUrl());
            config.put("vonage.signature-secret", CANARY_SIGNATURE_SECRET);
            config.put("vonage.api-key", "abcd1234");
            config.put("vonage.api-secret", CANARY_API_SECRET);
            VonageProvider provider = VonageFixtures.provider(config, context);
            seen.add(provider.toString());
            seen.add(VonageConfig.from(ProviderConfig.of(config)).toString());
            seen.add(new VonageProviderFactory().toString());
            seen.add(provider.webhooks().toString());
            seen.add(new VonageJwt(VonageFixtures.APPLICATION_ID,
                    VonageConfig.from(ProviderConfig.of(config)).privateKey(), context.clock()).toString());

            vonage.stubFor(post(urlPathEqualTo("/v1/calls")).willReturn(aResponse().withStatus(401)
                    .withHeader("Content-Type", "application/problem+json")
                    .withBody("{\"type\":\"https://developer.nexmo.com/api-errors#unauthorized\",\"title\":\"Unauthorized\"}")));
            seen.add(failure(() -> provider.place(VonageFixtures.voipCall())));
            vonage.stubFor(post(urlPathEqualTo("/v1/calls")).willReturn(aResponse().withStatus(500)));
            seen.add(failure(() -> provider.place(VonageFixtures.aiCall("Hello", null))));
            vonage.stubFor(post(urlPathEqualTo("/v1/calls")).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
            seen.add(failure(() -> provider.place(VonageFixtures.voipCall())));
            vonage.stubFor(get(urlPathMatching("/v1/calls/.*")).willReturn(aResponse().withStatus(500)));
            seen.add(failure(() -> provider.fetch(CALL_UUID)));
            vonage.stubFor(put(urlPathMatching("/v1/calls/.*")).willReturn(aResponse().withStatus(403)));
            seen.add(failure(() -> provider.hangUp(CALL_UUID)));
            vonage.stubFor(get(urlPathEqualTo("/account/get-pricing/outbound/voice")).willReturn(aResponse().withStatus(401)));
            provider.quote(CallCategory.INTERNET_VOIP, PhoneNumber.of(TO));
            int closedPort;
            try (ServerSocket s = new ServerSocket(0)) {
                closedPort = s.getLocalPort();
            }
            Map<String, String> closed = new HashMap<>(config);
            closed.put("vonage.base-url", "http://127.0.0.1:" + closedPort);
            seen.add(failure(() -> VonageFixtures.provider(closed, context).place(VonageFixtures.voipCall())));

            String body = VonageFixtures.eventBody(CALL_UUID, "completed", "");
            String url = CALLBACK.toString();
            seen.add(failure(() -> handle(provider, VonageFixtures.event(url, body, "forged-secret-0123456789abcdef0123456789", START))));
            seen.add(failure(() -> handle(provider, VonageFixtures.event(url, body, CANARY_SIGNATURE_SECRET, START.minus(Duration.ofHours(1))))));
            seen.add(failure(() -> handle(provider, VonageFixtures.event(url, "{\"uuid\": ", CANARY_SIGNATURE_SECRET, START))));
            String token = VonageFixtures.callbackToken(CANARY_SIGNATURE_SECRET, VonageFixtures.claims(START, body));
            seen.add(failure(() -> handle(provider, WebhookRequest.post(url, Map.of("Authorization", "Bearer " + token),
                    body.replace("completed", "failed")))));
            seen.add(failure(() -> handle(provider, WebhookRequest.post(url, Map.of("Authorization", "Bearer not.a.jwt"), body))));

            Map<String, String> broken = new HashMap<>(config);
            broken.put("vonage.private-key", "-----BEGIN PRIVATE KEY-----\n" + CANARY_KEY_TEXT + "\n-----END PRIVATE KEY-----");
            broken.put("vonage.signature-secret", "CANARYshort");
            broken.remove("vonage.api-key");
            seen.add(failure(() -> VonageConfig.from(ProviderConfig.of(broken))));
            Map<String, String> noKey = new HashMap<>(config);
            noKey.put("vonage.private-key", CANARY_KEY_TEXT);
            seen.add(failure(() -> VonageConfig.from(ProviderConfig.of(noKey))));
        } finally {
            System.setErr(originalErr);
        }
        seen.add(logs.toString(StandardCharsets.UTF_8));

        String everything = String.join("\n", seen);
        assertThat(everything).contains("Unauthorized", "could not reach Vonage", "Refused a Vonage callback",
                "payload_hash", "vonage.private-key", "vonage.signature-secret");
        assertThat(everything).doesNotContain("CANARY");
        String basic = Base64.getEncoder().encodeToString(("abcd1234:" + CANARY_API_SECRET).getBytes(StandardCharsets.UTF_8));
        assertThat(everything).doesNotContain(basic);
        for (String line : VonageFixtures.privateKeyPem().split("\n")) {
            if (!line.startsWith("-----")) assertThat(everything).doesNotContain(line);
        }
        List<String> minted = vonage.findAll(anyRequestedFor(anyUrl())).stream().map(LoggedRequest::getHeaders)
                .map(h -> h.getHeader("Authorization").firstValue()).filter(a -> a.startsWith("Bearer "))
                .map(a -> a.substring(7)).toList();
        assertThat(minted).as("API tokens were minted").hasSizeGreaterThanOrEqualTo(4);
        for (String jwt : minted) {
            assertThat(everything).doesNotContain(jwt).doesNotContain(jwt.substring(jwt.lastIndexOf('.') + 1));
        }
    }

    private static void handle(VonageProvider provider, WebhookRequest request) {
        provider.webhooks().handle(request, WebhookContext.none()).events();
    }

    /** The exception's message, toString and full stack trace with causes. */
    private static String failure(Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            StringWriter trace = new StringWriter();
            e.printStackTrace(new PrintWriter(trace));
            return e.getMessage() + "\n" + e + "\n" + trace;
        }
        throw new AssertionError("expected a failure");
    }
}
