package io.globalcalling.provider.twilio;

import io.globalcalling.testkit.TestProviderContext;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.globalcalling.spi.CallEvent;
import io.globalcalling.CallStatus;
import io.globalcalling.ErrorReason;
import io.globalcalling.Money;
import io.globalcalling.spi.PlacementSearch;
import io.globalcalling.spi.ProviderException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static io.globalcalling.provider.twilio.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class TwilioReconcileTest {

    @RegisterExtension
    static WireMockExtension twilio = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    /** Another server a redirect could point at: a read must never land there. */
    @RegisterExtension
    static WireMockExtension elsewhere = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private final TestProviderContext context = TwilioTests.context();

    @AfterEach
    void close() {
        context.close();
    }

    /** The lost create was sent, if at all, between these (the clock-skew allowance widens them by two minutes). */
    private static final Instant SENT_FROM = Instant.parse("2024-05-01T10:00:00Z");
    private static final Instant SENT_UNTIL = Instant.parse("2024-05-01T10:00:30Z");

    private static CallEvent found(PlacementSearch search) {
        assertThat(search).isInstanceOf(PlacementSearch.Found.class);
        return ((PlacementSearch.Found) search).event();
    }

    private TwilioProvider provider() {
        return Fixtures.provider(twilio.baseUrl(), context);
    }

    @Test
    void aFetchAnsweredWithANullBodyIsTheProvidersErrorNotANullPointer() {
        twilio.stubFor(get(urlEqualTo(CALL_PATH)).willReturn(okJson("null")));

        ProviderException e = catchThrowableOfType(() -> provider().fetch(CALL_SID), ProviderException.class);

        assertThat(e.reason()).isEqualTo(ErrorReason.INTERNAL);
        assertThat(e.getMessage()).contains("200").contains("null");
    }

    @Test
    void fetchMapsStatusDurationPositivePriceAndTimes() {
        twilio.stubFor(get(urlEqualTo(CALL_PATH)).willReturn(okJson(completedCall())));

        CallEvent event = provider().fetch(CALL_SID).orElseThrow();

        assertThat(event.providerId()).isEqualTo("twilio");
        assertThat(event.providerCallId()).isEqualTo(CALL_SID);
        assertThat(event.status()).isEqualTo(CallStatus.COMPLETED);
        assertThat(event.duration()).isEqualTo(Duration.ofSeconds(117));
        assertThat(event.price()).isEqualTo(Money.of("0.013", "USD"));
        assertThat(event.occurredAt()).isEqualTo(Instant.parse("2024-05-01T10:02:09Z"));
        assertThat(event.answeredBy()).isEqualTo("human");
    }

    @Test
    void readsCarryTheAccountsBasicCredentials() {
        twilio.stubFor(get(urlEqualTo(CALL_PATH)).willReturn(okJson(completedCall())));

        provider().fetch(CALL_SID).orElseThrow();

        twilio.verify(1, getRequestedFor(urlEqualTo(CALL_PATH)).withHeader("Authorization", equalTo(BASIC_AUTH)));
    }

    @Test
    void fetchMapsEveryTwilioStatus() {
        String[][] cases = {{"queued", "QUEUED"}, {"ringing", "RINGING"}, {"in-progress", "ANSWERED"},
                {"completed", "COMPLETED"}, {"busy", "BUSY"}, {"failed", "FAILED"}, {"no-answer", "NO_ANSWER"},
                {"canceled", "CANCELED"}};
        TwilioProvider provider = provider();
        for (String[] c : cases) {
            twilio.stubFor(get(urlEqualTo(CALL_PATH)).willReturn(okJson(call(c[0]))));
            assertThat(provider.fetch(CALL_SID).flatMap(CallEvent::statusIfAny)).as(c[0]).contains(CallStatus.valueOf(c[1]));
        }
    }

    @Test
    void fetchOfUnknownCallIsEmptyAndServerErrorIsUnavailable() {
        twilio.stubFor(get(urlEqualTo(CALL_PATH)).willReturn(aResponse().withStatus(404)
                .withBody(error(20404, "The requested resource was not found", 404))));
        assertThat(provider().fetch(CALL_SID)).isEmpty();

        twilio.stubFor(get(urlEqualTo(CALL_PATH)).willReturn(aResponse().withStatus(502)));
        ProviderException e = catchThrowableOfType(() -> provider().fetch(CALL_SID), ProviderException.class);
        assertThat(e.reason()).isEqualTo(ErrorReason.UNAVAILABLE);
    }

    @Test
    void aFetchAnsweredWithARedirectIsRefusedNotFollowed() {
        // Twilio's API never redirects: one is a misconfiguration or an attack, and may point at another host
        elsewhere.stubFor(get(urlPathEqualTo("/stolen")).willReturn(okJson(completedCall())));
        twilio.stubFor(get(urlEqualTo(CALL_PATH)).willReturn(aResponse().withStatus(302)
                .withHeader("Location", elsewhere.baseUrl() + "/stolen")));

        ProviderException e = catchThrowableOfType(() -> provider().fetch(CALL_SID), ProviderException.class);

        assertThat(e.reason()).isEqualTo(ErrorReason.REJECTED);
        assertThat(e.httpStatus()).isEqualTo(302);
        assertThat(e.getMessage()).contains("unexpected redirect (HTTP 302); not followed");
        assertThat(elsewhere.findAll(anyRequestedFor(anyUrl()))).isEmpty();
    }

    @Test
    void aCallListAnsweredWithARedirectIsNotFollowedAndTheSearchIsUnknown() {
        // a redirect on the same host keeps the Basic credentials: it is not followed either
        twilio.stubFor(get(urlPathEqualTo(CALLS_PATH)).willReturn(aResponse().withStatus(301)
                .withHeader("Location", "/elsewhere/Calls.json")));
        twilio.stubFor(get(urlPathEqualTo("/elsewhere/Calls.json")).willReturn(okJson(page())));

        assertThat(provider().findPlaced(voipCall(), SENT_FROM, SENT_UNTIL))
                .isInstanceOfSatisfying(PlacementSearch.Unknown.class, u -> assertThat(u.why()).contains("HTTP 301"));
        twilio.verify(0, getRequestedFor(urlPathEqualTo("/elsewhere/Calls.json")));
    }

    @Test
    void fetchWithMalformedJsonIsInternal() {
        twilio.stubFor(get(urlEqualTo(CALL_PATH)).willReturn(okJson("[not json")));
        ProviderException e = catchThrowableOfType(() -> provider().fetch(CALL_SID), ProviderException.class);
        assertThat(e.reason()).isEqualTo(ErrorReason.INTERNAL);
    }

    private static String page(String... calls) {
        return "{\"calls\": [" + String.join(",", calls) + "], \"end\": " + (calls.length - 1)
                + ", \"first_page_uri\": \"" + CALLS_PATH + "?PageSize=50&Page=0\", \"next_page_uri\": null, \"page\": 0,"
                + " \"page_size\": 50, \"previous_page_uri\": null, \"start\": 0, \"uri\": \"" + CALLS_PATH + "\"}";
    }

    private static String listed(String sid, String status, String created) {
        return call(status).replace(CALL_SID, sid).replace("Wed, 01 May 2024 10:00:05 +0000", created);
    }

    @Test
    void findPlacedResolvesLostCreateToTheOneMatchingCall() {
        // the scenario of the reliability notes: the POST's answer is lost, the call exists at Twilio
        twilio.stubFor(get(urlPathEqualTo(CALLS_PATH)).withQueryParam("StartTime>", equalTo("2024-05-01"))
                .withQueryParam("To", equalTo(TO)).withQueryParam("From", equalTo(FROM))
                .willReturn(okJson(page(listed(CALL_SID, "ringing", "Wed, 01 May 2024 10:00:05 +0000"),
                        listed("CAffffffffffffffffffffffffffffffff", "completed", "Wed, 01 May 2024 08:00:00 +0000")))));
        twilio.stubFor(get(urlPathEqualTo(CALLS_PATH)).withQueryParam("Status", equalTo("queued"))
                .willReturn(okJson(page())));

        PlacementSearch search = provider().findPlaced(voipCall(), SENT_FROM, SENT_UNTIL);

        assertThat(found(search)).satisfies(e -> {
            assertThat(e.providerCallId()).isEqualTo(CALL_SID);
            assertThat(e.callId()).isEqualTo("call-42");
            assertThat(e.status()).isEqualTo(CallStatus.RINGING);
        });
        twilio.verify(getRequestedFor(urlPathEqualTo(CALLS_PATH)).withQueryParam("Status", equalTo("queued"))
                .withQueryParam("To", equalTo(TO)).withQueryParam("StartTime>", absent()));
    }

    @Test
    void findPlacedFindsQueuedCallThatHasNoStartTimeYet() {
        twilio.stubFor(get(urlPathEqualTo(CALLS_PATH)).withQueryParam("StartTime>", equalTo("2024-05-01"))
                .willReturn(okJson(page())));
        twilio.stubFor(get(urlPathEqualTo(CALLS_PATH)).withQueryParam("Status", equalTo("queued"))
                .willReturn(okJson(page(listed(CALL_SID, "queued", "Wed, 01 May 2024 10:00:01 +0000")))));

        assertThat(found(provider().findPlaced(voipCall(), SENT_FROM, SENT_UNTIL)).status()).isEqualTo(CallStatus.QUEUED);
    }

    @Test
    void findPlacedFindsAQueuedCallThatIsDialledWhileTheListsAreRead() {
        // Twilio holds creates above the account's CPS queued (for minutes in a campaign): the call is queued, with
        // no start time, when the first list is read, and dialled (given a start time) before the second is
        String queued = page(listed(CALL_SID, "queued", "Wed, 01 May 2024 10:00:01 +0000"));
        String dialled = page(listed(CALL_SID, "ringing", "Wed, 01 May 2024 10:00:01 +0000")
                .replace("\"start_time\": null", "\"start_time\": \"Wed, 01 May 2024 10:06:00 +0000\""));
        twilio.stubFor(get(urlPathEqualTo(CALLS_PATH)).withQueryParam("StartTime>", equalTo("2024-05-01"))
                .inScenario("dialled").whenScenarioStateIs(STARTED).willReturn(okJson(page())).willSetStateTo("dialled"));
        twilio.stubFor(get(urlPathEqualTo(CALLS_PATH)).withQueryParam("Status", equalTo("queued"))
                .inScenario("dialled").whenScenarioStateIs(STARTED).willReturn(okJson(queued)).willSetStateTo("dialled"));
        twilio.stubFor(get(urlPathEqualTo(CALLS_PATH)).withQueryParam("StartTime>", equalTo("2024-05-01"))
                .inScenario("dialled").whenScenarioStateIs("dialled").willReturn(okJson(dialled)));
        twilio.stubFor(get(urlPathEqualTo(CALLS_PATH)).withQueryParam("Status", equalTo("queued"))
                .inScenario("dialled").whenScenarioStateIs("dialled").willReturn(okJson(page())));

        PlacementSearch search = provider().findPlaced(voipCall(), SENT_FROM, SENT_UNTIL);

        assertThat(found(search).providerCallId()).isEqualTo(CALL_SID);
    }

    @Test
    void findPlacedIsNotPlacedWhenEveryPageOfBothListsHoldsNoCallInTheWindow() {
        String next = "\"next_page_uri\": \"" + CALLS_PATH + "?To=%2B14155551212&PageSize=50&Page=1&PageToken=PA123\"";
        twilio.stubFor(get(urlPathEqualTo(CALLS_PATH)).withQueryParam("StartTime>", equalTo("2024-05-01"))
                .withQueryParam("PageToken", absent()).willReturn(okJson(page(
                        listed(CALL_SID, "completed", "Tue, 30 Apr 2024 23:00:00 +0000")).replace("\"next_page_uri\": null", next))));
        twilio.stubFor(get(urlPathEqualTo(CALLS_PATH)).withQueryParam("PageToken", equalTo("PA123"))
                .willReturn(okJson(page(listed("CA0000000000000000000000000000000b", "ringing",
                        "Wed, 01 May 2024 10:02:31 +0000")))));   // after the window: another call
        twilio.stubFor(get(urlPathEqualTo(CALLS_PATH)).withQueryParam("Status", equalTo("queued")).willReturn(okJson(page())));

        assertThat(provider().findPlaced(voipCall(), SENT_FROM, SENT_UNTIL)).isEqualTo(PlacementSearch.notPlaced());
        twilio.verify(getRequestedFor(urlPathEqualTo(CALLS_PATH)).withQueryParam("PageToken", equalTo("PA123")));
    }

    @Test
    void findPlacedIsUnknownWhenAPageFails() {
        String next = "\"next_page_uri\": \"" + CALLS_PATH + "?To=%2B14155551212&PageSize=50&Page=1&PageToken=PA123\"";
        twilio.stubFor(get(urlPathEqualTo(CALLS_PATH)).withQueryParam("PageToken", absent())
                .willReturn(okJson(page().replace("\"next_page_uri\": null", next))));
        twilio.stubFor(get(urlPathEqualTo(CALLS_PATH)).withQueryParam("PageToken", equalTo("PA123"))
                .willReturn(aResponse().withStatus(503).withBody("{\"code\": 20503, \"message\": \"Service unavailable\"}")));

        assertThat(provider().findPlaced(voipCall(), SENT_FROM, SENT_UNTIL))
                .isInstanceOfSatisfying(PlacementSearch.Unknown.class, u -> assertThat(u.why()).contains("could not be read"));
    }

    @Test
    void findPlacedIsUnknownWhenTheListIsNotFoundOrHasMorePagesThanItReads() {
        twilio.stubFor(get(urlPathEqualTo(CALLS_PATH)).willReturn(aResponse().withStatus(404)
                .withBody("{\"code\": 20404, \"message\": \"The requested resource was not found\"}")));
        assertThat(provider().findPlaced(voipCall(), SENT_FROM, SENT_UNTIL)).isInstanceOf(PlacementSearch.Unknown.class);

        twilio.resetAll();
        String endless = page().replace("\"next_page_uri\": null",
                "\"next_page_uri\": \"" + CALLS_PATH + "?To=%2B14155551212&PageSize=50&Page=1&PageToken=PA1\"");
        twilio.stubFor(get(urlPathEqualTo(CALLS_PATH)).willReturn(okJson(endless)));
        assertThat(provider().findPlaced(voipCall(), SENT_FROM, SENT_UNTIL))
                .isInstanceOfSatisfying(PlacementSearch.Unknown.class, u -> assertThat(u.why()).contains("incomplete"));
    }

    @Test
    void findPlacedWithoutACallerIdToSearchByIsUnknown() {
        Map<String, String> config = new HashMap<>(baseConfig(twilio.baseUrl()));
        config.remove("twilio.from-number");
        TwilioProvider noFrom = Fixtures.provider(config, context);

        assertThat(noFrom.findPlaced(voipCall(), SENT_FROM, SENT_UNTIL)).isInstanceOf(PlacementSearch.Unknown.class);
        twilio.verify(0, getRequestedFor(urlPathEqualTo(CALLS_PATH)));
    }

    @Test
    void twilioDeclaresItsSearchLag() {
        assertThat(provider().capabilities().reconcileGrace()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void findPlacedFollowsNextPage() {
        String first = page().replace("\"next_page_uri\": null",
                "\"next_page_uri\": \"" + CALLS_PATH + "?To=%2B14155551212&PageSize=50&Page=1&PageToken=PA123\"");
        twilio.stubFor(get(urlPathEqualTo(CALLS_PATH)).withQueryParam("StartTime>", equalTo("2024-05-01")).willReturn(okJson(first)));
        twilio.stubFor(get(urlPathEqualTo(CALLS_PATH)).withQueryParam("PageToken", equalTo("PA123"))
                .willReturn(okJson(page(listed(CALL_SID, "in-progress", "Wed, 01 May 2024 10:00:03 +0000")))));
        twilio.stubFor(get(urlPathEqualTo(CALLS_PATH)).withQueryParam("Status", equalTo("queued")).willReturn(okJson(page())));

        assertThat(found(provider().findPlaced(voipCall(), SENT_FROM, SENT_UNTIL)).status()).isEqualTo(CallStatus.ANSWERED);
    }

    @Test
    void findPlacedFollowsNextPageBelowABaseUrlWithAPath() {
        // a proxy that forwards /proxy/twilio/... to Twilio: Twilio's next_page_uri is a path from its own root
        String prefix = "/proxy/twilio";
        Map<String, String> config = new HashMap<>(baseConfig(twilio.baseUrl() + prefix));
        String first = page().replace("\"next_page_uri\": null",
                "\"next_page_uri\": \"" + CALLS_PATH + "?To=%2B14155551212&PageSize=50&Page=1&PageToken=PA123\"");
        twilio.stubFor(get(urlPathEqualTo(prefix + CALLS_PATH)).withQueryParam("StartTime>", equalTo("2024-05-01"))
                .willReturn(okJson(first)));
        twilio.stubFor(get(urlPathEqualTo(prefix + CALLS_PATH)).withQueryParam("PageToken", equalTo("PA123"))
                .willReturn(okJson(page(listed(CALL_SID, "in-progress", "Wed, 01 May 2024 10:00:03 +0000")))));
        twilio.stubFor(get(urlPathEqualTo(prefix + CALLS_PATH)).withQueryParam("Status", equalTo("queued"))
                .willReturn(okJson(page())));

        PlacementSearch search = Fixtures.provider(config, context).findPlaced(voipCall(), SENT_FROM, SENT_UNTIL);

        assertThat(found(search).providerCallId()).isEqualTo(CALL_SID);
    }

    @Test
    void findPlacedRefusesToGuessBetweenSeveralMatches() {
        twilio.stubFor(get(urlPathEqualTo(CALLS_PATH)).willReturn(okJson(page(
                listed(CALL_SID, "ringing", "Wed, 01 May 2024 10:00:02 +0000"),
                listed("CA0000000000000000000000000000000b", "ringing", "Wed, 01 May 2024 10:00:04 +0000")))));

        assertThat(provider().findPlaced(voipCall(), SENT_FROM, SENT_UNTIL))
                .isInstanceOfSatisfying(PlacementSearch.Unknown.class, u -> assertThat(u.why()).contains("2 Twilio calls"));
    }

    @Test
    void findPlacedDoesNotCountAMatchThatIsAlreadyAnotherCallsOnRecord() {
        // a call placed normally a minute before, to the same number, is on record for that other call
        String another = "CA0000000000000000000000000000000b";
        twilio.stubFor(get(urlPathEqualTo(CALLS_PATH)).willReturn(okJson(page(
                listed(CALL_SID, "ringing", "Wed, 01 May 2024 10:00:02 +0000"),
                listed(another, "in-progress", "Wed, 01 May 2024 09:59:01 +0000")))));

        PlacementSearch search = provider().findPlaced(voipCall(), SENT_FROM, SENT_UNTIL, another::equals);

        assertThat(found(search).providerCallId()).isEqualTo(CALL_SID);
    }

    @Test
    void findPlacedStillRefusesToGuessBetweenTwoMatchesLeftOnceAnotherCallsIsDropped() {
        twilio.stubFor(get(urlPathEqualTo(CALLS_PATH)).willReturn(okJson(page(
                listed(CALL_SID, "ringing", "Wed, 01 May 2024 10:00:02 +0000"),
                listed("CA0000000000000000000000000000000b", "ringing", "Wed, 01 May 2024 10:00:04 +0000"),
                listed("CA0000000000000000000000000000000c", "in-progress", "Wed, 01 May 2024 09:59:01 +0000")))));

        assertThat(provider().findPlaced(voipCall(), SENT_FROM, SENT_UNTIL, "CA0000000000000000000000000000000c"::equals))
                .isInstanceOfSatisfying(PlacementSearch.Unknown.class, u -> assertThat(u.why()).contains("2 Twilio calls"));
    }

    @Test
    void findPlacedWhoseOnlyMatchIsAnotherCallsAnswersAsWithNoMatch() {
        // every page read over the whole window, and the one call in it is another call's: ours was never made
        twilio.stubFor(get(urlPathEqualTo(CALLS_PATH)).willReturn(okJson(page(
                listed("CA0000000000000000000000000000000b", "in-progress", "Wed, 01 May 2024 09:59:01 +0000")))));
        assertThat(provider().findPlaced(voipCall(), SENT_FROM, SENT_UNTIL, "CA0000000000000000000000000000000b"::equals))
                .isEqualTo(PlacementSearch.notPlaced());

        // and a search cut short stays unknown, whatever it matched
        twilio.stubFor(get(urlPathEqualTo(CALLS_PATH)).withQueryParam("Status", equalTo("queued"))
                .willReturn(aResponse().withStatus(404).withBody(error(20404, "The requested resource was not found", 404))));
        assertThat(provider().findPlaced(voipCall(), SENT_FROM, SENT_UNTIL, "CA0000000000000000000000000000000b"::equals))
                .isInstanceOf(PlacementSearch.Unknown.class);
    }

    @Test
    void lostCreateIsReconciledNotRedialled() {
        twilio.stubFor(post(urlEqualTo(CALLS_PATH)).inScenario("lost").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withFault(com.github.tomakehurst.wiremock.http.Fault.CONNECTION_RESET_BY_PEER))
                .willSetStateTo("created"));
        twilio.stubFor(get(urlPathEqualTo(CALLS_PATH)).inScenario("lost").whenScenarioStateIs("created")
                .willReturn(okJson(page(listed(CALL_SID, "ringing", "Wed, 01 May 2024 10:00:00 +0000")))));
        TwilioProvider provider = provider();
        Instant since = context.mutableClock().instant();

        ProviderException e = catchThrowableOfType(() -> provider.place(voipCall()), ProviderException.class);
        assertThat(e.reason()).isEqualTo(ErrorReason.OUTCOME_UNKNOWN);
        assertThat(found(provider.findPlaced(voipCall(), since, context.mutableClock().instant())).providerCallId())
                .isEqualTo(CALL_SID);

        twilio.verify(1, postRequestedFor(urlEqualTo(CALLS_PATH)));
    }

    @Test
    void hangUpCancelsCallNotYetAnswered() {
        twilio.stubFor(post(urlEqualTo(CALL_PATH)).willReturn(okJson(call("canceled"))));

        provider().hangUp(CALL_SID);

        twilio.verify(1, postRequestedFor(urlEqualTo(CALL_PATH)));
        assertThat(twilio.findAll(postRequestedFor(urlEqualTo(CALL_PATH))).get(0).getBodyAsString()).isEqualTo("Status=canceled");
    }

    @Test
    void hangUpCompletesAnsweredCallAfterCancelLeavesItRunning() {
        twilio.stubFor(post(urlEqualTo(CALL_PATH)).withRequestBody(equalTo("Status=canceled")).willReturn(okJson(call("in-progress"))));
        twilio.stubFor(post(urlEqualTo(CALL_PATH)).withRequestBody(equalTo("Status=completed")).willReturn(okJson(call("completed"))));

        provider().hangUp(CALL_SID);

        assertThat(twilio.findAll(postRequestedFor(urlEqualTo(CALL_PATH))))
                .extracting(r -> r.getBodyAsString()).containsExactly("Status=canceled", "Status=completed");
    }

    @Test
    void hangUpOfCallThatEndedMeanwhileSucceeds() {
        twilio.stubFor(post(urlEqualTo(CALL_PATH)).withRequestBody(equalTo("Status=canceled")).willReturn(okJson(call("in-progress"))));
        twilio.stubFor(post(urlEqualTo(CALL_PATH)).withRequestBody(equalTo("Status=completed"))
                .willReturn(aResponse().withStatus(400).withBody(error(21220, "Call is not in-progress. Cannot redirect.", 400))));
        twilio.stubFor(get(urlEqualTo(CALL_PATH)).willReturn(okJson(completedCall())));

        provider().hangUp(CALL_SID);

        twilio.verify(1, getRequestedFor(urlEqualTo(CALL_PATH)));
    }

    @Test
    void hangUpFailureIsReported() {
        twilio.stubFor(post(urlEqualTo(CALL_PATH)).willReturn(aResponse().withStatus(401).withBody(error(20003, "Authenticate", 401))));

        ProviderException e = catchThrowableOfType(() -> provider().hangUp(CALL_SID), ProviderException.class);

        assertThat(e.reason()).isEqualTo(ErrorReason.AUTHENTICATION);
    }
}
