package io.globalcalling.provider.twilio;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.globalcalling.CallCategory;
import io.globalcalling.CallRequest;
import io.globalcalling.CallStatus;
import io.globalcalling.ConfigurationException;
import io.globalcalling.ErrorReason;
import io.globalcalling.Money;
import io.globalcalling.spi.OutboundCall;
import io.globalcalling.spi.PlacedCall;
import io.globalcalling.spi.ProviderException;
import io.globalcalling.spi.Rate;
import io.globalcalling.testkit.TestProviderContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.globalcalling.provider.twilio.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Issue 14: Twilio dials satellite phones when the host enables the satellite category. */
class TwilioSatelliteIssue14Test {

    private static final String IRIDIUM_PHONE = "+881631234567";

    @RegisterExtension
    static WireMockExtension twilio = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private final TestProviderContext context = TwilioTests.context();

    @AfterEach
    void close() {
        context.close();
    }

    private TwilioProvider provider() {
        return Fixtures.provider(twilio.baseUrl(), context);
    }

    private static OutboundCall satelliteCall(String to) {
        return OutboundCall.builder("call-sat", CallCategory.SATELLITE,
                CallRequest.to(to).answerUrl("https://app.example.com/twiml/connect").build()).build();
    }

    @Test
    void satelliteIsSupportedButServedOnlyWhenTheHostEnablesIt() {
        TwilioProvider provider = provider();

        assertThat(provider.categories()).doesNotContain(CallCategory.SATELLITE);
        assertThat(provider.supportedCategories())
                .containsExactlyInAnyOrder(CallCategory.INTERNET_VOIP, CallCategory.AI_AUTOMATED, CallCategory.SATELLITE);
    }

    @Test
    void dialsASatellitePhoneWithTheExactCreateForm() {
        twilio.stubFor(post(urlEqualTo(CALLS_PATH)).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody(call("queued"))));

        PlacedCall placed = provider().place(satelliteCall(IRIDIUM_PHONE));

        assertThat(placed).isEqualTo(PlacedCall.of(CALL_SID, CallStatus.QUEUED));
        String body = twilio.findAll(postRequestedFor(urlEqualTo(CALLS_PATH))).get(0).getBodyAsString();
        assertThat(formPairs(body)).containsExactly(pair("To", IRIDIUM_PHONE), pair("From", FROM),
                pair("Url", "https://app.example.com/twiml/connect"), pair("Method", "POST"), pair("Timeout", "60"));
    }

    @Test
    void refusesASatelliteCallToAnOrdinaryNumberBeforeSendingAnything() {
        assertThatThrownBy(() -> provider().place(satelliteCall("+919876543210")))
                .isInstanceOfSatisfying(ProviderException.class,
                        e -> assertThat(e.reason()).isEqualTo(ErrorReason.INVALID_DESTINATION))
                .hasMessageContaining("a satellite call goes to a satellite phone (+8816, +8817, +870, +88216)")
                .hasMessageContaining("+919*******10");
        twilio.verify(0, postRequestedFor(urlEqualTo(CALLS_PATH)));
    }

    @Test
    void theSatelliteDeckPricesEachRangeAndTheHostMayReplaceIt() {
        assertThat(provider().rates()).filteredOn(r -> r.category() == CallCategory.SATELLITE)
                .extracting(Rate::prefix, Rate::perMinute, Rate::incrementSeconds)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("8816", Money.of("10.00", "USD"), 60),
                        org.assertj.core.groups.Tuple.tuple("8817", Money.of("10.00", "USD"), 60),
                        org.assertj.core.groups.Tuple.tuple("870", Money.of("10.00", "USD"), 60),
                        org.assertj.core.groups.Tuple.tuple("88216", Money.of("10.00", "USD"), 60));

        Map<String, String> config = baseConfig(twilio.baseUrl());
        config.put("twilio.satellite-rate-per-minute", "7.25");
        assertThat(Fixtures.provider(config, context).rates()).filteredOn(r -> r.category() == CallCategory.SATELLITE)
                .extracting(Rate::perMinute).containsOnly(Money.of("7.25", "USD")).hasSize(4);
    }

    @Test
    void aNegativeSatelliteRateIsRefusedNamingTheKey() {
        Map<String, String> config = baseConfig(twilio.baseUrl());
        config.put("twilio.satellite-rate-per-minute", "-1");
        assertThatThrownBy(() -> Fixtures.provider(config, context)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("twilio.satellite-rate-per-minute").hasMessageContaining("-1");
    }
}
