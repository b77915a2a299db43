package io.globalcalling.provider.awsconnect;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.globalcalling.CallStatus;
import io.globalcalling.ErrorReason;
import io.globalcalling.spi.CallEvent;
import io.globalcalling.spi.PlacementSearch;
import io.globalcalling.spi.ProviderException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.globalcalling.provider.awsconnect.Fixtures.CONTACT_ID;
import static io.globalcalling.provider.awsconnect.Fixtures.INSTANCE_ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** DescribeContact for fetch and reconciliation, StopContact for hanging up. */
class AwsConnectReconcileTest {

    static final String CONTACT_PATH = "/contacts/" + INSTANCE_ID + "/" + CONTACT_ID;

    @RegisterExtension
    static WireMockExtension aws = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @RegisterExtension
    final ConnectUnderTest connect = new ConnectUnderTest(aws.baseUrl());
    private final AwsConnectProvider provider = connect.provider();

    /** A contact as DescribeContact returns it; timestamps are epoch seconds, as in AWS's REST-JSON protocol. */
    static String contact(String extra) {
        return """
                {"Contact": {"Arn": "%s/contact/%s", "Id": "%s", "InitialContactId": "%s", "InitiationMethod": "API",
                  "Channel": "VOICE", "InitiationTimestamp": 1714557601, "LastUpdateTimestamp": 1714557700,
                  "Attributes": {"callId": "call-42", "skill": "vip"}%s}}
                """.formatted(Fixtures.INSTANCE_ARN, CONTACT_ID, CONTACT_ID, CONTACT_ID, extra);
    }

    private static void describeReturns(String extra) {
        aws.stubFor(get(urlPathEqualTo(CONTACT_PATH)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(contact(extra))));
    }

    @Test
    void aFinishedContactIsCompletedWithItsTalkTimeAndOurCallId() {
        describeReturns(", \"ConnectedToSystemTimestamp\": 1714557609, \"DisconnectTimestamp\": 1714557789,"
                + " \"DisconnectReason\": \"CUSTOMER_DISCONNECT\","
                + " \"QueueInfo\": {\"Id\": \"q-vip-0005\", \"EnqueueTimestamp\": 1714557615},"
                + " \"AgentInfo\": {\"Id\": \"ag-1\", \"ConnectedToAgentTimestamp\": 1714557660}");

        CallEvent e = provider.fetch(CONTACT_ID).orElseThrow();

        assertThat(e.status()).isEqualTo(CallStatus.COMPLETED);
        assertThat(e.providerCallId()).isEqualTo(CONTACT_ID);
        assertThat(e.callId()).isEqualTo("call-42");
        assertThat(e.duration()).isEqualTo(Duration.ofSeconds(180));
        assertThat(e.occurredAt()).isEqualTo(Instant.ofEpochSecond(1714557789));
        assertThat(e.details()).containsEntry("disconnectReason", "CUSTOMER_DISCONNECT");
    }

    @Test
    void aContactInProgressIsAtItsLatestStep() {
        describeReturns(", \"ConnectedToSystemTimestamp\": 1714557609,"
                + " \"QueueInfo\": {\"Id\": \"q-vip-0005\", \"EnqueueTimestamp\": 1714557615}");

        assertThat(provider.fetch(CONTACT_ID)).get().extracting(CallEvent::status).isEqualTo(CallStatus.WAITING_FOR_AGENT);
    }

    @Test
    void aContactNeverAnsweredEndsByItsReason() {
        describeReturns(", \"DisconnectTimestamp\": 1714557661, \"DisconnectReason\": \"TELECOM_BUSY\"");

        CallEvent e = provider.fetch(CONTACT_ID).orElseThrow();

        assertThat(e.status()).isEqualTo(CallStatus.BUSY);
        assertThat(e.duration()).isNull();
    }

