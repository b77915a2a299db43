package io.globalcalling.provider.awsconnect;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.globalcalling.CallStatus;
import io.globalcalling.ErrorReason;
import io.globalcalling.spi.CallEvent;
import io.globalcalling.spi.ProviderException;
import io.globalcalling.spi.WebhookContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.globalcalling.provider.awsconnect.Fixtures.CONTACT_ID;
import static io.globalcalling.provider.awsconnect.Fixtures.INSTANCE_ARN;
import static io.globalcalling.provider.awsconnect.Fixtures.INSTANCE_ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * A contact an agent transfers: Connect starts a new contact (initiation method TRANSFER, the same initial contact,
 * the previous one as its previousContactId) and ends the previous one, while the customer stays on the line. The
 * call is the customer's: it ends when the last of its contacts does, talked on from the first one's answer.
 */
class AwsConnectTransferTest {

    static final String SECOND = "5ec0d000-1234-4567-89ab-cdef01234567";
    static final String TREE_PATH = "/contact/associated/" + INSTANCE_ID;
    static final Instant ANSWERED = Instant.parse("2024-05-01T10:00:09Z");
    static final Instant TRANSFERRED = Instant.parse("2024-05-01T10:03:00Z");
    static final Instant HUNG_UP = Instant.parse("2024-05-01T10:10:00Z");

    @RegisterExtension
    static WireMockExtension aws = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @RegisterExtension
    final ConnectUnderTest connect = new ConnectUnderTest(aws.baseUrl());
    private final AwsConnectProvider provider = connect.provider();

