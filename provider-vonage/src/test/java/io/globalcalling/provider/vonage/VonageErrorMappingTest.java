package io.globalcalling.provider.vonage;

import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.globalcalling.ErrorReason;
import io.globalcalling.spi.ProviderException;
import io.globalcalling.testkit.TestProviderContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The edges of how Vonage's error answers map to reasons: status boundaries, refused fields, Retry-After dates. */
class VonageErrorMappingTest {

    @RegisterExtension
    static WireMockExtension vonage = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    /** Another server a redirect could point at: a read must never land there. */
    @RegisterExtension
    static WireMockExtension elsewhere = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private final TestProviderContext context = VonageFixtures.context();
    private final VonageProvider provider = VonageFixtures.provider(VonageFixtures.baseConfig(vonage.baseUrl()), context);

    @AfterEach
    void close() {
        context.close();
    }

    private ProviderException placeAnswered(int status, String body) {
        vonage.resetAll();
        vonage.stubFor(post(urlPathEqualTo("/v1/calls")).willReturn(aResponse().withStatus(status)
                .withHeader("Content-Type", "application/json").withBody(body)));
        return catchThrowableOfType(ProviderException.class, () -> provider.place(VonageFixtures.voipCall()));
    }

    @Test
    void fiveHundredIsTheFirstServerFaultAndThreeHundredToThreeNinetyNineAreRedirects() {
        assertThat(placeAnswered(500, "").reason()).isEqualTo(ErrorReason.OUTCOME_UNKNOWN);
        assertThat(placeAnswered(499, "").reason()).isEqualTo(ErrorReason.REJECTED);
        for (int redirect : new int[]{300, 399}) {
            ProviderException e = placeAnswered(redirect, "");
            assertThat(e.reason()).as("HTTP %d", redirect).isEqualTo(ErrorReason.REJECTED);
            assertThat(e.getMessage()).as("HTTP %d", redirect).contains("unexpected redirect");
        }
        assertThat(placeAnswered(400, "").getMessage()).doesNotContain("redirect");
    }

    @Test
    void aNullBodyOnSuccessIsTheProvidersErrorAndTheCreateIsSentOnce() {
        // JSON's null reads as no object at all: the 201 says the bytes arrived, so the call may exist
        ProviderException created = placeAnswered(201, "null");
        assertThat(created.reason()).isEqualTo(ErrorReason.OUTCOME_UNKNOWN);
        vonage.verify(1, postRequestedFor(urlPathEqualTo("/v1/calls")));

        vonage.stubFor(get(urlPathEqualTo("/v1/calls/" + VonageFixtures.CALL_UUID)).willReturn(aResponse()
                .withStatus(200).withHeader("Content-Type", "application/json").withBody("null")));
        ProviderException read = catchThrowableOfType(ProviderException.class, () -> provider.fetch(VonageFixtures.CALL_UUID));
        assertThat(read.reason()).isEqualTo(ErrorReason.INTERNAL);
        assertThat(read.getMessage()).contains("200").contains("null");
    }

    @Test
    void aReadAnsweredWithARedirectIsRefusedNotFollowed() {
        // Vonage's API never redirects: one is a misconfiguration or an attack, and may point at another host
        elsewhere.stubFor(get(urlPathEqualTo("/stolen")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody(VonageFixtures.callInfo(VonageFixtures.CALL_UUID, "completed"))));
        vonage.stubFor(get(urlPathEqualTo("/v1/calls/" + VonageFixtures.CALL_UUID)).willReturn(aResponse()
                .withStatus(302).withHeader("Location", elsewhere.baseUrl() + "/stolen")));

        ProviderException e = catchThrowableOfType(ProviderException.class, () -> provider.fetch(VonageFixtures.CALL_UUID));

        assertThat(e.reason()).isEqualTo(ErrorReason.REJECTED);
        assertThat(e.httpStatus()).isEqualTo(302);
        assertThat(e.getMessage()).contains("unexpected redirect (HTTP 302); not followed");
        assertThat(elsewhere.findAll(anyRequestedFor(anyUrl()))).isEmpty();
    }

    @Test
    void aReadAnsweredFiveHundredIsUnavailable() {
        vonage.stubFor(get(urlPathEqualTo("/v1/calls/" + VonageFixtures.CALL_UUID)).willReturn(aResponse().withStatus(500)));
        ProviderException e = catchThrowableOfType(ProviderException.class, () -> provider.fetch(VonageFixtures.CALL_UUID));
        assertThat(e.reason()).isEqualTo(ErrorReason.UNAVAILABLE);
    }

