package io.globalcalling.core.routing;

import io.globalcalling.core.cost.CostEstimator;
import io.globalcalling.core.cost.FxTable;
import io.globalcalling.core.coverage.Geography;
import io.globalcalling.core.coverage.NumberInfo;
import io.globalcalling.core.coverage.Place;
import io.globalcalling.CallCategory;
import io.globalcalling.CallRequest;
import io.globalcalling.CallStatus;
import io.globalcalling.ErrorReason;
import io.globalcalling.GeoPoint;
import io.globalcalling.Money;
import io.globalcalling.PhoneNumber;
import io.globalcalling.Priority;
import io.globalcalling.Purpose;
import io.globalcalling.QualityPreference;
import io.globalcalling.spi.Rate;
import io.globalcalling.SatelliteTerminal;
import io.globalcalling.Skill;
import io.globalcalling.WebhookUrl;
import io.globalcalling.spi.CallEvent;
import io.globalcalling.spi.CallingProvider;
import io.globalcalling.spi.OutboundCall;
import io.globalcalling.spi.PlacedCall;
import io.globalcalling.spi.ProviderCapabilities;
import io.globalcalling.spi.ProviderCoverage;
import io.globalcalling.spi.WebhookHandler;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static io.globalcalling.CallCategory.AI_AUTOMATED;
import static io.globalcalling.CallCategory.HUMAN_AGENT;
import static io.globalcalling.CallCategory.INTERNET_VOIP;
import static io.globalcalling.CallCategory.SATELLITE;
import static io.globalcalling.CallCategory.SYSTEM_API;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class RoutePlannerTest {

    private static final String INDIA = "+919876543210";
    private static final GeoPoint DELHI = GeoPoint.of(28.61, 77.21);
    private static final GeoPoint SOUTH_ATLANTIC = GeoPoint.of(-10, -30);
    private static final GeoPoint SOUTH_POLE = GeoPoint.of(-89, 0);
    private static final GeoPoint EMPTY_QUARTER = GeoPoint.of(20.2, 51.0);
    private static final GeoPoint TROMSO = GeoPoint.of(69.6492, 18.9553);

    /** Delhi is settled Indian land; the other named points are sea, uninhabited polar land, deep desert and a polar town. */
    private static final Geography GEOGRAPHY = point -> {
        if (point.equals(SOUTH_ATLANTIC)) return new Place(false, Optional.empty(), false, false);
        if (point.equals(SOUTH_POLE)) return new Place(true, Optional.empty(), true, false);
        if (point.equals(EMPTY_QUARTER)) return new Place(true, Optional.of("SA"), false, false);
        if (point.equals(TROMSO)) return new Place(true, Optional.of("NO"), true, true);
        return new Place(true, Optional.of("IN"), false, true);
    };

    private static final NumberInfo NUMBERS = new NumberInfo() {
        @Override
        public Optional<String> regionOf(PhoneNumber number) {
            String d = number.digits();
            if (d.startsWith("91")) return Optional.of("IN");
            if (d.startsWith("44")) return Optional.of("GB");
            if (d.startsWith("1")) return Optional.of("US");
            return Optional.empty();
        }

        @Override
        public boolean isSatellite(PhoneNumber number) {
            String d = number.digits();
            return d.startsWith("8816") || d.startsWith("8817") || d.startsWith("870") || d.startsWith("88216");
        }

        @Override
        public boolean isValid(PhoneNumber number) {
            return !number.digits().startsWith("91000");
        }
    };

    private static Rate inr(CallCategory category, String amount) {
        return Rate.perMinute(category, "", Money.inr(amount));
    }

    private static FakeProvider voip(String id, String inrPerMinute) {
        return FakeProvider.of(id, INTERNET_VOIP, Set.of("IN", "US", "GB"), inr(INTERNET_VOIP, inrPerMinute));
    }

    // The seed's pay-as-you-go prices, in INR per minute.
    private static final FakeProvider VOIP = voip("voip", "1");
    private static final FakeProvider AI = FakeProvider.of("ai", AI_AUTOMATED, Set.of("IN", "US", "GB"), inr(AI_AUTOMATED, "2"));
    private static final FakeProvider AGENTS = FakeProvider.of("agents", HUMAN_AGENT, Set.of("IN"), inr(HUMAN_AGENT, "7.5"));
    private static final FakeProvider IRIDIUM = FakeProvider.of("iridium", SATELLITE, Set.of(), inr(SATELLITE, "100"))
            .global().reaching(e -> e instanceof PhoneNumber || e instanceof SatelliteTerminal);
    private static final FakeProvider WEBHOOK = FakeProvider.of("webhook", SYSTEM_API, Set.of(),
            Rate.perCall(SYSTEM_API, "", Money.inr("0.01"))).reaching(e -> e instanceof WebhookUrl);
    private static final List<FakeProvider> SEED = List.of(VOIP, AI, AGENTS, IRIDIUM, WEBHOOK);

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-14T10:00:00Z"));
    private final QualityTracker tracker = QualityTracker.builder(clock).failureThreshold(3).coolDown(Duration.ofMinutes(1)).build();
    private final FxTable fx = FxTable.builder().rate("USD", "INR", "88.50").build();

    private RoutePlanner planner(List<FakeProvider> providers) {
        return new RoutePlanner(ProviderCatalog.of(providers), GEOGRAPHY, NUMBERS, fx, tracker, clock);
    }

    private RoutePlan plan(CallRequest request) {
        return planner(SEED).plan(request);
    }

    private static List<String> providerIds(RoutePlan plan) {
        return plan.options().stream().map(RouteOption::providerId).toList();
    }

    @Nested
    class SeedExamples {

        @Test
        void urbanAreaWithInternetGoesVoipAtOneRupeeAMinute() {
            RoutePlan plan = plan(CallRequest.to(INDIA).location(DELHI).build());
            assertThat(plan.category()).isEqualTo(INTERNET_VOIP);
            assertThat(plan.primary().providerId()).isEqualTo("voip");
            assertThat(plan.primary().perMinute()).isEqualTo(Money.inr("1"));
            assertThat(plan.primary().reasons()).contains("primary: cheapest covering option at 1.00 INR/min");
        }

        @Test
        void ruralAreaWithNoTerrestrialCoverageGoesSatelliteAtHundredRupeesAMinute() {
            RoutePlan plan = plan(CallRequest.to(INDIA).location(GeoPoint.of(26.9, 70.9)).terrestrialCoverage(false).build());
            assertThat(plan.category()).isEqualTo(SATELLITE);
            assertThat(plan.primary().providerId()).isEqualTo("iridium");
            assertThat(plan.primary().perMinute()).isEqualTo(Money.inr("100"));
            assertThat(plan.categoryReasons()).anyMatch(r -> r.contains("no terrestrial coverage"));
        }

        @Test
        void bulkNotificationGoesAiAutomatedAtTwoRupeesAMinute() {
            RoutePlan plan = plan(CallRequest.to(INDIA).purpose(Purpose.NOTIFICATION).build());
            assertThat(plan.category()).isEqualTo(AI_AUTOMATED);
            assertThat(plan.primary().perMinute()).isEqualTo(Money.inr("2"));
        }

        @Test
        void premiumSupportGoesToAHumanAgentAtSevenFiftyAMinute() {
            RoutePlan plan = plan(CallRequest.to(INDIA).purpose(Purpose.SUPPORT).skill(Skill.VIP).build());
            assertThat(plan.category()).isEqualTo(HUMAN_AGENT);
            assertThat(plan.primary().perMinute()).isEqualTo(Money.inr("7.5"));
            assertThat(new CostEstimator(fx).estimate(plan.primary(), Duration.ofMinutes(4)).total())
                    .isEqualTo(Money.inr("30.00"));
        }
    }

    @Nested
    class CategoryRules {

        @Test
        void aPinnedCategoryWins() {
            RoutePlan plan = plan(CallRequest.to(INDIA).category(AI_AUTOMATED).purpose(Purpose.SUPPORT).skill(Skill.VIP).build());
            assertThat(plan.category()).isEqualTo(AI_AUTOMATED);
            assertThat(plan.categoryReasons()).anyMatch(r -> r.contains("pinned"));
        }

        @Test
        void aPinnedCategoryWithNoProviderIsNoRouteNamingTheCategory() {
            assertThatThrownBy(() -> planner(List.of(VOIP)).plan(CallRequest.to(INDIA).category(SATELLITE).build()))
                    .isInstanceOfSatisfying(NoRouteException.class, e -> {
                        assertThat(e.reason()).isEqualTo(ErrorReason.NO_ROUTE);
                        assertThat(e.category()).isEqualTo(SATELLITE);
                    })
                    .hasMessageContaining("satellite").hasMessageContaining("pinned");
        }

        @Test
        void aWebhookUrlGoesSystemApi() {
            RoutePlan plan = plan(CallRequest.to("https://ops.example.com/alerts").build());
            assertThat(plan.category()).isEqualTo(SYSTEM_API);
            assertThat(plan.primary().perCall()).isEqualTo(Money.inr("0.01"));
        }

        @Test
        void aSatelliteTerminalGoesSatellite() {
            assertThat(plan(CallRequest.to("imei:300234010753370").build()).category()).isEqualTo(SATELLITE);
        }

        @Test
        void aSatelliteNetworkNumberGoesSatellite() {
            RoutePlan plan = plan(CallRequest.to("+881612345678").build());
            assertThat(plan.category()).isEqualTo(SATELLITE);
            assertThat(plan.categoryReasons()).anyMatch(r -> r.contains("satellite-network number"));
        }

        @Test
        void aLocationAtSeaGoesSatellite() {
            RoutePlan plan = plan(CallRequest.to(INDIA).location(SOUTH_ATLANTIC).build());
            assertThat(plan.category()).isEqualTo(SATELLITE);
            assertThat(plan.categoryReasons()).anyMatch(r -> r.contains("at sea"));
        }

        @Test
        void uninhabitedPolarLandGoesSatellite() {
            RoutePlan plan = plan(CallRequest.to(INDIA).location(SOUTH_POLE).build());
            assertThat(plan.category()).isEqualTo(SATELLITE);
            assertThat(plan.categoryReasons()).contains("the callee's location is on land where no one lives within reach "
                    + "of a mast, inside a polar circle, with no terrestrial coverage: satellite");
        }

        @Test
        void uninhabitedDesertGoesSatellite() {
            RoutePlan plan = plan(CallRequest.to(INDIA).location(EMPTY_QUARTER).build());
            assertThat(plan.category()).isEqualTo(SATELLITE);
            assertThat(plan.categoryReasons()).contains("the callee's location is on land where no one lives within reach "
                    + "of a mast, with no terrestrial coverage: satellite");
        }

        @Test
        void aPolarTownKeepsItsTerrestrialCategory() {
            RoutePlan plan = plan(CallRequest.to(INDIA).location(TROMSO).build());
            assertThat(plan.category()).isEqualTo(INTERNET_VOIP);
            assertThat(plan.categoryReasons()).anyMatch(r -> r.startsWith("the callee has terrestrial coverage"));
        }

        @Test
        void theHostSayingThereIsCoverageOverridesAnOceanLocation() {
            // A ship with internet on board.
            assertThat(plan(CallRequest.to(INDIA).location(SOUTH_ATLANTIC).terrestrialCoverage(true).build()).category())
                    .isEqualTo(INTERNET_VOIP);
        }

        @Test
        void anAlertToAPhoneNumberGoesAiAutomated() {
            assertThat(plan(CallRequest.to(INDIA).purpose(Purpose.ALERT).build()).category()).isEqualTo(AI_AUTOMATED);
        }

        @Test
        void aNotificationToASipAddressIsNotBulkAi() {
            FakeProvider sipVoip = voip("sip-voip", "1").reaching(e -> true);
            RoutePlan plan = planner(List.of(sipVoip, AI)).plan(CallRequest.to("sip:desk@example.com").purpose(Purpose.NOTIFICATION).build());
            assertThat(plan.category()).isEqualTo(INTERNET_VOIP);
        }

        @Test
        void highPrioritySalesGoesToAHumanAgent() {
            RoutePlan plan = plan(CallRequest.to(INDIA).purpose(Purpose.SALES).priority(Priority.HIGH).build());
            assertThat(plan.category()).isEqualTo(HUMAN_AGENT);
            assertThat(plan.categoryReasons()).anyMatch(r -> r.contains("high priority"));
        }

        @Test
        void anyAgentSkillGoesToAHumanAgent() {
            assertThat(plan(CallRequest.to(INDIA).skill(Skill.TECHNICAL).build()).category()).isEqualTo(HUMAN_AGENT);
        }

        @Test
        void ordinarySupportWithoutSkillOrPriorityStaysVoip() {
            assertThat(plan(CallRequest.to(INDIA).purpose(Purpose.SUPPORT).build()).category()).isEqualTo(INTERNET_VOIP);
        }

        @Test
        void anEmergencyWithTerrestrialCoverageUsesTheBestTerrestrialCategory() {
            RoutePlan plan = plan(CallRequest.to(INDIA).location(DELHI).purpose(Purpose.EMERGENCY).build());
            assertThat(plan.category()).isEqualTo(INTERNET_VOIP);
            assertThat(plan.categoryReasons()).anyMatch(r -> r.contains("emergency: no cost cap, highest priority"))
                    .anyMatch(r -> r.contains("best terrestrial category"));
        }
    }

    @Nested
    class CostCap {

        private final List<FakeProvider> three = List.of(voip("cheap", "1.00"), voip("mid", "1.20"), voip("dear", "1.50"));

        @Test
        void dropsEveryOptionAboveTheCapNamingBothAmounts() {
            RoutePlan plan = planner(three).plan(CallRequest.to(INDIA).maxCostPerMinute(Money.inr("1.20")).build());
            assertThat(providerIds(plan)).containsExactly("cheap", "mid");
            assertThat(plan.dropped()).singleElement().satisfies(d -> {
                assertThat(d.providerId()).isEqualTo("dear");
                assertThat(d.reason()).isEqualTo("1.50 INR/min is above the cap of 1.20 INR/min");
            });
            assertThat(plan.explain()).contains("dropped:").contains("dear: 1.50 INR/min is above the cap of 1.20 INR/min");
        }

        @Test
        void convertsACapInAnotherCurrency() {
            // 0.0125 USD = 1.10625 INR
            RoutePlan plan = planner(three).plan(CallRequest.to(INDIA).maxCostPerMinute(Money.of("0.0125", "USD")).build());
            assertThat(providerIds(plan)).containsExactly("cheap");
            assertThat(plan.dropped()).extracting(DroppedOption::reason)
                    .contains("1.20 INR/min is above the cap of 1.1063 INR/min (0.0125 USD/min)");
            assertThat(plan.capBypassed()).as("the cap dropped them: nothing was bypassed").isFalse();
        }

        @Test
        void noOptionLeftIsNoRouteListingEveryDrop() {
            assertThatThrownBy(() -> planner(three).plan(CallRequest.to(INDIA).maxCostPerMinute(Money.inr("0.50")).build()))
                    .isInstanceOfSatisfying(NoRouteException.class, e -> assertThat(e.dropped()).hasSize(3))
                    .hasMessageContaining("internet_voip")
                    .hasMessageContaining("cheap (internet_voip): 1.00 INR/min is above the cap of 0.50 INR/min")
                    .hasMessageContaining("mid (internet_voip)")
                    .hasMessageContaining("dear (internet_voip)");
        }

        @Test
        void anEmergencyIgnoresTheCapAndPicksSatelliteAtSea() {
            RoutePlan plan = plan(CallRequest.to(INDIA).location(SOUTH_ATLANTIC).priority(Priority.EMERGENCY)
                    .maxCostPerMinute(Money.inr("1")).build());
            assertThat(plan.category()).isEqualTo(SATELLITE);
            assertThat(plan.primary().perMinute()).isEqualTo(Money.inr("100"));
            assertThat(plan.dropped()).isEmpty();
            assertThat(plan.categoryReasons())
                    .contains("emergency: no cost cap, highest priority",
                            "emergency: terrestrial coverage is absent, so satellite has priority",
                            "emergency: the cap of 1.00 INR/min is not applied");
            assertThat(plan.capBypassed()).isTrue();
            assertThat(plan.primary().reasons()).contains("EMERGENCY OVER CAP: 100.00 INR/min is above the cap of "
                    + "1.00 INR/min; kept, as an emergency has no cost cap");
            assertThat(plan.explain()).contains("EMERGENCY: options above the request's cost cap are kept");
        }

        @Test
        void anEmergencyWithinTheCapBypassesNothing() {
            RoutePlan plan = plan(CallRequest.to(INDIA).location(SOUTH_ATLANTIC).priority(Priority.EMERGENCY)
                    .maxCostPerMinute(Money.inr("150")).build());
            assertThat(plan.capBypassed()).isFalse();
            assertThat(plan.explain()).doesNotContain("EMERGENCY");
        }
    }

    @Nested
    class Options {

        /** The planner keeps the texts of rates and scores it wrote last; a plan reads as one made afresh. */
        @Test
        void keptReasonTextsFollowObservations() {
            Rate deck = inr(INTERNET_VOIP, "1.00");
            FakeProvider cheap = FakeProvider.of("cheap", INTERNET_VOIP, Set.of("IN"), deck);
            FakeProvider fair = voip("fair", "1.50");
            RoutePlanner one = planner(List.of(cheap, fair));
            CallRequest request = CallRequest.to(INDIA).build();
            assertThat(one.plan(request).options()).isEqualTo(planner(List.of(cheap, fair)).plan(request).options());
            String scoreBefore = score(one.plan(request).primary());

            for (int i = 0; i < 20; i++) tracker.record("cheap", PhoneNumber.of(INDIA), CallStatus.FAILED, null);
            RoutePlan observed = one.plan(request);
            assertThat(observed.options()).isEqualTo(planner(List.of(cheap, fair)).plan(request).options());
            RouteOption cheapNow = observed.options().stream().filter(o -> o.providerId().equals("cheap")).findFirst().orElseThrow();
            assertThat(score(cheapNow)).isNotEqualTo(scoreBefore);
        }

        private static String score(RouteOption option) {
            return option.reasons().stream().filter(r -> r.startsWith("score ")).findFirst().orElseThrow();
        }

        /** Global coverage is the satellite category's reach (ProviderCoverage); other categories keep to the countries listed. */
        @Test
        void aGlobalProviderReachesOnlyTheCountriesItListsOutsideTheSatelliteCategory() {
            FakeProvider usCarrier = FakeProvider.of("us-carrier", INTERNET_VOIP, Set.of("US"), inr(INTERNET_VOIP, "0.50")).global();

            RoutePlan plan = planner(List.of(usCarrier, voip("voip", "1"))).plan(CallRequest.to(INDIA).build());

            assertThat(providerIds(plan)).containsExactly("voip");
            assertThat(plan.dropped()).singleElement().hasToString("us-carrier (internet_voip): does not cover country IN");
            assertThat(providerIds(plan(CallRequest.to(INDIA).terrestrialCoverage(false).build()))).containsExactly("iridium");
        }

        @Test
        void failoversAreOrderedByCost() {
            RoutePlan plan = planner(List.of(voip("mid", "1.20"), voip("dear", "1.50"), voip("cheap", "0.80")))
                    .plan(CallRequest.to(INDIA).build());
            assertThat(providerIds(plan)).containsExactly("cheap", "mid", "dear");
            assertThat(plan.failovers()).extracting(RouteOption::providerId).containsExactly("mid", "dear");
            assertThat(plan.options().get(1).reasons()).contains("failover 1 at 1.20 INR/min");
            assertThat(plan.options().get(2).reasons()).contains("failover 2 at 1.50 INR/min");
        }

        @Test
        void aProviderThatFailsAtTheDestinationIsDemoted() {
            for (int i = 0; i < 10; i++) tracker.record("cheap", PhoneNumber.of("+918012345678"), CallStatus.FAILED, null);
            RoutePlan plan = planner(List.of(voip("cheap", "1.00"), voip("fair", "1.05"))).plan(CallRequest.to(INDIA).build());
            assertThat(providerIds(plan)).containsExactly("fair", "cheap");
            assertThat(plan.primary().reasons()).anyMatch(r -> r.contains("the cheapest, cheap at 1.00 INR/min, ranks lower"));
            assertThat(plan.options().get(1).reasons()).anyMatch(r -> r.contains("over 10 calls: answer ratio 0.00, failure ratio 1.00"));
        }

        @Test
        void failuresElsewhereDoNotDemoteAProvider() {
            for (int i = 0; i < 10; i++) tracker.record("cheap", PhoneNumber.of("+447700900123"), CallStatus.FAILED, null);
            RoutePlan plan = planner(List.of(voip("cheap", "1.00"), voip("fair", "1.05"))).plan(CallRequest.to(INDIA).build());
            assertThat(providerIds(plan)).containsExactly("cheap", "fair");
        }

        @Test
        void bestQualityPrefersTheProviderThatAnswersWhileLowestCostPrefersTheCheaper() {
            for (int i = 0; i < 20; i++) tracker.record("good", PhoneNumber.of(INDIA), CallStatus.COMPLETED, Duration.ofSeconds(1));
            List<FakeProvider> providers = List.of(voip("cheap", "1.00"), voip("good", "1.50"));
            assertThat(providerIds(planner(providers).plan(CallRequest.to(INDIA).quality(QualityPreference.BEST_QUALITY).build())))
                    .containsExactly("good", "cheap");
            assertThat(providerIds(planner(providers).plan(CallRequest.to(INDIA).quality(QualityPreference.LOWEST_COST).build())))
                    .containsExactly("cheap", "good");
        }

        @Test
        void aProviderWithAnOpenCircuitGoesLast() {
            for (int i = 0; i < 3; i++) tracker.recordFailure("cheap", ErrorReason.UNAVAILABLE);
            clock.advance(Duration.ofSeconds(20));
            List<FakeProvider> providers = List.of(voip("cheap", "0.50"), voip("mid", "1.20"), voip("dear", "1.50"));
            RoutePlan plan = planner(providers).plan(CallRequest.to(INDIA).build());
            assertThat(providerIds(plan)).containsExactly("mid", "dear", "cheap");
            assertThat(plan.options().get(2).reasons())
                    .contains("circuit open since 2026-01-14T10:00:00Z (20 s ago) after 3 consecutive failures: tried last");

            clock.advance(Duration.ofMinutes(1));
            RoutePlan later = planner(providers).plan(CallRequest.to(INDIA).build());
            assertThat(later.primary().providerId()).isEqualTo("cheap");
            assertThat(later.primary().reasons()).anyMatch(r -> r.startsWith("circuit half-open"));
        }

        @Test
        void aProviderThatDoesNotCoverTheCountryIsDropped() {
            FakeProvider indiaOnly = FakeProvider.of("india-only", INTERNET_VOIP, Set.of("IN"), inr(INTERNET_VOIP, "0.5"));
            RoutePlan plan = planner(List.of(indiaOnly, VOIP)).plan(CallRequest.to("+447700900123").build());
            assertThat(providerIds(plan)).containsExactly("voip");
            assertThat(plan.dropped()).extracting(DroppedOption::reason).containsExactly("does not cover country GB");
        }

        @Test
        void aProviderThatCannotReachTheEndpointOrHasNoRateIsDropped() {
            FakeProvider noSip = voip("no-sip", "1");
            FakeProvider onlyUs = FakeProvider.of("only-us", INTERNET_VOIP, Set.of("IN"),
                    Rate.perMinute(INTERNET_VOIP, "1", Money.inr("0.4")));
            RoutePlan plan = planner(List.of(noSip, onlyUs, VOIP)).plan(CallRequest.to(INDIA).build());
            assertThat(plan.dropped()).extracting(DroppedOption::toString)
                    .containsExactly("only-us (internet_voip): has no rate for internet_voip to +91");
            assertThatThrownBy(() -> planner(List.of(noSip)).plan(CallRequest.to("sip:desk@example.com").build()))
                    .isInstanceOf(NoRouteException.class).hasMessageContaining("does not reach SIP URIs");
        }

        @Test
        void aLiveQuoteOverridesTheDeckAndForeignPricesAreConverted() {
            FakeProvider quoted = voip("quoted", "5").quoting(Rate.perMinute(INTERNET_VOIP, "91", Money.of("0.01", "USD")));
            RoutePlan plan = planner(List.of(quoted, voip("local", "1"))).plan(CallRequest.to(INDIA).build());
            assertThat(plan.primary().providerId()).isEqualTo("quoted");
            assertThat(plan.primary().perMinute()).isEqualTo(Money.inr("0.885"));
            assertThat(plan.primary().reasons()).anyMatch(r -> r.contains("from the live quote") && r.contains("0.01 USD/min"));
        }

        @Test
        void aProviderPricedInACurrencyWithoutAnFxRateIsDropped() {
            FakeProvider yen = FakeProvider.of("yen", INTERNET_VOIP, Set.of("IN"), Rate.perMinute(INTERNET_VOIP, "", Money.of("2", "JPY")));
            RoutePlan plan = planner(List.of(yen, VOIP)).plan(CallRequest.to(INDIA).build());
            assertThat(plan.dropped()).extracting(DroppedOption::reason)
                    .containsExactly("prices in JPY, which the FX table cannot convert to INR");
        }

        @Test
        void anInvalidNumberIsRefusedBeforeAnyProviderIsConsidered() {
            assertThatThrownBy(() -> plan(CallRequest.to("+910001234567").build()))
                    .isInstanceOf(NoRouteException.class).hasMessageContaining("not a valid number");
        }
    }

    /** Issue 9: a simulated provider never wins on price, never backs up a real one, and always says so. */
    @Nested
    class SimulatedProviders {

        /** The sandbox's shape: every category, global, cheaper than anything real. */
        private final FakeProvider sandbox = voip("sandbox", "0.10").global().simulated();
        private final FakeProvider simulatedSatellite = FakeProvider.of("sandbox", SATELLITE, Set.of(),
                inr(SATELLITE, "1")).global().reaching(e -> e instanceof PhoneNumber).simulated();

        @Test
        void issue9_aCheaperSimulatedProviderIsDroppedBesideARealOneAndIsNoFailover() {
            RoutePlan plan = planner(List.of(sandbox, VOIP)).plan(CallRequest.to(INDIA).build());

            assertThat(providerIds(plan)).containsExactly("voip");
            assertThat(plan.simulated()).isFalse();
            assertThat(plan.primary().simulated()).isFalse();
            assertThat(plan.dropped()).singleElement().satisfies(d -> {
                assertThat(d.providerId()).isEqualTo("sandbox");
                assertThat(d.reason()).startsWith("simulated, and real providers serve internet_voip (voip)")
                        .contains("never simulated").contains("failover");
            });
            assertThat(plan.explain()).contains("dropped:\n  - sandbox: simulated, and real providers serve internet_voip");
        }

        @Test
        void issue9_whenEveryRealOptionIsDroppedTheCallIsRefusedNotSimulated() {
            NoRouteException e = catchThrowableOfType(NoRouteException.class,
                    () -> planner(List.of(sandbox, voip("dear", "5"))).plan(CallRequest.to(INDIA)
                            .maxCostPerMinute(Money.inr("2")).build()));

            assertThat(e).isNotNull();
            assertThat(e.getMessage()).contains("dear (internet_voip): 5.00 INR/min is above the cap",
                    "sandbox (internet_voip): simulated");
        }

        @Test
        void issue9_aCategoryNoRealProviderServesIsSimulatedAndEveryLineSaysSo() {
            RoutePlan plan = planner(List.of(VOIP, simulatedSatellite)).plan(CallRequest.to("+881631234567").build());

            assertThat(plan.category()).isEqualTo(SATELLITE);
            assertThat(plan.simulated()).isTrue();
            assertThat(plan.primary().simulated()).isTrue();
            assertThat(plan.primary().reasons()).anyMatch(r -> r.startsWith("simulated: no real call is placed"));
            assertThat(plan.explain()).contains("options (primary first), SIMULATED: no real call is placed:\n"
                    + "  1. sandbox (simulated): 1.00 INR/min");
        }

        @Test
        void realProviderOptionsAreNotLabelledSimulated() {
            RoutePlan plan = planner(List.of(VOIP)).plan(CallRequest.to(INDIA).build());

            assertThat(plan.simulated()).isFalse();
            assertThat(plan.explain()).doesNotContain("simulated").doesNotContain("SIMULATED");
        }

        @Test
        void aPlanRefusesToMixRealAndSimulatedOptions() {
            RouteOption real = plan(CallRequest.to(INDIA).build()).primary();
            RouteOption simulated = new RouteOption("sandbox", true, real.category(), real.rate(), real.perMinute(),
                    real.perCall(), real.score(), List.of());

            assertThatThrownBy(() -> new RoutePlan(INTERNET_VOIP, List.of(), List.of(real, simulated), List.of(), false))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("a simulated provider never backs up a real one");
        }
    }

    @Test
    void planningChangesNothingAndGivesTheSamePlanTwice() {
        RoutePlanner planner = planner(SEED);
        CallRequest request = CallRequest.to(INDIA).location(DELHI).build();
        RoutePlan first = planner.plan(request);
        assertThat(planner.plan(request)).isEqualTo(first);
        assertThat(tracker.quality("voip", PhoneNumber.of(INDIA))).isEmpty();
        assertThat(tracker.health("voip").consecutiveFailures()).isZero();
    }

    @Test
    void explainListsCategoryReasonsOptionsAndDrops() {
        List<FakeProvider> providers = new ArrayList<>(List.of(voip("cheap", "1.00"), voip("dear", "3.00"), voip("mid", "1.50")));
        String text = planner(providers).plan(CallRequest.to(INDIA).maxCostPerMinute(Money.inr("2")).build()).explain();
        assertThat(text).startsWith("category internet_voip\n")
                .contains("options (primary first):\n  1. cheap: 1.00 INR/min + 0.00 INR/call, score 0.830")
                .contains("  2. mid: 1.50 INR/min")
                .contains("       - failover 1 at 1.50 INR/min")
                .contains("dropped:\n  - dear: 3.00 INR/min is above the cap of 2.00 INR/min");
    }

    /** Issue 11: skills are open names; a skill no active human_agent provider has is refused by name. */
    @Nested
    class Skills {

        private final CallingProvider spanishDesk = withAgents("es-desk", Map.of(Skill.of("spanish"), 4, Skill.GENERAL, 2));
        private final CallingProvider vipDesk = withAgents("vip-desk", Map.of(Skill.VIP, 1, Skill.SALES, 0));

        private RoutePlan planWith(List<CallingProvider> providers, CallRequest request) {
            return new RoutePlanner(ProviderCatalog.of(providers), GEOGRAPHY, NUMBERS, fx, tracker, clock).plan(request);
        }

        @Test
        void anOpenSkillGoesToTheProvidersWithAgentsOfIt() {
            RoutePlan plan = planWith(List.of(spanishDesk, vipDesk), CallRequest.to(INDIA).skill(Skill.of("spanish")).build());

            assertThat(plan.category()).isEqualTo(HUMAN_AGENT);
            assertThat(providerIds(plan)).containsExactly("es-desk");
            assertThat(plan.dropped()).singleElement().hasToString("vip-desk (human_agent): has no agent with skill spanish");
        }

        @Test
        void aSkillNoProviderHasAgentsOfIsNoRouteNamingTheSkill() {
            NoRouteException e = catchThrowableOfType(NoRouteException.class, () -> planWith(List.of(spanishDesk, vipDesk),
                    CallRequest.to(INDIA).skill(Skill.of("klingon")).build()));

            assertThat(e).isNotNull();
            assertThat(e.reason()).isEqualTo(ErrorReason.NO_ROUTE);
            assertThat(e.getMessage()).contains("no active human_agent provider has an agent with skill klingon")
                    .contains("es-desk (human_agent): has no agent with skill klingon");
        }

        @Test
        void aSkillDeclaredWithNoAgentsCountsAsNone() {
            NoRouteException e = catchThrowableOfType(NoRouteException.class, () -> planWith(List.of(vipDesk),
                    CallRequest.to(INDIA).skill(Skill.SALES).build()));

            assertThat(e.getMessage()).contains("skill sales");
        }

        @Test
        void aProviderThatDeclaresNoAgentsPerSkillMayServeAnySkill() {
            RoutePlan plan = planWith(List.of(AGENTS), CallRequest.to(INDIA).skill(Skill.of("claims-tier2")).build());

            assertThat(providerIds(plan)).containsExactly("agents");
            assertThat(plan.categoryReasons()).anyMatch(r -> r.contains("agent skill claims-tier2 requested"));
        }

        @Test
        void aSkillIsIgnoredWhenTheRequestPinsAnotherCategory() {
            RoutePlan plan = planWith(List.of(spanishDesk, AI), CallRequest.to(INDIA).category(AI_AUTOMATED)
                    .skill(Skill.of("klingon")).build());

            assertThat(providerIds(plan)).containsExactly("ai");
        }

        /** The routing fake of the human_agent seed provider, declaring its agents per skill. */
        private static CallingProvider withAgents(String id, Map<Skill, Integer> agents) {
            FakeProvider base = FakeProvider.of(id, HUMAN_AGENT, Set.of("IN"), inr(HUMAN_AGENT, "7.5"));
            ProviderCapabilities capabilities = ProviderCapabilities.builder()
                    .agents(agents, agents.values().stream().mapToInt(Integer::intValue).sum()).build();
            return new CallingProvider() {
                @Override public String id() { return id; }
                @Override public Set<CallCategory> categories() { return base.categories(); }
                @Override public ProviderCapabilities capabilities() { return capabilities; }
                @Override public ProviderCoverage coverage() { return base.coverage(); }
                @Override public boolean covers(io.globalcalling.Endpoint endpoint) { return base.covers(endpoint); }
                @Override public List<Rate> rates() { return base.rates(); }
                @Override public PlacedCall place(OutboundCall call) { return base.place(call); }
                @Override public Optional<CallEvent> fetch(String providerCallId) { return base.fetch(providerCallId); }
                @Override public void hangUp(String providerCallId) { base.hangUp(providerCallId); }
                @Override public WebhookHandler webhooks() { return base.webhooks(); }
            };
        }
    }
}
