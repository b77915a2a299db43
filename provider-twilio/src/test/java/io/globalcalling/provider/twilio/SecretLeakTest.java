package io.globalcalling.provider.twilio;

import io.globalcalling.spi.WebhookContext;
import io.globalcalling.testkit.TestProviderContext;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.globalcalling.CallCategory;
import io.globalcalling.PhoneNumber;
import io.globalcalling.spi.ProviderConfig;
import io.globalcalling.WebhookRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.globalcalling.provider.twilio.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

/** Greps canary credentials out of every exception, toString() and log line the provider produces. */
class SecretLeakTest {

    private static final String CANARY_TOKEN = "CANARYtoken5f0e1d2c3b4a";
    private static final String CANARY_KEY_SECRET = "CANARYsecret9a8b7c6d5e";

    @RegisterExtension
    static WireMockExtension twilio = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @Test
    void canaryCredentialsNeverAppearInExceptionsToStringsOrLogs() throws Exception {
        List<String> seen = new ArrayList<>();
        ByteArrayOutputStream logs = new ByteArrayOutputStream();
        PrintStream originalErr = System.err;
        System.setErr(new PrintStream(logs, true, StandardCharsets.UTF_8));
        try (TestProviderContext context = TwilioTests.context()) {
            Map<String, String> config = baseConfig(twilio.baseUrl());
            config.put("twilio.auth-token", CANARY_TOKEN);
            TwilioProvider provider = Fixtures.provider(config, context);
            Map<String, String> keyConfig = baseConfig(twilio.baseUrl());
            keyConfig.remove("twilio.auth-token");
            keyConfig.put("twilio.api-key", "SK0123456789abcdef0123456789abcdef");
            keyConfig.put("twilio.api-secret", CANARY_KEY_SECRET);
            TwilioProvider keyProvider = Fixtures.provider(keyConfig, context);
            seen.add(provider.toString());
            seen.add(keyProvider.toString());
            seen.add(TwilioConfig.from(ProviderConfig.of(config)).toString());
            seen.add(TwilioConfig.from(ProviderConfig.of(keyConfig)).toString());
            seen.add(new TwilioProviderFactory().toString());
            seen.add(provider.webhooks().toString());

            twilio.stubFor(post(urlEqualTo(CALLS_PATH)).willReturn(aResponse().withStatus(401)
                    .withBody(error(20003, "Authenticate", 401))));
            seen.add(failure(() -> provider.place(voipCall())));
            seen.add(failure(() -> keyProvider.place(voipCall())));
            twilio.stubFor(post(urlEqualTo(CALLS_PATH)).willReturn(aResponse().withStatus(500)));
            seen.add(failure(() -> provider.place(aiCall("Hello"))));
            twilio.stubFor(post(urlEqualTo(CALLS_PATH)).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
            seen.add(failure(() -> provider.place(voipCall())));
            twilio.stubFor(get(urlPathMatching("/v2/.*")).willReturn(aResponse().withStatus(503)));
            provider.quote(CallCategory.INTERNET_VOIP, PhoneNumber.of(TO));
            provider.quote(CallCategory.INTERNET_VOIP, PhoneNumber.of(TO));
            twilio.stubFor(get(urlEqualTo(CALL_PATH)).willReturn(aResponse().withStatus(500)));
            seen.add(failure(() -> provider.fetch(CALL_SID)));
            seen.add(failure(() -> provider.hangUp(CALL_SID)));
            twilio.stubFor(get(urlPathMatching(".*/Recordings\\.json")).willReturn(okJson("{\"recordings\": []}")));
            twilio.stubFor(delete(urlEqualTo(CALL_PATH)).willReturn(aResponse().withStatus(401)
                    .withBody(error(20003, "Authenticate", 401))));
            seen.add(failure(() -> provider.eraseCall(CALL_SID)));
            int closedPort;
            try (ServerSocket s = new ServerSocket(0)) {
                closedPort = s.getLocalPort();
            }
            seen.add(failure(() -> Fixtures.provider(baseConfig("http://127.0.0.1:" + closedPort), context).place(voipCall())));
            WebhookRequest forged = WebhookRequest.post("https://hooks.example.com/twilio?callId=c",
                    Map.of("X-Twilio-Signature", "bm90LWEtc2lnbmF0dXJl"), "CallSid=" + CALL_SID + "&CallStatus=completed");
            seen.add(failure(() -> provider.webhooks().handle(forged, WebhookContext.none()).events()));
            seen.add(failure(() -> keyProvider.webhooks().handle(forged, WebhookContext.none()).events()));
            Map<String, String> broken = Map.of("twilio.account-sid", "ACnope", "twilio.auth-token", CANARY_TOKEN,
                    "twilio.api-secret", CANARY_KEY_SECRET);
            seen.add(failure(() -> TwilioConfig.from(ProviderConfig.of(broken))));
        } finally {
            System.setErr(originalErr);
        }
        seen.add(logs.toString(StandardCharsets.UTF_8));

        String everything = String.join("\n", seen);
        assertThat(everything).contains("Authenticate", "could not reach Twilio", "does not match", "Refused a Twilio callback");
        String basicToken = Base64.getEncoder().encodeToString((ACCOUNT_SID + ":" + CANARY_TOKEN).getBytes(StandardCharsets.UTF_8));
        assertThat(everything).doesNotContain(CANARY_TOKEN).doesNotContain(CANARY_KEY_SECRET).doesNotContain(basicToken)
                .doesNotContain("CANARY");
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
