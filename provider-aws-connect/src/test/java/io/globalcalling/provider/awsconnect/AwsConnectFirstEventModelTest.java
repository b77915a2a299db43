package io.globalcalling.provider.awsconnect;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.globalcalling.CallStatus;
import io.globalcalling.spi.CallEvent;
import io.globalcalling.spi.WebhookContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.globalcalling.provider.awsconnect.Fixtures.CONTACT_ID;
import static io.globalcalling.provider.awsconnect.Fixtures.INSTANCE_ARN;
import static io.globalcalling.provider.awsconnect.Fixtures.INSTANCE_ID;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Connect's first contact event model (2021) has no timestamps and no disconnect reason: its DISCONNECTED says
 * neither whether nor when the callee answered. Such an end is decided by DescribeContact's record of the contact;
 * when Connect cannot be asked, a contact an agent took was answered, and any other stays open for reconciliation.
 */
class AwsConnectFirstEventModelTest {

    static final String CONTACT_PATH = "/contacts/" + INSTANCE_ID + "/" + CONTACT_ID;
    static final Instant ANSWERED = Instant.parse("2024-05-01T10:00:09Z");
    static final Instant HUNG_UP = Instant.parse("2024-05-01T10:04:09Z");

    @RegisterExtension
    static WireMockExtension aws = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @RegisterExtension
    final ConnectUnderTest connect = new ConnectUnderTest(aws.baseUrl());
    private final AwsConnectProvider provider = connect.provider();

    /** A DISCONNECTED event as Connect's first model sends it (its sample's casing), with or without an agent. */
    private static String firstModelEnd(boolean agent) {
        return """
                {"version":"0","id":"e-1","detail-type":"Amazon Connect Contact Event","source":"aws.connect",
                 "account":"123456789012","time":"%s","region":"us-east-1","resources":[],
                 "detail":{"EventType":"DISCONNECTED","ContactId":"%s","InitialContactId":"%s","Channel":"Voice",
                   "InstanceARN":"%s","InitiationMethod":"API",
                   "QueueInfo":{"QueueArn":"%s/queue/q-general-0001","QueueType":"STANDARD"}%s}}
                """.formatted(HUNG_UP.plusSeconds(2), CONTACT_ID, CONTACT_ID, INSTANCE_ARN, INSTANCE_ARN,
                agent ? ",\"AgentInfo\":{\"AgentArn\":\"" + INSTANCE_ARN + "/agent/ag-1\",\"RoutingProfileArn\":\"rp\"}" : "");
    }

