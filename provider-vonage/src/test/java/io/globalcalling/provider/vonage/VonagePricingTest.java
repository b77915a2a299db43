package io.globalcalling.provider.vonage;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.globalcalling.CallCategory;
import io.globalcalling.Money;
import io.globalcalling.PhoneNumber;
import io.globalcalling.spi.Rate;
import io.globalcalling.testkit.TestProviderContext;
import okhttp3.Credentials;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

/** The shipped deck, and live prices from the Pricing API cached per country for the TTL. */
class VonagePricingTest {

    @RegisterExtension
    static WireMockExtension vonage = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private final TestProviderContext context = VonageFixtures.context();

    @AfterEach
    void close() {
        context.close();
    }

    @Test
    void theShippedDeckPricesEveryCategoryInEurosPerSecond() {
        VonageProvider provider = VonageFixtures.provider(VonageFixtures.baseConfig(vonage.baseUrl()), context);
        List<Rate> terrestrial = provider.rates().stream().filter(r -> r.category() != CallCategory.SATELLITE).toList();
        assertThat(terrestrial).extracting(Rate::category)
                .containsExactlyInAnyOrder(CallCategory.INTERNET_VOIP, CallCategory.AI_AUTOMATED);
        assertThat(terrestrial).allSatisfy(r -> {
            assertThat(r.perMinute()).isEqualTo(Money.of("0.0095", "EUR"));
            assertThat(r.incrementSeconds()).isEqualTo(1);
        });
        assertThat(provider.quote(CallCategory.INTERNET_VOIP, PhoneNumber.of(VonageFixtures.TO))).isEmpty(); // no API key
    }

    /** A provider with an API key, so live prices, kept for an hour. */
    private VonageProvider pricedForAnHour() {
        Map<String, String> config = VonageFixtures.baseConfig(vonage.baseUrl());
        config.put("vonage.api-key", "abcd1234");
        config.put("vonage.api-secret", "pricing-api-secret");
        config.put("vonage.pricing-ttl", "PT1H");
        return VonageFixtures.provider(config, context);
    }

    @Test
    void aLiveQuoteIsTheCountrysDearestPriceCachedForTheTtl() {
        VonageProvider provider = pricedForAnHour();
        vonage.stubFor(get(urlPathEqualTo("/account/get-pricing/outbound/voice")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("""
                        {"countryCode":"GB","countryName":"United Kingdom","countryDisplayName":"United Kingdom",
                         "currency":"EUR","defaultPrice":"0.01400000","dialingPrefix":"44",
                         "networks":[{"type":"mobile","price":"0.02950000","currency":"EUR","mcc":"234","mnc":"10",
                                      "networkCode":"23410","networkName":"Telefonica UK Limited"},
                                     {"type":"landline","price":"0.01400000","currency":"EUR","mcc":"234","mnc":"",
                                      "networkCode":"GB-FIXED","networkName":"United Kingdom Landline"}]}
                        """)));

        Rate first = provider.quote(CallCategory.AI_AUTOMATED, PhoneNumber.of(VonageFixtures.TO)).orElseThrow();
        provider.quote(CallCategory.INTERNET_VOIP, PhoneNumber.of("+442071838750"));
        context.mutableClock().advance(Duration.ofMinutes(61));
        provider.quote(CallCategory.INTERNET_VOIP, PhoneNumber.of(VonageFixtures.TO));

        assertThat(first.prefix()).isEqualTo("44");
        assertThat(first.perMinute()).isEqualTo(Money.of("0.02950000", "EUR"));
        assertThat(first.incrementSeconds()).isEqualTo(1);
        vonage.verify(2, getRequestedFor(urlPathEqualTo("/account/get-pricing/outbound/voice"))
                .withQueryParam("country", equalTo("GB"))
                .withHeader("Authorization", equalTo(Credentials.basic("abcd1234", "pricing-api-secret"))));
    }