    @Test
    void aReadWhoseConnectionBrokeAfterSendingIsUnavailableNotUnknown() {
        vonage.stubFor(get(urlPathEqualTo("/v1/calls/" + VonageFixtures.CALL_UUID))
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        ProviderException e = catchThrowableOfType(ProviderException.class, () -> provider.fetch(VonageFixtures.CALL_UUID));
        assertThat(e.reason()).isEqualTo(ErrorReason.UNAVAILABLE);
        assertThat(e.getMessage()).contains("after sending");
    }

    @Test
    void onlyARefusedToFieldOrAnInvalidNumberTypeIsTheDestinationsFault() {
        String to = "{\"type\":\"https://developer.nexmo.com/api-errors#validation\",\"title\":\"Bad Request\","
                + "\"invalid_parameters\":[{\"name\":\"to[0].number\",\"reason\":\"Invalid\"}]}";
        String from = "{\"type\":\"https://developer.nexmo.com/api-errors#validation\",\"title\":\"Bad Request\","
                + "\"invalid_parameters\":[{\"name\":\"from\",\"reason\":\"Invalid\"},{\"reason\":\"no name\"}]}";
        String type = "{\"type\":\"https://developer.nexmo.com/api-errors/voice#invalid-number\",\"title\":\"Bad\"}";
        assertThat(placeAnswered(400, to).reason()).isEqualTo(ErrorReason.INVALID_DESTINATION);
        assertThat(placeAnswered(400, from).reason()).isEqualTo(ErrorReason.REJECTED);
        assertThat(placeAnswered(400, type).reason()).isEqualTo(ErrorReason.INVALID_DESTINATION);
        assertThat(placeAnswered(403, from).reason()).isEqualTo(ErrorReason.NOT_PERMITTED);
    }

    @Test
    void aNumberVonagesErrorTitleOrDetailQuotesIsMasked() {
        // the call record keeps this message as its errorMessage, so the callee's full number must not be in it
        String digits = VonageFixtures.TO.substring(1);
        String body = "{\"type\":\"https://developer.nexmo.com/api-errors#validation\",\"title\":\"Bad Request\","
                + "\"detail\":\"The number " + digits + " is not a valid destination\","
                + "\"invalid_parameters\":[{\"name\":\"to[0].number\",\"reason\":\"Invalid\"}]}";
        ProviderException e = placeAnswered(400, body);

        assertThat(e.reason()).isEqualTo(ErrorReason.INVALID_DESTINATION);
        assertThat(e.getMessage()).doesNotContain(digits)
                .contains("Vonage: Bad Request: The number 4477******00 is not a valid destination, HTTP 400");
        String titled = "{\"title\":\"Cannot call " + VonageFixtures.TO + "\"}";
        assertThat(placeAnswered(403, titled).getMessage()).doesNotContain(digits).contains("Cannot call +447*******00");
    }

    @Test
    void aRetryAfterDateIsTheTimeUntilThenAndAPastOneIsZero() {
        vonage.stubFor(post(urlPathEqualTo("/v1/calls")).willReturn(aResponse().withStatus(429)
                .withHeader("Retry-After", "Wed, 01 May 2024 10:00:45 GMT")));
        ProviderException later = catchThrowableOfType(ProviderException.class, () -> provider.place(VonageFixtures.voipCall()));
        assertThat(later.retryAfter()).contains(Duration.ofSeconds(45));
        vonage.stubFor(post(urlPathEqualTo("/v1/calls")).willReturn(aResponse().withStatus(429)
                .withHeader("Retry-After", "Wed, 01 May 2024 09:59:00 GMT")));
        ProviderException past = catchThrowableOfType(ProviderException.class, () -> provider.place(VonageFixtures.voipCall()));
        assertThat(past.retryAfter()).contains(Duration.ZERO);
        vonage.stubFor(post(urlPathEqualTo("/v1/calls")).willReturn(aResponse().withStatus(429)
                .withHeader("Retry-After", "soon")));
        ProviderException unreadable = catchThrowableOfType(ProviderException.class, () -> provider.place(VonageFixtures.voipCall()));
        assertThat(unreadable.retryAfter()).isEmpty();
    }
}
