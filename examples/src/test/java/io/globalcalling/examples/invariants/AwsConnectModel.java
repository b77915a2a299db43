package io.globalcalling.examples.invariants;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.globalcalling.CallCategory;
import io.globalcalling.CallRequest;
import io.globalcalling.CallStatus;
import io.globalcalling.Endpoint;
import io.globalcalling.Money;
import io.globalcalling.WebhookRequest;
import io.globalcalling.WebhookResponse;
import io.globalcalling.core.CallFailedException;
import io.globalcalling.core.cost.FxTable;
import io.globalcalling.core.cost.RateDeck;
import io.globalcalling.examples.invariants.AwsConnectHistory.Deliver;
import io.globalcalling.examples.invariants.AwsConnectHistory.Life;
import io.globalcalling.examples.invariants.AwsConnectHistory.Place;
import io.globalcalling.provider.awsconnect.AwsConnectConfig;
import io.globalcalling.provider.awsconnect.AwsConnectProvider;
import io.globalcalling.spi.ProviderConfig;
import io.globalcalling.spi.Rate;
import io.globalcalling.testkit.TestProviderContext;
import net.jqwik.api.statistics.Statistics;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

/**
 * Runs an {@link AwsConnectHistory} through a real manager and the real Amazon Connect adapter, discovered from
 * configuration (the AWS SDK signing every request), against a WireMock stub of Connect's API that answers what the
 * history says: StartOutboundVoiceContact, then DescribeContact, SearchContacts and ListAssociatedContacts with what
 * each contact became. Contact events are posted as an EventBridge API destination posts them, through the manager's
 * webhook entry point. See {@link MoneyInvariants} for what is checked.
 */
final class AwsConnectModel {

    static final String INSTANCE = "a1b2c3d4-0000-4000-8000-111122223333";
    static final String ARN = "arn:aws:connect:us-east-1:123456789012:instance/" + INSTANCE;
    static final String SECRET = "model-connect-secret-51c9";
    static final String START_PATH = "/contact/outbound-voice";

    private final WireMockServer connect;

    AwsConnectModel(WireMockServer connect) {
        this.connect = connect;
    }

    Map<String, String> config() {
        Map<String, String> config = new HashMap<>();
        config.put("AWS_CONNECT_INSTANCE_ID", INSTANCE);
        config.put("aws-connect.contact-flow-id", "f0f0f0f0-1111-4222-8333-444455556666");
        config.put("aws-connect.region", "us-east-1");
        config.put("aws-connect.countries", "US");
        config.put("aws-connect.skills", "general");
        config.put("aws-connect.queues.general", "q-general");
        config.put("aws-connect.webhook-secret", SECRET);
        config.put("aws-connect.endpoint", connect.baseUrl());
        config.put("sandbox.enabled", "false");
        config.put("calling.webhook-base-url", "https://app.example.com/calling/webhooks");
        return config;
    }

    void run(AwsConnectHistory history) {
        connect.resetAll();
        connect.stubFor(post(urlPathEqualTo("/metrics/current/" + INSTANCE)).willReturn(json(200, """
                {"MetricResults": [{"Dimensions": {"Queue": {"Id": "q-general"}, "Channel": "VOICE"},
                  "Collections": [{"Metric": {"Name": "AGENTS_ONLINE", "Unit": "COUNT"}, "Value": 5.0}]}]}
                """)));
        connect.stubFor(post(urlPathEqualTo("/search-contacts")).atPriority(10)
                .willReturn(json(200, "{\"Contacts\": [], \"TotalCount\": 0}")));
        try (TestProviderContext context = TestProviderContext.create();
             MoneyInvariants run = new MoneyInvariants(config(), Duration.ofMinutes(30))) {
            AwsConnectProvider rates = new AwsConnectProvider(AwsConnectConfig.from(ProviderConfig.of(config())), context);
            RateDeck deck = RateDeck.of(rates.rates());
            rates.close();
            new Run(history, run, deck).execute();
        }
    }