    /**
     * DescribeContact had no ConnectedToSystemTimestamp before May 2024. StartOutboundVoiceContact runs its flow once
     * the call is connected, so a contact its flow put in a queue was answered, no later than it was queued: it read
     * as no-answer, and a call talked on settled at the per-call fee.
     */
    @Test
    void aContactRecordedBeforeMay2024ThatWasQueuedWasAnsweredNoLaterThanItsQueueing() {
        describeReturns(", \"DisconnectTimestamp\": 1714557675, \"DisconnectReason\": \"CUSTOMER_DISCONNECT\","
                + " \"QueueInfo\": {\"Id\": \"q-vip-0005\", \"EnqueueTimestamp\": 1714557615}");

        CallEvent e = provider.fetch(CONTACT_ID).orElseThrow();

        assertThat(e.status()).isEqualTo(CallStatus.COMPLETED);
        assertThat(e.duration()).isEqualTo(Duration.ofSeconds(60));
        assertThat(e.occurredAt()).isEqualTo(Instant.ofEpochSecond(1714557675));
    }

    @Test
    void aContactRecordedBeforeMay2024ThatAThirdPartyOrASupervisorEndedWasAnswered() {
        for (String reason : List.of("THIRD_PARTY_DISCONNECT", "BARGED")) {
            describeReturns(", \"DisconnectTimestamp\": 1714557675, \"DisconnectReason\": \"" + reason + "\"");

            CallEvent e = provider.fetch(CONTACT_ID).orElseThrow();

            assertThat(e.status()).as(reason).isEqualTo(CallStatus.COMPLETED);
            assertThat(e.duration()).as(reason + ": when it was answered is not recorded").isNull();
        }
    }

    @Test
    void aReadKeepsTheSdksRetriesOfAServerFault() {
        // only placements lose the SDK's retries of a 5xx: reading a contact twice dials no one
        aws.stubFor(get(urlPathEqualTo(CONTACT_PATH)).inScenario("flaky").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(Fixtures.awsError(500, "InternalServiceException", "Request processing failed"))
                .willSetStateTo("ok"));
        aws.stubFor(get(urlPathEqualTo(CONTACT_PATH)).inScenario("flaky").whenScenarioStateIs("ok")
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody(contact(", \"DisconnectTimestamp\": 1714557661, \"DisconnectReason\": \"TELECOM_BUSY\""))));

