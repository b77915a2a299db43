package io.globalcalling.provider.twilio;

import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.globalcalling.ErrorReason;
import io.globalcalling.spi.ProviderException;
import io.globalcalling.testkit.TestProviderContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.stream.Collectors;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.globalcalling.provider.twilio.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Erasing a call at Twilio: its recordings (every page of the list), then its call record. */
class TwilioEraseCallTest {

    @RegisterExtension
    static WireMockExtension twilio = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    /** Where a next page must never lead: the same machine, another port. */
    @RegisterExtension
    static WireMockExtension elsewhere = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static final String RECORDINGS_PATH = "/2010-04-01/Accounts/" + ACCOUNT_SID + "/Recordings.json";
    private static final String RE_1 = "RE0123456789abcdef0123456789abcd01";
    private static final String RE_2 = "RE0123456789abcdef0123456789abcd02";
    private static final String RE_3 = "RE0123456789abcdef0123456789abcd03";

    private final TestProviderContext context = TwilioTests.context();

    @AfterEach
    void close() {
        context.close();
    }

    private TwilioProvider provider() {
        return Fixtures.provider(twilio.baseUrl(), context);
    }

    private static String recordingPath(String sid) {
        return "/2010-04-01/Accounts/" + ACCOUNT_SID + "/Recordings/" + sid + ".json";
    }

    /** A Recording resource as Twilio lists it. */
    private static String recording(String sid, String callSid) {
        return """
                {"account_sid": "%s", "api_version": "2010-04-01", "call_sid": "%s", "conference_sid": null,
                 "date_created": "Wed, 01 May 2024 10:02:10 +0000", "date_updated": "Wed, 01 May 2024 10:02:12 +0000",
                 "start_time": "Wed, 01 May 2024 10:00:12 +0000", "duration": "117", "sid": "%s", "price": "-0.0025",
                 "price_unit": "USD", "status": "completed", "channels": 1, "source": "OutboundAPI", "error_code": null,
                 "uri": "%s", "encryption_details": null, "track": "both",
                 "subresource_uris": {"add_on_results": "/2010-04-01/Accounts/%s/Recordings/%s/AddOnResults.json",
                   "transcriptions": "/2010-04-01/Accounts/%s/Recordings/%s/Transcriptions.json"},
                 "media_url": "https://api.twilio.com/2010-04-01/Accounts/%s/Recordings/%s"}
                """.formatted(ACCOUNT_SID, callSid, sid, recordingPath(sid), ACCOUNT_SID, sid, ACCOUNT_SID, sid,
                ACCOUNT_SID, sid);
    }

    /** A page of Twilio's Recordings list; {@code nextPageUri} null on the last page. */
    private static String page(int page, String nextPageUri, String... sids) {
        String recordings = Arrays.stream(sids).map(sid -> recording(sid, CALL_SID)).collect(Collectors.joining(","));
        String query = "?CallSid=" + CALL_SID + "&PageSize=1000";
        return """
                {"end": %d, "first_page_uri": "%s", "next_page_uri": %s, "page": %d, "page_size": 1000,
                 "previous_page_uri": null, "recordings": [%s], "start": %d, "uri": "%s"}
                """.formatted(page * 1000 + sids.length - 1, RECORDINGS_PATH + query + "&Page=0",
                nextPageUri == null ? "null" : "\"" + nextPageUri + "\"", page, recordings, page * 1000,
                RECORDINGS_PATH + query + "&Page=" + page);
    }

    private static String secondPageUri() {
        return RECORDINGS_PATH + "?CallSid=" + CALL_SID + "&PageSize=1000&Page=1&PageToken=PARE0123456789abcdef";
    }

    private static void listRecordings(String... sids) {
        twilio.stubFor(get(urlPathEqualTo(RECORDINGS_PATH)).willReturn(okJson(page(0, null, sids))));
    }

