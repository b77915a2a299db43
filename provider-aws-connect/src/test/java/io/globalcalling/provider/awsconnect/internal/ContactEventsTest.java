package io.globalcalling.provider.awsconnect.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.globalcalling.CallStatus;
import io.globalcalling.ErrorReason;
import io.globalcalling.spi.CallEvent;
import org.junit.jupiter.api.Test;

import software.amazon.awssdk.services.connect.model.AgentInfo;
import software.amazon.awssdk.services.connect.model.Contact;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Which events name our instance, which contact an event is about, and arrays of events. */
class ContactEventsTest {

    private static final String ID = "a1b2c3d4-0000-4000-8000-111122223333";
    private static final String ARN = "arn:aws:connect:us-east-1:123456789012:instance/" + ID;
    private static final Instant NOW = Instant.parse("2024-05-01T10:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static List<CallEvent> parse(String detail, String instance) throws Exception {
        JsonNode root = JSON.readTree("{\"detail-type\":\"Amazon Connect Contact Event\",\"detail\":" + detail + "}");
        return ContactEvents.parse("aws-connect", root, instance, NOW);
    }

    private static String detail(String instanceArn) {
        return "{\"eventType\":\"QUEUED\",\"contactId\":\"c-1\",\"channel\":\"VOICE\",\"instanceArn\":\"" + instanceArn + "\"}";
    }

    @Test
    void anInstanceMatchesByIdOrArnWhicheverWayEachSideNamesIt() {
        assertThat(ContactEvents.sameInstance(ARN, ID)).isTrue();
        assertThat(ContactEvents.sameInstance(ARN, ARN)).isTrue();
        assertThat(ContactEvents.sameInstance(ID, ARN)).as("the event names the bare id").isTrue();
        assertThat(ContactEvents.sameInstance(ARN.replace("123456789012", "210987654321"), ARN)).isTrue();
        assertThat(ContactEvents.sameInstance(ARN.replace(ID, "other-instance"), ARN)).isFalse();
        assertThat(ContactEvents.sameInstance(ARN.replace(ID, "other-instance"), ID)).isFalse();
        assertThat(ContactEvents.sameInstance("other-instance", ARN)).isFalse();
        assertThat(ContactEvents.sameInstance("instance/" + ID.substring(1), ARN)).as("a suffix of the id").isFalse();
    }

    @Test
    void eventsOfAnotherInstanceAreLeftOutWhenConfiguredByArn() throws Exception {
        assertThat(parse(detail(ID), ARN)).hasSize(1);
        assertThat(parse(detail(ARN.replace(ID, "other-instance")), ARN)).isEmpty();
    }

    @Test
    void theInitialContactIsTheCallAndALaterContactIdIsKeptAsADetail() throws Exception {
        CallEvent transferred = parse("{\"eventType\":\"QUEUED\",\"initialContactId\":\"c-1\",\"contactId\":\"c-2\"}", ID).get(0);
        assertThat(transferred.providerCallId()).isEqualTo("c-1");
        assertThat(transferred.details()).containsEntry("contactId", "c-2");
        CallEvent same = parse("{\"eventType\":\"QUEUED\",\"initialContactId\":\"c-1\",\"contactId\":\"c-1\"}", ID).get(0);
        assertThat(same.details()).doesNotContainKey("contactId");
        CallEvent initialOnly = parse("{\"eventType\":\"QUEUED\",\"initialContactId\":\"c-1\"}", ID).get(0);
        assertThat(initialOnly.providerCallId()).isEqualTo("c-1");
        assertThat(initialOnly.details()).doesNotContainKey("contactId");
    }

