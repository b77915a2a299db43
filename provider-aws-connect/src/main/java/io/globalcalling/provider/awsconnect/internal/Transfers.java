package io.globalcalling.provider.awsconnect.internal;

import io.globalcalling.CallStatus;
import io.globalcalling.spi.CallEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.connect.ConnectClient;
import software.amazon.awssdk.services.connect.model.AssociatedContactSummary;
import software.amazon.awssdk.services.connect.model.Contact;
import software.amazon.awssdk.services.connect.model.DescribeContactRequest;
import software.amazon.awssdk.services.connect.model.ListAssociatedContactsRequest;
import software.amazon.awssdk.services.connect.model.ListAssociatedContactsResponse;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Follows a call across the contacts its transfers make. A transfer (initiation method {@code TRANSFER},
 * {@code QUEUE_TRANSFER} or {@code DISCONNECT}) starts a new contact of the same initial contact and ends the one
 * before it, while the customer stays on the line; every contact reports its own {@code DISCONNECTED}. So one
 * contact's end is the call's only once every contact of its tree ({@code ListAssociatedContacts}) has ended: the
 * call then ended with the last of them, and was talked on from the first one's answer ({@code DescribeContact})
 * until then.
 */
public final class Transfers {

    /** A detail of an event that reports a contact handing the customer over to the next. */
    public static final String HANDED_OVER = "handedOver";
    private static final Logger log = LoggerFactory.getLogger(Transfers.class);

    private final ConnectClient connect;
    private final String instanceId;

    public Transfers(ConnectClient connect, String instanceId) {
        this.connect = Objects.requireNonNull(connect, "connect");
        this.instanceId = Objects.requireNonNull(instanceId, "instanceId");
    }

    /**
     * The event as the call's: a contact's end while a later contact is live is a hand-over (no status), and the
     * end of the last contact is the call's, with the talk time of them all (also for a single contact whose end
     * does not say when the callee answered: {@link ContactEvents#ANSWER_UNTIMED}). Any other event is returned as it is,
     * as is an answered first contact's end when Connect cannot be asked (logged); a later contact's end then
     * keeps no status, since alone it says nothing of the call (reconciliation asks again). An end whose event has no
     * timestamps ({@link ContactEvents#END_UNTIMED}) is first read from Connect's record of the contact.
     */
    public CallEvent follow(CallEvent e) {
        if (e.details().containsKey(ContactEvents.END_UNTIMED) && e.providerCallId() != null) e = described(e);
        if (e.status() == null || !e.status().isTerminal() || e.providerCallId() == null) return e;
        // ContactEvents names the contact only when it is not the initial one: a contact a transfer made
        boolean later = e.details().containsKey("contactId");
        // answered, but not timed from the answer: the first contact's answer is Connect's to say, transferred or not
        boolean untimed = !later && e.details().containsKey(ContactEvents.ANSWER_UNTIMED);
        if (!later && e.duration() == null && !untimed) return e;   // never answered, so never transferred
        String initial = e.providerCallId();
        try {
            List<AssociatedContactSummary> tree = tree(initial);
            if (tree.size() <= 1 && !untimed) return later ? handedOver(e) : e;
            if (tree.size() > 1 && tree.stream().anyMatch(c -> c.disconnectTimestamp() == null)) return handedOver(e);
            Instant ended = tree.stream().map(AssociatedContactSummary::disconnectTimestamp).filter(Objects::nonNull)
                    .max(Comparator.naturalOrder()).orElse(e.occurredAt());
            Contact first = connect.describeContact(DescribeContactRequest.builder().instanceId(instanceId)
                    .contactId(initial).build()).contact();
            Instant answered = first == null ? null : first.connectedToSystemTimestamp();
            if (answered == null || ended.isBefore(answered)) return later ? handedOver(e) : e;
            Map<String, String> details = new LinkedHashMap<>(e.details());
            details.remove(ContactEvents.ANSWER_UNTIMED);
            return CallEvent.builder(e.providerId(), ended).providerCallId(initial).callId(e.callId())
                    .status(CallStatus.COMPLETED).duration(Duration.between(answered, ended))
                    .answeredBy(e.answeredBy()).details(details).build();
        } catch (SdkException | UncheckedIOException ex) {
            log.warn("Amazon Connect contact {} ended, but the contacts transferred from it could not be listed; {}: {}",
                    initial, later ? "its end is kept without a status" : "the call ends with it",
                    ConnectErrors.map("aws-connect", "ListAssociatedContacts", ex, false).getMessage());
            return later ? handedOver(e) : e;
        }
    }

