package io.globalcalling.provider.twilio;

import io.globalcalling.testkit.TestProviderContext;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.globalcalling.CallCategory;
import io.globalcalling.Endpoint;
import io.globalcalling.Money;
import io.globalcalling.PhoneNumber;
import io.globalcalling.spi.Rate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

class TwilioPricingTest {

    @RegisterExtension
    static WireMockExtension pricing = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static final String US = """
            {"country": "United States",
             "inbound_call_prices": [{"base_price": "0.0085", "current_price": "0.0085", "number_type": "local"},
                                     {"base_price": "0.022", "current_price": "0.022", "number_type": "toll free"}],
             "iso_country": "US",
             "outbound_prefix_prices": [
               {"base_price": "0.090", "current_price": "0.090", "destination_prefixes": ["1907"],
                "friendly_name": "Programmable Outbound Minute - United States - Alaska", "origination_prefixes": ["ALL"]},
               {"base_price": "0.0140", "current_price": "0.0130", "destination_prefixes": ["1"],
                "friendly_name": "Programmable Outbound Minute - United States & Canada", "origination_prefixes": ["ALL"]},
               {"base_price": "0.0300", "current_price": "0.0300", "destination_prefixes": ["1"],
                "friendly_name": "Programmable Outbound Minute - United States - from Rest of World", "origination_prefixes": ["ROW"]}],
             "price_unit": "USD",
             "url": "https://pricing.twilio.com/v2/Voice/Countries/US"}
            """;

    private static String number(String e164, String iso) {
        return """
                {"country": "United States", "destination_number": "%s",
                 "inbound_call_price": {"base_price": null, "current_price": null, "number_type": null},
                 "iso_country": "%s", "origination_number": null,
                 "outbound_call_prices": [{"base_price": "0.013", "current_price": "0.013", "origination_prefixes": ["ALL"]}],
                 "price_unit": "USD", "url": "https://pricing.twilio.com/v2/Voice/Numbers/%s"}
                """.formatted(e164, iso, e164);
    }

    private final TestProviderContext context = TwilioTests.context();

    @AfterEach
    void close() {
        context.close();
    }

    private TwilioProvider provider(Map<String, String> extra) {
        Map<String, String> config = Fixtures.baseConfig("http://127.0.0.1:1");
        config.put("twilio.pricing-base-url", pricing.baseUrl());
        config.put("twilio.pricing-ttl", "PT1H");
        config.putAll(extra);
        return Fixtures.provider(config, context);
    }

    private void stubUs() {
        pricing.stubFor(get(urlEqualTo("/v2/Voice/Numbers/+14155551212")).willReturn(okJson(number("+14155551212", "US"))));
        pricing.stubFor(get(urlEqualTo("/v2/Voice/Numbers/+19075550100")).willReturn(okJson(number("+19075550100", "US"))));
        pricing.stubFor(get(urlEqualTo("/v2/Voice/Countries/US")).willReturn(okJson(US)));
    }