    private static void describeReturns(String extra) {
        aws.stubFor(get(urlPathEqualTo(CONTACT_PATH)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("""
                        {"Contact": {"Id": "%s", "InitialContactId": "%s", "InitiationMethod": "API", "Channel": "VOICE",
                          "InitiationTimestamp": 1714557601, "Attributes": {"callId": "call-42"}%s}}
                        """.formatted(CONTACT_ID, CONTACT_ID, extra))));
        aws.stubFor(get(urlPathEqualTo("/contact/associated/" + INSTANCE_ID)).withQueryParam("contactId", equalTo(CONTACT_ID))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody("""
                        {"ContactSummaryList": [{"ContactId": "%s", "InitialContactId": "%s", "InitiationMethod": "API",
                          "Channel": "VOICE", "InitiationTimestamp": 1714557601, "DisconnectTimestamp": %d}]}
                        """.formatted(CONTACT_ID, CONTACT_ID, HUNG_UP.getEpochSecond()))));
    }

    private CallEvent deliver(String body) {
        List<CallEvent> events = provider.webhooks().handle(
                AwsConnectWebhookHandlerTest.post(body, Fixtures.WEBHOOK_SECRET), WebhookContext.none()).events();
        assertThat(events).hasSize(1);
        return events.get(0);
    }

    /** It was read as no-answer: a call talked on for four minutes settled at the per-call fee. */
    @Test
    void aTalkedCallsEndWithoutTimestampsIsTimedFromConnectsRecord() {
        describeReturns(", \"ConnectedToSystemTimestamp\": %d, \"DisconnectTimestamp\": %d, \"DisconnectReason\": \"CUSTOMER_DISCONNECT\""
                .formatted(ANSWERED.getEpochSecond(), HUNG_UP.getEpochSecond()));

        CallEvent e = deliver(firstModelEnd(false));

        assertThat(e.status()).isEqualTo(CallStatus.COMPLETED);
        assertThat(e.duration()).isEqualTo(Duration.between(ANSWERED, HUNG_UP));
        assertThat(e.occurredAt()).isEqualTo(HUNG_UP);
        assertThat(e.callId()).isEqualTo("call-42");
    }

    @Test
    void anUnansweredEndWithoutTimestampsEndsByConnectsReason() {
        describeReturns(", \"DisconnectTimestamp\": %d, \"DisconnectReason\": \"TELECOM_BUSY\"".formatted(HUNG_UP.getEpochSecond()));

        CallEvent e = deliver(firstModelEnd(false));

        assertThat(e.status()).isEqualTo(CallStatus.BUSY);
        assertThat(e.duration()).isNull();
        assertThat(e.details()).containsEntry("disconnectReason", "TELECOM_BUSY");
    }

    @Test
    void whenConnectCannotBeAskedAnEndWithAnAgentIsAnsweredAndAnyOtherStaysOpen() {
        aws.stubFor(get(urlPathEqualTo(CONTACT_PATH))
                .willReturn(Fixtures.awsError(500, "InternalServiceException", "Request processing failed")));

        CallEvent withAgent = deliver(firstModelEnd(true));
        assertThat(withAgent.status()).isEqualTo(CallStatus.COMPLETED);
        assertThat(withAgent.occurredAt()).isEqualTo(HUNG_UP.plusSeconds(2));

        CallEvent withoutAgent = deliver(firstModelEnd(false));
        assertThat(withoutAgent.status()).as("unknown until reconciliation asks Connect").isNull();
        assertThat(withoutAgent.providerCallId()).isEqualTo(CONTACT_ID);
    }

    /** A DISCONNECTED event with its reason and times, but none of the answer (as Connect's agent samples send it). */
    private static String endWithoutAnswerTime(String reason) {
        return Fixtures.event("DISCONNECTED", CONTACT_ID, Map.of("initiationTimestamp", "2024-05-01T10:00:01Z",
                "disconnectTimestamp", HUNG_UP.toString()), reason);
    }

    /** They were read as no-answer: a call talked on for four minutes settled at the per-call fee. */
    @ParameterizedTest
    @ValueSource(strings = {"CUSTOMER_DISCONNECT", "AGENT_DISCONNECT", "THIRD_PARTY_DISCONNECT", "CONTACT_FLOW_DISCONNECT"})
    void anEndWhoseReasonImpliesAnAnswerButCarriesNoAnswerTimeIsDecidedByConnectsRecord(String reason) {
        describeReturns(", \"ConnectedToSystemTimestamp\": %d, \"DisconnectTimestamp\": %d, \"DisconnectReason\": \"%s\""
                .formatted(ANSWERED.getEpochSecond(), HUNG_UP.getEpochSecond(), reason));

        CallEvent e = deliver(endWithoutAnswerTime(reason));

        assertThat(e.status()).isEqualTo(CallStatus.COMPLETED);
        assertThat(e.duration()).isEqualTo(Duration.between(ANSWERED, HUNG_UP));
        assertThat(e.occurredAt()).isEqualTo(HUNG_UP);
        assertThat(e.details()).containsEntry("disconnectReason", reason);
    }

    /** Connect's record from before May 2024 has no ConnectedToSystemTimestamp; the contact was queued, so answered. */
    @Test
    void aCustomersHangUpInTheQueueOfAContactRecordedBeforeMay2024IsAnsweredFromItsQueueing() {
        Instant queued = ANSWERED.plusSeconds(6);
        describeReturns((", \"DisconnectTimestamp\": %d, \"DisconnectReason\": \"CUSTOMER_DISCONNECT\","
                + " \"QueueInfo\": {\"Id\": \"q-general-0001\", \"EnqueueTimestamp\": %d}")
                .formatted(HUNG_UP.getEpochSecond(), queued.getEpochSecond()));

        CallEvent e = deliver(endWithoutAnswerTime("CUSTOMER_DISCONNECT"));

        assertThat(e.status()).isEqualTo(CallStatus.COMPLETED);
        assertThat(e.duration()).isEqualTo(Duration.between(queued, HUNG_UP));
    }

    /** An event of that time carries its queue's timestamp but not the answer's: queued, so answered. */
    @Test
    void anEndWhoseEventSaysItWasQueuedButNotWhenAnsweredIsAnsweredFromItsQueueing() {
        Instant queued = ANSWERED.plusSeconds(6);
        describeReturns(", \"DisconnectTimestamp\": %d, \"QueueInfo\": {\"Id\": \"q-general-0001\", \"EnqueueTimestamp\": %d}"
                .formatted(HUNG_UP.getEpochSecond(), queued.getEpochSecond()));

        CallEvent e = deliver(Fixtures.event("DISCONNECTED", CONTACT_ID, Map.of("initiationTimestamp",
                "2024-05-01T10:00:01Z", "enqueueTimestamp", queued.toString(), "disconnectTimestamp", HUNG_UP.toString()),
                null));

        assertThat(e.status()).isEqualTo(CallStatus.COMPLETED);
        assertThat(e.duration()).isEqualTo(Duration.between(queued, HUNG_UP));
        assertThat(e.occurredAt()).isEqualTo(HUNG_UP);
    }

    @Test
    void whenConnectCannotBeAskedAnAgentsHangUpIsAnsweredAndACustomersStaysOpen() {
        aws.stubFor(get(urlPathEqualTo(CONTACT_PATH))
                .willReturn(Fixtures.awsError(500, "InternalServiceException", "Request processing failed")));

        CallEvent byAgent = deliver(endWithoutAnswerTime("AGENT_DISCONNECT"));
        assertThat(byAgent.status()).as("an agent was on the call").isEqualTo(CallStatus.COMPLETED);
        assertThat(byAgent.details()).containsKey("answerUntimed");

        CallEvent byCustomer = deliver(endWithoutAnswerTime("CUSTOMER_DISCONNECT"));
        assertThat(byCustomer.status()).as("unknown until reconciliation asks Connect").isNull();
        assertThat(byCustomer.providerCallId()).isEqualTo(CONTACT_ID);
    }
}
