package io.globalcalling.provider.awsconnect;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.globalcalling.CallStatus;
import io.globalcalling.Skill;
import io.globalcalling.spi.CallEvent;
import io.globalcalling.spi.ProviderCapabilities;
import io.globalcalling.spi.WebhookContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.globalcalling.provider.awsconnect.AwsConnectCapabilitiesTest.METRICS_PATH;
import static io.globalcalling.provider.awsconnect.Fixtures.CONTACT_ID;
import static io.globalcalling.provider.awsconnect.Fixtures.INSTANCE_ARN;
import static io.globalcalling.provider.awsconnect.Fixtures.INSTANCE_ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Connect's listings come in pages chained by NextToken. A token that comes back again (a cycle) or pages that never
 * end are refused as Connect's failure after a bounded number of pages: the agent count runs on every routing
 * decision and a transfer's tree on the webhook's thread, so following them forever stalls both.
 */
class AwsConnectPagingTest {

    static final String TREE_PATH = "/contact/associated/" + INSTANCE_ID;
    static final Instant ANSWERED = Instant.parse("2024-05-01T10:00:09Z");
    static final Instant HUNG_UP = Instant.parse("2024-05-01T10:10:00Z");
    /** Long enough for a bounded listing, short of forever. */
    static final Duration PATIENCE = Duration.ofSeconds(20);

    @RegisterExtension
    static WireMockExtension aws = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @RegisterExtension
    final ConnectUnderTest connect = new ConnectUnderTest(aws.baseUrl());
    private final AwsConnectProvider provider = connect.provider();

    /** GetCurrentMetricData grouped by queue, every page answering {@code nextToken}; the total in one page. */
    private static void agentPagesAnswer(String nextToken) {
        aws.stubFor(post(urlPathEqualTo(METRICS_PATH)).atPriority(1).withRequestBody(matchingJsonPath("$.Groupings"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withTransformers("response-template").withBody("""
                                {"MetricResults": [{"Dimensions": {"Queue": {"Id": "q-general-0001", "Arn": "%s/queue/q-general-0001"},
                                  "Channel": "VOICE"}, "Collections": [{"Metric": {"Name": "AGENTS_ONLINE", "Unit": "COUNT"},
                                  "Value": 1.0}]}], "NextToken": "%s", "DataSnapshotTime": 1714557600}
                                """.formatted(INSTANCE_ARN, nextToken))));
        aws.stubFor(post(urlPathEqualTo(METRICS_PATH)).atPriority(2)
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody("""
                        {"MetricResults": [{"Dimensions": {}, "Collections": [{"Metric":
                          {"Name": "AGENTS_ONLINE", "Unit": "COUNT"}, "Value": 1.0}]}], "DataSnapshotTime": 1714557600}
                        """)));
    }

