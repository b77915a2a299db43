package io.globalcalling.provider.vonage;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.globalcalling.CallStatus;
import io.globalcalling.Money;
import io.globalcalling.spi.CallEvent;
import io.globalcalling.spi.PlacementSearch;
import io.globalcalling.testkit.TestProviderContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

/** fetch (GET the call), hang-up (PUT action hangup) and reconciliation by listing calls; never a re-dial. */
class VonageCallControlTest {

    @RegisterExtension
    static WireMockExtension vonage = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private final TestProviderContext context = VonageFixtures.context();
    private final VonageProvider provider = VonageFixtures.provider(VonageFixtures.baseConfig(vonage.baseUrl()), context);
    private final String callPath = "/v1/calls/" + VonageFixtures.CALL_UUID;

    @AfterEach
    void close() {
        context.close();
    }

    @Test
    void fetchReadsStatusDurationAndPrice() {
        vonage.stubFor(get(urlPathEqualTo(callPath)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(VonageFixtures.callInfo(VonageFixtures.CALL_UUID, "completed"))));

        CallEvent e = provider.fetch(VonageFixtures.CALL_UUID).orElseThrow();

        assertThat(e.status()).isEqualTo(CallStatus.COMPLETED);
        assertThat(e.duration()).isEqualTo(Duration.ofSeconds(60));
        assertThat(e.price()).isEqualTo(Money.of("23.40", "EUR"));
        assertThat(e.occurredAt()).isEqualTo(Instant.parse("2024-05-01T10:01:05Z"));
    }

    @Test
    void fetchOfAnUnknownCallIsEmpty() {
        vonage.stubFor(get(urlPathEqualTo(callPath)).willReturn(aResponse().withStatus(404)
                .withBody("{\"type\":\"https://developer.nexmo.com/api-errors#not-found\",\"title\":\"Not Found\"}")));
        assertThat(provider.fetch(VonageFixtures.CALL_UUID)).isEmpty();
    }

    @Test
    void hangUpPutsActionHangup() {
        vonage.stubFor(put(urlPathEqualTo(callPath)).willReturn(aResponse().withStatus(204)));

        provider.hangUp(VonageFixtures.CALL_UUID);

        vonage.verify(1, putRequestedFor(urlPathEqualTo(callPath)).withRequestBody(equalToJson("{\"action\":\"hangup\"}"))
                .withHeader("Authorization", com.github.tomakehurst.wiremock.client.WireMock.matching("Bearer .+")));
    }

    @Test
    void hangingUpACallThatAlreadyEndedIsNotAnError() {
        vonage.stubFor(put(urlPathEqualTo(callPath)).willReturn(aResponse().withStatus(400)
                .withBody("{\"title\":\"Bad Request\",\"detail\":\"call already completed\"}")));
        vonage.stubFor(get(urlPathEqualTo(callPath)).willReturn(aResponse().withStatus(200)
                .withBody(VonageFixtures.callInfo(VonageFixtures.CALL_UUID, "completed"))));

        provider.hangUp(VonageFixtures.CALL_UUID);
    }

    @Test
    void aLostPlacementIsFoundByListingCallsToTheDestinationOverItsSendWindow() {
        Instant sentFrom = Instant.parse("2024-05-01T10:00:04Z");
        listAnswers(VonageFixtures.callInfo(VonageFixtures.CALL_UUID, "answered") + ","
                + VonageFixtures.callInfo("11111111-2222-4333-8444-555555555555", "completed")
                        .replace("447700900000", "447700900123"));

        PlacementSearch search = provider.findPlaced(VonageFixtures.voipCall(), sentFrom, sentFrom.plusSeconds(5));

        assertThat(search).isInstanceOfSatisfying(PlacementSearch.Found.class, f -> {
            assertThat(f.event().providerCallId()).isEqualTo(VonageFixtures.CALL_UUID);
            assertThat(f.event().callId()).isEqualTo("call-42");
            assertThat(f.event().status()).isEqualTo(CallStatus.ANSWERED);
        });
        vonage.verify(getRequestedFor(urlPathEqualTo("/v1/calls"))
                .withQueryParam("date_start", equalTo("2024-05-01T09:58:04Z"))
                .withQueryParam("date_end", equalTo("2024-05-01T10:02:10Z")));
        vonage.verify(0, postRequestedFor(urlPathEqualTo("/v1/calls")));
    }