    @Test
    void anArrayIsReadEventByEvent() throws Exception {
        JsonNode root = JSON.readTree("[{\"detail\":" + detail(ARN) + "},{\"detail\":"
                + detail(ARN).replace("c-1", "c-2").replace("QUEUED", "CONNECTED_TO_AGENT") + "}]");
        List<CallEvent> events = ContactEvents.parse("aws-connect", root, ID, NOW);
        assertThat(events).extracting(CallEvent::providerCallId).containsExactly("c-1", "c-2");
        assertThat(events).extracting(CallEvent::status).containsExactly(CallStatus.WAITING_FOR_AGENT, CallStatus.WITH_AGENT);
    }

    @Test
    void progressNamesTheStatusOfEachStepInAnyCase() {
        assertThat(ContactEvents.progress("initiated")).contains(CallStatus.INITIATED);
        assertThat(ContactEvents.progress("CONNECTED_TO_SYSTEM")).contains(CallStatus.ANSWERED);
        assertThat(ContactEvents.progress("Queued")).contains(CallStatus.WAITING_FOR_AGENT);
        assertThat(ContactEvents.progress("CONNECTED_TO_AGENT")).contains(CallStatus.WITH_AGENT);
        assertThat(ContactEvents.progress("DISCONNECTED")).isEmpty();
    }

    /**
     * Connect's contact events give a step that has not happened the placeholder 1970-01-01T00:00:00.001Z (its
     * CONTACT_DATA_UPDATED sample carries it as connectedToSystemTimestamp and connectedToAgentTimestamp): an
     * unanswered contact's end carrying it was read as answered in 1970 and talked on for 54 years.
     */
    @Test
    void theEpochPlaceholderOfAStepThatHasNotHappenedIsNoAnswer() throws Exception {
        CallEvent e = parse("""
                {"eventType":"DISCONNECTED","contactId":"c-1","channel":"VOICE","initiationMethod":"API",
                 "initiationTimestamp":"2024-05-01T10:00:01.000Z","connectedToSystemTimestamp":"1970-01-01T00:00:00.001Z",
                 "disconnectTimestamp":"2024-05-01T10:00:40.000Z",
                 "agentInfo":{"agentArn":"arn:agent","connectedToAgentTimestamp":"1970-01-01T00:00:00.001Z"}}
                """, ID).get(0);

        assertThat(e.status()).isEqualTo(CallStatus.NO_ANSWER);
        assertThat(e.duration()).isNull();
    }

    /**
     * A contact connected to an agent had the callee on the line, though its DISCONNECTED event leaves out
     * connectedToSystemTimestamp (as Connect's CONNECTED_TO_AGENT samples and its earlier data model do): it was
     * read as unanswered, a terminal no-answer billed only the per-call fee.
     */
    @Test
    void anEndThatReachedAnAgentIsAnsweredThoughTheEventLeavesOutWhenTheCalleeAnswered() throws Exception {
        CallEvent e = parse("""
                {"eventType":"DISCONNECTED","contactId":"c-1","channel":"VOICE","initiationMethod":"API",
                 "initiationTimestamp":"2024-05-01T10:00:01.000Z","disconnectTimestamp":"2024-05-01T10:05:00.000Z",
                 "agentInfo":{"agentArn":"arn:agent","connectedToAgentTimestamp":"2024-05-01T10:01:00.000Z"},
                 "disconnectReason":"CUSTOMER_DISCONNECT"}
                """, ID).get(0);

        assertThat(e.status()).isEqualTo(CallStatus.COMPLETED);
        assertThat(e.duration()).as("at least the time with the agent").isEqualTo(Duration.ofMinutes(4));
    }

    /** DescribeContact answered without ConnectedToSystemTimestamp until May 2024; AgentInfo says the callee answered. */
    @Test
    void aDescribedContactThatReachedAnAgentIsAnsweredThoughItLeavesOutWhenTheCalleeAnswered() {
        Contact c = Contact.builder().id("c-1").initiationMethod("API").channel("VOICE")
                .initiationTimestamp(Instant.parse("2024-05-01T10:00:01Z"))
                .agentInfo(AgentInfo.builder().id("ag-1").connectedToAgentTimestamp(Instant.parse("2024-05-01T10:01:00Z")).build())
                .disconnectTimestamp(Instant.parse("2024-05-01T10:05:00Z")).disconnectReason("CUSTOMER_DISCONNECT").build();

        CallEvent e = ContactEvents.fromContact("aws-connect", c, NOW);

        assertThat(e.status()).isEqualTo(CallStatus.COMPLETED);
        assertThat(e.duration()).isEqualTo(Duration.ofMinutes(4));
    }

