package io.globalcalling.micrometer;

import io.github.bucket4j.BlockingStrategy;
import io.github.bucket4j.TimeMeter;
import io.globalcalling.CallCategory;
import io.globalcalling.CallRecord;
import io.globalcalling.CallRequest;
import io.globalcalling.CallStatus;
import io.globalcalling.ErrorReason;
import io.globalcalling.Money;
import io.globalcalling.Priority;
import io.globalcalling.Purpose;
import io.globalcalling.WebhookRequest;
import io.globalcalling.core.CallFailedException;
import io.globalcalling.core.GlobalCallingManager;
import io.globalcalling.core.cost.FxTable;
import io.globalcalling.core.limits.Budget;
import io.globalcalling.core.limits.LimitExceededException;
import io.globalcalling.core.limits.Pace;
import io.globalcalling.core.limits.RateWindow;
import io.globalcalling.core.store.InMemoryCallStore;
import io.globalcalling.core.store.InMemoryLimitLedger;
import io.globalcalling.spi.CallingProvider;
import io.globalcalling.spi.ProviderConfig;
import io.globalcalling.spi.Rate;
import io.globalcalling.spi.store.CallUpdate;
import io.globalcalling.spi.store.LimitLedger;
import io.globalcalling.testkit.FakeCallProvider;
import io.globalcalling.testkit.ModuleDescriptorContract;
import io.globalcalling.testkit.MutableClock;
import io.globalcalling.testkit.ScriptedProvider;
import io.globalcalling.testkit.ScriptedProvider.Outcome;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.within;

/** Issue 16: the binder's meters after real calls through a real manager, read from a SimpleMeterRegistry. */
class CallingMetricsTest {

    private static final String INDIA = "+919876543210";

    private final MutableClock clock = MutableClock.create();
    private final SimulatedTime time = new SimulatedTime();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<AutoCloseable> closing = new ArrayList<>();

    /** Pacing on simulated time: waiting moves it forward instead of sleeping. */
    private static final class SimulatedTime implements TimeMeter, BlockingStrategy {
        private final AtomicLong nanos = new AtomicLong();

        @Override
        public long currentTimeNanos() {
            return nanos.get();
        }

        @Override
        public boolean isWallClockBased() {
            return false;
        }

        @Override
        public void park(long nanosToPark) {
            nanos.addAndGet(nanosToPark);
        }
    }