    private static void deletesAnswer(int status, String body) {
        twilio.stubFor(delete(anyUrl()).willReturn(aResponse().withStatus(status)
                .withHeader("Content-Type", "application/json").withBody(body)));
    }

    private static void deletesAnswerNoContent() {
        twilio.stubFor(delete(anyUrl()).willReturn(aResponse().withStatus(204)));
    }

    private static String notFound() {
        return error(20404, "The requested resource /2010-04-01/Accounts/" + ACCOUNT_SID + "/Calls/" + CALL_SID
                + ".json was not found", 404);
    }

    @Test
    void deletesTheRecordingsOfEveryPageAndThenTheCallRecord() {
        twilio.stubFor(get(urlPathEqualTo(RECORDINGS_PATH)).withQueryParam("CallSid", equalTo(CALL_SID))
                .withQueryParam("PageSize", equalTo("1000")).withQueryParam("PageToken", absent())
                .willReturn(okJson(page(0, secondPageUri(), RE_1, RE_2))));
        twilio.stubFor(get(urlPathEqualTo(RECORDINGS_PATH)).withQueryParam("PageToken", equalTo("PARE0123456789abcdef"))
                .willReturn(okJson(page(1, null, RE_3))));
        deletesAnswerNoContent();

        provider().eraseCall(CALL_SID);

        twilio.verify(2, getRequestedFor(urlPathEqualTo(RECORDINGS_PATH)).withHeader("Authorization", equalTo(BASIC_AUTH)));
        for (String path : new String[]{recordingPath(RE_1), recordingPath(RE_2), recordingPath(RE_3), CALL_PATH}) {
            twilio.verify(1, deleteRequestedFor(urlEqualTo(path)).withHeader("Authorization", equalTo(BASIC_AUTH)));
        }
        assertThat(twilio.findAll(deleteRequestedFor(anyUrl()))).extracting(LoggedRequest::getUrl)
                .containsExactly(recordingPath(RE_1), recordingPath(RE_2), recordingPath(RE_3), CALL_PATH);
    }

    @Test
    void aCallWithoutRecordingsHasOnlyItsCallRecordDeleted() {
        listRecordings();
        deletesAnswerNoContent();

        provider().eraseCall(CALL_SID);

        assertThat(twilio.findAll(deleteRequestedFor(anyUrl()))).extracting(LoggedRequest::getUrl)
                .containsExactly(CALL_PATH);
    }

    @Test
    void whatIsAlreadyGoneCountsAsDeleted() {
        listRecordings(RE_1);
        deletesAnswer(404, notFound());

        provider().eraseCall(CALL_SID);

        assertThat(twilio.findAll(deleteRequestedFor(anyUrl()))).extracting(LoggedRequest::getUrl)
                .containsExactly(recordingPath(RE_1), CALL_PATH);
    }

    @Test
    void aRecordingThatCannotBeDeletedKeepsTheCallRecordForTheNextTry() {
        listRecordings(RE_1, RE_2);
        deletesAnswerNoContent();
        twilio.stubFor(delete(urlEqualTo(recordingPath(RE_1))).willReturn(aResponse().withStatus(500)
                .withHeader("Content-Type", "application/json").withBody(error(20500, "Internal Server Error", 500))));

        ProviderException e = catchThrowableOfType(ProviderException.class, () -> provider().eraseCall(CALL_SID));

        assertThat(e.reason()).isEqualTo(ErrorReason.UNAVAILABLE);
        assertThat(e.httpStatus()).isEqualTo(500);
        twilio.verify(1, deleteRequestedFor(urlEqualTo(recordingPath(RE_1))));
        twilio.verify(0, deleteRequestedFor(urlEqualTo(CALL_PATH)));
    }

