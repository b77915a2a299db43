package io.globalcalling.provider.twilio;

import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.globalcalling.CallCategory;
import io.globalcalling.Endpoint;
import io.globalcalling.Money;
import io.globalcalling.spi.Rate;
import io.globalcalling.testkit.TestProviderContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 14: with live pricing on, a satellite phone is quoted from the Pricing API's {@code outbound_call_prices}
 * for the number itself (twilio.com/docs/voice/pricing, VoiceNumber resource), not from the 10 USD estimate; the
 * deck stays the fallback when pricing is off or fails, and {@code twilio.satellite-rate-per-minute} still wins.
 */
class TwilioSatellitePricingTest {

    @RegisterExtension
    static WireMockExtension pricing = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static final String IRIDIUM = "+881631234567";
    private static final String IRIDIUM_PATH = "/v2/Voice/Numbers/" + IRIDIUM;

    /** A satellite number as the VoiceNumber resource gives it: no country of its own. */
    private static final String IRIDIUM_PRICES = """
            {"country": null, "destination_number": "+881631234567",
             "inbound_call_price": {"base_price": null, "current_price": null, "number_type": null},
             "iso_country": null, "origination_number": null,
             "outbound_call_prices": [{"base_price": "12.00", "current_price": "11.50", "origination_prefixes": ["ALL"]}],
             "price_unit": "USD", "url": "https://pricing.twilio.com/v2/Voice/Numbers/+881631234567"}
            """;

    private final TestProviderContext context = TwilioTests.context();

    @AfterEach
    void close() {
        context.close();
    }

    private TwilioProvider provider(Map<String, String> extra) {
        Map<String, String> config = Fixtures.baseConfig("http://127.0.0.1:1");
        config.put("twilio.pricing-base-url", pricing.baseUrl());
        config.put("twilio.pricing-ttl", "PT1H");
        config.put("twilio.categories", "internet_voip,ai_automated,satellite");
        config.putAll(extra);
        return Fixtures.provider(config, context);
    }

    private static java.util.Optional<Rate> quote(TwilioProvider provider, String number) {
        return provider.quote(CallCategory.SATELLITE, Endpoint.parse(number));
    }

    @Test
    void aSatellitePhoneIsQuotedAtTheAccountsCurrentPriceForItsNumber() {
        pricing.stubFor(get(urlEqualTo(IRIDIUM_PATH)).willReturn(okJson(IRIDIUM_PRICES)));

        Rate rate = quote(provider(Map.of()), IRIDIUM).orElseThrow();

        assertThat(rate.category()).isEqualTo(CallCategory.SATELLITE);
        assertThat(rate.prefix()).isEqualTo("8816");
        assertThat(rate.perMinute()).isEqualTo(Money.of("11.50", "USD"));
        assertThat(rate.incrementSeconds()).as("Twilio bills every call per started minute").isEqualTo(60);
        pricing.verify(0, getRequestedFor(urlPathMatching("/v2/Voice/Countries/.*")));
    }

    @Test
    void anInternationalNetworksNumberWithOnlyOriginPricesTakesTheDearest() {
        pricing.stubFor(get(urlEqualTo("/v2/Voice/Numbers/+870772123456")).willReturn(okJson("""
                {"country": "International Networks", "destination_number": "+870772123456",
                 "outbound_call_prices": [
                   {"base_price": "6.50", "current_price": "6.40", "origination_prefixes": ["1"]},
                   {"base_price": "7.10", "current_price": "7.00", "origination_prefixes": ["44"]}],
                 "price_unit": "USD", "url": "https://pricing.twilio.com/v2/Voice/Numbers/+870772123456"}
                """)));

        Rate rate = quote(provider(Map.of()), "+870772123456").orElseThrow();

        assertThat(rate.prefix()).isEqualTo("870");
        assertThat(rate.perMinute()).isEqualTo(Money.of("7.00", "USD"));
    }

    @Test
    void aSatelliteQuoteForAnOrdinaryNumberIsRefusedWithoutAsking() {
        assertThat(quote(provider(Map.of()), "+14155551212")).isEmpty();
        pricing.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void aQuoteIsKeptForTheTtl() {
        pricing.stubFor(get(urlEqualTo(IRIDIUM_PATH)).willReturn(okJson(IRIDIUM_PRICES)));
        TwilioProvider provider = provider(Map.of());

        quote(provider, IRIDIUM);
        quote(provider, IRIDIUM);

        pricing.verify(1, getRequestedFor(urlEqualTo(IRIDIUM_PATH)));
    }

    @Test
    void withoutOutboundPricesTheDeckPricesTheCall() {
        pricing.stubFor(get(urlEqualTo(IRIDIUM_PATH)).willReturn(okJson("""
                {"country": null, "destination_number": "+881631234567", "outbound_call_prices": [], "price_unit": "USD"}
                """)));

        assertThat(quote(provider(Map.of()), IRIDIUM)).isEmpty();
    }

    @Test
    void withPricingOffNothingIsAskedAndTheDeckPricesTheCall() {
        TwilioProvider provider = provider(Map.of("twilio.pricing-enabled", "false"));

        assertThat(quote(provider, IRIDIUM)).isEmpty();
        assertThat(provider.rates()).filteredOn(r -> r.prefix().equals("8816")).extracting(Rate::perMinute)
                .containsExactly(Money.of("10.00", "USD"));
        pricing.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void theHostsSatelliteRateStillWins() {
        pricing.stubFor(get(urlEqualTo(IRIDIUM_PATH)).willReturn(okJson(IRIDIUM_PRICES)));

        assertThat(quote(provider(Map.of("twilio.satellite-rate-per-minute", "7.25")), IRIDIUM)).isEmpty();
        pricing.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void anErrorAnswerFallsBackToTheDeck() {
        pricing.stubFor(get(urlEqualTo(IRIDIUM_PATH)).willReturn(aResponse().withStatus(500)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"code\": 20500, \"message\": \"Internal Server Error\", \"status\": 500}")));

        assertThat(quote(provider(Map.of()), IRIDIUM)).isEmpty();
    }

    @Test
    void aBrokenConnectionOrBodyFallsBackToTheDeck() {
        pricing.stubFor(get(urlEqualTo(IRIDIUM_PATH)).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        assertThat(quote(provider(Map.of()), IRIDIUM)).isEmpty();

        pricing.stubFor(get(urlEqualTo(IRIDIUM_PATH)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("<html>gateway</html>")));
        assertThat(quote(provider(Map.of()), IRIDIUM)).isEmpty();
    }

    @Test
    void aTimeoutFallsBackToTheDeck() {
        pricing.stubFor(get(urlEqualTo(IRIDIUM_PATH)).willReturn(okJson(IRIDIUM_PRICES).withFixedDelay(1_500)));

        assertThat(quote(provider(Map.of("twilio.read-timeout", "PT0.2S")), IRIDIUM)).isEmpty();
    }
}