    @Test
    void noMatchOnAnyPageMeansNotPlacedAndSeveralStayUnknown() {
        listAnswers("");
        assertThat(provider.findPlaced(VonageFixtures.voipCall(), VonageFixtures.START, VonageFixtures.START))
                .isEqualTo(PlacementSearch.notPlaced());

        vonage.resetAll();
        listAnswers(VonageFixtures.callInfo(VonageFixtures.CALL_UUID, "answered") + ","
                + VonageFixtures.callInfo("11111111-2222-4333-8444-555555555555", "ringing"));
        assertThat(provider.findPlaced(VonageFixtures.voipCall(), VonageFixtures.START, VonageFixtures.START))
                .isInstanceOfSatisfying(PlacementSearch.Unknown.class, u -> assertThat(u.why()).contains("2 Vonage calls"));
        vonage.verify(0, postRequestedFor(urlPathEqualTo("/v1/calls")));
    }

    @Test
    void aMatchThatIsAlreadyAnotherCallsOnRecordIsNotCounted() {
        // a call placed normally a minute before, to the same number, is on record for that other call
        String another = "11111111-2222-4333-8444-555555555555";
        listAnswers(VonageFixtures.callInfo(another, "answered") + ","
                + VonageFixtures.callInfo(VonageFixtures.CALL_UUID, "ringing"));

        PlacementSearch search = provider.findPlaced(VonageFixtures.voipCall(), VonageFixtures.START,
                VonageFixtures.START, another::equals);

        assertThat(search).isInstanceOfSatisfying(PlacementSearch.Found.class,
                f -> assertThat(f.event().providerCallId()).isEqualTo(VonageFixtures.CALL_UUID));
    }

    @Test
    void twoMatchesLeftOnceAnotherCallsIsDroppedStayUnknownAndNoneLeftIsAsWithNoMatch() {
        String another = "11111111-2222-4333-8444-555555555555";
        listAnswers(VonageFixtures.callInfo(another, "answered") + ","
                + VonageFixtures.callInfo(VonageFixtures.CALL_UUID, "ringing") + ","
                + VonageFixtures.callInfo("22222222-2222-4333-8444-555555555555", "ringing"));
        assertThat(provider.findPlaced(VonageFixtures.voipCall(), VonageFixtures.START, VonageFixtures.START, another::equals))
                .isInstanceOfSatisfying(PlacementSearch.Unknown.class, u -> assertThat(u.why()).contains("2 Vonage calls"));

        // every page read, and the one call in the window is another call's: ours was never made
        vonage.resetAll();
        listAnswers(VonageFixtures.callInfo(another, "answered"));
        assertThat(provider.findPlaced(VonageFixtures.voipCall(), VonageFixtures.START, VonageFixtures.START, another::equals))
                .isEqualTo(PlacementSearch.notPlaced());

        // a page that failed leaves it unknown all the same
        vonage.resetAll();
        pageAnswers(0, 150, String.join(",", java.util.Collections.nCopies(100, VonageFixtures.callInfo(another, "answered"))));
        vonage.stubFor(get(urlPathEqualTo("/v1/calls")).withQueryParam("record_index", equalTo("100"))
                .willReturn(aResponse().withStatus(500).withHeader("Content-Type", "application/json")
                        .withBody("{\"title\":\"Internal Server Error\"}")));
        assertThat(provider.findPlaced(VonageFixtures.voipCall(), VonageFixtures.START, VonageFixtures.START, another::equals))
                .isInstanceOf(PlacementSearch.Unknown.class);
        vonage.verify(0, postRequestedFor(urlPathEqualTo("/v1/calls")));
    }

