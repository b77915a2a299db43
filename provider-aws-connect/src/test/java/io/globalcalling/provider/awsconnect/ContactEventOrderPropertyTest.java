package io.globalcalling.provider.awsconnect;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.globalcalling.CallStatus;
import io.globalcalling.spi.CallEvent;
import io.globalcalling.spi.WebhookContext;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.AfterProperty;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Connect delivers contact events best effort and unordered: whatever order and duplicates arrive, applying them
 * through the monotonic lifecycle (a status moves only forward, never out of a terminal one) ends the call the same
 * way, with the talk time of the contact and the time each step happened.
 */
class ContactEventOrderPropertyTest {

    private static final Map<String, String> TIMES = Map.of(
            "initiationTimestamp", "2024-05-01T10:00:01Z", "connectedToSystemTimestamp", "2024-05-01T10:00:09Z",
            "enqueueTimestamp", "2024-05-01T10:00:15Z", "connectedToAgentTimestamp", "2024-05-01T10:01:00Z",
            "disconnectTimestamp", "2024-05-01T10:05:09Z");
    private static final List<String> HISTORY = List.of(
            Fixtures.event("INITIATED", Fixtures.CONTACT_ID, Map.of("initiationTimestamp", "2024-05-01T10:00:01Z"), null),
            Fixtures.event("CONNECTED_TO_SYSTEM", Fixtures.CONTACT_ID, Map.of("initiationTimestamp", "2024-05-01T10:00:01Z",
                    "connectedToSystemTimestamp", "2024-05-01T10:00:09Z"), null),
            Fixtures.event("QUEUED", Fixtures.CONTACT_ID, Map.of("connectedToSystemTimestamp", "2024-05-01T10:00:09Z",
                    "enqueueTimestamp", "2024-05-01T10:00:15Z"), null),
            Fixtures.event("CONTACT_DATA_UPDATED", Fixtures.CONTACT_ID, Map.of(), null),
            Fixtures.event("CONNECTED_TO_AGENT", Fixtures.CONTACT_ID, Map.of("enqueueTimestamp", "2024-05-01T10:00:15Z",
                    "connectedToAgentTimestamp", "2024-05-01T10:01:00Z"), null),
            Fixtures.event("DISCONNECTED", Fixtures.CONTACT_ID, TIMES, "AGENT_DISCONNECT"));

    /** Connect, asked only whether the ended contact was transferred: it was not, it is the only one of its tree. */
    private static final WireMockServer AWS = startAws();

    private static WireMockServer startAws() {
        WireMockServer aws = new WireMockServer(wireMockConfig().dynamicPort());
        aws.start();
        aws.stubFor(get(urlPathEqualTo("/contact/associated/" + Fixtures.INSTANCE_ID)).willReturn(aResponse()
                .withStatus(200).withHeader("Content-Type", "application/json").withBody(
                        "{\"ContactSummaryList\": [{\"ContactId\": \"" + Fixtures.CONTACT_ID + "\", \"InitialContactId\": \""
                                + Fixtures.CONTACT_ID + "\", \"InitiationMethod\": \"API\", \"Channel\": \"VOICE\","
                                + " \"DisconnectTimestamp\": 1714557909}]}")));
        return aws;
    }

    @AfterContainer
    static void stopAws() {
        AWS.stop();
    }

    private final ConnectUnderTest connect = new ConnectUnderTest(AWS.baseUrl());
    private final AwsConnectProvider provider = connect.provider();

    @AfterProperty
    void close() {
        connect.close();
    }

    @Provide
    Arbitrary<List<String>> deliveries() {
        // every event at least once, some twice or three times, in any order
        return Arbitraries.integers().between(1, 3).list().ofSize(HISTORY.size()).flatMap(copies -> {
            List<String> all = new ArrayList<>();
            for (int i = 0; i < HISTORY.size(); i++) {
                for (int c = 0; c < copies.get(i); c++) all.add(HISTORY.get(i));
            }
            return Arbitraries.shuffle(all);
        });
    }

    @Property(tries = 200)
    void anyOrderWithDuplicatesEndsCompletedWithTheContactsTalkTime(@ForAll("deliveries") List<String> arrivals) {
        Model call = new Model();
        for (String body : arrivals) {
            provider.webhooks().handle(AwsConnectWebhookHandlerTest.post(body, Fixtures.WEBHOOK_SECRET), WebhookContext.none())
                    .events().forEach(call::apply);
        }

        assertThat(call.status).isEqualTo(CallStatus.COMPLETED);
        assertThat(call.duration).isEqualTo(Duration.ofSeconds(300));
        assertThat(call.endedAt).isEqualTo(Instant.parse("2024-05-01T10:05:09Z"));
        // answered when the callee picked up, or at a later answered step that arrived first; unknown when the
        // disconnect arrived before any of them
        if (call.seen.get(0) != CallStatus.COMPLETED) {
            assertThat(call.answeredAt).isBetween(Instant.parse("2024-05-01T10:00:09Z"), Instant.parse("2024-05-01T10:01:00Z"));
        }
        assertThat(call.seen).isSortedAccordingTo((a, b) -> Integer.compare(a.rank(), b.rank()));
    }

    /** The lifecycle's rules, as CallLifecycle applies them: forward only, first terminal status wins. */
    private static final class Model {
        CallStatus status = CallStatus.INITIATED;
        Duration duration;
        Instant answeredAt;
        Instant endedAt;
        final List<CallStatus> seen = new ArrayList<>();

        void apply(CallEvent e) {
            assertThat(e.providerCallId()).isEqualTo(Fixtures.CONTACT_ID);
            if (e.status() == null || !status.canMoveTo(e.status())) return;
            status = e.status();
            seen.add(status);
            if (status.isAnswered() && answeredAt == null) answeredAt = e.occurredAt();
            if (status.isTerminal()) endedAt = e.occurredAt();
            if (e.duration() != null) duration = e.duration();
        }
    }
}
