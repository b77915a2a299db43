package io.globalcalling.provider.awsconnect.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.globalcalling.CallStatus;
import io.globalcalling.ErrorReason;
import io.globalcalling.spi.CallEvent;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.connect.model.Contact;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Connect's contact events (EventBridge {@code detail-type: "Amazon Connect Contact Event"}) and contacts read with
 * {@code DescribeContact}, as {@link CallEvent}s. Events arrive best effort and unordered, so each carries the time
 * its own step happened (the detail's timestamps, else the envelope's {@code time}); the monotonic lifecycle then
 * ignores whatever arrives after a later step. Field names are matched without regard to case: Connect's samples
 * mix {@code instanceArn} and {@code instanceARN}.
 */
public final class ContactEvents {

    /** Our call id, as {@code place} puts it among the contact attributes. */
    public static final String CALL_ID_ATTRIBUTE = "callId";
    public static final String DETAIL_TYPE = "Amazon Connect Contact Event";
    /** A detail of an answered end whose event does not say when the callee answered (its talk time is a floor). */
    public static final String ANSWER_UNTIMED = "answerUntimed";
    /**
     * A detail of an end whose event says neither whether nor when the callee answered: no timestamps and no reason
     * (Connect's first event model, 2021), or a reason that implies an answer without its time. Whether the callee
     * answered is Connect's record of the contact to say ({@link Transfers}).
     */
    public static final String END_UNTIMED = "endUntimed";
    /** How long Connect dials a StartOutboundVoiceContact call before it gives up. */
    static final Duration DIAL_TIMEOUT = Duration.ofSeconds(60);
    /** Connect's events carry 1970-01-01T00:00:00.001Z for a timestamp whose step has not happened. */
    private static final Instant NOT_SET_BEFORE = Instant.EPOCH.plusSeconds(1);

    private ContactEvents() {
    }

    /** The status an event type reports before the contact ends; empty for a type that reports none. */
    public static Optional<CallStatus> progress(String eventType) {
        return Optional.ofNullable(switch (eventType.toUpperCase(Locale.ROOT)) {
            case "INITIATED" -> CallStatus.INITIATED;
            case "CONNECTED_TO_SYSTEM" -> CallStatus.ANSWERED;
            case "QUEUED" -> CallStatus.WAITING_FOR_AGENT;
            case "CONNECTED_TO_AGENT" -> CallStatus.WITH_AGENT;
            default -> null;
        });
    }

    /**
     * How a contact ended: completed once the callee was connected to Connect; otherwise by the disconnect reason
     * (busy, unanswered, failed, or canceled by us or the caller), no-answer when Connect gives none. EXPIRED is
     * Connect's own failure: not enough agents or telecom capacity to make the call.
     */
    public static CallStatus ended(boolean connected, @Nullable String disconnectReason) {
        if (connected) return CallStatus.COMPLETED;
        if (disconnectReason == null) return CallStatus.NO_ANSWER;
        return switch (disconnectReason.toUpperCase(Locale.ROOT)) {
            case "TELECOM_BUSY" -> CallStatus.BUSY;
            case "TELECOM_NUMBER_INVALID", "TELECOM_PROBLEM", "TELECOM_POTENTIAL_BLOCKING",
                 "OUTBOUND_DESTINATION_ENDPOINT_ERROR", "OUTBOUND_RESOURCE_ERROR", "OUTBOUND_ATTEMPT_FAILED", "EXPIRED" ->
                    CallStatus.FAILED;
            case "API", "TELECOM_ORIGINATOR_CANCEL" -> CallStatus.CANCELED;
            default -> CallStatus.NO_ANSWER;
        };
    }

    /**
     * Whether a disconnect reason is one of a call someone was on: its callee, an agent, a third party or the flow
     * hung up, or a supervisor barged in. Without an answer timestamp, such an end is Connect's record to decide.
     */
    static boolean impliesAnswer(@Nullable String disconnectReason) {
        return disconnectReason != null && switch (disconnectReason.toUpperCase(Locale.ROOT)) {
            case "CUSTOMER_DISCONNECT", "AGENT_DISCONNECT", "THIRD_PARTY_DISCONNECT", "CONTACT_FLOW_DISCONNECT",
                 "BARGED" -> true;
            default -> false;
        };
    }