    @Test
    void aFailingPricingApiFallsBackToTheDeck() {
        Map<String, String> config = VonageFixtures.baseConfig(vonage.baseUrl());
        config.put("vonage.api-key", "abcd1234");
        config.put("vonage.api-secret", "pricing-api-secret");
        VonageProvider provider = VonageFixtures.provider(config, context);
        vonage.stubFor(get(urlPathEqualTo("/account/get-pricing/outbound/voice")).willReturn(aResponse().withStatus(500)));
        assertThat(provider.quote(CallCategory.INTERNET_VOIP, PhoneNumber.of(VonageFixtures.TO))).isEmpty();
    }

    /**
     * A country's price past its TTL, when the Pricing API then failed, left the call to the shipped deck (its
     * published list price of a past date): the account's own price, fetched an hour before, stands in until the
     * API answers again.
     */
    @Test
    void aPricePastItsTtlStandsInWhileThePricingApiFails() {
        VonageProvider provider = pricedForAnHour();
        String britain = """
                {"countryCode":"GB","countryName":"United Kingdom","countryDisplayName":"United Kingdom",
                 "currency":"EUR","defaultPrice":"0.01400000","dialingPrefix":"44","networks":[]}
                """;
        vonage.stubFor(get(urlPathEqualTo("/account/get-pricing/outbound/voice")).willReturn(okJson(britain)));
        Rate quoted = provider.quote(CallCategory.INTERNET_VOIP, PhoneNumber.of(VonageFixtures.TO)).orElseThrow();

        vonage.stubFor(get(urlPathEqualTo("/account/get-pricing/outbound/voice")).willReturn(aResponse().withStatus(500)));
        context.mutableClock().advance(Duration.ofMinutes(61));
        assertThat(provider.quote(CallCategory.INTERNET_VOIP, PhoneNumber.of(VonageFixtures.TO))).as("while it fails")
                .contains(quoted);
        vonage.verify(2, getRequestedFor(urlPathEqualTo("/account/get-pricing/outbound/voice")));

        vonage.stubFor(get(urlPathEqualTo("/account/get-pricing/outbound/voice"))
                .willReturn(okJson(britain.replace("0.01400000", "0.01600000"))));
        assertThat(provider.quote(CallCategory.INTERNET_VOIP, PhoneNumber.of(VonageFixtures.TO))).as("once it answers")
                .map(Rate::perMinute).contains(Money.of("0.01600000", "EUR"));
    }

    @Test
    void aCountryThatSharesItsCallingCodeIsReachedWhenConfiguredWithoutTheCodesMainCountry() {
        Map<String, String> config = VonageFixtures.baseConfig(vonage.baseUrl());
        config.put("vonage.countries", "CA,KZ");
        VonageProvider canadaAndKazakhstan = VonageFixtures.provider(config, context);

        assertThat(canadaAndKazakhstan.covers(PhoneNumber.of("+14165550123"))).as("Toronto").isTrue();
        assertThat(canadaAndKazakhstan.covers(PhoneNumber.of("+77012345678"))).as("Almaty").isTrue();
        assertThat(canadaAndKazakhstan.covers(PhoneNumber.of(VonageFixtures.TO))).as("a British number").isFalse();
    }

    @Test
    void coverageAndLanguagesComeFromShippedDataAndConfiguration() {
        Map<String, String> config = VonageFixtures.baseConfig(vonage.baseUrl());
        VonageProvider all = VonageFixtures.provider(config, context);
        assertThat(all.coverage().countries()).contains("GB", "IN", "US", "KZ").hasSizeGreaterThan(200);
        assertThat(all.capabilities().ttsLanguages()).hasSize(65).contains("hi-IN", "cmn-CN", "ar")
                .doesNotContain("en-GB-SCT");
        config.put("vonage.countries", "gb,IN");
        config.put("vonage.tts-languages", "en-GB,hi-IN");
        VonageProvider narrowed = VonageFixtures.provider(config, context);
        assertThat(narrowed.coverage().countries()).containsExactlyInAnyOrder("GB", "IN");
        assertThat(narrowed.capabilities().ttsLanguages()).containsExactlyInAnyOrder("en-GB", "hi-IN");
        assertThat(narrowed.covers(PhoneNumber.of("+14155550123"))).isFalse();
        assertThat(narrowed.covers(PhoneNumber.of(VonageFixtures.TO))).isTrue();
        assertThat(narrowed.capabilities().pace().callsPerSecond()).isEqualTo(3);
    }
}