    private static ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body);
    }

    /** AWS's REST-JSON error: the code in {@code x-amzn-ErrorType}, the text in the body's {@code Message}. */
    private static ResponseDefinitionBuilder awsError(int status, String code, String message) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json")
                .withHeader("x-amzn-RequestId", "req-" + code)
                .withHeader("x-amzn-ErrorType", code + ":http://internal.amazon.com/coral/com.amazonaws.connect/")
                .withBody("{\"Message\":\"" + message + "\"}");
    }

    /** One event of a contact: which of the call's contacts (0 the first, 1 the one a transfer made), and when. */
    private record Ev(int contact, String type, Instant at) {
    }

    /** One call of the history: its contacts at Connect, as they are at any moment, and its record. */
    private static final class Call {
        final Place spec;
        final String callId;
        final String number;
        final String contactId;
        final String secondId;
        final Instant startedAt;
        final List<Ev> life = new ArrayList<>();

        Call(Place spec, String callId, String number, String contactId, Instant startedAt) {
            this.spec = spec;
            this.callId = callId;
            this.number = number;
            this.contactId = contactId;
            this.secondId = contactId.substring(0, contactId.length() - 4) + "ff" + contactId.substring(contactId.length() - 2);
            this.startedAt = startedAt;
            Instant connected = startedAt.plusSeconds(10);
            Instant hungUp = connected.plusSeconds(spec.talk());
            life.add(new Ev(0, "INITIATED", startedAt));
            switch (spec.life()) {
                case BUSY, NO_ANSWER, FAILED, CANCELED -> life.add(new Ev(0, "DISCONNECTED", startedAt.plusSeconds(20)));
                default -> {
                    life.add(new Ev(0, "CONNECTED_TO_SYSTEM", connected));
                    life.add(new Ev(0, "QUEUED", connected.plusSeconds(1)));
                }
            }
            switch (spec.life()) {
                case WITH_AGENT_COMPLETED, WITH_AGENT_LIVE, TRANSFERRED_COMPLETED, TRANSFERRED_LIVE ->
                        life.add(new Ev(0, "CONNECTED_TO_AGENT", connected.plusSeconds(2)));
                default -> { }
            }
            switch (spec.life()) {
                case WITH_AGENT_COMPLETED, QUEUED_COMPLETED -> life.add(new Ev(0, "DISCONNECTED", hungUp));
                case TRANSFERRED_COMPLETED, TRANSFERRED_LIVE -> {
                    // the agent hands the customer over halfway through the talk: a second contact of the same call
                    Instant handedOver = connected.plusSeconds(2 + (spec.talk() - 2) / 2);
                    life.add(new Ev(1, "INITIATED", handedOver.minusSeconds(1)));
                    life.add(new Ev(0, "DISCONNECTED", handedOver));
                    life.add(new Ev(1, "CONNECTED_TO_AGENT", handedOver.plusSeconds(1)));
                    if (spec.life() == Life.TRANSFERRED_COMPLETED) life.add(new Ev(1, "DISCONNECTED", hungUp));
                }
                default -> { }
            }
        }

        /** When the contact's step happened, or null when it has not happened by {@code now}. */
        Instant at(int contact, String type, Instant now) {
            return life.stream().filter(e -> e.contact() == contact && e.type().equals(type) && !e.at().isAfter(now))
                    .map(Ev::at).findFirst().orElse(null);
        }

        String id(int contact) {
            return contact == 0 ? contactId : secondId;
        }

        /** Whether the call has ended (its last contact disconnected) by {@code now}. */
        boolean ended(Instant now) {
            Ev last = life.get(life.size() - 1);
            return last.type().equals("DISCONNECTED") && !last.at().isAfter(now)
                    && life.stream().filter(e -> e.type().equals("DISCONNECTED")).count() == contacts();
        }

        boolean endsAtAll() {
            return ended(Instant.MAX);
        }

        int contacts() {
            return life.stream().anyMatch(e -> e.contact() == 1) ? 2 : 1;
        }

        String reason(int contact) {
            if (contact == 1 || (contacts() == 2)) return contact == 1 ? "CUSTOMER_DISCONNECT" : "AGENT_DISCONNECT";
            return switch (spec.life()) {
                case BUSY -> "TELECOM_BUSY";
                case FAILED -> "TELECOM_PROBLEM";
                case CANCELED -> "API";
                case NO_ANSWER -> null;
                default -> "CUSTOMER_DISCONNECT";
            };
        }

        /** Whether Connect's contact search lists it by {@code now}: once it reached an agent or ended. */
        boolean searchable(Instant now) {
            return at(0, "CONNECTED_TO_AGENT", now) != null || at(0, "DISCONNECTED", now) != null;
        }
    }

    private final class Run {
        final AwsConnectHistory history;
        final MoneyInvariants run;
        final RateDeck deck;
        final List<Call> calls = new ArrayList<>();
        int stepIndex = -1;

        Run(AwsConnectHistory history, MoneyInvariants run, RateDeck deck) {
            this.history = history;
            this.run = run;
            this.deck = deck;
        }

        void execute() {
            for (AwsConnectHistory.Step step : history.steps()) {
                stepIndex++;
                run.step("step " + stepIndex + " (" + step + ")");
                restub();
                if (step instanceof Place p) {
                    place(p);
                } else if (step instanceof Deliver d) {
                    deliver(d);
                } else if (step instanceof AwsConnectHistory.Reconcile r) {
                    run.clock().advance(Duration.ofSeconds(r.seconds()));
                    restub();
                    run.manager().reconcile();
                }
                checkAfterStep();
            }
            run.step("the end (after an hour and two reconciliation passes)");
            run.clock().advance(Duration.ofHours(1));
            restub();
            run.manager().reconcile();
            run.manager().reconcile();
            checkAfterStep();
            Map<String, MoneyInvariants.Expected> expected = new HashMap<>();
            for (Call c : calls) {
                expected.put(c.callId, expectation(c));
                Statistics.label("calls").collect(c.spec.start(), c.spec.made() ? c.spec.life() : "not made");
            }
            run.checkAtEnd(expected);
        }

        void place(Place p) {
            int index = calls.size();
            String number = "+1415555" + (2600 + index);
            String contactId = "c0ffee00-1234-4567-89ab-0000000000" + String.format("%02d", index);
            run.clock().advance(Duration.ofSeconds(1));   // Connect's pace: 2 starts a second
            connect.stubFor(put(urlPathEqualTo(START_PATH)).willReturn(switch (p.start()) {
                case STARTED -> json(200, "{\"ContactId\": \"" + contactId + "\"}");
                case REFUSED -> switch (p.refusal()) {
                    case 0 -> awsError(400, "InvalidParameterException", "DestinationPhoneNumber is not a valid phone number");
                    case 1 -> awsError(403, "DestinationNotAllowedException", "Outbound calls to the destination are not allowed");
                    case 2 -> awsError(404, "ResourceNotFoundException", "The contact flow was not found");
                    default -> awsError(403, "AccessDeniedException", "You do not have sufficient access to perform this action");
                };
                case SERVER_ERROR -> awsError(500, "InternalServiceException", "Request processing failed");
                case RESET -> aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER);
            }));
            Instant startedAt = run.clock().instant();
            String callId;
            try {
                callId = run.manager().call(CallRequest.to(number).category(CallCategory.HUMAN_AGENT)
                        .customerId(MoneyInvariants.CUSTOMER).build()).callId();
            } catch (CallFailedException e) {
                callId = e.callId();
            }
            Call call = new Call(p, callId, number, contactId, startedAt);
            calls.add(call);
            run.expectCall(callId);
            restub();
        }

        /** DescribeContact, ListAssociatedContacts and SearchContacts by each call's id: its contacts as they are now. */
        void restub() {
            Instant now = run.clock().instant();
            for (Call c : calls) {
                if (c.spec.made()) stubMade(c, now);
            }
        }

        void stubMade(Call c, Instant now) {
            Instant initiated = c.at(0, "INITIATED", now);
            Instant connected = c.at(0, "CONNECTED_TO_SYSTEM", now);
            Instant enqueued = c.at(0, "QUEUED", now);
            Instant withAgent = c.at(0, "CONNECTED_TO_AGENT", now);
            Instant disconnected = c.at(0, "DISCONNECTED", now);
            StringBuilder contact = new StringBuilder("{\"Arn\": \"" + ARN + "/contact/" + c.contactId + "\", \"Id\": \""
                    + c.contactId + "\", \"InitialContactId\": \"" + c.contactId + "\", \"InitiationMethod\": \"API\","
                    + " \"Channel\": \"VOICE\", \"InitiationTimestamp\": " + initiated.getEpochSecond()
                    + ", \"LastUpdateTimestamp\": " + now.getEpochSecond()
                    + ", \"Attributes\": {\"callId\": \"" + c.callId + "\", \"skill\": \"general\"}");
            if (connected != null) contact.append(", \"ConnectedToSystemTimestamp\": ").append(connected.getEpochSecond());
            if (enqueued != null) {
                contact.append(", \"QueueInfo\": {\"Id\": \"q-general\", \"EnqueueTimestamp\": ")
                        .append(enqueued.getEpochSecond()).append('}');
            }
            if (withAgent != null) {
                contact.append(", \"AgentInfo\": {\"Id\": \"ag-1\", \"ConnectedToAgentTimestamp\": ")
                        .append(withAgent.getEpochSecond()).append('}');
            }
            if (disconnected != null) {
                contact.append(", \"DisconnectTimestamp\": ").append(disconnected.getEpochSecond());
                if (c.reason(0) != null) contact.append(", \"DisconnectReason\": \"").append(c.reason(0)).append('"');
            }
            contact.append('}');
            connect.stubFor(get(urlPathEqualTo("/contacts/" + INSTANCE + "/" + c.contactId))
                    .willReturn(json(200, "{\"Contact\": " + contact + "}")));
            List<String> tree = new ArrayList<>();
            for (int k = 0; k < c.contacts(); k++) {
                Instant started = c.at(k, "INITIATED", now);
                if (started == null) continue;
                Instant ended = c.at(k, "DISCONNECTED", now);
                tree.add("{\"ContactId\": \"" + c.id(k) + "\", \"InitialContactId\": \"" + c.contactId + "\""
                        + (k == 0 ? "" : ", \"PreviousContactId\": \"" + c.contactId + "\"")
                        + ", \"InitiationMethod\": \"" + (k == 0 ? "API" : "TRANSFER") + "\", \"Channel\": \"VOICE\","
                        + " \"InitiationTimestamp\": " + started.getEpochSecond()
                        + (ended == null ? "" : ", \"DisconnectTimestamp\": " + ended.getEpochSecond()) + "}");
            }
            connect.stubFor(get(urlPathEqualTo("/contact/associated/" + INSTANCE)).withQueryParam("contactId", equalTo(c.contactId))
                    .willReturn(json(200, "{\"ContactSummaryList\": [" + String.join(", ", tree) + "]}")));
            if (c.searchable(now)) {
                connect.stubFor(post(urlPathEqualTo("/search-contacts")).atPriority(1).withRequestBody(containing(c.callId))
                        .willReturn(json(200, "{\"Contacts\": [{\"Arn\": \"" + ARN + "/contact/" + c.contactId
                                + "\", \"Id\": \"" + c.contactId + "\", \"InitialContactId\": \"" + c.contactId
                                + "\", \"Channel\": \"VOICE\", \"InitiationMethod\": \"API\", \"InitiationTimestamp\": "
                                + initiated.getEpochSecond() + "}], \"TotalCount\": 1}")));
            }
        }

        /** Connect posts one of a contact's events once it has happened (the clock moves on to it if need be). */
        void deliver(Deliver d) {
            List<Call> made = calls.stream().filter(c -> c.spec.made()).toList();
            if (made.isEmpty()) return;
            Call c = made.get(d.call() % made.size());
            Ev ev = c.life.get(d.event() % c.life.size());
            if (ev.at().isAfter(run.clock().instant())) run.clock().setInstant(ev.at());
            restub();
            Instant now = ev.at();
            int k = ev.contact();
            String id = c.id(k);
            StringBuilder detail = new StringBuilder("\"eventType\":\"" + ev.type() + "\",\"contactId\":\"" + id
                    + "\",\"initialContactId\":\"" + c.contactId + "\",\"channel\":\"VOICE\",\"instanceArn\":\"" + ARN
                    + "\",\"initiationMethod\":\"" + (k == 0 ? "API" : "TRANSFER") + "\",\"initiationTimestamp\":\""
                    + c.at(k, "INITIATED", now) + "\"");
            if (k == 1) detail.append(",\"previousContactId\":\"").append(c.contactId).append('"');
            // each event carries the contact as it was then: the timestamps of the steps up to its own
            Instant connected = c.at(k, "CONNECTED_TO_SYSTEM", now);
            Instant enqueued = c.at(k, "QUEUED", now);
            Instant withAgent = c.at(k, "CONNECTED_TO_AGENT", now);
            if (connected != null) detail.append(",\"connectedToSystemTimestamp\":\"").append(connected).append('"');
            if (enqueued != null) {
                detail.append(",\"queueInfo\":{\"queueArn\":\"").append(ARN).append("/queue/q-general\",\"enqueueTimestamp\":\"")
                        .append(enqueued).append("\"}");
            }
            if (withAgent != null) {
                detail.append(",\"agentInfo\":{\"agentArn\":\"").append(ARN).append("/agent/ag-1\",\"connectedToAgentTimestamp\":\"")
                        .append(withAgent).append("\"}");
            }
            if (ev.type().equals("DISCONNECTED")) {
                detail.append(",\"disconnectTimestamp\":\"").append(ev.at()).append('"');
                if (c.reason(k) != null) detail.append(",\"disconnectReason\":\"").append(c.reason(k)).append('"');
            }
            if (d.attributes()) detail.append(",\"attributes\":{\"callId\":\"").append(c.callId).append("\"}");
            String body = """
                    {"version":"0","id":"%s","detail-type":"Amazon Connect Contact Event","source":"aws.connect",
                     "account":"123456789012","time":"%s","region":"us-east-1","resources":["%s"],"detail":{%s}}
                    """.formatted(ev.type().toLowerCase() + "-" + id, ev.at(), ARN, detail);
            boolean known = d.attributes() || run.record(c.callId).providerCallId() != null;
            WebhookResponse response = run.manager().webhooks().handle("aws-connect", WebhookRequest.post(
                    "https://app.example.com/calling/webhooks/aws-connect",
                    Map.of("X-Calling-Webhook-Secret", SECRET, "Content-Type", "application/json"), body));
            if (response.status() != 200) {
                run.fail("a contact event is applied", ev + " of call " + c.callId + " was answered "
                        + response.status() + " " + response.body());
            }
            // the call's end: the last contact's disconnect, read against the tree of contacts, which has ended
            if (known && ev.type().equals("DISCONNECTED") && c.ended(now)) run.endDelivered(c.callId);
        }

        void checkAfterStep() {
            run.checkAfterStep();
            for (Call c : calls) {
                int starts = 0;
                for (LoggedRequest r : connect.findAll(putRequestedFor(urlPathEqualTo(START_PATH)))) {
                    if (r.getBodyAsString().contains("\"DestinationPhoneNumber\":\"" + c.number + "\"")) starts++;
                }
                if (starts > 1) {
                    run.fail("a start whose bytes may have left is never sent again", "call " + c.callId + " to "
                            + c.number + " was started " + starts + " times (ClientToken dedups only a live contact)");
                }
            }
        }

        /**
         * What the record must be: a refused start fails at once; a start whose answer was lost is settled only when
         * Connect's search lists the contact (once it reached an agent or ended), else stays unresolved with its hold.
         */
        MoneyInvariants.Expected expectation(Call c) {
            if (c.spec.start() == AwsConnectHistory.Start.REFUSED) return MoneyInvariants.Expected.notTaken();
            if (!c.spec.made()) return MoneyInvariants.Expected.live();
            boolean known = c.spec.start() == AwsConnectHistory.Start.STARTED || c.searchable(Instant.MAX);
            if (!known || !c.endsAtAll()) return MoneyInvariants.Expected.live();
            CallStatus status = switch (c.spec.life()) {
                case BUSY -> CallStatus.BUSY;
                case NO_ANSWER -> CallStatus.NO_ANSWER;
                case FAILED -> CallStatus.FAILED;
                case CANCELED -> CallStatus.CANCELED;
                default -> CallStatus.COMPLETED;
            };
            Rate rate = deck.find(CallCategory.HUMAN_AGENT, Endpoint.parse(c.number)).orElseThrow();
            Money atRate = status == CallStatus.COMPLETED ? rate.priceFor(Duration.ofSeconds(c.spec.talk())) : rate.perCall();
            return MoneyInvariants.Expected.ended(status, FxTable.defaults().toReporting(atRate).rounded());
        }
    }
}
