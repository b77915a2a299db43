package io.globalcalling.core;

import io.github.bucket4j.BlockingStrategy;
import io.github.bucket4j.TimeMeter;
import io.globalcalling.CallCategory;
import io.globalcalling.CallRecord;
import io.globalcalling.CallRequest;
import io.globalcalling.CallStatus;
import io.globalcalling.ErrorReason;
import io.globalcalling.Money;
import io.globalcalling.WebhookRequest;
import io.globalcalling.core.CallingObserver.CallbackOutcome;
import io.globalcalling.core.limits.Pace;
import io.globalcalling.core.routing.QualityTracker;
import io.globalcalling.spi.CallingProvider;
import io.globalcalling.spi.ProviderConfig;
import io.globalcalling.spi.Rate;
import io.globalcalling.testkit.FakeCallProvider;
import io.globalcalling.testkit.MutableClock;
import io.globalcalling.testkit.ScriptedProvider;
import io.globalcalling.testkit.ScriptedProvider.Outcome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Issue 16: what the manager tells a {@link CallingObserver}, the feed of the metrics binder. */
class CallingObserverTest {

    private static final String INDIA = "+919876543210";

    private final MutableClock clock = MutableClock.create();
    private final List<GlobalCallingManager> managers = new ArrayList<>();
    private final List<String> seen = new CopyOnWriteArrayList<>();
    private final List<CallRecord> placed = new CopyOnWriteArrayList<>();

    /** Writes down what it is told, one line each. */
    private final CallingObserver recorder = new CallingObserver() {
        @Override
        public void placed(CallRecord record, Duration took) {
            placed.add(record);
            seen.add("placed " + record.providerId() + " " + record.status().wireName()
                    + (record.needsReconciliation() ? " unknown" : ""));
            assertThat(took).isPositive();
        }

        @Override
        public void failedOver(String providerId, CallCategory category, ErrorReason reason) {
            seen.add("failover " + providerId + " " + category.wireName() + " " + reason);
        }

        @Override
        public void callbackHandled(String providerId, CallbackOutcome outcome, Duration took) {
            seen.add("callback " + providerId + " " + outcome);
        }

        @Override
        public void pacingWaited(String providerId, Duration waited) {
            seen.add("turn " + providerId + " " + waited);
        }

        @Override
        public void pacingTimedOut(String providerId) {
            seen.add("no turn " + providerId);
        }
    };

    @AfterEach
    void close() {
        managers.forEach(GlobalCallingManager::close);
    }

    private ScriptedProvider scripted(String id, String perMinute) {
        return ScriptedProvider.builder().id(id).clock(clock).categories(CallCategory.INTERNET_VOIP)
                .perMinute(Money.inr(perMinute)).build();
    }

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

    private final SimulatedTime time = new SimulatedTime();

    /** A provider whose callbacks the tests write themselves, at 1 INR a minute. */
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

    private GlobalCallingManager manager(CallingProvider... providers) {
        return build(builder(providers));
    }

    private GlobalCallingManager build(GlobalCallingManager.Builder b) {
        GlobalCallingManager m = b.build();
        managers.add(m);
        return m;
    }

    @Test
    void aFailoverThenAnAcceptedPlacementAreTold() {
        ScriptedProvider cheap = scripted("cheap", "1.00").next(Outcome.unavailable());
        ScriptedProvider dear = scripted("dear", "2.00").next(Outcome.accept(CallStatus.QUEUED));
        GlobalCallingManager m = manager(cheap, dear);
        m.observe(recorder);

        m.call(CallRequest.to(INDIA).build());

        assertThat(seen).containsExactly("turn cheap PT0S", "failover cheap internet_voip UNAVAILABLE",
                "turn dear PT0S", "placed dear queued");
        assertThat(placed.get(0).estimatedCost()).isNotNull();
    }

    @Test
    void anUnknownOutcomeAndAFailedCallAreTold() {
        ScriptedProvider only = scripted("only", "1.00")
                .next(Outcome.timeoutAfterSending(false)).next(Outcome.refuse(ErrorReason.REJECTED));
        GlobalCallingManager m = manager(only);
        m.observe(recorder);

        m.call(CallRequest.to(INDIA).build());
        catchThrowableOfType(CallFailedException.class, () -> m.call(CallRequest.to(INDIA).build()));

        assertThat(seen).filteredOn(s -> s.startsWith("placed"))
                .containsExactly("placed only initiated unknown", "placed only failed");
    }

    @Test
    void aPlacementWithNoTurnAtTheProvidersPaceIsTold() {
        ScriptedProvider only = scripted("only", "1.00")
                .next(Outcome.accept(CallStatus.QUEUED)).next(Outcome.accept(CallStatus.QUEUED));
        GlobalCallingManager m = build(builder(only).pacing(p -> p.timeMeter(time).blockingStrategy(time)
                .pace("only", Pace.of(1, 1)).maxWait(Duration.ZERO)));
        m.observe(recorder);

        m.call(CallRequest.to(INDIA).build());
        catchThrowableOfType(CallFailedException.class, () -> m.call(CallRequest.to(INDIA).build()));

        assertThat(seen).containsExactly("turn only PT0S", "placed only queued",
                "no turn only", "failover only internet_voip PACING_TIMEOUT", "placed only failed");
    }