    @AfterEach
    void close() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) closing.get(i).close();
    }

    private ScriptedProvider scripted(String id, String perMinute) {
        return ScriptedProvider.builder().id(id).clock(clock).categories(CallCategory.INTERNET_VOIP)
                .perMinute(Money.inr(perMinute)).build();
    }

    private FakeCallProvider fake() {
        return FakeCallProvider.builder().id("fake").clock(clock).categories(CallCategory.INTERNET_VOIP)
                .rate(Rate.perMinute(CallCategory.INTERNET_VOIP, "", Money.inr("1.00"))).build();
    }

    private GlobalCallingManager.Builder builder(CallingProvider... providers) {
        GlobalCallingManager.Builder b = GlobalCallingManager.builder().discoverProviders(false)
                .config(ProviderConfig.empty()).clock(clock).pacing(p -> p.timeMeter(time).blockingStrategy(time));
        for (CallingProvider p : providers) b.provider(p);
        return b;
    }

    private GlobalCallingManager bound(GlobalCallingManager.Builder b) {
        return bound(b, CallingMetrics.Options.defaults());
    }

    private GlobalCallingManager bound(GlobalCallingManager.Builder b, CallingMetrics.Options options) {
        GlobalCallingManager m = b.build();
        closing.add(m);
        CallingMetrics metrics = new CallingMetrics(m, options);
        closing.add(metrics);
        metrics.bindTo(registry);
        return m;
    }

    private double count(String name, String... tags) {
        return registry.get(name).tags(tags).counter().count();
    }

    private double gauge(String name, String... tags) {
        return registry.get(name).tags(tags).gauge().value();
    }

    @Test
    void placementsFailoversAndTheirLatencyAreCountedByProviderCategoryAndOutcome() {
        ScriptedProvider cheap = scripted("cheap", "1.00").next(Outcome.unavailable());
        ScriptedProvider dear = scripted("dear", "2.00")
                .next(Outcome.accept(CallStatus.QUEUED)).next(Outcome.refuse(ErrorReason.REJECTED));
        cheap.next(Outcome.unavailable());
        GlobalCallingManager m = bound(builder(cheap, dear));

        m.call(CallRequest.to(INDIA).build());
        catchThrowableOfType(CallFailedException.class, () -> m.call(CallRequest.to(INDIA).build()));

        assertThat(count("calling.calls.placed", "provider", "dear", "category", "internet_voip", "outcome", "accepted"))
                .isEqualTo(1);
        assertThat(count("calling.calls.placed", "provider", "dear", "outcome", "failed")).isEqualTo(1);
        assertThat(count("calling.failovers", "provider", "cheap", "category", "internet_voip", "reason", "unavailable"))
                .isEqualTo(2);
        Timer placement = registry.get("calling.placement").tags("provider", "dear", "outcome", "accepted").timer();
        assertThat(placement.count()).isEqualTo(1);
        assertThat(placement.totalTime(TimeUnit.NANOSECONDS)).isPositive();
        assertThat(placement.takeSnapshot().percentileValues()).extracting(p -> p.percentile())
                .containsExactly(0.5, 0.95, 0.99);
        // the failed call ended: counted by its final status
        assertThat(count("calling.calls.ended", "provider", "dear", "status", "failed")).isEqualTo(1);
    }

    @Test
    void anUnknownOutcomeIsAGaugeUntilReconciliationResolvesIt() {
        ScriptedProvider only = scripted("only", "1.00").next(Outcome.timeoutAfterSending(true));
        GlobalCallingManager m = bound(builder(only));

        m.call(CallRequest.to(INDIA).build());

        assertThat(count("calling.calls.placed", "provider", "only", "outcome", "unknown")).isEqualTo(1);
        assertThat(gauge("calling.calls.unresolved")).isEqualTo(1);

        m.reconcile();

        assertThat(gauge("calling.calls.unresolved")).isZero();
    }

    @Test
    void theUnresolvedGaugeCountsEveryUnresolvedCallNotAPageOfThem() {
        InMemoryCallStore store = new InMemoryCallStore();
        int unresolved = 10_001;
        for (int i = 0; i < unresolved; i++) {
            String callId = "call-" + i;
            store.create(CallRecord.initiated(callId, "acme", CallCategory.INTERNET_VOIP, null, INDIA, null,
                    Priority.NORMAL, null, null, Money.inr("1"), Money.inr("1"), List.of(), false, clock.instant(),
                    Map.of()));
            store.update(CallUpdate.of(callId, clock.instant()).needsReconciliation(true));
        }
        bound(builder(scripted("only", "1.00")).store(store));

        assertThat(gauge("calling.calls.unresolved")).isEqualTo(unresolved);
    }

    @Test
    void callbacksAreTimedAndRefusalsCountedByReasonWithUnknownProvidersFoldedIntoOneTag() {
        FakeCallProvider fake = fake();
        GlobalCallingManager m = bound(builder(fake).webhookMaxBodyBytes(1024));
        CallRecord call = m.call(CallRequest.to(INDIA).build());
        WebhookRequest good = fake.callback(call.providerCallId(), CallStatus.RINGING);
        WebhookRequest forged = new WebhookRequest(good.method(), good.url(), good.headers(),
                good.bodyText().replace("ringing", "completed").getBytes());
        WebhookRequest stale = fake.callback(call.providerCallId(), CallStatus.ANSWERED);

        m.webhooks().handle("fake", good);
        m.webhooks().handle("fake", forged);
        clock.advance(Duration.ofMinutes(6));
        m.webhooks().handle("fake", stale);
        m.webhooks().handle("fake", new WebhookRequest(good.method(), good.url(), good.headers(), new byte[2048]));
        m.webhooks().handle("attacker-chosen-" + System.nanoTime(), good);

        assertThat(registry.get("calling.callbacks").tags("provider", "fake", "outcome", "handled").timer().count())
                .isEqualTo(1);
        assertThat(count("calling.callbacks.refused", "provider", "fake", "reason", "bad_signature")).isEqualTo(1);
        assertThat(count("calling.callbacks.refused", "provider", "fake", "reason", "too_old")).isEqualTo(1);
        assertThat(count("calling.callbacks.refused", "provider", "fake", "reason", "too_large")).isEqualTo(1);
        assertThat(count("calling.callbacks.refused", "provider", "unknown", "reason", "unknown_provider")).isEqualTo(1);
        assertThat(registry.getMeters()).flatExtracting(meter -> meter.getId().getTags())
                .noneMatch(tag -> tag.getValue().startsWith("attacker-chosen-"));
    }

    @Test
    void estimatedHeldAndSettledCostAreCountedByTierAndCategoryInTheReportingCurrency() {
        FakeCallProvider fake = fake();
        GlobalCallingManager m = bound(builder(fake), CallingMetrics.Options.builder()
                .customerTier(id -> id.startsWith("ent-") ? "enterprise" : "free").build());
        CallRecord call = m.call(CallRequest.to(INDIA).customerId("ent-42").build());

        m.webhooks().handle("fake", fake.callback(call.providerCallId(), CallStatus.COMPLETED, Duration.ofSeconds(125)));

        String[] tags = {"tier", "enterprise", "category", "internet_voip"};
        assertThat(count("calling.cost.estimated", tags)).isEqualTo(call.estimatedCost().amount().doubleValue()).isPositive();
        assertThat(count("calling.cost.held", tags)).isEqualTo(call.heldAmount().amount().doubleValue()).isPositive();
        assertThat(count("calling.cost.settled", tags)).isEqualTo(3.0);   // 125 s billed as 3 minutes at 1 INR
        assertThat(registry.get("calling.cost.settled").counter().getId().getBaseUnit()).isEqualTo("inr");
        assertThat(count("calling.calls.ended", "provider", "fake", "status", "completed")).isEqualTo(1);
        assertThat(registry.find("calling.cost.settled").tag("tier", "free").counter()).isNull();
    }

    @Test
    void aSettlementFinishedAfterTheEndIsCountedInTheSettledCostOnce() {
        FakeCallProvider fake = fake();
        FlakyLedger ledger = new FlakyLedger();
        ledger.settleFailures.set(1);
        GlobalCallingManager m = bound(builder(fake).ledger(ledger));
        CallRecord call = m.call(CallRequest.to(INDIA).build());
        WebhookRequest completed = fake.callback(call.providerCallId(), CallStatus.COMPLETED, Duration.ofSeconds(125));

        assertThat(m.webhooks().handle("fake", completed).status()).isEqualTo(500);   // settling failed
        assertThat(m.webhooks().handle("fake", completed).status()).isEqualTo(200);   // the retry settles it
        m.webhooks().handle("fake", completed);                                       // a later redelivery: nothing

        assertThat(m.calls().find(call.callId()).orElseThrow().cost()).isEqualTo(Money.inr("3.00"));
        assertThat(registry.find("calling.cost.settled").counter()).isNotNull();
        assertThat(count("calling.cost.settled", "tier", "default")).isEqualTo(3.0);
        assertThat(count("calling.calls.ended", "provider", "fake", "status", "completed")).isEqualTo(1);
    }

    @Test
    void moneyIsConvertedWhenTheHostReportsInAnotherCurrency() {
        FakeCallProvider fake = fake();
        GlobalCallingManager m = bound(builder(fake), CallingMetrics.Options.builder()
                .reportingCurrency(Currency.getInstance("USD")).build());
        CallRecord call = m.call(CallRequest.to(INDIA).build());

        m.webhooks().handle("fake", fake.callback(call.providerCallId(), CallStatus.COMPLETED, Duration.ofSeconds(125)));

        double usd = FxTable.defaults()
                .convert(Money.inr("3"), Currency.getInstance("USD")).amount().doubleValue();
        assertThat(registry.get("calling.cost.settled").counter().getId().getBaseUnit()).isEqualTo("usd");
        assertThat(count("calling.cost.settled", "tier", "default")).isCloseTo(usd, within(1e-9)).isLessThan(3.0);
    }

    @Test
    void budgetUseIsAGaugeOnlyForTheCustomersTheHostLists() {
        FakeCallProvider fake = fake();
        GlobalCallingManager m = bound(builder(fake).limits(l -> l.budgets(Budget.daily(Money.inr("100")))),
                CallingMetrics.Options.builder().customers("big-1").build());

        CallRecord big = m.call(CallRequest.to(INDIA).customerId("big-1").build());
        m.call(CallRequest.to(INDIA).customerId("small-7").build());

        assertThat(gauge("calling.budget.used", "customer", "big-1", "period", "day"))
                .isEqualTo(big.heldAmount().amount().doubleValue()).isPositive();
        assertThat(gauge("calling.budget.cap", "customer", "big-1", "period", "day")).isEqualTo(100.0);
        assertThat(registry.getMeters()).flatExtracting(meter -> meter.getId().getTags())
                .filteredOn(tag -> tag.getKey().equals("customer")).extracting(t -> t.getValue()).containsOnly("big-1");
    }

    /** Budgets the host sets once the metrics are bound (read from its own database at start-up, say) have gauges too. */
    @Test
    void aListedCustomersBudgetSetAfterBindingIsAGauge() {
        FakeCallProvider fake = fake();
        GlobalCallingManager m = bound(builder(fake).limits(l -> l.budgets()),
                CallingMetrics.Options.builder().customers("big-1").build());

        m.limits().setCustomerBudgets("big-1", Budget.daily(Money.inr("100")));
        CallRecord big = m.call(CallRequest.to(INDIA).customerId("big-1").build());

        assertThat(registry.find("calling.budget.used").tags("customer", "big-1", "period", "day").gauge()).isNotNull();
        assertThat(gauge("calling.budget.used", "customer", "big-1", "period", "day"))
                .isEqualTo(big.heldAmount().amount().doubleValue()).isPositive();
        assertThat(gauge("calling.budget.cap", "customer", "big-1", "period", "day")).isEqualTo(100.0);
    }

    @Test
    void limitRefusalsAreCountedByWindowOrBudgetAndEmergencyBypassesByCategory() {
        FakeCallProvider fake = fake();
        GlobalCallingManager m = bound(builder(fake).limits(l -> l.rateWindows(RateWindow.perMinute(1))
                .customerBudgets("thrifty", Budget.daily(Money.inr("1")))));

        m.call(CallRequest.to(INDIA).customerId("busy").build());
        catchThrowableOfType(LimitExceededException.class, () -> m.call(CallRequest.to(INDIA).customerId("busy").build()));
        catchThrowableOfType(LimitExceededException.class, () -> m.call(CallRequest.to(INDIA).customerId("thrifty").build()));
        m.call(CallRequest.to(INDIA).customerId("busy").purpose(Purpose.EMERGENCY).build());

        assertThat(count("calling.limits.refused", "limit", "window", "name", "minute")).isEqualTo(1);
        assertThat(count("calling.limits.refused", "limit", "budget", "name", "day")).isEqualTo(1);
        assertThat(count("calling.limits.bypassed", "category", "internet_voip")).isEqualTo(1);
    }

    @Test
    void pacingWaitsAreTimedAndTimeoutsCounted() {
        ScriptedProvider only = scripted("only", "1.00");
        IntStream.range(0, 3).forEach(i -> only.next(Outcome.accept(CallStatus.QUEUED)));
        GlobalCallingManager m = bound(builder(only).pacing(p -> p.timeMeter(time).blockingStrategy(time)
                .pace("only", Pace.of(2, 1)).maxWait(Duration.ofMillis(600))));

        m.call(CallRequest.to(INDIA).build());
        m.call(CallRequest.to(INDIA).build());                 // waits half a second of simulated time
        time.park(Duration.ofMillis(100).toNanos());           // the next turn is now 0.4 s away: within the wait
        m.call(CallRequest.to(INDIA).build());

        Timer wait = registry.get("calling.pacing.wait").tags("provider", "only").timer();
        assertThat(wait.count()).isEqualTo(3);
        assertThat(wait.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(900.0);

    }

    @Test
    void aPlacementWithNoTurnWithinTheMaximumWaitIsCountedAsAPacingTimeout() {
        ScriptedProvider only = scripted("only", "1.00").next(Outcome.accept(CallStatus.QUEUED));
        GlobalCallingManager m = bound(builder(only).pacing(p -> p.timeMeter(time).blockingStrategy(time)
                .pace("only", Pace.of(1, 1)).maxWait(Duration.ZERO)));

        m.call(CallRequest.to(INDIA).build());
        catchThrowableOfType(CallFailedException.class, () -> m.call(CallRequest.to(INDIA).build()));

        assertThat(count("calling.pacing.timeouts", "provider", "only")).isEqualTo(1);
        assertThat(count("calling.failovers", "provider", "only", "reason", "pacing_timeout")).isEqualTo(1);
    }

    @Test
    void eachProvidersCircuitStateIsAGauge() {
        ScriptedProvider only = scripted("only", "1.00");
        IntStream.range(0, 5).forEach(i -> only.next(Outcome.unavailable()));
        GlobalCallingManager m = bound(builder(only));
        assertThat(gauge("calling.provider.circuit", "provider", "only", "state", "closed")).isEqualTo(1);

        IntStream.range(0, 5).forEach(i ->
                catchThrowableOfType(CallFailedException.class, () -> m.call(CallRequest.to(INDIA).build())));

        assertThat(gauge("calling.provider.circuit", "provider", "only", "state", "open")).isEqualTo(1);
        assertThat(gauge("calling.provider.circuit", "provider", "only", "state", "closed")).isZero();
        assertThat(gauge("calling.provider.circuit", "provider", "only", "state", "half_open")).isZero();
    }

    @Test
    void closingStopsCountingAndRemovesTheGauges() {
        ScriptedProvider only = scripted("only", "1.00");
        IntStream.range(0, 2).forEach(i -> only.next(Outcome.accept(CallStatus.QUEUED)));
        GlobalCallingManager m = builder(only).build();
        closing.add(m);
        CallingMetrics metrics = new CallingMetrics(m);
        metrics.bindTo(registry);
        m.call(CallRequest.to(INDIA).build());

        metrics.close();
        m.call(CallRequest.to(INDIA).build());

        assertThat(count("calling.calls.placed", "provider", "only")).isEqualTo(1);
        assertThat(registry.find("calling.calls.unresolved").gauge()).isNull();
        assertThat(registry.find("calling.provider.circuit").gauges()).isEmpty();
        assertThatThrownBy(() -> metrics.bindTo(new SimpleMeterRegistry())).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aRegistryBoundTwiceCountsEachEventOnceAndASecondRegistryCountsItToo() {
        ScriptedProvider only = scripted("only", "1.00").next(Outcome.accept(CallStatus.QUEUED));
        GlobalCallingManager m = builder(only).build();
        closing.add(m);
        CallingMetrics metrics = new CallingMetrics(m);
        closing.add(metrics);
        SimpleMeterRegistry other = new SimpleMeterRegistry();
        metrics.bindTo(registry);
        metrics.bindTo(registry);
        metrics.bindTo(other);

        m.call(CallRequest.to(INDIA).build());

        assertThat(count("calling.calls.placed", "provider", "only")).isEqualTo(1);
        assertThat(other.get("calling.calls.placed").tags("provider", "only").counter().count()).isEqualTo(1);
    }

    @Test
    void tiersBeyondTheBoundAreCountedAsOther() {
        ScriptedProvider only = scripted("only", "1.00");
        int customers = CallingMetrics.MAX_TIERS + 3;
        IntStream.range(0, customers).forEach(i -> only.next(Outcome.accept(CallStatus.QUEUED)));
        GlobalCallingManager m = bound(builder(only), CallingMetrics.Options.builder().customerTier(id -> id).build());

        IntStream.range(0, customers).forEach(i -> m.call(CallRequest.to(INDIA).customerId("c" + i).build()));

        assertThat(registry.find("calling.cost.estimated").counters()).extracting(c -> c.getId().getTag("tier"))
                .hasSize(CallingMetrics.MAX_TIERS + 1).contains("other");
        assertThat(registry.get("calling.cost.estimated").tag("tier", "other").counter().count())
                .isEqualTo(3 * registry.get("calling.cost.estimated").tag("tier", "c0").counter().count());
    }

    @Test
    void optionsRefuseTooManyCustomersBlankIdsAndPercentilesOutsideZeroToOne() {
        List<String> many = IntStream.range(0, CallingMetrics.MAX_TAGGED_CUSTOMERS + 1).mapToObj(i -> "c" + i).toList();

        assertThatThrownBy(() -> CallingMetrics.Options.builder().customers(many))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("customers has 101 ids");
        assertThatThrownBy(() -> CallingMetrics.Options.builder().customers("ok", " "))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("customers contains a blank");
        assertThatThrownBy(() -> CallingMetrics.Options.builder().percentiles(0.5, 1.5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("percentiles contains 1.5");
    }

    @Test
    void theModuleExportsItsOnePackageNullMarked() {
        assertThat(ModuleDescriptorContract.check(CallingMetrics.class).name()).isEqualTo("io.globalcalling.micrometer");
    }

    /** A ledger whose next settles fail, as when its database is briefly unreachable. */
    private static final class FlakyLedger implements LimitLedger {
        private final InMemoryLimitLedger delegate = new InMemoryLimitLedger();
        final AtomicInteger settleFailures = new AtomicInteger();

        @Override
        public WindowResult count(String customerId, List<WindowCap> windows, boolean bypass) {
            return delegate.count(customerId, windows, bypass);
        }

        @Override
        public HoldResult reserve(String holdId, String customerId, Money amount, List<PeriodCap> periods, boolean bypass) {
            return delegate.reserve(holdId, customerId, amount, periods, bypass);
        }

        @Override
        public List<PeriodUsage> settle(String holdId, Money actual) {
            if (settleFailures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) throw new IllegalStateException("ledger unreachable");
            return delegate.settle(holdId, actual);
        }

        @Override
        public List<PeriodUsage> usage(String customerId, List<PeriodCap> periods) {
            return delegate.usage(customerId, periods);
        }

        @Override
        public boolean markAlert(String customerId, String period, String periodKey, int thresholdPercent) {
            return delegate.markAlert(customerId, period, periodKey, thresholdPercent);
        }
    }
}
