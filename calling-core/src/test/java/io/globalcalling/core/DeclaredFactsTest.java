package io.globalcalling.core;

import io.globalcalling.CallCategory;
import io.globalcalling.CallRecord;
import io.globalcalling.CallRequest;
import io.globalcalling.ErrorReason;
import io.globalcalling.Money;
import io.globalcalling.core.lifecycle.UnresolvedCall;
import io.globalcalling.core.store.InMemoryCallStore;
import io.globalcalling.spi.CallingProvider;
import io.globalcalling.spi.ProviderCapabilities;
import io.globalcalling.spi.ProviderConfig;
import io.globalcalling.spi.ProviderException;
import io.globalcalling.spi.ProviderPace;
import io.globalcalling.spi.Rate;
import io.globalcalling.testkit.FakeCallProvider;
import io.globalcalling.testkit.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** Core reads a provider's pace and reconcile grace from what it declares, not from names it knows. */
class DeclaredFactsTest {

    private static final String INDIA = "+919876543210";

    private final MutableClock clock = MutableClock.create();
    private final List<GlobalCallingManager> managers = new ArrayList<>();

    @AfterEach
    void close() {
        managers.forEach(GlobalCallingManager::close);
    }

    private FakeCallProvider provider(String id, ProviderCapabilities capabilities) {
        return FakeCallProvider.builder().id(id).clock(clock).categories(CallCategory.INTERNET_VOIP)
                .rate(Rate.perMinute(CallCategory.INTERNET_VOIP, "", Money.inr(id.equals("dear") ? "2.00" : "1.00")))
                .capabilities(capabilities).build();
    }

    private GlobalCallingManager manager(CallingProvider... providers) {
        GlobalCallingManager.Builder b = GlobalCallingManager.builder().discoverProviders(false)
                .config(ProviderConfig.empty()).store(new InMemoryCallStore()).clock(clock)
                .pacing(p -> p.maxWait(Duration.ZERO));
        for (CallingProvider p : providers) b.provider(p);
        GlobalCallingManager m = b.build();
        managers.add(m);
        return m;
    }

    private static CallRequest india() {
        return CallRequest.to(INDIA).category(CallCategory.INTERNET_VOIP).customerId("acme").build();
    }

    @Test
    void aProvidersDeclaredPaceHoldsItsCallsAndTheNextGoesElsewhere() {
        FakeCallProvider slow = provider("cheap", ProviderCapabilities.builder().pace(ProviderPace.of(1, 1)).build());
        FakeCallProvider dear = provider("dear", ProviderCapabilities.none());
        GlobalCallingManager m = manager(slow, dear);

        CallRecord first = m.call(india());
        CallRecord second = m.call(india());   // cheap's one call this second is taken, and no wait is allowed

        assertThat(first.providerId()).isEqualTo("cheap");
        assertThat(second.providerId()).isEqualTo("dear");
    }

    @Test
    void aProviderThatDeclaresNoPaceIsNotPaced() {
        FakeCallProvider cheap = provider("cheap", ProviderCapabilities.none());
        GlobalCallingManager m = manager(cheap, provider("dear", ProviderCapabilities.none()));

        assertThat(m.call(india()).providerId()).isEqualTo("cheap");
        assertThat(m.call(india()).providerId()).isEqualTo("cheap");
    }

    @Test
    void anUnresolvedCallIsSurfacedAfterItsProvidersDeclaredGraceNotBefore() {
        FakeCallProvider slowApi = provider("cheap",
                ProviderCapabilities.builder().reconcileGrace(Duration.ofMinutes(10)).build());
        slowApi.failNext(ProviderException.of("cheap", ErrorReason.OUTCOME_UNKNOWN, "read timed out after sending"));
        GlobalCallingManager m = manager(slowApi);
        List<UnresolvedCall> unresolved = new CopyOnWriteArrayList<>();
        m.onUnresolved(unresolved::add);
        m.call(india());

        clock.advance(Duration.ofMinutes(3));   // past the old global 2 minutes, within the declared 10
        m.reconcile();
        assertThat(unresolved).isEmpty();

        clock.advance(Duration.ofMinutes(8));
        m.reconcile();
        assertThat(unresolved).hasSize(1);
    }

    @Test
    void aShortDeclaredGraceSurfacesTheCallSooner() {
        FakeCallProvider quick = provider("cheap",
                ProviderCapabilities.builder().reconcileGrace(Duration.ofSeconds(30)).build());
        quick.failNext(ProviderException.of("cheap", ErrorReason.OUTCOME_UNKNOWN, "read timed out after sending"));
        GlobalCallingManager m = manager(quick);
        List<UnresolvedCall> unresolved = new CopyOnWriteArrayList<>();
        m.onUnresolved(unresolved::add);
        m.call(india());

        clock.advance(Duration.ofMinutes(1));
        m.reconcile();
        assertThat(unresolved).hasSize(1);
    }
}