    /**
     * When the callee answered, or the latest time by which they had: Connect's answer time, else the time an agent
     * took the contact, else the time the flow queued it. StartOutboundVoiceContact dials, and runs the contact's flow
     * (which queues it for an agent) only once the call is connected; a call not connected within the dial timeout
     * fails. Null when none is known.
     */
    static @Nullable Instant answeredNoLaterThan(@Nullable Instant connected, @Nullable Instant withAgent,
                                                 @Nullable Instant enqueued) {
        return firstOf(connected, withAgent, enqueued);
    }

    /** Whether a disconnect reason names a party only an answered call has: an agent, a third party, a supervisor. */
    private static boolean anotherPartyWasOn(@Nullable String disconnectReason) {
        return disconnectReason != null && switch (disconnectReason.toUpperCase(Locale.ROOT)) {
            case "AGENT_DISCONNECT", "THIRD_PARTY_DISCONNECT", "BARGED" -> true;
            default -> false;
        };
    }

    /**
     * Why a contact ended unsuccessfully, as its event's error reason: TELECOM_NUMBER_INVALID is a number the network
     * refused after Connect accepted the contact, an invalid destination. Connect's other reasons are not the number's
     * (capacity, a telecom fault, possible carrier blocking of the caller), so they give none, nor does an answered end.
     */
    static @Nullable ErrorReason endReason(@Nullable CallStatus status, @Nullable String disconnectReason) {
        return status == CallStatus.FAILED && "TELECOM_NUMBER_INVALID".equalsIgnoreCase(disconnectReason)
                ? ErrorReason.INVALID_DESTINATION : null;
    }

    /**
     * How a contact ended, knowing when it was started and ended. Connect reports TELECOM_ORIGINATOR_CANCEL both for
     * a dial its API user stopped and for one still unanswered when its 60 s of dialing ran out: no-answer once they
     * had.
     */
    static CallStatus ended(boolean connected, @Nullable String disconnectReason, @Nullable Instant initiated,
                            @Nullable Instant disconnected) {
        CallStatus status = ended(connected, disconnectReason);
        boolean dialedOut = initiated != null && disconnected != null
                && Duration.between(initiated, disconnected).compareTo(DIAL_TIMEOUT) >= 0;
        return status == CallStatus.CANCELED && dialedOut && "TELECOM_ORIGINATOR_CANCEL".equalsIgnoreCase(disconnectReason)
                ? CallStatus.NO_ANSWER : status;
    }