    @Test
    void aPricingFailureIsLoggedWithTheNumberMasked() {
        // the Pricing API names the destination in its path; a log shows a masked number, never the whole of it
        pricing.stubFor(get(urlEqualTo("/v2/Voice/Numbers/+14155551212")).willReturn(aResponse().withStatus(503)));
        TwilioProvider unreachable;
        try (java.net.ServerSocket closed = new java.net.ServerSocket(0)) {
            unreachable = provider(Map.of("twilio.pricing-base-url", "http://127.0.0.1:" + closed.getLocalPort()));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        java.io.ByteArrayOutputStream logs = new java.io.ByteArrayOutputStream();
        java.io.PrintStream originalErr = System.err;
        System.setErr(new java.io.PrintStream(logs, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            assertThat(provider(Map.of()).quote(CallCategory.INTERNET_VOIP, PhoneNumber.of("+14155551212"))).isEmpty();
            assertThat(unreachable.quote(CallCategory.INTERNET_VOIP, PhoneNumber.of("+14155551212"))).isEmpty();
        } finally {
            System.setErr(originalErr);
        }

        String logged = logs.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(logged).contains("Pricing API failed", "could not reach Twilio", "+141******12")
                .doesNotContain("4155551212");
    }

    @Test
    void quotesLongestPrefixAtCurrentPriceForAllOrigins() {
        stubUs();
        TwilioProvider provider = provider(Map.of());

        assertThat(provider.quote(CallCategory.INTERNET_VOIP, PhoneNumber.of("+14155551212")))
                .contains(Rate.perMinute(CallCategory.INTERNET_VOIP, "1", Money.of("0.013", "USD")));
        assertThat(provider.quote(CallCategory.AI_AUTOMATED, PhoneNumber.of("+19075550100")))
                .contains(Rate.perMinute(CallCategory.AI_AUTOMATED, "1907", Money.of("0.09", "USD")));
    }

    @Test
    void cachesCountryPricesUntilTheTtlRunsOut() {
        stubUs();
        TwilioProvider provider = provider(Map.of());
        PhoneNumber sf = PhoneNumber.of("+14155551212");

        provider.quote(CallCategory.INTERNET_VOIP, sf);
        pricing.verify(1, getRequestedFor(urlEqualTo("/v2/Voice/Countries/US")));
        pricing.verify(1, getRequestedFor(urlEqualTo("/v2/Voice/Numbers/+14155551212")));

        context.mutableClock().advance(Duration.ofMinutes(59));
        provider.quote(CallCategory.INTERNET_VOIP, sf);
        pricing.verify(2, anyRequestedFor(anyUrl()));

        context.mutableClock().advance(Duration.ofMinutes(2));
        provider.quote(CallCategory.INTERNET_VOIP, sf);
        pricing.verify(3, anyRequestedFor(anyUrl()));
        pricing.verify(2, getRequestedFor(urlEqualTo("/v2/Voice/Countries/US")));
    }

    @Test
    void anotherNumberOfACachedCountryCostsOnlyTheCountryLookup() {
        stubUs();
        TwilioProvider provider = provider(Map.of());
        provider.quote(CallCategory.INTERNET_VOIP, PhoneNumber.of("+14155551212"));

        provider.quote(CallCategory.INTERNET_VOIP, PhoneNumber.of("+19075550100"));

        pricing.verify(1, getRequestedFor(urlEqualTo("/v2/Voice/Countries/US")));
        pricing.verify(1, getRequestedFor(urlEqualTo("/v2/Voice/Numbers/+19075550100")));
    }

    @Test
    void pricingFailureFallsBackToTheDeck() {
        pricing.stubFor(get(anyUrl()).willReturn(aResponse().withStatus(503)));
        TwilioProvider provider = provider(Map.of());

        assertThat(provider.quote(CallCategory.INTERNET_VOIP, PhoneNumber.of("+14155551212"))).isEmpty();
        assertThat(provider.rates()).contains(Rate.perMinute(CallCategory.INTERNET_VOIP, "", Money.of("0.014", "USD")));
    }

    /**
     * A country's prices past their TTL, when the Pricing API then fails, priced the call from the fallback deck: a
     * call to Alaska held at 0.014 USD a minute instead of the 0.09 Twilio had quoted an hour before. The last prices
     * fetched stand in until the API answers again, and are then replaced.
     */
    @Test
    void pricesPastTheirTtlStandInWhileThePricingApiFails() {
        stubUs();
        TwilioProvider provider = provider(Map.of());
        PhoneNumber alaska = PhoneNumber.of("+19075550100");
        Rate quoted = Rate.perMinute(CallCategory.INTERNET_VOIP, "1907", Money.of("0.09", "USD"));
        assertThat(provider.quote(CallCategory.INTERNET_VOIP, alaska)).contains(quoted);

        pricing.stubFor(get(urlEqualTo("/v2/Voice/Countries/US")).willReturn(aResponse().withStatus(503)));
        context.mutableClock().advance(Duration.ofHours(2));
        assertThat(provider.quote(CallCategory.INTERNET_VOIP, alaska)).as("while the API fails").contains(quoted);
        pricing.verify(2, getRequestedFor(urlEqualTo("/v2/Voice/Countries/US")));

        pricing.stubFor(get(urlEqualTo("/v2/Voice/Countries/US")).willReturn(okJson(US.replace("\"0.090\"", "\"0.095\""))));
        assertThat(provider.quote(CallCategory.INTERNET_VOIP, alaska)).as("once it answers again")
                .contains(Rate.perMinute(CallCategory.INTERNET_VOIP, "1907", Money.of("0.095", "USD")));
    }

    /** So does a satellite phone's own price, read from the number: the fallback deck's catch-all is no price for it. */
    @Test
    void aSatellitePhonesPricePastItsTtlStandsInWhileThePricingApiFails() {
        String iridium = "+881631234567";
        pricing.stubFor(get(urlEqualTo("/v2/Voice/Numbers/" + iridium)).willReturn(okJson(number(iridium, "XX")
                .replace("\"0.013\"", "\"8.50\""))));
        TwilioProvider provider = provider(Map.of("twilio.categories", "internet_voip,ai_automated,satellite"));
        Rate quoted = Rate.perMinute(CallCategory.SATELLITE, "8816", Money.of("8.50", "USD"));
        assertThat(provider.quote(CallCategory.SATELLITE, PhoneNumber.of(iridium))).contains(quoted);

        pricing.stubFor(get(urlEqualTo("/v2/Voice/Numbers/" + iridium)).willReturn(aResponse().withStatus(500)));
        context.mutableClock().advance(Duration.ofHours(2));
        assertThat(provider.quote(CallCategory.SATELLITE, PhoneNumber.of(iridium))).contains(quoted);
        pricing.verify(2, getRequestedFor(urlEqualTo("/v2/Voice/Numbers/" + iridium)));
    }

    /**
     * In ie1 or au1 with a Pricing API the host names (a proxy), a request that failed priced the call from the
     * fallback deck at its default, Twilio's price for a minute to a US number (0.014 USD): a call from Dublin to
     * most countries was held at a fraction of its cost. The region's own rate must be configured.
     */
    @Test
    void aFailedQuoteOutsideUs1IsPricedOnlyAtARateConfiguredForThatRegion() {
        pricing.stubFor(get(anyUrl()).willReturn(aResponse().withStatus(503)));
        Map<String, String> ie1 = new java.util.HashMap<>(Map.of("twilio.account-sid", Fixtures.ACCOUNT_SID,
                "twilio.auth-token", Fixtures.AUTH_TOKEN, "twilio.from-number", Fixtures.FROM, "twilio.region", "ie1",
                "twilio.edge", "dublin", "twilio.pricing-base-url", pricing.baseUrl()));

        io.globalcalling.ConfigurationException refused = org.assertj.core.api.Assertions.catchThrowableOfType(
                io.globalcalling.ConfigurationException.class, () -> Fixtures.provider(ie1, context));

        assertThat(refused).as("priced at the US list price when a quote fails").isNotNull();
        assertThat(refused.problems()).singleElement().asString().startsWith("twilio.fallback-rate-per-minute")
                .contains("ie1", "0.014");

        ie1.put("twilio.fallback-rate-per-minute", "0.25");
        TwilioProvider provider = Fixtures.provider(ie1, context);
        assertThat(provider.quote(CallCategory.INTERNET_VOIP, PhoneNumber.of("+353851234567"))).isEmpty();
        assertThat(provider.rates()).contains(Rate.perMinute(CallCategory.INTERNET_VOIP, "", Money.of("0.25", "USD")));
    }

    /**
     * A price with an implausible exponent ("1E+999999999", twelve characters) was written out in full to make the
     * quote's Money: a billion digits, the routing thread stuck and the heap gone. It is unpriced instead, so the
     * deck prices the call.
     */
    @Test
    void aPriceWithAHugeExponentIsUnpricedNotWrittenOutInFull() {
        pricing.stubFor(get(urlEqualTo("/v2/Voice/Numbers/+14155551212")).willReturn(okJson(number("+14155551212", "US"))));
        pricing.stubFor(get(urlEqualTo("/v2/Voice/Countries/US")).willReturn(okJson(US.replace("\"0.0130\"", "\"1E+999999999\""))));
        pricing.stubFor(get(urlEqualTo("/v2/Voice/Numbers/+881631234567")).willReturn(okJson(
                number("+881631234567", "").replace("\"0.013\"", "\"1E-999999999\""))));
        TwilioProvider provider = provider(Map.of("twilio.categories", "internet_voip,ai_automated,satellite"));

        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            assertThat(provider.quote(CallCategory.INTERNET_VOIP, PhoneNumber.of("+14155551212"))).isEmpty();
            assertThat(provider.quote(CallCategory.SATELLITE, PhoneNumber.of("+881631234567"))).isEmpty();
        });
    }

