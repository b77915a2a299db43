package io.globalcalling.provider.vonage;

import com.github.tomakehurst.wiremock.http.Fault;
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
import java.util.Map;
import java.util.Optional;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 14: with an API key, a satellite phone is quoted from Vonage's prefix pricing
 * ({@code GET /account/get-prefix-pricing/outbound/voice?prefix=...}, shape of vonage-java-sdk's
 * {@code PrefixPricingResponse}) instead of the 10 EUR estimate; the deck stays the fallback.
 */
class VonageSatellitePricingTest {

    @RegisterExtension
    static WireMockExtension vonage = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static final String PATH = "/account/get-prefix-pricing/outbound/voice";
    private static final String IRIDIUM = "+881631234567";

    /** A broad entry for +881 and a finer one for +8816, whose dearest network price wins. */
    private static final String IRIDIUM_PRICES = """
            {"count": 2, "countries": [
              {"countryCode": "", "countryName": "Global Mobile Satellite System", "countryDisplayName": "Satellite",
               "currency": "EUR", "defaultPrice": "2.50000000", "dialingPrefix": "881", "networks": []},
              {"countryCode": "", "countryName": "Iridium", "countryDisplayName": "Iridium",
               "currency": "EUR", "defaultPrice": "6.80000000", "dialingPrefix": "8816",
               "networks": [{"type": "satellite", "price": "7.20000000", "currency": "EUR", "mcc": "901", "mnc": "03",
                             "networkCode": "90103", "networkName": "Iridium"}]}]}
            """;

    private final TestProviderContext context = VonageFixtures.context();

    @AfterEach
    void close() {
        context.close();
    }

    private VonageProvider provider(Map<String, String> extra) {
        Map<String, String> config = VonageFixtures.baseConfig(vonage.baseUrl());
        config.put("vonage.api-key", "abcd1234");
        config.put("vonage.api-secret", "pricing-api-secret");
        config.put("vonage.pricing-ttl", "PT1H");
        config.put("vonage.categories", "internet_voip,ai_automated,satellite");
        config.putAll(extra);
        return VonageFixtures.provider(config, context);
    }

    private static Optional<Rate> quote(VonageProvider provider, String number) {
        return provider.quote(CallCategory.SATELLITE, PhoneNumber.of(number));
    }

    @Test
    void aSatellitePhoneIsQuotedFromItsRangesPrefixPricing() {
        vonage.stubFor(get(urlPathEqualTo(PATH)).willReturn(okJson(IRIDIUM_PRICES)));

        Rate rate = quote(provider(Map.of()), IRIDIUM).orElseThrow();

        assertThat(rate.category()).isEqualTo(CallCategory.SATELLITE);
        assertThat(rate.prefix()).isEqualTo("8816");
        assertThat(rate.perMinute()).isEqualTo(Money.of("7.2", "EUR"));
        assertThat(rate.incrementSeconds()).as("Vonage bills per second").isEqualTo(1);
        vonage.verify(1, getRequestedFor(urlPathEqualTo(PATH)).withQueryParam("prefix", equalTo("8816"))
                .withHeader("Authorization", equalTo(Credentials.basic("abcd1234", "pricing-api-secret"))));
    }

    @Test
    void aRangesQuoteIsKeptForTheTtl() {
        vonage.stubFor(get(urlPathEqualTo(PATH)).willReturn(okJson(IRIDIUM_PRICES)));
        VonageProvider provider = provider(Map.of());

        quote(provider, IRIDIUM);
        quote(provider, "+881639876543");
        context.mutableClock().advance(Duration.ofMinutes(61));
        quote(provider, IRIDIUM);

        vonage.verify(2, getRequestedFor(urlPathEqualTo(PATH)));
    }