    @Test
    void aPlacementThatWaitedForItsTurnIsToldHowLong() {
        ScriptedProvider only = scripted("only", "1.00")
                .next(Outcome.accept(CallStatus.QUEUED)).next(Outcome.accept(CallStatus.QUEUED));
        GlobalCallingManager m = build(builder(only).pacing(p -> p.timeMeter(time).blockingStrategy(time)
                .pace("only", Pace.of(2, 1))));
        m.observe(recorder);

        m.call(CallRequest.to(INDIA).build());
        m.call(CallRequest.to(INDIA).build());

        assertThat(seen).filteredOn(s -> s.startsWith("turn")).containsExactly("turn only PT0S", "turn only PT0.5S");
    }

    @Test
    void everyCallbackIsToldWithItsOutcome() {
        FakeCallProvider fake = fake();
        GlobalCallingManager m = build(builder(fake).webhookMaxBodyBytes(1024));
        CallRecord call = m.call(CallRequest.to(INDIA).build());
        m.observe(recorder);
        WebhookRequest good = fake.callback(call.providerCallId(), CallStatus.RINGING);
        WebhookRequest forged = new WebhookRequest(good.method(), good.url(), good.headers(),
                good.bodyText().replace("ringing", "completed").getBytes());
        WebhookRequest stale = fake.callback(call.providerCallId(), CallStatus.ANSWERED);
        WebhookRequest huge = new WebhookRequest(good.method(), good.url(), good.headers(), new byte[2048]);

        m.webhooks().handle("fake", good);
        m.webhooks().handle("fake", forged);
        clock.advance(Duration.ofMinutes(6));
        m.webhooks().handle("fake", stale);
        m.webhooks().handle("fake", huge);
        m.webhooks().handle("nobody", good);

        assertThat(seen).containsExactly("callback fake HANDLED", "callback fake BAD_SIGNATURE", "callback fake TOO_OLD",
                "callback fake TOO_LARGE", "callback nobody UNKNOWN_PROVIDER");
    }

    @Test
    void aCallbacksTimeIsTheTimeItsHandlingTook() {
        FakeCallProvider fake = fake();
        GlobalCallingManager m = manager(fake);
        CallRecord call = m.call(CallRequest.to(INDIA).build());
        List<Duration> took = new CopyOnWriteArrayList<>();
        m.observe(new CallingObserver() {
            @Override
            public void callbackHandled(String providerId, CallbackOutcome outcome, Duration handling) {
                took.add(handling);
            }
        });

        long before = System.nanoTime();
        m.webhooks().handle("fake", fake.callback(call.providerCallId(), CallStatus.RINGING));
        Duration around = Duration.ofNanos(System.nanoTime() - before);

        assertThat(took).singleElement().satisfies(t -> assertThat(t).isBetween(Duration.ZERO, around));
    }

    @Test
    void anObserverThatThrowsFailsNoCallAndAClosedOneIsToldNothing() {
        ScriptedProvider only = scripted("only", "1.00")
                .next(Outcome.accept(CallStatus.QUEUED)).next(Outcome.accept(CallStatus.QUEUED));
        GlobalCallingManager m = manager(only);
        m.observe(new CallingObserver() {
            @Override
            public void placed(CallRecord record, Duration took) {
                throw new IllegalStateException("broken metrics");
            }
        });
        Subscription subscription = m.observe(recorder);

        CallRecord first = m.call(CallRequest.to(INDIA).build());
        subscription.close();
        m.call(CallRequest.to(INDIA).build());

        assertThat(first.status()).isEqualTo(CallStatus.QUEUED);
        assertThat(placed).hasSize(1);
    }

    @Test
    void aProvidersCircuitOpensAfterFiveUnavailablePlacements() {
        ScriptedProvider only = scripted("only", "1.00");
        for (int i = 0; i < 5; i++) only.next(Outcome.unavailable());
        GlobalCallingManager m = manager(only);
        assertThat(m.providerHealth("only").state()).isEqualTo(QualityTracker.CircuitState.CLOSED);

        for (int i = 0; i < 5; i++) {
            catchThrowableOfType(CallFailedException.class, () -> m.call(CallRequest.to(INDIA).build()));
        }

        assertThat(m.providerHealth("only").state()).isEqualTo(QualityTracker.CircuitState.OPEN);
    }

    @Test
    void aRequestRefusedBeforeAnythingIsRecordedIsNotTold() {
        GlobalCallingManager m = manager(scripted("only", "1.00"));
        m.observe(recorder);

        catchThrowableOfType(IllegalArgumentException.class, () -> m.call(CallRequest.to("+91123456789").build()));

        assertThat(seen).isEmpty();
    }
}
