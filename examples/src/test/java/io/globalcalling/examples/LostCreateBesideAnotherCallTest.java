package io.globalcalling.examples;

import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.globalcalling.CallRecord;
import io.globalcalling.CallRequest;
import io.globalcalling.CallStatus;
import io.globalcalling.core.CallFailedException;
import io.globalcalling.core.GlobalCallingManager;
import io.globalcalling.core.store.InMemoryCallStore;
import io.globalcalling.spi.ProviderConfig;
import io.globalcalling.testkit.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two calls to the same number from the same caller ID a minute apart, the first placed normally and the second's
 * create reset after it was sent. The provider's list then shows both calls, and one of them is already the first
 * call's on record: reconciliation resolves the second to the other one, rather than leaving it unknown with its
 * hold held because "two calls match".
 */
class LostCreateBesideAnotherCallTest {

    private static final Instant START = Instant.parse("2026-01-14T09:00:00Z");

    @RegisterExtension
    static WireMockExtension provider = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private final MutableClock clock = MutableClock.at(START);
    private final InMemoryCallStore store = new InMemoryCallStore();
    private GlobalCallingManager calling;

    @AfterEach
    void stop() {
        if (calling != null) calling.close();
    }

    private GlobalCallingManager manager(Map<String, String> config) {
        return GlobalCallingManager.builder().config(ProviderConfig.of(config)).store(store).clock(clock).build();
    }

    private CallRecord placeLost(String to) {
        try {
            return calling.call(CallRequest.to(to).customerId("acme").build());
        } catch (CallFailedException e) {
            return store.find(e.callId()).orElseThrow();
        }
    }

    // --- Twilio ---

    private static final String ACCOUNT_SID = "AC0123456789abcdef0123456789abcdef";
    private static final String CALLS_PATH = "/2010-04-01/Accounts/" + ACCOUNT_SID + "/Calls.json";
    private static final String TWILIO_FROM = "+15017122661";
    private static final String TWILIO_TO = "+14155552671";
    private static final String FIRST_SID = "CA11111111111111111111111111111111";
    private static final String SECOND_SID = "CA22222222222222222222222222222222";

    private static String twilioDate(Instant t) {
        return DateTimeFormatter.RFC_1123_DATE_TIME.format(t.atOffset(ZoneOffset.UTC));
    }

    private static String twilioCall(String sid, String status, Instant created, String duration, String price) {
        return """
                {"account_sid": "%s", "api_version": "2010-04-01", "date_created": "%s", "date_updated": "%s",
                 "direction": "outbound-api", "duration": %s, "from": "%s", "price": %s, "price_unit": "USD",
                 "sid": "%s", "start_time": "%s", "status": "%s", "to": "%s",
                 "uri": "/2010-04-01/Accounts/%s/Calls/%s.json", "queue_time": "0"}
                """.formatted(ACCOUNT_SID, twilioDate(created), twilioDate(created),
                duration == null ? "null" : "\"" + duration + "\"", TWILIO_FROM,
                price == null ? "null" : "\"" + price + "\"", sid, twilioDate(created.plusSeconds(5)), status, TWILIO_TO,
                ACCOUNT_SID, sid);
    }

    private static String twilioPage(String... calls) {
        return "{\"calls\": [" + String.join(",", calls) + "], \"end\": " + (calls.length - 1)
                + ", \"first_page_uri\": \"" + CALLS_PATH + "?PageSize=50&Page=0\", \"next_page_uri\": null, \"page\": 0,"
                + " \"page_size\": 50, \"previous_page_uri\": null, \"start\": 0, \"uri\": \"" + CALLS_PATH + "\"}";
    }

    @Test
    void twilioResolvesTheLostCreateToTheCallThatIsNotTheFirstCallsAlready() {
        calling = manager(Map.of(
                "TWILIO_ACCOUNT_SID", ACCOUNT_SID,
                "TWILIO_AUTH_TOKEN", "lost-create-auth-token-0a1b2c3d",
                "twilio.base-url", provider.baseUrl(),
                "twilio.pricing-enabled", "false",
                "twilio.from-number", TWILIO_FROM,
                "twilio.voip-twiml-url", "https://app.example.com/twiml/connect",
                "sandbox.enabled", "false",
                "calling.webhook-base-url", "https://app.example.com/calling/webhooks"));
        provider.stubFor(post(urlPathEqualTo(CALLS_PATH)).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody(twilioCall(FIRST_SID, "queued", START, null, null))));
        CallRecord first = calling.call(CallRequest.to(TWILIO_TO).customerId("acme").build());
        assertThat(first.providerCallId()).isEqualTo(FIRST_SID);