    /**
     * Connect ends an outbound campaign's voice contact with EXPIRED when it had not enough agents or telecom capacity
     * to make the call: nobody was rung, so it is Connect's failure, not the callee's no-answer.
     */
    @Test
    void anEndThatExpiredForWantOfAgentsOrCapacityFailed() throws Exception {
        CallEvent e = parse("""
                {"eventType":"DISCONNECTED","contactId":"c-1","channel":"VOICE","initiationMethod":"API",
                 "initiationTimestamp":"2024-05-01T10:00:01.000Z","disconnectTimestamp":"2024-05-01T10:00:02.000Z",
                 "disconnectReason":"EXPIRED"}
                """, ID).get(0);
        Contact c = Contact.builder().id("c-1").initiationMethod("API").channel("VOICE")
                .initiationTimestamp(Instant.parse("2024-05-01T10:00:01Z"))
                .disconnectTimestamp(Instant.parse("2024-05-01T10:00:02Z")).disconnectReason("EXPIRED").build();

        assertThat(e.status()).isEqualTo(CallStatus.FAILED);
        assertThat(ContactEvents.fromContact("aws-connect", c, NOW).status()).isEqualTo(CallStatus.FAILED);
        assertThat(ContactEvents.ended(false, "expired")).isEqualTo(CallStatus.FAILED);
    }

    /**
     * Connect accepted the contact and the network then refused the number (TELECOM_NUMBER_INVALID): the failed end
     * says why, as a create refused for an invalid number does, so that no campaign dials the number again. Other
     * failures (EXPIRED, a telecom problem) are not the number's.
     */
    @Test
    void anEndForAnInvalidNumberCarriesItAsTheErrorReason() throws Exception {
        String detail = """
                {"eventType":"DISCONNECTED","contactId":"c-1","channel":"VOICE","initiationMethod":"API",
                 "initiationTimestamp":"2024-05-01T10:00:01.000Z","disconnectTimestamp":"2024-05-01T10:00:03.000Z",
                 "disconnectReason":"%s"}
                """;
        Contact.Builder contact = Contact.builder().id("c-1").initiationMethod("API").channel("VOICE")
                .initiationTimestamp(Instant.parse("2024-05-01T10:00:01Z"))
                .disconnectTimestamp(Instant.parse("2024-05-01T10:00:03Z"));

        CallEvent invalid = parse(detail.formatted("TELECOM_NUMBER_INVALID"), ID).get(0);
        assertThat(invalid.status()).isEqualTo(CallStatus.FAILED);
        assertThat(invalid.errorReason()).isEqualTo(ErrorReason.INVALID_DESTINATION);
        assertThat(ContactEvents.fromContact("aws-connect", contact.disconnectReason("TELECOM_NUMBER_INVALID").build(), NOW)
                .errorReason()).isEqualTo(ErrorReason.INVALID_DESTINATION);
        for (String other : List.of("TELECOM_PROBLEM", "EXPIRED", "TELECOM_BUSY")) {
            assertThat(parse(detail.formatted(other), ID).get(0).errorReason()).as(other).isNull();
            assertThat(ContactEvents.fromContact("aws-connect", contact.disconnectReason(other).build(), NOW).errorReason())
                    .as(other).isNull();
        }
    }