    @Test
    void everyPageIsReadBeforeConcludingNotPlaced() {
        String other = VonageFixtures.callInfo("11111111-2222-4333-8444-555555555555", "completed")
                .replace("447700900000", "447700900123");
        pageAnswers(0, 150, String.join(",", java.util.Collections.nCopies(100, other)));
        pageAnswers(100, 150, String.join(",", java.util.Collections.nCopies(50, other)));

        assertThat(provider.findPlaced(VonageFixtures.voipCall(), VonageFixtures.START, VonageFixtures.START))
                .isEqualTo(PlacementSearch.notPlaced());
        vonage.verify(getRequestedFor(urlPathEqualTo("/v1/calls")).withQueryParam("record_index", equalTo("100")));
    }

    @Test
    void aPageThatFailsLeavesTheOutcomeUnknown() {
        String other = VonageFixtures.callInfo("11111111-2222-4333-8444-555555555555", "completed")
                .replace("447700900000", "447700900123");
        pageAnswers(0, 150, String.join(",", java.util.Collections.nCopies(100, other)));
        vonage.stubFor(get(urlPathEqualTo("/v1/calls")).withQueryParam("record_index", equalTo("100"))
                .willReturn(aResponse().withStatus(500).withHeader("Content-Type", "application/json")
                        .withBody("{\"title\":\"Internal Server Error\"}")));

        assertThat(provider.findPlaced(VonageFixtures.voipCall(), VonageFixtures.START, VonageFixtures.START))
                .isInstanceOfSatisfying(PlacementSearch.Unknown.class, u -> assertThat(u.why()).contains("could not be read"));
    }

    @Test
    void aPageWithANullEntryLeavesTheOutcomeUnknownNamingTheEntry() {
        String other = VonageFixtures.callInfo("11111111-2222-4333-8444-555555555555", "completed")
                .replace("447700900000", "447700900123");
        pageAnswers(0, 2, "null," + other);

        // the null may stand for our call: skipping it would say "not placed" and release the hold of a call that exists
        assertThat(provider.findPlaced(VonageFixtures.voipCall(), VonageFixtures.START, VonageFixtures.START))
                .isInstanceOfSatisfying(PlacementSearch.Unknown.class,
                        u -> assertThat(u.why()).contains("empty entry").contains("record_index 0"));

        vonage.resetAll();
        pageAnswers(0, 2, VonageFixtures.callInfo(VonageFixtures.CALL_UUID, "answered") + ",null");
        assertThat(provider.findPlaced(VonageFixtures.voipCall(), VonageFixtures.START, VonageFixtures.START))
                .isInstanceOf(PlacementSearch.Unknown.class);
        vonage.verify(0, postRequestedFor(urlPathEqualTo("/v1/calls")));
    }

    @Test
    void vonageDeclaresItsSearchLag() {
        assertThat(provider.capabilities().reconcileGrace()).isEqualTo(Duration.ofMinutes(5));
    }

    private void pageAnswers(int recordIndex, int count, String calls) {
        vonage.stubFor(get(urlPathEqualTo("/v1/calls")).withQueryParam("record_index", equalTo(Integer.toString(recordIndex)))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody("""
                        {"count":%d,"page_size":100,"record_index":%d,"_links":{"self":{"href":"/calls?page_size=100"}},
                         "_embedded":{"calls":[%s]}}
                        """.formatted(count, recordIndex, calls))));
    }

    private void listAnswers(String calls) {
        int count = calls.isEmpty() ? 0 : calls.split("\"_links\"").length - 1;
        vonage.stubFor(get(urlPathEqualTo("/v1/calls")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("""
                        {"count":%d,"page_size":100,"record_index":0,"_links":{"self":{"href":"/calls?page_size=100"}},
                         "_embedded":{"calls":[%s]}}
                        """.formatted(count, calls))));
    }
}
