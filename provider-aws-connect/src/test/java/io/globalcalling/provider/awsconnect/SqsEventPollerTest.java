package io.globalcalling.provider.awsconnect;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.globalcalling.CallStatus;
import io.globalcalling.provider.awsconnect.internal.SqsEventPoller;
import io.globalcalling.spi.CallEvent;
import io.globalcalling.testkit.TestProviderContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.connect.ConnectClient;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The SQS poller against a WireMock that speaks SQS's JSON protocol (POST / with {@code X-Amz-Target:
 * AmazonSQS.ReceiveMessage}, {@code application/x-amz-json-1.0}, {@code MD5OfBody} checked by the SDK).
 */
class SqsEventPollerTest {

    static final String RECEIVE = "AmazonSQS.ReceiveMessage";
    static final String DELETE = "AmazonSQS.DeleteMessage";

    @RegisterExtension
    static WireMockExtension sqsServer = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private final ObjectMapper json = new ObjectMapper();
    private final TestProviderContext context = Fixtures.context();
    private final ConnectClient connect = Fixtures.connect("http://127.0.0.1:9");   // never called here
    private final SqsClient sqs = Fixtures.sqs(sqsServer.baseUrl());
    private AwsConnectProvider provider;

    @AfterEach
    void close() {
        if (provider != null) provider.close();
        context.close();
        sqs.close();
        connect.close();
    }

    private String queueUrl() {
        return sqsServer.baseUrl() + "/123456789012/connect-contact-events";
    }

    /** One ReceiveMessage answer with these bodies, then empty answers (a long poll that found nothing). */
    private void queueHolds(String... bodies) throws Exception {
        List<Map<String, String>> messages = new java.util.ArrayList<>();
        for (int i = 0; i < bodies.length; i++) {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("MessageId", "msg-" + i);
            m.put("ReceiptHandle", "receipt-" + i);
            m.put("MD5OfBody", md5(bodies[i]));
            m.put("Body", bodies[i]);
            messages.add(m);
        }
        sqsServer.stubFor(post(urlPathEqualTo("/")).withHeader("X-Amz-Target", equalTo(RECEIVE))
                .inScenario("queue").whenScenarioStateIs(Scenario.STARTED).willSetStateTo("drained")
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/x-amz-json-1.0")
                        .withBody(json.writeValueAsString(Map.of("Messages", messages)))));
        sqsServer.stubFor(post(urlPathEqualTo("/")).withHeader("X-Amz-Target", equalTo(RECEIVE))
                .inScenario("queue").whenScenarioStateIs("drained")
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/x-amz-json-1.0")
                        .withBody("{}").withFixedDelay(200)));
        sqsServer.stubFor(post(urlPathEqualTo("/")).withHeader("X-Amz-Target", equalTo(DELETE))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/x-amz-json-1.0").withBody("{}")));
    }

    static String md5(String body) throws Exception {
        byte[] d = MessageDigest.getInstance("MD5").digest(body.getBytes(StandardCharsets.UTF_8));
        return String.format("%032x", new BigInteger(1, d));
    }

    @Test
    void contactEventsFromTheQueueReachTheSinkAndAreDeletedOnceApplied() throws Exception {
        String queued = Fixtures.event("QUEUED", Fixtures.CONTACT_ID, Map.of("enqueueTimestamp", "2024-05-01T10:00:15Z"), null);
        queueHolds(queued, "this is not an event");
        Map<String, String> config = Fixtures.baseConfig();
        config.put("aws-connect.sqs-queue-url", queueUrl());
        config.put("aws-connect.sqs-wait", "1s");

        provider = new AwsConnectProvider(Fixtures.config(config), context, connect, sqs);
        CallEvent e = context.events().awaitStatus(Fixtures.CONTACT_ID, CallStatus.WAITING_FOR_AGENT, Duration.ofSeconds(10));

        assertThat(e.providerId()).isEqualTo("aws-connect");
        await(() -> sqsServer.findAll(postRequestedFor(urlPathEqualTo("/")).withHeader("X-Amz-Target", equalTo(DELETE))).size() == 2);
        sqsServer.verify(postRequestedFor(urlPathEqualTo("/")).withHeader("X-Amz-Target", equalTo(DELETE))
                .withRequestBody(equalToJson("{\"QueueUrl\": \"" + queueUrl() + "\", \"ReceiptHandle\": \"receipt-0\"}")));
        sqsServer.verify(postRequestedFor(urlPathEqualTo("/")).withHeader("X-Amz-Target", equalTo(DELETE))
                .withRequestBody(equalToJson("{\"QueueUrl\": \"" + queueUrl() + "\", \"ReceiptHandle\": \"receipt-1\"}")));
        sqsServer.verify(postRequestedFor(urlPathEqualTo("/")).withHeader("X-Amz-Target", equalTo(RECEIVE))
                .withHeader("Content-Type", matching("application/x-amz-json-1\\.0.*"))
                .withHeader("Authorization", matching("AWS4-HMAC-SHA256 Credential=" + Fixtures.ACCESS_KEY
                        + "/\\d{8}/us-east-1/sqs/aws4_request, .*"))
                .withRequestBody(equalToJson("{\"QueueUrl\": \"" + queueUrl() + "\", \"MaxNumberOfMessages\": 10,"
                        + " \"WaitTimeSeconds\": 1, \"VisibilityTimeout\": 60}", true, true)));
        assertThat(context.events().events()).hasSize(1);
    }

    @Test
    void closingTheProviderStopsPolling() throws Exception {
        queueHolds();
        Map<String, String> config = Fixtures.baseConfig();
        config.put("aws-connect.sqs-queue-url", queueUrl());
        config.put("aws-connect.sqs-wait", "1s");
        provider = new AwsConnectProvider(Fixtures.config(config), context, connect, sqs);
        await(() -> receives() >= 2);

        provider.close();
        Thread.sleep(500);   // the receive in progress may still finish
        int afterClose = receives();
        Thread.sleep(1000);

        assertThat(receives()).isEqualTo(afterClose);
    }

    @Test
    void aMessageWhoseApplicationFailsIsLeftForSqsToDeliverAgain() throws Exception {
        queueHolds("{\"detail\":{}}", "second");
        List<String> applied = new CopyOnWriteArrayList<>();
        SqsEventPoller poller = new SqsEventPoller(sqs, queueUrl(), Duration.ofSeconds(1), Duration.ofSeconds(30), body -> {
            if (body.equals("second")) throw new IllegalStateException("the store is down");
            applied.add(body);
        });
        Thread t = new Thread(poller);
        t.start();
        try {
            await(() -> applied.size() == 1 && receives() >= 2);
        } finally {
            poller.stop();
            t.join(5000);
        }

        List<String> deleted = sqsServer.findAll(postRequestedFor(urlPathEqualTo("/")).withHeader("X-Amz-Target", equalTo(DELETE)))
                .stream().map(r -> r.getBodyAsString()).toList();
        assertThat(deleted).hasSize(1).allSatisfy(b -> assertThat(b).contains("receipt-0"));
        assertThat(poller.applied()).isEqualTo(1);
    }

    private int receives() {
        return sqsServer.findAll(postRequestedFor(urlPathEqualTo("/")).withHeader("X-Amz-Target", equalTo(RECEIVE))).size();
    }

    private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("condition not met within 10 s");
            Thread.sleep(20);
        }
    }
}