        Instant secondSent = clock.advance(Duration.ofMinutes(1));
        provider.stubFor(post(urlPathEqualTo(CALLS_PATH)).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        CallRecord second = placeLost(TWILIO_TO);
        assertThat(second.providerCallId()).isNull();
        assertThat(second.needsReconciliation()).isTrue();
        provider.verify(2, postRequestedFor(urlPathEqualTo(CALLS_PATH)));

        // Twilio made both: the list to this number from this caller ID shows the two, the first's still going
        clock.advance(Duration.ofMinutes(10));   // past Twilio's search lag
        provider.stubFor(get(urlPathEqualTo(CALLS_PATH)).withQueryParam("Status", equalTo("queued"))
                .willReturn(okJson(twilioPage())));
        provider.stubFor(get(urlPathEqualTo(CALLS_PATH)).withQueryParam("StartTime>", equalTo("2026-01-14"))
                .willReturn(okJson(twilioPage(twilioCall(SECOND_SID, "completed", secondSent, "42", "-0.01300"),
                        twilioCall(FIRST_SID, "in-progress", START, null, null)))));
        provider.stubFor(get(urlPathEqualTo("/2010-04-01/Accounts/" + ACCOUNT_SID + "/Calls/" + FIRST_SID + ".json"))
                .willReturn(okJson(twilioCall(FIRST_SID, "in-progress", START, null, null))));

        calling.reconcile();

        CallRecord resolved = store.find(second.callId()).orElseThrow();
        assertThat(resolved.providerCallId()).isEqualTo(SECOND_SID);
        assertThat(resolved.status()).isEqualTo(CallStatus.COMPLETED);
        assertThat(resolved.durationSeconds()).isEqualTo(42);
        assertThat(resolved.cost()).isNotNull();
        assertThat(resolved.needsReconciliation()).isFalse();
        assertThat(store.find(first.callId()).orElseThrow().providerCallId()).isEqualTo(FIRST_SID);
    }

    // --- Vonage ---

    private static final String VONAGE_FROM = "447700900001";
    private static final String VONAGE_TO = "447911123456";
    private static final String FIRST_UUID = "63f61863-4a51-4f6b-86e1-000000000001";
    private static final String SECOND_UUID = "63f61863-4a51-4f6b-86e1-000000000002";

    private static String vonageCall(String uuid, String status, Instant started, String end) {
        return "{\"uuid\":\"" + uuid + "\",\"conversation_uuid\":\"CON-" + uuid + "\",\"status\":\"" + status
                + "\",\"direction\":\"outbound\",\"to\":{\"type\":\"phone\",\"number\":\"" + VONAGE_TO + "\"},"
                + "\"from\":{\"type\":\"phone\",\"number\":\"" + VONAGE_FROM + "\"},\"start_time\":\"" + started
                + "\",\"network\":\"23410\",\"rate\":\"0.01400000\"" + end + "}";
    }

    @Test
    void vonageResolvesTheLostCreateToTheCallThatIsNotTheFirstCallsAlready() throws Exception {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(rsa.generateKeyPair().getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        calling = manager(Map.of(
                "VONAGE_APPLICATION_ID", "aaaaaaaa-bbbb-4ccc-8ddd-0123456789ab",
                "vonage.private-key", pem,
                "VONAGE_SIGNATURE_SECRET", "lost-create-vonage-signature-secret-0123456789",
                "vonage.from-number", "+" + VONAGE_FROM,
                "vonage.base-url", provider.baseUrl(),
                "vonage.voip-connect-to", "sip:desk@pbx.example.com",
                "sandbox.enabled", "false",
                "calling.webhook-base-url", "https://app.example.com/calling/webhooks"));
        provider.stubFor(post(urlPathEqualTo("/v1/calls")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"uuid\":\"" + FIRST_UUID + "\",\"status\":\"started\",\"direction\":\"outbound\","
                        + "\"conversation_uuid\":\"CON-" + FIRST_UUID + "\"}")));
        CallRecord first = calling.call(CallRequest.to("+" + VONAGE_TO).customerId("acme").build());
        assertThat(first.providerCallId()).isEqualTo(FIRST_UUID);

        Instant secondSent = clock.advance(Duration.ofMinutes(1));
        provider.stubFor(post(urlPathEqualTo("/v1/calls")).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        CallRecord second = placeLost("+" + VONAGE_TO);
        assertThat(second.providerCallId()).isNull();
        assertThat(second.needsReconciliation()).isTrue();
        provider.verify(2, postRequestedFor(urlPathEqualTo("/v1/calls")));

        // Vonage made both: its list over the window shows the two, the first's still going
        clock.advance(Duration.ofMinutes(10));   // past Vonage's search lag
        String secondEnded = ",\"end_time\":\"" + secondSent.plusSeconds(50) + "\",\"duration\":\"42\",\"price\":\"0.00980000\"";
        provider.stubFor(get(urlPathEqualTo("/v1/calls")).willReturn(okJson("{\"count\":2,\"page_size\":100,"
                + "\"record_index\":0,\"_links\":{\"self\":{\"href\":\"/calls\"}},\"_embedded\":{\"calls\":["
                + vonageCall(FIRST_UUID, "answered", START, "") + ","
                + vonageCall(SECOND_UUID, "completed", secondSent, secondEnded) + "]}}")));
        provider.stubFor(get(urlPathEqualTo("/v1/calls/" + FIRST_UUID))
                .willReturn(okJson(vonageCall(FIRST_UUID, "answered", START, ""))));

        calling.reconcile();

        CallRecord resolved = store.find(second.callId()).orElseThrow();
        assertThat(resolved.providerCallId()).isEqualTo(SECOND_UUID);
        assertThat(resolved.status()).isEqualTo(CallStatus.COMPLETED);
        assertThat(resolved.durationSeconds()).isEqualTo(42);
        assertThat(resolved.cost()).isNotNull();
        assertThat(resolved.needsReconciliation()).isFalse();
        assertThat(store.find(first.callId()).orElseThrow().providerCallId()).isEqualTo(FIRST_UUID);
    }
}
