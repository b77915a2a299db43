package io.globalcalling.provider.awsconnect;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.globalcalling.Skill;
import io.globalcalling.WebhookRequest;
import io.globalcalling.spi.WebhookContext;
import io.globalcalling.testkit.TestProviderContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.globalcalling.provider.awsconnect.Fixtures.START_PATH;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Greps the webhook secret out of every exception, toString() and log line (at debug level) the provider produces,
 * and checks that AWS credentials are never taken from our configuration: canary credentials under the keys a user
 * might try are neither used to sign a request nor printed; the SDK's own chain signs it.
 */
class SecretLeakTest {

    private static final String CANARY_WEBHOOK_SECRET = "CANARYwebhook5e4d3c2b1a";
    private static final String CANARY_ACCESS_KEY = "AKIACANARY0123456789";
    private static final String CANARY_SECRET_KEY = "CANARYsecretaccesskey9a8b7c";
    private static final String CHAIN_ACCESS_KEY = "AKIDFROMTHECHAIN0001";

    @RegisterExtension
    static WireMockExtension aws = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @Test
    void canaryWebhookSecretNeverAppearsAndAwsCredentialsAreNeverReadFromOurConfig() {
        List<String> seen = new ArrayList<>();
        ByteArrayOutputStream logs = new ByteArrayOutputStream();
        PrintStream originalErr = System.err;
        Map<String, String> sdkProperties = Map.of("aws.accessKeyId", CHAIN_ACCESS_KEY,
                "aws.secretAccessKey", "secret-from-the-sdk-chain");
        Map<String, String> previous = new HashMap<>();
        sdkProperties.forEach((k, v) -> previous.put(k, System.setProperty(k, v)));
        System.setErr(new PrintStream(logs, true, StandardCharsets.UTF_8));
        try (TestProviderContext context = Fixtures.context()) {
            Map<String, String> config = Fixtures.baseConfig();
            config.put("aws-connect.webhook-secret", CANARY_WEBHOOK_SECRET);
            config.put("aws-connect.endpoint", aws.baseUrl());
            config.put("aws-connect.access-key-id", CANARY_ACCESS_KEY);
            config.put("aws-connect.secret-access-key", CANARY_SECRET_KEY);
            config.put("aws.accessKeyId", CANARY_ACCESS_KEY);
            config.put("aws.secretAccessKey", CANARY_SECRET_KEY);
            AwsConnectConfig read = Fixtures.config(config);
            try (AwsConnectProvider provider = new AwsConnectProvider(read, context)) {
                seen.add(provider.toString());
                seen.add(read.toString());
                seen.add(new AwsConnectProviderFactory().toString());
                seen.add(provider.webhooks().toString());

                aws.stubFor(put(urlPathEqualTo(START_PATH)).willReturn(aResponse().withStatus(200)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"ContactId\":\"" + Fixtures.CONTACT_ID + "\"}")));
                provider.place(Fixtures.call("call-1", Skill.SALES));
                aws.stubFor(put(urlPathEqualTo(START_PATH)).willReturn(
                        Fixtures.awsError(403, "AccessDeniedException", "User is not authorized")));
                seen.add(failure(() -> provider.place(Fixtures.call("call-2", Skill.GENERAL))));

                String event = Fixtures.event("INITIATED", Fixtures.CONTACT_ID,
                        Map.of("initiationTimestamp", "2024-05-01T10:00:01Z"), null);
                seen.add(failure(() -> handle(provider, event, "wrong-" + CANARY_WEBHOOK_SECRET)));
                seen.add(failure(() -> handle(provider, event, CANARY_WEBHOOK_SECRET.substring(0, 10))));
                seen.add(failure(() -> handle(provider, event, null)));
                seen.add(failure(() -> handle(provider, "{\"detail\": ", CANARY_WEBHOOK_SECRET)));
                seen.add(failure(() -> handle(provider, event.replace("2024-05-01T10:00:01Z", "soon"), CANARY_WEBHOOK_SECRET)));
            }
            Map<String, String> broken = new HashMap<>(config);
            broken.remove("aws-connect.instance-id");
            seen.add(failure(() -> Fixtures.config(broken)));
        } finally {
            System.setErr(originalErr);
            previous.forEach((k, v) -> {
                if (v == null) System.clearProperty(k);
                else System.setProperty(k, v);
            });
        }
        seen.add(logs.toString(StandardCharsets.UTF_8));

        String everything = String.join("\n", seen);
        assertThat(everything).contains("AccessDeniedException", "Refused an Amazon Connect event",
                "does not match aws-connect.webhook-secret", "aws-connect.instance-id");
        assertThat(everything).doesNotContain("CANARY").doesNotContain(CANARY_WEBHOOK_SECRET.substring(0, 10));
        List<String> signatures = aws.findAll(putRequestedFor(urlPathEqualTo(START_PATH))).stream()
                .map(LoggedRequest::getHeaders).map(h -> h.getHeader("Authorization").firstValue()).toList();
        assertThat(signatures).hasSize(2).allSatisfy(auth -> assertThat(auth)
                .contains("Credential=" + CHAIN_ACCESS_KEY + "/").doesNotContain("CANARY"));
    }

    private static void handle(AwsConnectProvider provider, String body, String secret) {
        WebhookRequest request = AwsConnectWebhookHandlerTest.post(body, secret);
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
