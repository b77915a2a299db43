package io.globalcalling.core;

import io.globalcalling.CallCategory;
import io.globalcalling.CallRequest;
import io.globalcalling.ErrorReason;
import io.globalcalling.Money;
import io.globalcalling.core.lifecycle.CallStatusChanged;
import io.globalcalling.core.lifecycle.UnresolvedCall;
import io.globalcalling.core.limits.Budget;
import io.globalcalling.core.limits.event.BudgetAlert;
import io.globalcalling.core.limits.event.LimitEvent;
import io.globalcalling.core.store.InMemoryLimitLedger;
import io.globalcalling.spi.CallingProvider;
import io.globalcalling.spi.ProviderConfig;
import io.globalcalling.spi.ProviderException;
import io.globalcalling.spi.Rate;
import io.globalcalling.testkit.FakeCallProvider;
import io.globalcalling.testkit.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every listener registration can be undone; every manager setting has one place. */
class ListenersAndSettingsTest {

    private static final String INDIA = "+919876543210";

    private final MutableClock clock = MutableClock.create();
    private final FakeCallProvider cheap = FakeCallProvider.builder().id("cheap").clock(clock)
            .categories(CallCategory.INTERNET_VOIP)
            .rate(Rate.perMinute(CallCategory.INTERNET_VOIP, "", Money.inr("1.00"))).build();
    private final List<GlobalCallingManager> managers = new ArrayList<>();

    @AfterEach
    void close() {
        managers.forEach(GlobalCallingManager::close);
    }

    private GlobalCallingManager.Builder builder(CallingProvider provider) {
        return GlobalCallingManager.builder().discoverProviders(false).config(ProviderConfig.empty())
                .clock(clock).provider(provider);
    }

    private GlobalCallingManager build(GlobalCallingManager.Builder b) {
        GlobalCallingManager m = b.build();
        managers.add(m);
        return m;
    }

    @Test
    void aClosedStatusListenerIsToldNothingMoreAndClosingTwiceIsHarmless() {
        GlobalCallingManager m = build(builder(cheap));
        List<CallStatusChanged> kept = new CopyOnWriteArrayList<>();
        List<CallStatusChanged> removed = new CopyOnWriteArrayList<>();
        m.onStatusChange(kept::add);
        Subscription subscription = m.onStatusChange(removed::add);

        m.call(CallRequest.to(INDIA).build());
        int seen = removed.size();
        subscription.close();
        subscription.close();
        m.call(CallRequest.to(INDIA).build());

        assertThat(seen).isPositive();
        assertThat(removed).hasSize(seen);
        assertThat(kept).hasSize(2 * seen);
    }

    @Test
    void aClosedUnresolvedListenerIsNotTold() {
        GlobalCallingManager m = build(builder(cheap));
        cheap.failNext(ProviderException.of("cheap", ErrorReason.OUTCOME_UNKNOWN, "read timed out"));
        cheap.failNext(ProviderException.of("cheap", ErrorReason.OUTCOME_UNKNOWN, "read timed out"));
        List<UnresolvedCall> kept = new CopyOnWriteArrayList<>();
        List<UnresolvedCall> removed = new CopyOnWriteArrayList<>();
        m.onUnresolved(kept::add);
        m.onUnresolved(removed::add).close();
        m.call(CallRequest.to(INDIA).build());
        m.call(CallRequest.to(INDIA).build());

        clock.advance(Duration.ofMinutes(3));
        m.reconcile();

        assertThat(kept).hasSize(2);
        assertThat(removed).isEmpty();
    }

    @Test
    void aClosedLimitListenerIsNotTold() {
        GlobalCallingManager m = build(builder(cheap).limits(l -> l.budgets(Budget.daily(Money.inr("1")))));
        List<BudgetAlert> kept = new CopyOnWriteArrayList<>();
        List<BudgetAlert> removed = new CopyOnWriteArrayList<>();
        List<LimitEvent> removedEvents = new CopyOnWriteArrayList<>();
        m.limits().onAlert(kept::add);
        try (Subscription alerts = m.limits().onAlert(removed::add);
             Subscription events = m.limits().onEvent(removedEvents::add)) {
            assertThat(alerts).isNotSameAs(events);
        }

        m.limits().admit("c1", CallRequest.to(INDIA).customerId("acme").build(), CallCategory.INTERNET_VOIP,
                Money.inr("0"), Money.inr("0.60"));

        assertThat(kept).isNotEmpty();
        assertThat(removed).isEmpty();
        assertThat(removedEvents).isEmpty();
    }

    @Test
    void theLedgerIsSetOnTheManagerOnlyNotAlsoInsideLimits() {
        InMemoryLimitLedger other = new InMemoryLimitLedger();
        GlobalCallingManager.Builder b = builder(cheap).ledger(new InMemoryLimitLedger()).limits(l -> l.ledger(other));

        assertThatThrownBy(b::build).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("ledger").hasMessageContaining("GlobalCallingManager.builder().ledger(..)");
    }

    @Test
    void theClockAndCurrencyAreTheManagersToo() {
        assertThatThrownBy(() -> builder(cheap).limits(l -> l.clock(Clock.systemUTC())).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("GlobalCallingManager.builder().clock(..)");
        assertThatThrownBy(() -> builder(cheap).limits(l -> l.currency(Currency.getInstance("USD"))).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("GlobalCallingManager.builder().fx(..)");
    }
}