    /**
     * The events in an EventBridge event (or a JSON array of them). Events of another detail type, channel or
     * instance are left out, as are those of a customer's call in (initiation method INBOUND), never one of ours.
     *
     * @param instanceId the configured instance, by id or ARN
     * @param now        the time given to an event that carries none
     * @throws IllegalArgumentException naming what is missing or malformed
     */
    public static List<CallEvent> parse(String providerId, JsonNode root, String instanceId, Instant now) {
        List<CallEvent> out = new ArrayList<>();
        if (root.isArray()) {
            for (JsonNode e : root) out.addAll(parse(providerId, e, instanceId, now));
            return out;
        }
        if (!root.isObject()) throw new IllegalArgumentException("the event is not a JSON object");
        String detailType = text(root, "detail-type");
        if (detailType != null && !detailType.equals(DETAIL_TYPE)) return out;
        JsonNode detail = field(root, "detail");
        if (detail == null || !detail.isObject()) throw new IllegalArgumentException("the event has no detail object");
        String channel = text(detail, "channel");
        if (channel != null && !channel.equalsIgnoreCase("VOICE")) return out;
        String arn = text(detail, "instanceArn");
        if (arn != null && !sameInstance(arn, instanceId)) return out;
        if ("INBOUND".equalsIgnoreCase(text(detail, "initiationMethod"))) return out;
        String eventType = text(detail, "eventType");
        String contactId = firstOf(text(detail, "initialContactId"), text(detail, "contactId"));
        if (eventType == null) throw new IllegalArgumentException("the event has no detail.eventType");
        if (contactId == null) throw new IllegalArgumentException("the event has no detail.contactId");

        Instant sent = instant("time", text(root, "time"));
        Instant initiated = instant("detail.initiationTimestamp", text(detail, "initiationTimestamp"));
        Instant connected = instant("detail.connectedToSystemTimestamp", text(detail, "connectedToSystemTimestamp"));
        Instant enqueued = instant("detail.queueInfo.enqueueTimestamp",
                text(field(detail, "queueInfo"), "enqueueTimestamp"));
        Instant withAgent = instant("detail.agentInfo.connectedToAgentTimestamp",
                text(field(detail, "agentInfo"), "connectedToAgentTimestamp"));
        Instant disconnected = instant("detail.disconnectTimestamp", text(detail, "disconnectTimestamp"));
        String reason = text(detail, "disconnectReason");

        CallStatus status;
        Instant at;
        Duration talk = null;
        boolean untimedEnd = false;
        switch (eventType.toUpperCase(Locale.ROOT)) {
            case "INITIATED" -> { status = CallStatus.INITIATED; at = firstOf(initiated, sent); }
            case "CONNECTED_TO_SYSTEM" -> { status = CallStatus.ANSWERED; at = firstOf(connected, sent); }
            case "QUEUED" -> { status = CallStatus.WAITING_FOR_AGENT; at = firstOf(enqueued, sent); }
            case "CONNECTED_TO_AGENT" -> { status = CallStatus.WITH_AGENT; at = firstOf(withAgent, sent); }
            case "DISCONNECTED" -> {
                // a contact that reached an agent or a queue was answered, though its event may leave out when
                // (Connect's agent samples and earlier events have no connectedToSystemTimestamp): timed from the
                // agent, else from the queue, at least
                Instant answered = answeredNoLaterThan(connected, withAgent, enqueued);
                at = firstOf(disconnected, sent);
                if (answered == null && ((disconnected == null && reason == null) || impliesAnswer(reason))) {
                    // Connect's first model (no timestamps, no reason), or a reason that says a party was on the call
                    // without saying when it answered. Until Connect's record says, an end an agent (or a party only
                    // an answered call has) took was answered, and any other is unknown (the callee may have hung up
                    // on the flow, or before answering)
                    untimedEnd = true;
                    status = text(field(detail, "agentInfo"), "agentArn") != null || anotherPartyWasOn(reason)
                            ? CallStatus.COMPLETED : null;
                } else {
                    status = ended(answered != null, reason, initiated, disconnected);
                }
                if (answered != null && disconnected != null && !disconnected.isBefore(answered)) {
                    talk = Duration.between(answered, disconnected);
                }
            }
            default -> { status = null; at = sent; }
        }
        Map<String, String> details = new LinkedHashMap<>();
        details.put("eventType", eventType);
        if (untimedEnd) details.put(END_UNTIMED, "true");
        if (status == CallStatus.COMPLETED && connected == null) details.put(ANSWER_UNTIMED, "true");
        if (reason != null) details.put("disconnectReason", reason);
        String queueArn = text(field(detail, "queueInfo"), "queueArn");
        if (queueArn != null) details.put("queueArn", queueArn);
        String agentArn = text(field(detail, "agentInfo"), "agentArn");
        if (agentArn != null) details.put("agentArn", agentArn);
        if (!contactId.equals(text(detail, "contactId")) && text(detail, "contactId") != null) {
            details.put("contactId", text(detail, "contactId"));
        }
        String amd = text(detail, "answeringMachineDetectionStatus");
        if (amd != null) details.put("answeringMachineDetectionStatus", amd);
        String callId = text(field(detail, "attributes"), CALL_ID_ATTRIBUTE);
        out.add(CallEvent.builder(providerId, at == null ? now : at).providerCallId(contactId).callId(callId)
                .status(status).duration(talk).answeredBy(answeredBy(amd)).details(details)
                .errorReason(endReason(status, reason)).build());
        return out;
    }

