package io.globalcalling.provider.awsconnect;

import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.globalcalling.ErrorReason;
import io.globalcalling.Skill;
import io.globalcalling.provider.awsconnect.internal.SqsEventPoller;
import io.globalcalling.spi.ProviderException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.connect.ConnectClient;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.globalcalling.provider.awsconnect.Fixtures.CONTACT_ID;
import static io.globalcalling.provider.awsconnect.Fixtures.INSTANCE_ID;
import static io.globalcalling.provider.awsconnect.Fixtures.START_PATH;
import static io.globalcalling.provider.awsconnect.Fixtures.TO;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Faults below the AWS SDK's service errors, from a WireMock Connect and SQS (a reset, a timeout, a garbled answer,
 * and what the SDK's JDK-based HTTP client lets out unwrapped: an {@code UncheckedIOException} for an answer that is
 * not HTTP), each as the provider's failure with the outcome the core acts on, naming no number in it, its causes or
 * the logs.
 */
class AwsConnectClientFaultTest {

    @RegisterExtension
    static WireMockExtension aws = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()
            .globalTemplating(false)).build();

    @RegisterExtension
    final ConnectUnderTest connect = new ConnectUnderTest(aws.baseUrl());
    private final AwsConnectProvider provider = connect.provider();

    @Test
    void aPlacementAnsweredWithBytesThatAreNotHttpIsAnUnknownOutcomeSentOnce() {
        aws.stubFor(put(urlPathEqualTo(START_PATH)).willReturn(aResponse().withFault(Fault.RANDOM_DATA_THEN_CLOSE)));

        Throwable e = catchThrowable(() -> provider.place(Fixtures.call("call-garbled", Skill.GENERAL)));

        assertThat(e).isInstanceOf(ProviderException.class);
        assertThat(((ProviderException) e).reason()).isEqualTo(ErrorReason.OUTCOME_UNKNOWN);
        assertThat(e.getMessage()).contains("StartOutboundVoiceContact").contains("Invalid Http response");
        aws.verify(1, putRequestedFor(urlPathEqualTo(START_PATH)));
    }

    @Test
    void aGarbledAnswerQuotingTheNumberNamesItNeitherInTheFailureNorInItsCauses() {
        // what an answer says of itself (here its status line) reaches the SDK's message: a gateway in the way may
        // quote the request in it
        aws.stubFor(put(urlPathEqualTo(START_PATH)).willReturn(aResponse().withStatus(200)
                .withStatusMessage("Dialled " + TO).withHeader("Content-Type", "application/json")
                .withBody("<html>Dialled " + TO + "</html>")));

        Throwable e = catchThrowable(() -> provider.place(Fixtures.call("call-garbled", Skill.GENERAL)));

        assertThat(e).isInstanceOf(ProviderException.class).hasMessageContaining("Unable to unmarshall response");
        assertThat(((ProviderException) e).reason()).isEqualTo(ErrorReason.OUTCOME_UNKNOWN);
        assertThat(trace(e)).doesNotContain(TO).doesNotContain(TO.substring(1));
        aws.verify(1, putRequestedFor(urlPathEqualTo(START_PATH)));
    }

    @Test
    void aPlacementTimedOutIsAnUnknownOutcomeSentOnceAndSaysSo() {
        aws.stubFor(put(urlPathEqualTo(START_PATH)).willReturn(aResponse().withStatus(200).withFixedDelay(3_000)
                .withHeader("Content-Type", "application/json").withBody("{\"ContactId\":\"" + CONTACT_ID + "\"}")));
        try (ConnectClient impatient = Fixtures.connectBuilder(aws.baseUrl())
                .httpClientBuilder(UrlConnectionHttpClient.builder().socketTimeout(Duration.ofMillis(500))).build()) {

            Throwable e = catchThrowable(() -> Fixtures.provider(Fixtures.baseConfig(), connect.context(), impatient)
                    .place(Fixtures.call("call-slow", Skill.GENERAL)));

            assertThat(e).isInstanceOf(ProviderException.class).hasMessageContaining("timed out");
            assertThat(((ProviderException) e).reason()).isEqualTo(ErrorReason.OUTCOME_UNKNOWN);
            assertThat(trace(e)).doesNotContain(TO).doesNotContain(TO.substring(1));
        }
        aws.verify(1, putRequestedFor(urlPathEqualTo(START_PATH)));
    }

    @Test
    void aPlacementWhoseConnectionTimedOutUnmadeIsUnavailableSoAnotherProviderMayBeTried() throws Exception {
        // a listener whose backlog is full: the kernel drops further SYNs, so a connection attempt times out unmade,
        // as with a Connect endpoint behind a firewall that drops packets
        List<Socket> backlog = new ArrayList<>();
        try (ServerSocket full = new ServerSocket()) {
            full.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1);
            boolean timedOut = false;
            for (int i = 0; i < 16 && !timedOut; i++) {
                Socket s = new Socket();
                backlog.add(s);
                try {
                    s.connect(full.getLocalSocketAddress(), 300);
                } catch (SocketTimeoutException e) {
                    timedOut = true;
                }
            }
            assertThat(timedOut).as("the listener's backlog is full").isTrue();
            try (ConnectClient unreachable = Fixtures.connectBuilder("http://127.0.0.1:" + full.getLocalPort())
                    .httpClientBuilder(UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofMillis(300))
                            .socketTimeout(Duration.ofMillis(300))).build()) {

                Throwable e = catchThrowable(() -> Fixtures.provider(Fixtures.baseConfig(), connect.context(), unreachable)
                        .place(Fixtures.call("call-blackholed", Skill.GENERAL)));

                assertThat(e).isInstanceOf(ProviderException.class).hasMessageContaining("Connect timed out");
                assertThat(((ProviderException) e).reason()).isEqualTo(ErrorReason.UNAVAILABLE);
            }
        } finally {
            for (Socket s : backlog) s.close();
        }
    }

    @Test
    void aFailedAgentCountLogsNoNumberItsAnswerQuoted() {
        aws.stubFor(post(urlPathEqualTo(AwsConnectCapabilitiesTest.METRICS_PATH)).willReturn(aResponse().withStatus(200)
                .withStatusMessage("Dialled " + TO).withHeader("Content-Type", "application/json").withBody("<html>")));
        ByteArrayOutputStream logs = new ByteArrayOutputStream();
        PrintStream err = System.err;
        System.setErr(new PrintStream(logs, true, StandardCharsets.UTF_8));
        try {
            provider.capabilities();
        } finally {
            System.setErr(err);
        }

        assertThat(logs.toString(StandardCharsets.UTF_8)).contains("agent counts could not be read")
                .doesNotContain(TO).doesNotContain(TO.substring(1));
    }

    @Test
    void aReadOrHangUpAnsweredWithBytesThatAreNotHttpIsUnavailable() {
        aws.stubFor(get(urlPathEqualTo("/contacts/" + INSTANCE_ID + "/" + CONTACT_ID))
                .willReturn(aResponse().withFault(Fault.RANDOM_DATA_THEN_CLOSE)));
        aws.stubFor(post(urlPathEqualTo("/contact/stop")).willReturn(aResponse().withFault(Fault.RANDOM_DATA_THEN_CLOSE)));

        Throwable read = catchThrowable(() -> provider.fetch(CONTACT_ID));
        Throwable hangUp = catchThrowable(() -> provider.hangUp(CONTACT_ID));

        assertThat(read).isInstanceOf(ProviderException.class).hasMessageContaining("DescribeContact");
        assertThat(((ProviderException) read).reason()).isEqualTo(ErrorReason.UNAVAILABLE);
        assertThat(hangUp).isInstanceOf(ProviderException.class).hasMessageContaining("StopContact");
        assertThat(((ProviderException) hangUp).reason()).isEqualTo(ErrorReason.UNAVAILABLE);
    }

    @Test
    void agentCountsAnsweredWithBytesThatAreNotHttpKeepTheLastCounts() {
        aws.stubFor(post(urlPathEqualTo(AwsConnectCapabilitiesTest.METRICS_PATH))
                .willReturn(aResponse().withFault(Fault.RANDOM_DATA_THEN_CLOSE)));

        Throwable e = catchThrowable(provider::capabilities);

        assertThat(e).isNull();
        assertThat(provider.capabilities().agentsBySkill()).containsEntry(Skill.GENERAL, 0);
    }

    @Test
    void theQueuePollerGoesOnAfterAnAnswerThatIsNotHttp() throws Exception {
        String queueUrl = aws.baseUrl() + "/123456789012/connect-contact-events";
        String body = "an event";
        aws.stubFor(post(urlPathEqualTo("/")).withHeader("X-Amz-Target", equalTo(SqsEventPollerTest.RECEIVE))
                .inScenario("sqs").whenScenarioStateIs(Scenario.STARTED).willSetStateTo("healthy")
                .willReturn(aResponse().withFault(Fault.RANDOM_DATA_THEN_CLOSE)));
        aws.stubFor(post(urlPathEqualTo("/")).withHeader("X-Amz-Target", equalTo(SqsEventPollerTest.RECEIVE))
                .inScenario("sqs").whenScenarioStateIs("healthy").willSetStateTo("drained")
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/x-amz-json-1.0")
                        .withBody("{\"Messages\": [{\"MessageId\": \"msg-0\", \"ReceiptHandle\": \"receipt-0\","
                                + " \"MD5OfBody\": \"" + SqsEventPollerTest.md5(body) + "\", \"Body\": \"" + body + "\"}]}")));
        aws.stubFor(post(urlPathEqualTo("/")).withHeader("X-Amz-Target", equalTo(SqsEventPollerTest.RECEIVE))
                .inScenario("sqs").whenScenarioStateIs("drained")
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/x-amz-json-1.0")
                        .withBody("{}").withFixedDelay(100)));
        aws.stubFor(post(urlPathEqualTo("/")).withHeader("X-Amz-Target", equalTo(SqsEventPollerTest.DELETE))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/x-amz-json-1.0").withBody("{}")));
        List<String> applied = new CopyOnWriteArrayList<>();
        CountDownLatch appliedOne = new CountDownLatch(1);
        List<Throwable> escaped = new CopyOnWriteArrayList<>();
        try (SqsClient sqs = Fixtures.sqs(aws.baseUrl())) {
            SqsEventPoller poller = new SqsEventPoller(sqs, queueUrl, Duration.ofSeconds(1), Duration.ofSeconds(30), b -> {
                applied.add(b);
                appliedOne.countDown();
            });
            Thread t = new Thread(poller);
            t.setUncaughtExceptionHandler((thread, error) -> escaped.add(error));
            t.start();
            try {
                assertThat(appliedOne.await(10, TimeUnit.SECONDS)).as("a message applied after the fault").isTrue();
            } finally {
                poller.stop();
                t.join(5000);
            }
        }
        assertThat(escaped).isEmpty();
        assertThat(applied).containsExactly(body);
    }

    private static String trace(Throwable e) {
        StringWriter out = new StringWriter();
        e.printStackTrace(new PrintWriter(out));
        return out.toString();
    }
}