    @Test
    void aRefusedCredentialIsNamedButTheAuthTokenIsNot() {
        listRecordings();
        deletesAnswer(401, error(20003, "Authenticate", 401));

        ProviderException e = catchThrowableOfType(ProviderException.class, () -> provider().eraseCall(CALL_SID));

        assertThat(e.reason()).isEqualTo(ErrorReason.AUTHENTICATION);
        assertThat(e.providerErrorCode()).contains("20003");
        assertThat(e.getMessage()).contains("Authenticate", "20003", "401");
        StringWriter trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        assertThat(e.getMessage() + e + trace).doesNotContain(AUTH_TOKEN).doesNotContain(BASIC_AUTH.substring(6));
    }

    @Test
    void aDeleteWhoseAnswerIsLostFailsOnceAndIsNotResent() {
        listRecordings();
        twilio.stubFor(delete(urlEqualTo(CALL_PATH)).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

        ProviderException e = catchThrowableOfType(ProviderException.class, () -> provider().eraseCall(CALL_SID));

        assertThat(e.reason()).isEqualTo(ErrorReason.UNAVAILABLE);
        twilio.verify(1, deleteRequestedFor(urlEqualTo(CALL_PATH)));
    }

    @Test
    void aNextPageElsewhereThanTwiliosApiIsNotFollowedAndNothingIsDeleted() {
        String otherHost = "https://api.twilio.example.net" + secondPageUri();
        String otherPort = "http://localhost:" + elsewhere.getPort() + secondPageUri();
        for (String next : new String[]{otherHost, otherPort}) {
            twilio.resetAll();
            twilio.stubFor(get(urlPathEqualTo(RECORDINGS_PATH)).willReturn(okJson(page(0, next, RE_1))));
            deletesAnswerNoContent();

            assertThatThrownBy(() -> provider().eraseCall(CALL_SID)).as(next).isInstanceOf(ProviderException.class)
                    .hasMessageContaining("could not be read to its end");

            twilio.verify(1, getRequestedFor(urlPathEqualTo(RECORDINGS_PATH)));
            twilio.verify(0, deleteRequestedFor(anyUrl()));
        }
        assertThat(elsewhere.findAll(anyRequestedFor(anyUrl()))).isEmpty();
    }

    @Test
    void aListThatIsNotFoundOrFailsDeletesNothing() {
        twilio.stubFor(get(urlPathEqualTo(RECORDINGS_PATH)).willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", "application/json").withBody(notFound())));
        deletesAnswerNoContent();
        assertThatThrownBy(() -> provider().eraseCall(CALL_SID)).isInstanceOf(ProviderException.class);

        twilio.stubFor(get(urlPathEqualTo(RECORDINGS_PATH)).willReturn(aResponse().withStatus(503)));
        ProviderException e = catchThrowableOfType(ProviderException.class, () -> provider().eraseCall(CALL_SID));
        assertThat(e.reason()).isEqualTo(ErrorReason.UNAVAILABLE);

        twilio.verify(0, deleteRequestedFor(anyUrl()));
    }

    @Test
    void aRecordingListedForAnotherCallStopsTheErasureBeforeAnyDelete() {
        String mixed = page(0, null, RE_1).replace(recording(RE_1, CALL_SID),
                recording(RE_1, CALL_SID) + "," + recording(RE_2, "CAffffffffffffffffffffffffffffffff"));
        twilio.stubFor(get(urlPathEqualTo(RECORDINGS_PATH)).willReturn(okJson(mixed)));
        deletesAnswerNoContent();

        assertThatThrownBy(() -> provider().eraseCall(CALL_SID)).isInstanceOf(ProviderException.class)
                .hasMessageContaining(RE_2);

        twilio.verify(0, deleteRequestedFor(anyUrl()));
    }

    @Test
    void aMissingOrBlankCallIdIsRefusedBeforeAnyRequest() {
        TwilioProvider provider = provider();

        assertThatThrownBy(() -> provider.eraseCall(null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("providerCallId");
        assertThatThrownBy(() -> provider.eraseCall("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> provider.eraseCall("  ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("providerCallId");

        assertThat(twilio.findAll(anyRequestedFor(anyUrl()))).isEmpty();
    }
}
