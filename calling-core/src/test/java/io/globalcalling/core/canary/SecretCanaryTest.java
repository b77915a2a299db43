package io.globalcalling.core.canary;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.globalcalling.core.GlobalCallingManager;
import io.globalcalling.core.system.WebhookConfig;
import io.globalcalling.core.system.WebhookProvider;
import io.globalcalling.core.system.WebhookSignatureVerifier;
import io.globalcalling.CallCategory;
import io.globalcalling.CallRequest;
import io.globalcalling.spi.OutboundCall;
import io.globalcalling.spi.ProviderConfig;
import io.globalcalling.Secret;
import io.globalcalling.WebhookRequest;
import io.globalcalling.testkit.TestProviderContext;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Runs the webhook provider and the manager with a canary signing secret, at debug level, through success and
 * error paths (a 401 and a 500 from the receiver, a reset connection, a closed port, forged and malformed
 * signatures), and greps every log line, exception (with causes and stack) and toString() for the canary.
 */
class SecretCanaryTest {

    private static final String CANARY = "CANARYwhsec7c3e91d04b";

    @RegisterExtension
    static WireMockExtension receiver = WireMockExtension.newInstance()
            .options(wireMockConfig().bindAddress("127.0.0.1").dynamicPort()).build();

    private final List<String> seen = new ArrayList<>();

    @Test
    void theSigningSecretNeverReachesALogAnExceptionOrAToString() throws Exception {
        receiver.stubFor(post(urlEqualTo("/ok")).willReturn(aResponse().withStatus(200)));
        receiver.stubFor(post(urlEqualTo("/unauthorized")).willReturn(aResponse().withStatus(401)
                .withBody("{\"error\":\"bad signature\"}")));
        receiver.stubFor(post(urlEqualTo("/broken")).willReturn(aResponse().withStatus(500)));
        receiver.stubFor(post(urlEqualTo("/reset")).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        String closed = "http://127.0.0.1:" + closedPort() + "/closed";

        ByteArrayOutputStream logs = new ByteArrayOutputStream();
        PrintStream originalErr = System.err;
        System.setErr(new PrintStream(logs, true, StandardCharsets.UTF_8));
        try {
            webhookProvider(closed);
            manager(closed);
            verifier();
        } finally {
            System.setErr(originalErr);
        }
        String logText = logs.toString(StandardCharsets.UTF_8);
        assertThat(logText).as("the code logged at debug").contains("DEBUG");
        assertThat(logText).as("logs").doesNotContain(CANARY);
        assertThat(seen).isNotEmpty().allSatisfy(text -> assertThat(text).doesNotContain(CANARY));
    }

    private void webhookProvider(String closed) {
        WebhookConfig config = WebhookConfig.from(ProviderConfig.of(Map.of(WebhookConfig.SECRET_KEY, CANARY,
                "webhook.max-attempts", "2", "webhook.backoff-cap", "PT0.2S", "webhook.allow-private-networks", "true")));
        seen.add(config.toString());
        try (TestProviderContext context = TestProviderContext.create()) {
            WebhookProvider provider = new WebhookProvider(config, context);
            seen.add(provider.toString());
            for (String url : List.of(url("/ok"), url("/unauthorized"), url("/broken"), url("/reset"), closed)) {
                OutboundCall call = OutboundCall.builder("call-" + url.hashCode(), CallCategory.SYSTEM_API,
                        CallRequest.to(url).category(CallCategory.SYSTEM_API).payload("{\"n\":1}").build()).build();
                try {
                    seen.add(String.valueOf(provider.place(call)));
                } catch (RuntimeException e) {
                    seen.add(everything(e));
                }
            }
            try {
                seen.add(String.valueOf(provider.webhooks().verifyAndParse(WebhookRequest.post(url("/ok"),
                        Map.of(WebhookSignatureVerifier.SIGNATURE_HEADER, "t=1,v1=" + "ab".repeat(32)), "{}"))));
            } catch (RuntimeException e) {
                seen.add(everything(e));
            }
        }
    }

    private void manager(String closed) {
        ProviderConfig config = ProviderConfig.of(Map.of(WebhookConfig.SECRET_KEY, CANARY, "webhook.enabled", "true",
                "webhook.max-attempts", "1", "webhook.allow-private-networks", "true"));
        try (GlobalCallingManager manager = GlobalCallingManager.builder().config(config).build()) {
            seen.add(manager.toString());
            seen.add(config.toString());
            for (String url : List.of(url("/ok"), url("/unauthorized"), url("/reset"), closed, "https://[::1")) {
                try {
                    seen.add(String.valueOf(manager.system().call(CallRequest.to(url).category(CallCategory.SYSTEM_API)
                            .payload("{\"n\":2}").build())));
                } catch (RuntimeException e) {
                    seen.add(everything(e));
                }
            }
            seen.add(String.valueOf(manager.webhooks().handle("webhook", WebhookRequest.post(url("/ok"),
                    Map.of(WebhookSignatureVerifier.SIGNATURE_HEADER, "t=1,v1=" + "cd".repeat(32)), "{}"))));
        }
    }

    private void verifier() {
        WebhookSignatureVerifier verifier = new WebhookSignatureVerifier(Secret.of(CANARY));
        seen.add(verifier.toString());
        byte[] body = "{\"callId\":\"c\"}".getBytes(StandardCharsets.UTF_8);
        String good = WebhookSignatureVerifier.sign(Secret.of(CANARY), Instant.now(), body);
        for (String header : List.of("", "t=x,v1=zz", good.replace("v1=", "v1=0"), good + "0",
                "t=1,v1=" + "ab".repeat(32), good)) {
            try {
                verifier.verify(header, "{\"callId\":\"tampered\"}".getBytes(StandardCharsets.UTF_8), Instant.now());
            } catch (RuntimeException e) {
                seen.add(everything(e));
            }
        }
    }

    private static String url(String path) {
        return receiver.baseUrl() + path;
    }

    /** The exception's toString, messages of every cause, and the printed stack trace. */
    private static String everything(Throwable e) {
        StringWriter out = new StringWriter();
        e.printStackTrace(new PrintWriter(out));
        for (Throwable t = e; t != null; t = t.getCause()) out.append(' ').append(String.valueOf(t.getMessage()));
        return e + " " + out;
    }

    private static int closedPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