    /**
     * A contact of the call's tree that a transfer made and that is still live, if any.
     *
     * @throws SdkException (or the {@link UncheckedIOException} the SDK lets out) when Connect cannot list the call's contacts
     */
    public Optional<String> liveTransfer(String initialContactId) {
        return tree(initialContactId).stream()
                .filter(c -> c.disconnectTimestamp() == null && !initialContactId.equals(c.contactId()))
                .map(AssociatedContactSummary::contactId).findFirst();
    }

    /**
     * An end whose event does not say whether the callee answered ({@link ContactEvents#END_UNTIMED}) as Connect's
     * record of the contact tells it: answered or not, when, and why it ended. When Connect cannot be asked, or has not recorded the end,
     * the event stays as read (an end an agent took is answered; any other has no status, and reconciliation asks).
     */
    private CallEvent described(CallEvent e) {
        String contactId = e.details().getOrDefault("contactId", e.providerCallId());
        Map<String, String> details = new LinkedHashMap<>(e.details());
        details.remove(ContactEvents.END_UNTIMED);
        try {
            Contact c = connect.describeContact(DescribeContactRequest.builder().instanceId(instanceId)
                    .contactId(contactId).build()).contact();
            if (c != null && c.disconnectTimestamp() != null) {
                CallEvent read = ContactEvents.fromContact(e.providerId(), c, e.occurredAt());
                details.remove(ContactEvents.ANSWER_UNTIMED);
                details.putAll(read.details());
                return CallEvent.builder(e.providerId(), read.occurredAt()).providerCallId(e.providerCallId())
                        .callId(e.callId() != null ? e.callId() : read.callId()).status(read.status())
                        .duration(read.duration()).answeredBy(e.answeredBy() != null ? e.answeredBy() : read.answeredBy())
                        .details(details).build();
            }
            log.warn("Amazon Connect contact {} ended without timestamps in its event, and DescribeContact has not"
                    + " recorded its end yet; it is kept as read", contactId);
        } catch (SdkException | UncheckedIOException ex) {
            log.warn("Amazon Connect contact {} ended without timestamps in its event, and could not be described; it"
                    + " is kept as read: {}", contactId,
                    ConnectErrors.map("aws-connect", "DescribeContact", ex, false).getMessage());
        }
        return e.toBuilder().details(details).build();
    }

    private List<AssociatedContactSummary> tree(String initialContactId) {
        List<AssociatedContactSummary> voice = new ArrayList<>();
        NextTokens tokens = new NextTokens("ListAssociatedContacts");
        String next = null;
        do {
            ListAssociatedContactsResponse page = connect.listAssociatedContacts(ListAssociatedContactsRequest.builder()
                    .instanceId(instanceId).contactId(initialContactId).maxResults(100).nextToken(next).build());
            for (AssociatedContactSummary c : page.contactSummaryList()) {
                if (c.channelAsString() == null || c.channelAsString().equalsIgnoreCase("VOICE")) voice.add(c);
            }
            next = tokens.next(page.nextToken());
        } while (next != null);
        return voice;
    }

    private static CallEvent handedOver(CallEvent e) {
        Map<String, String> details = new LinkedHashMap<>(e.details());
        details.put(HANDED_OVER, "true");
        return e.toBuilder().status(null).duration(null).details(details).build();
    }
}
