package io.globalcalling.core.policy;

import io.globalcalling.core.GlobalCallingManager;
import io.globalcalling.core.coverage.LibPhoneNumberInfo;
import io.globalcalling.core.coverage.NumberType;
import io.globalcalling.core.store.InMemoryCallStore;
import io.globalcalling.CallCategory;
import io.globalcalling.CallRequest;
import io.globalcalling.ConfigurationException;
import io.globalcalling.ErrorReason;
import io.globalcalling.Money;
import io.globalcalling.spi.ProviderConfig;
import io.globalcalling.Purpose;
import io.globalcalling.spi.Rate;
import io.globalcalling.testkit.FakeCallProvider;
import io.globalcalling.testkit.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class DestinationPolicyTest {

    private static final String UK_PREMIUM = "+449012345678";
    private static final String IN_SHARED_COST = "+9118603451234";
    private static final String INTERNATIONAL_PREMIUM = "+979123456789";
    private static final String IRIDIUM = "+881631234567";
    private static final String INDIA_MOBILE = "+919876543210";
    private static final String US = "+14155552671";

    private final LibPhoneNumberInfo numbers = new LibPhoneNumberInfo();
    private final MutableClock clock = MutableClock.create();
    private final InMemoryCallStore store = new InMemoryCallStore();
    private final FakeCallProvider provider = FakeCallProvider.builder().id("fake").clock(clock)
            .categories(CallCategory.INTERNET_VOIP, CallCategory.SATELLITE)
            .rate(Rate.perMinute(CallCategory.INTERNET_VOIP, "", Money.inr("1")))
            .rate(Rate.perMinute(CallCategory.SATELLITE, "", Money.inr("100"))).build();
    private final List<GlobalCallingManager> managers = new ArrayList<>();

    @AfterEach
    void close() {
        managers.forEach(GlobalCallingManager::close);
    }

    private GlobalCallingManager manager(Map<String, String> config) {
        GlobalCallingManager m = GlobalCallingManager.builder().discoverProviders(false)
                .config(ProviderConfig.of(config)).store(store).clock(clock).provider(provider).build();
        managers.add(m);
        return m;
    }

    private DestinationNotPermittedException refusal(DestinationPolicy policy, CallRequest request, CallCategory category) {
        return catchThrowableOfType(() -> policy.check(request, category, numbers), DestinationNotPermittedException.class);
    }

    @Test
    void aPremiumRateNumberIsRefusedBeforeAnythingIsRecordedOrSent() {
        GlobalCallingManager m = manager(Map.of());

        DestinationNotPermittedException e = catchThrowableOfType(() -> m.call(CallRequest.to(UK_PREMIUM).build()),
                DestinationNotPermittedException.class);

        assertThat(e.reason()).isEqualTo(ErrorReason.NOT_PERMITTED);
        assertThat(e.retryable()).isFalse();
        assertThat(e.number()).isEqualTo(UK_PREMIUM);
        assertThat(e.rule()).isEqualTo("denied-number-type");
        assertThat(e.getMessage()).contains(UK_PREMIUM, "denied-number-type", "PREMIUM_RATE");
        assertThat(m.calls().recent(10)).isEmpty();
        assertThat(provider.receivedCalls()).isEmpty();
    }

    @Test
    void theDryRunSaysWhyToo() {
        GlobalCallingManager m = manager(Map.of());

        assertThatThrownBy(() -> m.plan(CallRequest.to(INTERNATIONAL_PREMIUM).build()))
                .isInstanceOf(DestinationNotPermittedException.class).hasMessageContaining("denied-prefix")
                .hasMessageContaining("+979");
        assertThat(m.plan(CallRequest.to(INDIA_MOBILE).build()).category()).isEqualTo(CallCategory.INTERNET_VOIP);
    }

    @Test
    void sharedCostNumbersAreDeniedByDefaultAndOrdinaryOnesAllowed() {
        DestinationPolicy policy = DestinationPolicy.defaults();

        assertThat(refusal(policy, CallRequest.to(IN_SHARED_COST).build(), null).rule()).isEqualTo("denied-number-type");
        assertThatCode(() -> policy.check(CallRequest.to(INDIA_MOBILE).build(), null, numbers)).doesNotThrowAnyException();
        assertThatCode(() -> policy.check(CallRequest.to(US).build(), null, numbers)).doesNotThrowAnyException();
    }

    @Test
    void aSatelliteNumberIsDialledOnlyForTheSatelliteCategoryOrAnEmergency() {
        DestinationPolicy policy = DestinationPolicy.defaults();
        CallRequest voip = CallRequest.to(IRIDIUM).category(CallCategory.INTERNET_VOIP).build();

        assertThat(refusal(policy, voip, CallCategory.INTERNET_VOIP).rule()).isEqualTo("satellite-range");
        assertThatCode(() -> policy.check(CallRequest.to(IRIDIUM).category(CallCategory.SATELLITE).build(),
                CallCategory.SATELLITE, numbers)).doesNotThrowAnyException();
        assertThatCode(() -> policy.check(CallRequest.to(IRIDIUM).build(), null, numbers))
                .as("routing sends an unpinned satellite number to the satellite category").doesNotThrowAnyException();
        assertThatCode(() -> policy.check(CallRequest.to(IRIDIUM).category(CallCategory.INTERNET_VOIP)
                .purpose(Purpose.EMERGENCY).build(), CallCategory.INTERNET_VOIP, numbers)).doesNotThrowAnyException();

        GlobalCallingManager m = manager(Map.of());
        assertThatThrownBy(() -> m.call(voip)).isInstanceOf(DestinationNotPermittedException.class)
                .hasMessageContaining("satellite-range");
        assertThat(m.call(CallRequest.to(IRIDIUM).build()).category()).isEqualTo(CallCategory.SATELLITE);
    }

    @Test
    void aCountryAllowListRefusesEveryOtherCountry() {
        GlobalCallingManager m = manager(Map.of("calling.policy.allowed-countries", "in, gb"));

        DestinationNotPermittedException e = catchThrowableOfType(() -> m.call(CallRequest.to(US).build()),
                DestinationNotPermittedException.class);

        assertThat(e.rule()).isEqualTo("country-not-allowed");
        assertThat(e.getMessage()).contains("country US", "[GB, IN]");
        assertThat(m.call(CallRequest.to(INDIA_MOBILE).build()).toNumber()).isEqualTo(INDIA_MOBILE);
        assertThat(m.calls().recent(10)).hasSize(1);
    }

    @Test
    void theListsAreConfigurableAndNoneClearsThem() {
        GlobalCallingManager open = manager(Map.of("calling.policy.denied-number-types", "none",
                "calling.policy.denied-prefixes", "none"));
        assertThat(open.call(CallRequest.to(UK_PREMIUM).build()).toNumber()).isEqualTo(UK_PREMIUM);

        GlobalCallingManager strict = manager(Map.of("calling.policy.denied-prefixes", "+9198"));
        assertThatThrownBy(() -> strict.call(CallRequest.to(INDIA_MOBILE).build()))
                .isInstanceOf(DestinationNotPermittedException.class).hasMessageContaining("+9198");

        DestinationPolicy byBuilder = DestinationPolicy.builder().deniedPrefixes(List.of())
                .deniedNumberTypes(List.of(NumberType.MOBILE)).build();
        assertThat(refusal(byBuilder, CallRequest.to(INDIA_MOBILE).build(), null).rule()).isEqualTo("denied-number-type");
        assertThat(byBuilder.toBuilder().build().deniedNumberTypes()).containsExactly(NumberType.MOBILE);
    }

    /** 'none' clears a deny-list; on the allow-list it would allow every country, so it is refused, not read so. */
    @Test
    void noneIsNotACountryAllowList() {
        ConfigurationException e = catchThrowableOfType(() -> DestinationPolicy.from(ProviderConfig.of(Map.of(
                "calling.policy.allowed-countries", "none"))), ConfigurationException.class);

        assertThat(e).isNotNull();
        assertThat(e.getMessage()).contains("calling.policy.allowed-countries", "'none'");
        assertThatThrownBy(() -> DestinationPolicy.from(ProviderConfig.of(Map.of("calling.policy.allowed-countries", " , "))))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("calling.policy.allowed-countries");
    }

    @Test
    void everyMalformedPolicyKeyIsReportedAtOnce() {
        ConfigurationException e = catchThrowableOfType(() -> DestinationPolicy.from(ProviderConfig.of(Map.of(
                        "calling.policy.allowed-countries", "IN,XX",
                        "calling.policy.denied-prefixes", "979,12a",
                        "calling.policy.denied-number-types", "PREMIUM_RATE,EXPENSIVE"))),
                ConfigurationException.class);

        assertThat(e.problems()).hasSize(3);
        assertThat(e.getMessage()).contains("'XX'", "'12a'", "'EXPENSIVE'");
    }

    @Test
    void theDefaultsDenyPremiumAndSharedCostAndTheDocumentedPrefixes() {
        DestinationPolicy policy = DestinationPolicy.defaults();

        assertThat(policy.deniedNumberTypes()).containsExactlyInAnyOrder(NumberType.PREMIUM_RATE, NumberType.SHARED_COST);
        assertThat(policy.deniedPrefixes()).isEqualTo(DestinationPolicy.DEFAULT_DENIED_PREFIXES);
        assertThat(policy.allowedCountries()).isEmpty();
        assertThat(DestinationPolicy.DEFAULT_DENIED_PREFIXES)
                .as("no default prefix covers a live satellite range, which has its own rule")
                .noneMatch(p -> LibPhoneNumberInfo.SATELLITE_PREFIXES.stream().anyMatch(s -> s.startsWith(p) || p.startsWith(s)));
    }
}