    /** ListAssociatedContacts: the first contact, ended, on every page, every page answering {@code nextToken}. */
    private static void treePagesAnswer(String nextToken) {
        aws.stubFor(get(urlPathEqualTo(TREE_PATH)).withQueryParam("contactId", equalTo(CONTACT_ID))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withTransformers("response-template").withBody("""
                                {"ContactSummaryList": [
                                  {"ContactId": "%s", "InitialContactId": "%s", "InitiationMethod": "API", "Channel": "VOICE",
                                   "InitiationTimestamp": 1714557601, "DisconnectTimestamp": %d}], "NextToken": "%s"}
                                """.formatted(CONTACT_ID, CONTACT_ID, HUNG_UP.getEpochSecond(), nextToken))));
    }

    private static String answeredEnd() {
        return "{\"version\":\"0\",\"id\":\"end-1\",\"detail-type\":\"Amazon Connect Contact Event\",\"source\":"
                + "\"aws.connect\",\"time\":\"" + HUNG_UP + "\",\"detail\":{\"eventType\":\"DISCONNECTED\",\"contactId\":\""
                + CONTACT_ID + "\",\"initialContactId\":\"" + CONTACT_ID + "\",\"channel\":\"VOICE\",\"instanceArn\":\""
                + INSTANCE_ARN + "\",\"initiationMethod\":\"API\",\"connectedToSystemTimestamp\":\"" + ANSWERED
                + "\",\"disconnectTimestamp\":\"" + HUNG_UP + "\",\"attributes\":{\"callId\":\"call-42\"}}}";
    }

    private static <T> T logging(ByteArrayOutputStream logs, Supplier<T> action) {
        PrintStream err = System.err;
        System.setErr(new PrintStream(logs, true, StandardCharsets.UTF_8));
        try {
            return assertTimeoutPreemptively(PATIENCE, action::get, "the listing was followed without end");
        } finally {
            System.setErr(err);
        }
    }

    @Test
    void agentCountsWhoseNextTokenComesBackAreRefusedAndTheLastCountsStand() {
        agentPagesAnswer("page-2");
        ByteArrayOutputStream logs = new ByteArrayOutputStream();

        ProviderCapabilities caps = logging(logs, provider::capabilities);

        assertThat(caps.agentsBySkill()).containsEntry(Skill.GENERAL, 0);   // nothing read before: none
        assertThat(aws.findAll(postRequestedFor(urlPathEqualTo(METRICS_PATH))
                .withRequestBody(matchingJsonPath("$.Groupings")))).hasSize(2);
        assertThat(logs.toString(StandardCharsets.UTF_8)).contains("agent counts could not be read",
                "GetCurrentMetricData", "NextToken");
    }

    @Test
    void agentCountsWhosePagesNeverEndAreRefusedAfterABoundedNumber() {
        agentPagesAnswer("{{randomValue length=24 type='ALPHANUMERIC'}}");
        ByteArrayOutputStream logs = new ByteArrayOutputStream();

        ProviderCapabilities caps = logging(logs, provider::capabilities);

        assertThat(caps.agentsBySkill()).containsEntry(Skill.GENERAL, 0);
        assertThat(aws.findAll(postRequestedFor(urlPathEqualTo(METRICS_PATH))
                .withRequestBody(matchingJsonPath("$.Groupings"))).size()).isBetween(2, 100);
        assertThat(logs.toString(StandardCharsets.UTF_8)).contains("agent counts could not be read",
                "GetCurrentMetricData", "pages");
    }

    @Test
    void aTransferTreeWhoseNextTokenComesBackIsRefusedAndTheCallEndsWithItsContact() {
        treePagesAnswer("page-2");
        ByteArrayOutputStream logs = new ByteArrayOutputStream();

        List<CallEvent> events = logging(logs, () -> provider.webhooks().handle(
                AwsConnectWebhookHandlerTest.post(answeredEnd(), Fixtures.WEBHOOK_SECRET), WebhookContext.none()).events());

        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.status()).isEqualTo(CallStatus.COMPLETED);
            assertThat(e.duration()).isEqualTo(Duration.between(ANSWERED, HUNG_UP));
        });
        assertThat(aws.findAll(getRequestedFor(urlPathEqualTo(TREE_PATH)))).hasSize(2);
        assertThat(logs.toString(StandardCharsets.UTF_8)).contains("ListAssociatedContacts", "NextToken");
    }

    @Test
    void aTransferTreeWhosePagesNeverEndIsRefusedAfterABoundedNumber() {
        treePagesAnswer("{{randomValue length=24 type='ALPHANUMERIC'}}");
        ByteArrayOutputStream logs = new ByteArrayOutputStream();

        List<CallEvent> events = logging(logs, () -> provider.webhooks().handle(
                AwsConnectWebhookHandlerTest.post(answeredEnd(), Fixtures.WEBHOOK_SECRET), WebhookContext.none()).events());

        assertThat(events).singleElement().satisfies(e -> assertThat(e.status()).isEqualTo(CallStatus.COMPLETED));
        assertThat(aws.findAll(getRequestedFor(urlPathEqualTo(TREE_PATH))).size()).isBetween(2, 100);
        assertThat(logs.toString(StandardCharsets.UTF_8)).contains("ListAssociatedContacts", "pages");
    }
}