    /** ListAssociatedContacts' answer: the first contact, and the one it was transferred to (live or ended). */
    private static void treeIs(Instant secondEnded) {
        String second = secondEnded == null ? "" : ", \"DisconnectTimestamp\": " + secondEnded.getEpochSecond();
        aws.stubFor(get(urlPathEqualTo(TREE_PATH)).withQueryParam("contactId", equalTo(CONTACT_ID))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody("""
                        {"ContactSummaryList": [
                          {"ContactId": "%s", "InitialContactId": "%s", "InitiationMethod": "API", "Channel": "VOICE",
                           "InitiationTimestamp": 1714557601, "DisconnectTimestamp": %d},
                          {"ContactId": "%s", "InitialContactId": "%s", "PreviousContactId": "%s",
                           "InitiationMethod": "TRANSFER", "Channel": "VOICE", "InitiationTimestamp": %d%s}]}
                        """.formatted(CONTACT_ID, CONTACT_ID, TRANSFERRED.getEpochSecond(), SECOND, CONTACT_ID,
                        CONTACT_ID, TRANSFERRED.getEpochSecond() - 5, second))));
        aws.stubFor(get(urlPathEqualTo("/contacts/" + INSTANCE_ID + "/" + CONTACT_ID)).willReturn(aResponse()
                .withStatus(200).withHeader("Content-Type", "application/json").withBody("""
                        {"Contact": {"Id": "%s", "InitialContactId": "%s", "InitiationMethod": "API", "Channel": "VOICE",
                          "InitiationTimestamp": 1714557601, "ConnectedToSystemTimestamp": %d,
                          "DisconnectTimestamp": %d, "Attributes": {"callId": "call-42"}}}
                        """.formatted(CONTACT_ID, CONTACT_ID, ANSWERED.getEpochSecond(), TRANSFERRED.getEpochSecond()))));
    }

    private static String disconnected(String contactId, Instant connected, Instant ended, String method) {
        StringBuilder detail = new StringBuilder("\"eventType\":\"DISCONNECTED\",\"contactId\":\"" + contactId
                + "\",\"initialContactId\":\"" + CONTACT_ID + "\",\"channel\":\"VOICE\",\"instanceArn\":\""
                + INSTANCE_ARN + "\",\"initiationMethod\":\"" + method + "\",\"disconnectTimestamp\":\"" + ended + "\"");
        if (connected != null) detail.append(",\"connectedToSystemTimestamp\":\"").append(connected).append('"');
        if (!contactId.equals(CONTACT_ID)) detail.append(",\"previousContactId\":\"").append(CONTACT_ID).append('"');
        detail.append(",\"attributes\":{\"callId\":\"call-42\"}");
        return "{\"version\":\"0\",\"id\":\"" + contactId + "-d\",\"detail-type\":\"Amazon Connect Contact Event\","
                + "\"source\":\"aws.connect\",\"time\":\"" + ended + "\",\"detail\":{" + detail + "}}";
    }

    private List<CallEvent> deliver(String body) {
        return provider.webhooks().handle(AwsConnectWebhookHandlerTest.post(body, Fixtures.WEBHOOK_SECRET),
                WebhookContext.none()).events();
    }

    @Test
    void theFirstContactEndingAtATransferDoesNotEndTheCall() {
        treeIs(null);   // the customer is still on the contact they were transferred to

        List<CallEvent> events = deliver(disconnected(CONTACT_ID, ANSWERED, TRANSFERRED, "API"));

        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.providerCallId()).isEqualTo(CONTACT_ID);
            assertThat(e.status()).as("a hand-over, not the end of the call").isNull();
            assertThat(e.duration()).isNull();
        });
    }

    @Test
    void theCallEndsWithItsLastContactAndCountsTheTalkTimeOfEvery() {
        treeIs(HUNG_UP);

        // in either order: each is read against the whole tree of contacts, which has ended
        for (String body : List.of(disconnected(SECOND, null, HUNG_UP, "TRANSFER"),
                disconnected(CONTACT_ID, ANSWERED, TRANSFERRED, "API"))) {
            assertThat(deliver(body)).singleElement().satisfies(e -> {
                assertThat(e.providerCallId()).isEqualTo(CONTACT_ID);
                assertThat(e.callId()).isEqualTo("call-42");
                assertThat(e.status()).isEqualTo(CallStatus.COMPLETED);
                assertThat(e.occurredAt()).isEqualTo(HUNG_UP);
                assertThat(e.duration()).isEqualTo(Duration.between(ANSWERED, HUNG_UP));
            });
        }
    }

    @Test
    void reconciliationReadsTheWholeTreeToo() {
        treeIs(null);
        assertThat(provider.fetch(CONTACT_ID)).get().satisfies(e -> assertThat(e.status()).isNull());

        aws.resetAll();
        treeIs(HUNG_UP);
        assertThat(provider.fetch(CONTACT_ID)).get().satisfies(e -> {
            assertThat(e.status()).isEqualTo(CallStatus.COMPLETED);
            assertThat(e.duration()).isEqualTo(Duration.between(ANSWERED, HUNG_UP));
        });
    }

    /**
     * An end whose event shows the contact reached an agent but leaves out when the callee answered (no
     * connectedToSystemTimestamp) was a terminal no-answer, priced at the per-call fee; the talk time is Connect's,
     * from the contact's ConnectedToSystemTimestamp, not only the time with the agent.
     */
    @Test
    void anEndThatReachedAnAgentWithoutTheAnswerTimeIsTimedFromConnectsRecord() {
        aws.stubFor(get(urlPathEqualTo(TREE_PATH)).withQueryParam("contactId", equalTo(CONTACT_ID))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody("""
                        {"ContactSummaryList": [
                          {"ContactId": "%s", "InitialContactId": "%s", "InitiationMethod": "API", "Channel": "VOICE",
                           "InitiationTimestamp": 1714557601, "DisconnectTimestamp": %d}]}
                        """.formatted(CONTACT_ID, CONTACT_ID, HUNG_UP.getEpochSecond()))));
        aws.stubFor(get(urlPathEqualTo("/contacts/" + INSTANCE_ID + "/" + CONTACT_ID)).willReturn(aResponse()
                .withStatus(200).withHeader("Content-Type", "application/json").withBody("""
                        {"Contact": {"Id": "%s", "InitiationMethod": "API", "Channel": "VOICE",
                          "InitiationTimestamp": 1714557601, "ConnectedToSystemTimestamp": %d,
                          "DisconnectTimestamp": %d, "Attributes": {"callId": "call-42"}}}
                        """.formatted(CONTACT_ID, ANSWERED.getEpochSecond(), HUNG_UP.getEpochSecond()))));
        String body = disconnected(CONTACT_ID, null, HUNG_UP, "API").replace("\"attributes\"",
                "\"agentInfo\":{\"agentArn\":\"" + INSTANCE_ARN + "/agent/ag-1\",\"connectedToAgentTimestamp\":\""
                        + ANSWERED.plusSeconds(60) + "\"},\"disconnectReason\":\"CUSTOMER_DISCONNECT\",\"attributes\"");

        assertThat(deliver(body)).singleElement().satisfies(e -> {
            assertThat(e.status()).isEqualTo(CallStatus.COMPLETED);
            assertThat(e.occurredAt()).isEqualTo(HUNG_UP);
            assertThat(e.duration()).isEqualTo(Duration.between(ANSWERED, HUNG_UP));
        });
    }

    /**
     * The rule the README asks for sends every contact event of the instance, inbound calls' included: each answered
     * inbound call's end was followed through ListAssociatedContacts and DescribeContact (Connect's quota shared with
     * our own calls) and handed to the core, which warned of an unknown call. A customer's call in is never ours.
     */
    @Test
    void anInboundCallsEventsAreLeftOutWithoutAskingConnect() {
        treeIs(HUNG_UP);
        String inbound = disconnected(CONTACT_ID, ANSWERED, HUNG_UP, "INBOUND");

        assertThat(deliver(inbound)).isEmpty();
        assertThat(aws.getAllServeEvents()).as("nothing asked of Connect").isEmpty();
    }

    /**
     * Hanging up a transferred call stopped its first contact, which had ended, and Connect's "not active" was taken
     * for a call already over: the hang-up returned as done while the customer talked on in the contact the
     * transfer made (which StopContact does not end). It now says so.
     */
    @Test
    void hangingUpACallThatGoesOnInATransferredContactIsRefusedNamingIt() {
        treeIs(null);
        aws.stubFor(post(urlPathEqualTo("/contact/stop"))
                .willReturn(Fixtures.awsError(410, "ContactNotFoundException", "Contact is not active")));

        ProviderException e = catchThrowableOfType(ProviderException.class, () -> provider.hangUp(CONTACT_ID));

        assertThat(e).isNotNull();
        assertThat(e.reason()).isEqualTo(ErrorReason.REJECTED);
        assertThat(e.getMessage()).contains(SECOND, "transfer");

        aws.resetAll();
        treeIs(HUNG_UP);
        aws.stubFor(post(urlPathEqualTo("/contact/stop"))
                .willReturn(Fixtures.awsError(410, "ContactNotFoundException", "Contact is not active")));
        provider.hangUp(CONTACT_ID);   // every contact has ended: nothing left to hang up
    }
}
