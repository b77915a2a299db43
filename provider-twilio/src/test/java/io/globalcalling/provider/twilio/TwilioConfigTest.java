package io.globalcalling.provider.twilio;

import io.globalcalling.ConfigurationException;
import io.globalcalling.Money;
import io.globalcalling.spi.ProviderConfig;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.globalcalling.provider.twilio.Fixtures.ACCOUNT_SID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class TwilioConfigTest {

    private static final String TOKEN = "secret-token-value-7c1d";
    private static final String API_KEY = "SK0123456789abcdef0123456789abcdef";

    @Test
    void readsTwiliosEnvironmentVariables() {
        ProviderConfig env = ProviderConfig.of(Map.of("TWILIO_ACCOUNT_SID", ACCOUNT_SID, "TWILIO_AUTH_TOKEN", TOKEN));

        TwilioConfig config = TwilioConfig.from(env);

        assertThat(TwilioConfig.isConfigured(env)).isTrue();
        assertThat(config.accountSid()).isEqualTo(ACCOUNT_SID);
        assertThat(config.username()).isEqualTo(ACCOUNT_SID);
        assertThat(config.password().reveal()).isEqualTo(TOKEN);
        assertThat(config.authToken()).isPresent();
    }

    @Test
    void hasDocumentedDefaults() {
        TwilioConfig config = TwilioConfig.from(ProviderConfig.of(Map.of("twilio.account-sid", ACCOUNT_SID, "twilio.auth-token", TOKEN)));

        assertThat(config.apiBaseUrl()).isEqualTo(URI.create("https://api.twilio.com"));
        assertThat(config.pricingBaseUrl()).isEqualTo(URI.create("https://pricing.twilio.com"));
        assertThat(config.ringTimeoutSeconds()).isEqualTo(60);
        assertThat(config.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.readTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.pricingEnabled()).isTrue();
        assertThat(config.pricingTtl()).isEqualTo(Duration.ofHours(24));
        assertThat(config.fallbackRatePerMinute()).isEqualTo(Money.of("0.014", "USD"));
        assertThat(config.language()).isEqualTo("en-US");
        assertThat(config.ttsLanguages()).contains("en-US", "en-GB", "es-ES", "fr-FR", "de-DE");
        assertThat(config.countries()).contains("US", "IN", "GB").hasSizeGreaterThan(200);
        assertThat(config.fromNumber()).isEmpty();
    }

    @Test
    void authenticatesWithApiKeyButKeepsAuthTokenForSignatures() {
        Map<String, String> m = new HashMap<>(Map.of("twilio.account-sid", ACCOUNT_SID, "twilio.api-key", API_KEY,
                "twilio.api-secret", "key-secret-1"));
        TwilioConfig keyOnly = TwilioConfig.from(ProviderConfig.of(m));
        assertThat(keyOnly.username()).isEqualTo(API_KEY);
        assertThat(keyOnly.password().reveal()).isEqualTo("key-secret-1");
        assertThat(keyOnly.authToken()).isEmpty();

        m.put("twilio.auth-token", TOKEN);
        TwilioConfig both = TwilioConfig.from(ProviderConfig.of(m));
        assertThat(both.username()).isEqualTo(API_KEY);
        assertThat(both.authToken()).hasValueSatisfying(t -> assertThat(t.reveal()).isEqualTo(TOKEN));
    }

    @Test
    void routesToRegionAndEdgeAsTwilioDoes() {
        TwilioConfig both = TwilioConfig.from(ProviderConfig.of(Map.of("twilio.account-sid", ACCOUNT_SID,
                "twilio.auth-token", TOKEN, "twilio.region", "au1", "twilio.edge", "sydney",
                "twilio.fallback-rate-per-minute", "0.2")));
        assertThat(both.apiBaseUrl()).isEqualTo(URI.create("https://api.sydney.au1.twilio.com"));
        assertThat(both.pricingEnabled()).isFalse(); // no Pricing API in au1: see the test below

        TwilioConfig edgeOnly = TwilioConfig.from(ProviderConfig.of(Map.of("twilio.account-sid", ACCOUNT_SID,
                "twilio.auth-token", TOKEN, "TWILIO_EDGE", "dublin")));
        assertThat(edgeOnly.apiBaseUrl()).isEqualTo(URI.create("https://api.dublin.us1.twilio.com"));
    }

    @Test
    void aRegionWithoutAnEdgeIsRefusedNamingTwiliosApiDomainMigration() {
        // api.{region}.twilio.com for these regions stopped taking requests on 2026-04-28 (Twilio's API domain
        // migration guide); it had processed them in us1 whatever the region said
        for (String region : List.of("ie1", "au1", "br1", "de1", "jp1", "sg1", "us2")) {
            ConfigurationException e = catchThrowableOfType(ConfigurationException.class, () -> TwilioConfig.from(
                    ProviderConfig.of(Map.of("twilio.account-sid", ACCOUNT_SID, "twilio.auth-token", TOKEN,
                            "twilio.region", region, "twilio.fallback-rate-per-minute", "0.2"))));

            assertThat(e).as(region).isNotNull();
            assertThat(e.problems()).as(region).singleElement().asString()
                    .startsWith("twilio.region = '" + region + "'")
                    .contains("api." + region + ".twilio.com", "API domain migration", "twilio.edge");
        }
        assertThat(catchThrowableOfType(ConfigurationException.class, () -> TwilioConfig.from(ProviderConfig.of(
                Map.of("twilio.account-sid", ACCOUNT_SID, "twilio.auth-token", TOKEN, "TWILIO_REGION", "ie1")))))
                .hasMessageContaining("twilio.edge (dublin)");

        // api.us1.twilio.com stays valid
        TwilioConfig us1 = TwilioConfig.from(ProviderConfig.of(Map.of("twilio.account-sid", ACCOUNT_SID,
                "twilio.auth-token", TOKEN, "twilio.region", "us1")));
        assertThat(us1.apiBaseUrl()).isEqualTo(URI.create("https://api.us1.twilio.com"));
    }

    @Test
    void aRegionWhereTwilioProcessesNoCallsIsRefusedNamingTheRegionsThatDo() {
        // Programmable Voice runs in us1, ie1 and au1 alone (Twilio's regional product availability); br1, de1, jp1,
        // sg1 and us2 were edge ids, so api.{edge}.de1.twilio.com names no Region that would process the calls
        Map<String, String> edges = Map.of("de1", "frankfurt", "jp1", "tokyo", "sg1", "singapore", "br1", "sao-paulo",
                "us2", "umatilla");
        edges.forEach((region, edge) -> {
            ConfigurationException e = catchThrowableOfType(ConfigurationException.class, () -> TwilioConfig.from(
                    ProviderConfig.of(Map.of("twilio.account-sid", ACCOUNT_SID, "twilio.auth-token", TOKEN,
                            "twilio.region", region, "twilio.edge", edge))));

            assertThat(e).as(region).isNotNull();
            assertThat(e.problems()).as(region).singleElement().asString()
                    .startsWith("twilio.region = '" + region + "'")
                    .contains("not a Twilio Region", "us1", "ie1 (twilio.edge=dublin)", "au1 (twilio.edge=sydney)");
        });
    }

    @Test
    void aLegacyEdgeIdIsRefusedNamingTheEdgeNameThatReplacedIt() {
        // Twilio replaced the short ids (ie1, au1, gll, us1-ix, ...) as edge names by descriptive ones; its SDKs
        // send the edge as given, so api.ie1.ie1.twilio.com would be asked, a host Twilio documents nowhere
        Map<String, String> replacedBy = Map.of("ie1", "dublin", "au1", "sydney", "us2", "umatilla", "gll", "roaming",
                "us1-ix", "ashburn-ix", "ie1-ix", "london-ix");
        replacedBy.forEach((legacy, current) -> {
            for (String region : new String[] {"ie1", null}) {
                Map<String, String> m = new HashMap<>(Map.of("twilio.account-sid", ACCOUNT_SID, "twilio.auth-token",
                        TOKEN, "twilio.edge", legacy, "twilio.fallback-rate-per-minute", "0.2"));
                if (region != null) m.put("twilio.region", region);
                ConfigurationException e = catchThrowableOfType(ConfigurationException.class,
                        () -> TwilioConfig.from(ProviderConfig.of(m)));

                assertThat(e).as(legacy).isNotNull();
                assertThat(e.problems()).as(legacy).singleElement().asString()
                        .startsWith("twilio.edge = '" + legacy + "'").contains("twilio.edge=" + current);
            }
        });

        TwilioConfig current = TwilioConfig.from(ProviderConfig.of(Map.of("twilio.account-sid", ACCOUNT_SID,
                "twilio.auth-token", TOKEN, "twilio.region", "ie1", "twilio.edge", "dublin",
                "twilio.fallback-rate-per-minute", "0.2")));
        assertThat(current.apiBaseUrl()).isEqualTo(URI.create("https://api.dublin.ie1.twilio.com"));
    }

    @Test
    void aRegionOutsideUs1HasNoPricingApiSoLivePricingIsOffAndAskingForItIsRefused() {
        // Pricing is in neither ie1's nor au1's products (Twilio's regional product availability), and a region's
        // credentials are refused in any other region, pricing.twilio.com included: every quote would have sent
        // a request bound to fail, through the slots the calls' own requests wait for
        Map<String, String> ie1 = Map.of("twilio.account-sid", ACCOUNT_SID, "twilio.auth-token", TOKEN,
                "twilio.region", "ie1", "twilio.edge", "dublin", "twilio.fallback-rate-per-minute", "0.2");
        TwilioConfig config = TwilioConfig.from(ProviderConfig.of(ie1));
        assertThat(config.apiBaseUrl()).isEqualTo(URI.create("https://api.dublin.ie1.twilio.com"));
        assertThat(config.pricingEnabled()).isFalse();
        assertThat(config.pricingBaseUrl().getHost()).doesNotContain("ie1");

        Map<String, String> asked = new HashMap<>(ie1);
        asked.put("twilio.pricing-enabled", "true");
        ConfigurationException e = catchThrowableOfType(ConfigurationException.class,
                () -> TwilioConfig.from(ProviderConfig.of(asked)));
        assertThat(e).isNotNull();
        assertThat(e.problems()).singleElement().asString().startsWith("twilio.pricing-enabled = 'true'")
                .contains("ie1", "twilio.pricing-base-url");

        // a Pricing API the host names itself (a proxy) is the host's choice
        Map<String, String> own = new HashMap<>(asked);
        own.put("twilio.pricing-base-url", "https://pricing-proxy.example.com");
        TwilioConfig proxied = TwilioConfig.from(ProviderConfig.of(own));
        assertThat(proxied.pricingEnabled()).isTrue();
        assertThat(proxied.pricingBaseUrl()).isEqualTo(URI.create("https://pricing-proxy.example.com"));

        // us1 through an edge keeps live pricing
        TwilioConfig us1 = TwilioConfig.from(ProviderConfig.of(Map.of("twilio.account-sid", ACCOUNT_SID,
                "twilio.auth-token", TOKEN, "twilio.edge", "ashburn")));
        assertThat(us1.pricingEnabled()).isTrue();
    }

    @Test
    void aRegionWithoutLivePricingNeedsItsOwnFallbackRateSinceTheDefaultIsTheUsListPrice() {
        // every call from ie1 is held at the fallback rate, whose default is Twilio's price for a minute to a US number
        // (0.014 USD): a call to most other countries costs many times that, so a budget would let calls through
        // whose cost it cannot cover
        Map<String, String> ie1 = Map.of("twilio.account-sid", ACCOUNT_SID, "twilio.auth-token", TOKEN,
                "twilio.region", "ie1", "twilio.edge", "dublin");
        ConfigurationException e = catchThrowableOfType(ConfigurationException.class,
                () -> TwilioConfig.from(ProviderConfig.of(ie1)));
        assertThat(e).isNotNull();
        assertThat(e.problems()).singleElement().asString().startsWith("twilio.fallback-rate-per-minute")
                .contains("ie1", "0.014");

        Map<String, String> priced = new HashMap<>(ie1);
        priced.put("twilio.fallback-rate-per-minute", "0.25");
        assertThat(TwilioConfig.from(ProviderConfig.of(priced)).fallbackRatePerMinute()).isEqualTo(Money.of("0.25", "USD"));

        // a Pricing API the host names prices the calls, but a quote that fails or is missing falls back to the rate:
        // it is required there too; us1 without live pricing keeps the documented default
        Map<String, String> proxied = new HashMap<>(ie1);
        proxied.put("twilio.pricing-base-url", "https://pricing-proxy.example.com");
        ConfigurationException unpriced = catchThrowableOfType(ConfigurationException.class,
                () -> TwilioConfig.from(ProviderConfig.of(proxied)));
        assertThat(unpriced).isNotNull();
        assertThat(unpriced.problems()).singleElement().asString().startsWith("twilio.fallback-rate-per-minute")
                .contains("ie1", "live price fails");
        Map<String, String> proxiedPriced = new HashMap<>(proxied);
        proxiedPriced.put("twilio.fallback-rate-per-minute", "0.25");
        assertThat(TwilioConfig.from(ProviderConfig.of(proxiedPriced)).pricingEnabled()).isTrue();
        Map<String, String> proxiedOff = new HashMap<>(proxied);
        proxiedOff.put("twilio.pricing-enabled", "false");
        assertThat(catchThrowableOfType(ConfigurationException.class, () -> TwilioConfig.from(ProviderConfig.of(proxiedOff))))
                .hasMessageContaining("twilio.fallback-rate-per-minute");
        TwilioConfig us1 = TwilioConfig.from(ProviderConfig.of(Map.of("twilio.account-sid", ACCOUNT_SID,
                "twilio.auth-token", TOKEN, "twilio.edge", "dublin", "twilio.pricing-enabled", "false")));
        assertThat(us1.fallbackRatePerMinute()).isEqualTo(Money.of("0.014", "USD"));
    }

    @Test
    void baseUrlOverrideAlsoServesPricingUnlessGivenSeparately() {
        TwilioConfig config = TwilioConfig.from(ProviderConfig.of(Map.of("twilio.account-sid", ACCOUNT_SID,
                "twilio.auth-token", TOKEN, "twilio.base-url", "http://localhost:8089")));
        assertThat(config.apiBaseUrl()).isEqualTo(URI.create("http://localhost:8089"));
        assertThat(config.pricingBaseUrl()).isEqualTo(URI.create("http://localhost:8089"));
    }

    @Test
    void aBaseUrlBesideARegionOrEdgeIsRefusedNamingBothKeys() {
        // the base URL used to win silently: a host that set twilio.region=ie1 for data residency and kept a base
        // URL from its tests sent every call to that URL, not to Ireland
        // (values that are valid alone: a region other than us1 needs an edge beside it)
        for (Map.Entry<String, String> routing : Map.of("twilio.region", "us1", "twilio.edge", "dublin").entrySet()) {
            String key = routing.getKey();
            ConfigurationException e = catchThrowableOfType(ConfigurationException.class, () -> TwilioConfig.from(
                    ProviderConfig.of(Map.of("twilio.account-sid", ACCOUNT_SID, "twilio.auth-token", TOKEN,
                            "twilio.base-url", "https://proxy.example.com", key, routing.getValue()))));

            assertThat(e).isNotNull();
            assertThat(e.problems()).singleElement().asString().startsWith("twilio.base-url").contains(key);
        }
    }

    @Test
    void issue9_anyTwilioKeyCountsAsConfiguredSoThatPartialCredentialsAreReportedNotIgnored() {
        assertThat(TwilioConfig.isConfigured(ProviderConfig.empty())).isFalse();
        assertThat(TwilioConfig.isConfigured(ProviderConfig.of(Map.of("twilio.account-sid", ACCOUNT_SID)))).isTrue();
        assertThat(TwilioConfig.isConfigured(ProviderConfig.of(Map.of("twilio.account-sid", ACCOUNT_SID, "twilio.api-key", API_KEY)))).isTrue();
        assertThat(TwilioConfig.isConfigured(ProviderConfig.of(Map.of("TWILIO_AUTH_TOKEN", TOKEN)))).isTrue();
        assertThat(TwilioConfig.isConfigured(ProviderConfig.of(Map.of("twilio.from-number", "+15017122661")))).isTrue();
    }

    @Test
    void aConfigurationSettingOnlyTheWebhookMaxAgeIsReportedNotIgnored() {
        // a key of the table like any other: set without credentials, it is a partial configuration to report
        ProviderConfig partial = ProviderConfig.of(Map.of("twilio.webhook-max-age", "PT2M"));

        assertThat(TwilioConfig.isConfigured(partial)).isTrue();
        assertThat(catchThrowableOfType(() -> TwilioConfig.from(partial), ConfigurationException.class))
                .hasMessageContaining("twilio.account-sid");
    }

    @Test
    void reportsEveryMissingKeyAtOnce() {
        ConfigurationException e = catchThrowableOfType(() -> TwilioConfig.from(ProviderConfig.empty()), ConfigurationException.class);

        assertThat(e.problems()).hasSize(2);
        assertThat(e.problems().get(0)).contains("twilio.account-sid is missing");
        assertThat(e.problems().get(1)).contains("twilio.auth-token is missing");
    }

    @Test
    void reportsEveryMalformedKeyAtOnceWithoutSecrets() {
        Map<String, String> m = new HashMap<>();
        m.put("twilio.account-sid", "AC123");
        m.put("twilio.auth-token", TOKEN);
        m.put("twilio.api-key", "SKnope");
        m.put("twilio.base-url", "ftp://files.example.com");
        m.put("twilio.from-number", "12");
        m.put("twilio.ring-timeout", "3");
        m.put("twilio.read-timeout", "soon");
        m.put("twilio.pricing-enabled", "maybe");
        m.put("twilio.fallback-rate-per-minute", "-1");
        m.put("twilio.language", "english!");
        m.put("twilio.countries", "US,USA");
        m.put("twilio.region", "au 1");

        ConfigurationException e = catchThrowableOfType(() -> TwilioConfig.from(ProviderConfig.of(m)), ConfigurationException.class);

        assertThat(e.problems()).hasSize(12).anySatisfy(p -> assertThat(p).contains("twilio.api-secret is missing"));
        assertThat(String.join("\n", e.problems())).contains("twilio.account-sid = 'AC123'", "twilio.api-key = 'SKnope'",
                "twilio.base-url", "twilio.from-number = '12'", "twilio.ring-timeout = '3'", "twilio.read-timeout",
                "twilio.pricing-enabled = 'maybe'", "twilio.fallback-rate-per-minute = '-1'", "twilio.language",
                "'USA'", "twilio.region");
        assertThat(e.getMessage()).doesNotContain(TOKEN);
    }

    @Test
    void aWebhookBaseUrlWithAQueryOrFragmentIsRefusedNamingTheKey() {
        // only its scheme, host, port and path name the URL Twilio called: a query or fragment would be ignored
        for (String base : new String[] {"https://hooks.example.com/telephony?x=1", "https://hooks.example.com/#part"}) {
            ConfigurationException e = catchThrowableOfType(ConfigurationException.class, () -> TwilioConfig.from(
                    ProviderConfig.of(Map.of("twilio.account-sid", ACCOUNT_SID, "twilio.auth-token", TOKEN,
                            "twilio.webhook-base-url", base))));

            assertThat(e).isNotNull();
            assertThat(e.problems()).singleElement().asString().startsWith("twilio.webhook-base-url")
                    .contains("query or fragment");
        }
    }

    @Test
    void toStringHidesSecrets() {
        TwilioConfig config = TwilioConfig.from(ProviderConfig.of(Map.of("twilio.account-sid", ACCOUNT_SID,
                "twilio.auth-token", TOKEN, "twilio.api-key", API_KEY, "twilio.api-secret", "key-secret-2")));

        assertThat(config.toString()).contains(ACCOUNT_SID, API_KEY).doesNotContain(TOKEN).doesNotContain("key-secret-2");
    }
}