    @Test
    void noEntryForTheNumbersPrefixLeavesTheDeck() {
        vonage.stubFor(get(urlPathEqualTo(PATH)).willReturn(okJson("""
                {"count": 1, "countries": [{"countryCode": "", "countryName": "Inmarsat", "currency": "EUR",
                  "defaultPrice": "5.00000000", "dialingPrefix": "870", "networks": []}]}
                """)));

        assertThat(quote(provider(Map.of()), IRIDIUM)).isEmpty();
        vonage.stubFor(get(urlPathEqualTo(PATH)).willReturn(okJson("{\"count\": 0, \"countries\": []}")));
        assertThat(quote(provider(Map.of()), "+88216123456")).isEmpty();
    }

    @Test
    void theHostsSatelliteRateStillWinsAndWithoutAKeyNothingIsAsked() {
        assertThat(quote(provider(Map.of("vonage.satellite-rate-per-minute", "7.25")), IRIDIUM)).isEmpty();

        Map<String, String> noKey = VonageFixtures.baseConfig(vonage.baseUrl());
        noKey.put("vonage.categories", "internet_voip,ai_automated,satellite");
        VonageProvider withoutKey = VonageFixtures.provider(noKey, context);
        assertThat(quote(withoutKey, IRIDIUM)).isEmpty();
        assertThat(withoutKey.rates()).filteredOn(r -> r.prefix().equals("8816")).extracting(Rate::perMinute)
                .containsExactly(Money.of("10.00", "EUR"));
        vonage.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void errorsFaultsAndTimeoutsFallBackToTheDeck() {
        vonage.stubFor(get(urlPathEqualTo(PATH)).willReturn(aResponse().withStatus(401)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"error-code\": \"401\", \"error-code-label\": \"authentication failed\"}")));
        assertThat(quote(provider(Map.of()), IRIDIUM)).isEmpty();

        vonage.stubFor(get(urlPathEqualTo(PATH)).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        assertThat(quote(provider(Map.of()), IRIDIUM)).isEmpty();

        vonage.stubFor(get(urlPathEqualTo(PATH)).willReturn(okJson(IRIDIUM_PRICES).withFixedDelay(1_500)));
        assertThat(quote(provider(Map.of("vonage.read-timeout", "PT0.2S")), IRIDIUM)).isEmpty();
    }

    /** A range's prices past their TTL stand in while the Pricing API fails: the deck's estimate is no price. */
    @Test
    void aRangesPricesPastTheirTtlStandInWhileThePricingApiFails() {
        vonage.stubFor(get(urlPathEqualTo(PATH)).willReturn(okJson(IRIDIUM_PRICES)));
        VonageProvider provider = provider(Map.of());
        Optional<Rate> quoted = quote(provider, IRIDIUM);
        assertThat(quoted).isPresent();

        vonage.stubFor(get(urlPathEqualTo(PATH)).willReturn(aResponse().withStatus(503)));
        context.mutableClock().advance(Duration.ofDays(2));
        assertThat(quote(provider, IRIDIUM)).isEqualTo(quoted);
        vonage.verify(2, getRequestedFor(urlPathEqualTo(PATH)));
    }

    @Test
    void eachNumberOfARangeIsPricedByItsOwnLongestPrefixWhileTheRangeIsCached() {
        vonage.stubFor(get(urlPathEqualTo(PATH)).withQueryParam("prefix", equalTo("870")).willReturn(okJson("""
                {"count": 2, "countries": [
                  {"countryCode": "", "countryName": "Inmarsat", "currency": "EUR", "defaultPrice": "5.00000000",
                   "dialingPrefix": "870", "networks": []},
                  {"countryCode": "", "countryName": "Inmarsat BGAN", "currency": "EUR", "defaultPrice": "9.00000000",
                   "dialingPrefix": "87077", "networks": []}]}
                """)));
        VonageProvider provider = provider(Map.of());

        Rate plain = quote(provider, "+870312345678").orElseThrow();
        Rate bgan = quote(provider, "+870772345678").orElseThrow();

        assertThat(plain.perMinute()).isEqualTo(Money.of("5", "EUR"));
        assertThat(bgan.perMinute()).as("the BGAN number's own, dearer entry").isEqualTo(Money.of("9", "EUR"));
        vonage.verify(1, getRequestedFor(urlPathEqualTo(PATH)));
    }
}