        assertThat(provider.fetch(CONTACT_ID)).get().extracting(CallEvent::status).isEqualTo(CallStatus.BUSY);
        aws.verify(2, getRequestedFor(urlPathEqualTo(CONTACT_PATH)));
    }

    @Test
    void anUnknownContactIsEmpty() {
        aws.stubFor(get(urlPathEqualTo(CONTACT_PATH))
                .willReturn(Fixtures.awsError(404, "ResourceNotFoundException", "Contact not found")));

        assertThat(provider.fetch(CONTACT_ID)).isEqualTo(Optional.empty());
    }

    @Test
    void aFailingDescribeIsAClearProviderException() {
        aws.stubFor(get(urlPathEqualTo(CONTACT_PATH))
                .willReturn(Fixtures.awsError(500, "InternalServiceException", "Request processing failed")));

        ProviderException e = catchThrowableOfType(ProviderException.class, () -> provider.fetch(CONTACT_ID));

        assertThat(e.reason()).isEqualTo(ErrorReason.UNAVAILABLE);
        assertThat(e.getMessage()).contains("DescribeContact", "InternalServiceException");
    }

    @Test
    void aPlacementWhoseAnswerWasLostIsFoundByOurCallIdAmongTheContactAttributes() {
        aws.stubFor(post(urlPathEqualTo("/search-contacts")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("""
                        {"Contacts": [{"Arn": "%s/contact/%s", "Id": "%s", "InitialContactId": "%s",
                          "InitiationMethod": "API", "Channel": "VOICE", "InitiationTimestamp": 1714557601}],
                         "TotalCount": 1}
                        """.formatted(Fixtures.INSTANCE_ARN, CONTACT_ID, CONTACT_ID, CONTACT_ID))));
        describeReturns(", \"ConnectedToSystemTimestamp\": 1714557609");

        PlacementSearch search = provider.findPlaced(Fixtures.call("call-42", io.globalcalling.Skill.VIP),
                Fixtures.START, Fixtures.START);

        assertThat(search).isInstanceOf(PlacementSearch.Found.class);
        assertThat(((PlacementSearch.Found) search).event()).satisfies(e -> {
            assertThat(e.providerCallId()).isEqualTo(CONTACT_ID);
            assertThat(e.callId()).isEqualTo("call-42");
            assertThat(e.status()).isEqualTo(CallStatus.ANSWERED);
        });
        aws.verify(postRequestedFor(urlPathEqualTo("/search-contacts")).withRequestBody(equalToJson("""
                {"InstanceId": "%s", "MaxResults": 10,
                 "TimeRange": {"Type": "INITIATION_TIMESTAMP", "StartTime": 1714557480, "EndTime": 1714557720},
                 "SearchCriteria": {"Channels": ["VOICE"], "InitiationMethods": ["API"],
                   "SearchableContactAttributes": {"MatchType": "MATCH_ALL",
                     "Criteria": [{"Key": "callId", "Values": ["call-42"]}]}}}
                """.formatted(INSTANCE_ID))));
    }

    @Test
    void anEmptySearchIsUnknownNeverNotPlacedSinceConnectListsAVoiceContactOnlyOnceItReachedAnAgentOrEnded() {
        aws.stubFor(post(urlPathEqualTo("/search-contacts")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"Contacts\": [], \"TotalCount\": 0}")));

        assertThat(provider.findPlaced(Fixtures.call("call-43", io.globalcalling.Skill.VIP), Fixtures.START, Fixtures.START))
                .isInstanceOfSatisfying(PlacementSearch.Unknown.class, u -> assertThat(u.why()).contains("no contact"));
    }

    @Test
    void aFailedSearchIsUnknown() {
        aws.stubFor(post(urlPathEqualTo("/search-contacts"))
                .willReturn(Fixtures.awsError(400, "InvalidParameterException", "One or more parameters are not valid")));

        assertThat(provider.findPlaced(Fixtures.call("call-44", io.globalcalling.Skill.VIP), Fixtures.START, Fixtures.START))
                .isInstanceOfSatisfying(PlacementSearch.Unknown.class, u -> assertThat(u.why()).contains("SearchContacts"));
    }

    @Test
    void hangUpStopsTheContact() {
        aws.stubFor(post(urlPathEqualTo("/contact/stop")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{}")));

        provider.hangUp(CONTACT_ID);

        aws.verify(1, postRequestedFor(urlPathEqualTo("/contact/stop"))
                .withRequestBody(equalToJson("{\"ContactId\": \"%s\", \"InstanceId\": \"%s\"}".formatted(CONTACT_ID, INSTANCE_ID))));
    }

    @Test
    void hangingUpAContactThatHadEndedDoesNothing() {
        aws.stubFor(post(urlPathEqualTo("/contact/stop"))
                .willReturn(Fixtures.awsError(410, "ContactNotFoundException", "Contact is not active")));

        provider.hangUp(CONTACT_ID);

        aws.verify(1, postRequestedFor(urlPathEqualTo("/contact/stop")));
    }

    @Test
    void aRefusedHangUpIsAClearProviderException() {
        aws.stubFor(post(urlPathEqualTo("/contact/stop"))
                .willReturn(Fixtures.awsError(400, "InvalidRequestException", "The request is not valid")));

        ProviderException e = catchThrowableOfType(ProviderException.class, () -> provider.hangUp(CONTACT_ID));

        assertThat(e.reason()).isEqualTo(ErrorReason.INVALID_REQUEST);
        assertThat(e.getMessage()).contains("StopContact");
    }
}