    @Test
    void unpricedNumberAndUnsupportedCategoryOrEndpointQuoteNothing() {
        pricing.stubFor(get(urlEqualTo("/v2/Voice/Numbers/+14155551212")).willReturn(aResponse().withStatus(404)
                .withBody(Fixtures.error(20404, "The requested resource was not found", 404))));
        TwilioProvider provider = provider(Map.of());

        assertThat(provider.quote(CallCategory.INTERNET_VOIP, PhoneNumber.of("+14155551212"))).isEmpty();
        assertThat(provider.quote(CallCategory.SATELLITE, PhoneNumber.of("+14155551212"))).isEmpty();
        assertThat(provider.quote(CallCategory.INTERNET_VOIP, Endpoint.parse("sip:a@b.example"))).isEmpty();
        pricing.verify(1, anyRequestedFor(anyUrl()));
    }

    @Test
    void disabledPricingMakesNoRequest() {
        stubUs();
        TwilioProvider provider = provider(Map.of("twilio.pricing-enabled", "false"));

        assertThat(provider.quote(CallCategory.INTERNET_VOIP, PhoneNumber.of("+14155551212"))).isEmpty();
        pricing.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void fallbackDeckIsOneCatchAllLinePerCategoryInUsd() {
        TwilioProvider provider = provider(Map.of("twilio.fallback-rate-per-minute", "0.02"));

        // the satellite deck's per-range lines are TwilioSatelliteIssue14Test's
        assertThat(provider.rates()).filteredOn(r -> r.category() != CallCategory.SATELLITE).containsExactlyInAnyOrder(
                Rate.perMinute(CallCategory.INTERNET_VOIP, "", Money.of("0.02", "USD")),
                Rate.perMinute(CallCategory.AI_AUTOMATED, "", Money.of("0.02", "USD")));
        assertThat(provider.rates().get(0).incrementSeconds()).isEqualTo(60);
    }
}
