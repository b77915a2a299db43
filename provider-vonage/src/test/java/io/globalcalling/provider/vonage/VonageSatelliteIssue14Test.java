package io.globalcalling.provider.vonage;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.globalcalling.CallCategory;
import io.globalcalling.CallRequest;
import io.globalcalling.CallStatus;
import io.globalcalling.ConfigurationException;
import io.globalcalling.ErrorReason;
import io.globalcalling.Money;
import io.globalcalling.PhoneNumber;
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
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

/** Issue 14: Vonage dials satellite phones when the host enables the satellite category. */
class VonageSatelliteIssue14Test {

    private static final String IRIDIUM_PHONE = "+881631234567";

    @RegisterExtension
    static WireMockExtension vonage = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private final ObjectMapper json = new ObjectMapper();
    private final TestProviderContext context = VonageFixtures.context();

    @AfterEach
    void close() {
        context.close();
    }

    private VonageProvider provider() {
        return VonageFixtures.provider(VonageFixtures.baseConfig(vonage.baseUrl()), context);
    }

    private static OutboundCall satelliteCall(String to) {
        return OutboundCall.builder("call-sat", CallCategory.SATELLITE, CallRequest.to(to).build())
                .statusCallbackUrl(VonageFixtures.CALLBACK).build();
    }

    @Test
    void satelliteIsSupportedButServedOnlyWhenTheHostEnablesIt() {
        VonageProvider provider = provider();

        assertThat(provider.categories()).containsExactlyInAnyOrder(CallCategory.INTERNET_VOIP, CallCategory.AI_AUTOMATED);
        assertThat(provider.supportedCategories())
                .containsExactlyInAnyOrder(CallCategory.INTERNET_VOIP, CallCategory.AI_AUTOMATED, CallCategory.SATELLITE);
        assertThat(provider.covers(PhoneNumber.of(IRIDIUM_PHONE))).as("a satellite number belongs to no country").isTrue();
    }

    @Test
    void dialsASatellitePhoneWithVonagesExactBody() throws Exception {
        vonage.stubFor(post(urlPathEqualTo("/v1/calls")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody(VonageFixtures.created(VonageFixtures.CALL_UUID))));

        PlacedCall placed = provider().place(satelliteCall(IRIDIUM_PHONE));

        assertThat(placed).isEqualTo(PlacedCall.of(VonageFixtures.CALL_UUID, CallStatus.QUEUED));
        String sent = vonage.findAll(postRequestedFor(urlPathEqualTo("/v1/calls"))).get(0).getBodyAsString();
        assertThat(json.readTree(sent)).isEqualTo(json.readTree("""
                {"to":[{"type":"phone","number":"881631234567"}],
                 "from":{"type":"phone","number":"447700900001"},
                 "ncco":[{"action":"connect","from":"447700900001",
                          "endpoint":[{"type":"sip","uri":"sip:desk@pbx.example.com"}]}],
                 "event_url":["https://hooks.example.com/calling/webhooks/vonage?callId=call-42"],
                 "event_method":"POST","ringing_timer":60}
                """));
    }

    @Test
    void refusesASatelliteCallToAnOrdinaryNumberBeforeSendingAnything() {
        assertThatThrownBy(() -> provider().place(satelliteCall("+919876543210")))
                .isInstanceOfSatisfying(ProviderException.class,
                        e -> assertThat(e.reason()).isEqualTo(ErrorReason.INVALID_DESTINATION))
                .hasMessageContaining("a satellite call goes to a satellite phone (+8816, +8817, +870, +88216)")
                .hasMessageContaining("+919*******10");
        vonage.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void theSatelliteDeckPricesEachRangeInEurosAndTheHostMayReplaceIt() {
        assertThat(provider().rates()).filteredOn(r -> r.category() == CallCategory.SATELLITE)
                .extracting(Rate::prefix, Rate::perMinute, Rate::incrementSeconds)
                .containsExactly(
                        tuple("8816", Money.of("10.00", "EUR"), 1),
                        tuple("8817", Money.of("10.00", "EUR"), 1),
                        tuple("870", Money.of("10.00", "EUR"), 1),
                        tuple("88216", Money.of("10.00", "EUR"), 1));

        Map<String, String> config = VonageFixtures.baseConfig(vonage.baseUrl());
        config.put("vonage.satellite-rate-per-minute", "7.25");
        assertThat(VonageFixtures.provider(config, context).rates()).filteredOn(r -> r.category() == CallCategory.SATELLITE)
                .extracting(Rate::perMinute).containsOnly(Money.of("7.25", "EUR")).hasSize(4);
    }

    @Test
    void aNegativeOrMalformedSatelliteRateIsRefusedNamingTheKey() {
        for (String bad : new String[] {"-1", "ten"}) {
            Map<String, String> config = VonageFixtures.baseConfig(vonage.baseUrl());
            config.put("vonage.satellite-rate-per-minute", bad);
            assertThatThrownBy(() -> VonageFixtures.provider(config, context)).isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("vonage.satellite-rate-per-minute").hasMessageContaining(bad);
        }
    }

    @Test
    void theSatelliteRateAloneMarksVonageAsConfigured() {
        assertThat(VonageConfig.isConfigured(io.globalcalling.spi.ProviderConfig.of(
                Map.of("vonage.satellite-rate-per-minute", "7.25")))).isTrue();
    }
}