    /**
     * AWS reports TELECOM_ORIGINATOR_CANCEL for an outbound call both when the API user stopped it before it was
     * answered and when it was still unanswered after Connect's 60 s of dialing: the second was read as canceled
     * by us, though the callee simply did not answer.
     */
    @Test
    void anOriginatorCancelAfterTheSixtySecondsOfDialingIsNoAnswerAndBeforeThemOurCancel() throws Exception {
        String event = """
                {"eventType":"DISCONNECTED","contactId":"c-1","channel":"VOICE","initiationMethod":"API",
                 "initiationTimestamp":"2024-05-01T10:00:01.000Z","disconnectTimestamp":"%s",
                 "disconnectReason":"TELECOM_ORIGINATOR_CANCEL"}
                """;
        Contact.Builder contact = Contact.builder().id("c-1").initiationMethod("API").channel("VOICE")
                .initiationTimestamp(Instant.parse("2024-05-01T10:00:01Z")).disconnectReason("TELECOM_ORIGINATOR_CANCEL");

        assertThat(parse(event.formatted("2024-05-01T10:01:01.500Z"), ID).get(0).status()).isEqualTo(CallStatus.NO_ANSWER);
        assertThat(ContactEvents.fromContact("aws-connect", contact.disconnectTimestamp(Instant.parse("2024-05-01T10:01:02Z"))
                .build(), NOW).status()).isEqualTo(CallStatus.NO_ANSWER);
        assertThat(parse(event.formatted("2024-05-01T10:00:20.000Z"), ID).get(0).status()).isEqualTo(CallStatus.CANCELED);
        assertThat(ContactEvents.fromContact("aws-connect", contact.disconnectTimestamp(Instant.parse("2024-05-01T10:00:20Z"))
                .build(), NOW).status()).isEqualTo(CallStatus.CANCELED);
    }

    /**
     * Connect's answering-machine verdicts (VOICEMAIL_BEEP, FAX_MACHINE_DETECTED, ...) were passed on as they are,
     * though the SPI speaks of human, machine_... and fax: a campaign told to hang up on machines never saw one.
     */
    @Test
    void answeringMachineVerdictsAreTheSpisAndConnectsOwnIsKept() throws Exception {
        String event = """
                {"eventType":"CONNECTED_TO_SYSTEM","contactId":"c-1","channel":"VOICE","initiationMethod":"API",
                 "connectedToSystemTimestamp":"2024-05-01T10:00:09.000Z","answeringMachineDetectionStatus":"%s"}
                """;
        Map<String, String> expected = Map.of("HUMAN_ANSWERED", "human", "VOICEMAIL_BEEP", "machine_end_beep",
                "VOICEMAIL_NO_BEEP", "machine_end_other", "FAX_MACHINE_DETECTED", "fax", "AMD_UNRESOLVED", "unknown");
        expected.forEach((connect, ours) -> {
            CallEvent e;
            try {
                e = parse(event.formatted(connect), ID).get(0);
            } catch (Exception ex) {
                throw new AssertionError(ex);
            }
            assertThat(e.answeredBy()).as(connect).isEqualTo(ours);
            assertThat(e.details()).containsEntry("answeringMachineDetectionStatus", connect);
        });
        assertThat(parse(event.formatted("AMD_NOT_APPLICABLE"), ID).get(0).answeredBy())
                .as("no verdict on a call that never rang").isNull();

        Contact c = Contact.builder().id("c-1").initiationMethod("API").channel("VOICE")
                .initiationTimestamp(Instant.parse("2024-05-01T10:00:01Z"))
                .connectedToSystemTimestamp(Instant.parse("2024-05-01T10:00:09Z"))
                .answeringMachineDetectionStatus("VOICEMAIL_BEEP").build();
        CallEvent described = ContactEvents.fromContact("aws-connect", c, NOW);
        assertThat(described.answeredBy()).isEqualTo("machine_end_beep");
        assertThat(described.details()).containsEntry("answeringMachineDetectionStatus", "VOICEMAIL_BEEP");
    }
}
