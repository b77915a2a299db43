package io.globalcalling.core;

import io.globalcalling.CallCategory;
import io.globalcalling.CallRecord;
import io.globalcalling.CallRequest;
import io.globalcalling.GeoPoint;
import io.globalcalling.Money;
import io.globalcalling.Purpose;
import io.globalcalling.core.limits.Budget;
import io.globalcalling.core.routing.RoutePlan;
import io.globalcalling.core.store.InMemoryCallStore;
import io.globalcalling.spi.CallingProvider;
import io.globalcalling.spi.ProviderConfig;
import io.globalcalling.spi.ProviderCoverage;
import io.globalcalling.spi.Rate;
import io.globalcalling.spi.store.StoredEvent;
import io.globalcalling.testkit.FakeCallProvider;
import io.globalcalling.testkit.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 14, through the manager with the shipped geography and numbering data: satellite only where it is
 * needed, satellite numbers through a carrier that may dial them, and emergencies above the cap flagged.
 */
class SatelliteRoutingIssue14Test {

    private static final String INDIA = "+919876543210";
    private static final String IRIDIUM_PHONE = "+881631234567";
    private static final GeoPoint TROMSO = GeoPoint.of(69.6492, 18.9553);
    private static final GeoPoint GREENLAND_ICE_SHEET = GeoPoint.of(75.0, -40.0);
    private static final GeoPoint EMPTY_QUARTER = GeoPoint.of(20.2, 51.0);

    private final MutableClock clock = MutableClock.create();
    private final InMemoryCallStore store = new InMemoryCallStore();
    private final List<GlobalCallingManager> managers = new ArrayList<>();

    /** A voice carrier whose account may dial satellite ranges: voip everywhere it lists, satellite at a per-prefix rate. */
    private final FakeCallProvider carrier = FakeCallProvider.builder().id("carrier").clock(clock)
            .categories(CallCategory.INTERNET_VOIP).alsoSupports(CallCategory.SATELLITE)
            .coverage(ProviderCoverage.countries(Set.of("IN", "NO", "US")))
            .rate(Rate.perMinute(CallCategory.INTERNET_VOIP, "", Money.inr("1")))
            .rate(Rate.perMinute(CallCategory.SATELLITE, "8816", Money.inr("850")))
            .webhookUrl(URI.create("https://host.example/calling/webhooks/carrier"))
            .build();
    /** A satellite service that reaches every point on Earth. */
    private final FakeCallProvider satellite = FakeCallProvider.builder().id("satellite").clock(clock)
            .categories(CallCategory.SATELLITE)
            .coverage(ProviderCoverage.globalCoverage(Set.of()))
            .rate(Rate.perMinute(CallCategory.SATELLITE, "", Money.inr("100")))
            .webhookUrl(URI.create("https://host.example/calling/webhooks/satellite"))
            .build();

    @AfterEach
    void close() {
        managers.forEach(GlobalCallingManager::close);
    }

    /** A manager whose customers may spend {@code dailyBudget} INR a day. */
    private GlobalCallingManager manager(Map<String, String> config, String dailyBudget, CallingProvider... providers) {
        GlobalCallingManager.Builder b = GlobalCallingManager.builder().discoverProviders(false)
                .config(ProviderConfig.of(config)).store(store).clock(clock)
                .limits(l -> l.budgets(Budget.daily(Money.inr(dailyBudget))))
                .webhookBaseUrl("https://host.example/calling/webhooks");
        for (CallingProvider p : providers) b.provider(p);
        GlobalCallingManager m = b.build();
        managers.add(m);
        return m;
    }

    @Test
    void aCalleeInAPolarTownIsCalledOverTheTerrestrialNetwork() {
        GlobalCallingManager m = manager(Map.of(), "10000", carrier, satellite);

        RoutePlan tromso = m.plan(CallRequest.to(INDIA).location(TROMSO).build());
        RoutePlan iceSheet = m.plan(CallRequest.to(INDIA).location(GREENLAND_ICE_SHEET).build());

        assertThat(tromso.category()).isEqualTo(CallCategory.INTERNET_VOIP);
        assertThat(tromso.primary().providerId()).isEqualTo("carrier");
        assertThat(iceSheet.category()).isEqualTo(CallCategory.SATELLITE);
        assertThat(iceSheet.explain()).contains("no one lives within reach of a mast, inside a polar circle");
    }

    @Test
    void aSatellitePhoneIsCalledThroughACarrierConfiguredForSatellite() {
        GlobalCallingManager m = manager(Map.of("carrier.categories", "internet_voip,satellite"), "10000", carrier);

        CallRecord record = m.call(CallRequest.to(IRIDIUM_PHONE).customerId("fleet").build());

        assertThat(record.category()).isEqualTo(CallCategory.SATELLITE);
        assertThat(carrier.receivedCalls()).hasSize(1);
        assertThat(carrier.receivedCalls().get(0).category()).isEqualTo(CallCategory.SATELLITE);
        String explained = m.plan(CallRequest.to(IRIDIUM_PHONE).build()).explain();
        assertThat(explained)
                .contains("destination is a satellite-network number (Iridium, +8816), reached wherever its handset is: satellite")
                .contains("850.00 INR/min").contains("rate for prefix 8816");
    }

    @Test
    void anEmergencyWhereNoOneLivesGoesBySatelliteAboveTheCapAndIsFlagged() {
        GlobalCallingManager m = manager(Map.of(), "5", carrier, satellite);

        CallRecord sos = m.call(CallRequest.to(INDIA).location(EMPTY_QUARTER).purpose(Purpose.EMERGENCY)
                .maxCostPerMinute(Money.inr("1")).customerId("expedition").build());

        assertThat(sos.category()).isEqualTo(CallCategory.SATELLITE);
        assertThat(satellite.receivedCalls()).hasSize(1);
        assertThat(sos.limitBypass()).isTrue();
        assertThat(sos.routeReasons())
                .contains("emergency: terrestrial coverage is absent, so satellite has priority")
                .anyMatch(r -> r.startsWith("satellite: ") && r.contains(
                        "EMERGENCY OVER CAP: 100.00 INR/min is above the cap of 1.00 INR/min; kept, as an emergency has no cost cap"));
        assertThat(store.events(sos.callId())).filteredOn(e -> e.type().equals("routed"))
                .extracting(StoredEvent::data).allMatch(d -> "true".equals(d.get("capBypassed")));
    }
}