    /** A contact read with {@code DescribeContact}, as the event of its latest step. */
    public static CallEvent fromContact(String providerId, Contact c, Instant now) {
        Instant connected = c.connectedToSystemTimestamp();
        Instant enqueued = c.queueInfo() == null ? null : c.queueInfo().enqueueTimestamp();
        Instant withAgent = c.agentInfo() == null ? null : c.agentInfo().connectedToAgentTimestamp();
        Instant disconnected = c.disconnectTimestamp();
        CallStatus status;
        Instant at;
        Duration talk = null;
        if (disconnected != null) {
            // DescribeContact had no ConnectedToSystemTimestamp before May 2024: a contact an agent took or the flow
            // queued was answered, and one a third party or a supervisor was on was answered, though not when
            Instant answered = answeredNoLaterThan(connected, withAgent, enqueued);
            boolean untimedAnswer = answered == null && anotherPartyWasOn(c.disconnectReason());
            status = ended(answered != null || untimedAnswer, c.disconnectReason(), c.initiationTimestamp(), disconnected);
            at = disconnected;
            if (answered != null && !disconnected.isBefore(answered)) talk = Duration.between(answered, disconnected);
        } else if (withAgent != null) {
            status = CallStatus.WITH_AGENT;
            at = withAgent;
        } else if (enqueued != null) {
            status = CallStatus.WAITING_FOR_AGENT;
            at = enqueued;
        } else if (connected != null) {
            status = CallStatus.ANSWERED;
            at = connected;
        } else {
            status = CallStatus.INITIATED;
            at = c.initiationTimestamp();
        }
        Map<String, String> details = new LinkedHashMap<>();
        if (c.disconnectReason() != null) details.put("disconnectReason", c.disconnectReason());
        String amd = c.answeringMachineDetectionStatusAsString();
        if (amd != null) details.put("answeringMachineDetectionStatus", amd);
        String callId = c.hasAttributes() ? c.attributes().get(CALL_ID_ATTRIBUTE) : null;
        String contactId = firstOf(c.initialContactId(), c.id());
        return CallEvent.builder(providerId, at == null ? now : at).providerCallId(contactId).callId(callId)
                .status(status).duration(talk).answeredBy(answeredBy(amd)).details(details)
                .errorReason(endReason(status, c.disconnectReason())).build();
    }

    /**
     * Connect's answering-machine verdict in the SPI's words (human, machine_..., fax, unknown); null for a status
     * that is no verdict on an answer (the call was not picked up, never rang, or met a SIT tone). Connect's own
     * status is kept among the details.
     */
    static @Nullable String answeredBy(@Nullable String amdStatus) {
        if (amdStatus == null) return null;
        return switch (amdStatus.toUpperCase(Locale.ROOT)) {
            case "HUMAN_ANSWERED" -> "human";
            case "VOICEMAIL_BEEP" -> "machine_end_beep";
            case "VOICEMAIL_NO_BEEP" -> "machine_end_other";
            case "FAX_MACHINE_DETECTED" -> "fax";
            case "AMD_UNRESOLVED", "AMD_UNRESOLVED_SILENCE", "AMD_ERROR", "UNDETECTED", "ERROR", "ANSWERED" -> "unknown";
            default -> null;
        };
    }

    /** Whether an instance ARN ({@code arn:aws:connect:region:account:instance/<id>}) names the configured instance. */
    static boolean sameInstance(String arn, String instanceId) {
        return arn.equals(instanceId) || arn.endsWith("/" + instanceId) || instanceId.endsWith("/" + lastSegment(arn));
    }

    private static String lastSegment(String arn) {
        int slash = arn.lastIndexOf('/');
        return slash < 0 ? arn : arn.substring(slash + 1);
    }

    /** A field by name in any case. */
    private static @Nullable JsonNode field(@Nullable JsonNode node, String name) {
        if (node == null || !node.isObject()) return null;
        JsonNode exact = node.get(name);
        if (exact != null) return exact;
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String n = names.next();
            if (n.equalsIgnoreCase(name)) return node.get(n);
        }
        return null;
    }

    private static @Nullable String text(@Nullable JsonNode node, String name) {
        JsonNode v = field(node, name);
        if (v == null || !v.isValueNode() || v.isNull()) return null;
        String s = v.asText().strip();
        return s.isEmpty() ? null : s;
    }

    /**
     * A timestamp; Connect's placeholder for a step that has not happened (1970-01-01T00:00:00.001Z) is none. A
     * malformed one is refused naming its field, not quoting it: its text may carry anything, the callee's number too.
     */
    private static @Nullable Instant instant(String field, @Nullable String text) {
        if (text == null) return null;
        Instant t;
        try {
            t = Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(field + " is not an ISO-8601 timestamp");
        }
        return t.isBefore(NOT_SET_BEFORE) ? null : t;
    }

    @SafeVarargs
    private static <T> @Nullable T firstOf(@Nullable T... values) {
        for (T v : values) if (v != null) return v;
        return null;
    }
}
