package io.globalcalling.core.lifecycle;

import io.globalcalling.CallCategory;
import io.globalcalling.CallRecord;
import io.globalcalling.CallStatus;
import io.globalcalling.Endpoint;
import io.globalcalling.Money;
import io.globalcalling.Priority;
import io.globalcalling.core.cost.CostEstimator;
import io.globalcalling.core.cost.FxTable;
import io.globalcalling.core.limits.CallLimits;
import io.globalcalling.core.routing.ProviderCatalog;
import io.globalcalling.core.routing.QualityTracker;
import io.globalcalling.core.store.InMemoryCallStore;
import io.globalcalling.spi.CallEvent;
import io.globalcalling.spi.Rate;
import io.globalcalling.spi.store.CallUpdate;
import io.globalcalling.testkit.FakeCallProvider;
import io.globalcalling.testkit.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A rate whose minimum applies to one part of its price (Amazon Connect: service per second, telephony per second
 * with at least 60 s) is priced the same by the estimate a hold reserves and by settlement.
 */
class PartialMinimumAgreementTest {

    private static final Instant T0 = MutableClock.DEFAULT_START;
    private static final Endpoint INDIA = Endpoint.parse("+919876543210");
    /** 6 INR a minute of service, no minimum; 3 INR a minute of telephony, at least 60 s; per second. */
    private static final Rate TWO_PARTS = Rate.builder(CallCategory.HUMAN_AGENT, "91").perMinute(Money.inr("9"))
            .minimumPerMinute(Money.inr("3")).minimumSeconds(60).incrementSeconds(1).build();

    private final MutableClock clock = MutableClock.create();
    private final InMemoryCallStore store = new InMemoryCallStore();
    private final FakeCallProvider carrier = FakeCallProvider.builder().id("p").clock(clock)
            .categories(CallCategory.HUMAN_AGENT).rate(TWO_PARTS).build();
    private final Settlement settlement = new Settlement(CallLimits.builder().build(), FxTable.defaults(),
            QualityTracker.ofDefaults(clock), id -> Optional.empty(), ProviderCatalog.of(List.of(carrier)), store);
    private final CostEstimator estimator = new CostEstimator(FxTable.defaults());

    private Money settled(String callId, CallStatus status, int seconds) {
        store.create(CallRecord.initiated(callId, "acme", CallCategory.HUMAN_AGENT, null, INDIA.value(), null,
                Priority.NORMAL, null, null, Money.inr("10"), Money.inr("2"), List.of(), false, T0, Map.of()));
        CallUpdate update = CallUpdate.of(callId, T0).provider("p", "P-" + callId).status(status)
                .endedAt(T0.plusSeconds(90)).durationSeconds(seconds);
        if (seconds > 0) update = update.answeredAt(T0.plusSeconds(4));
        store.update(update);
        CallEvent end = CallEvent.builder("p", T0.plusSeconds(90)).providerCallId("P-" + callId).status(status)
                .duration(Duration.ofSeconds(seconds)).build();
        return settlement.settle(store.find(callId).orElseThrow(), end);
    }

    private Money estimated(int seconds) {
        return estimator.estimate("p", TWO_PARTS, Duration.ofSeconds(seconds)).total();
    }

    @Test
    void aThirtySecondCallPaysHalfAMinuteOfServiceAndAMinuteOfTelephony() {
        assertThat(estimated(30)).isEqualTo(Money.inr("6"));   // 3 + 3
        assertThat(settled("short", CallStatus.COMPLETED, 30)).isEqualTo(estimated(30));
    }

    @Test
    void aSixtyOneSecondCallPaysBothPartsPerSecond() {
        assertThat(estimated(61)).isEqualTo(Money.inr("9.15"));   // 9 * 61 / 60
        assertThat(settled("long", CallStatus.COMPLETED, 61)).isEqualTo(estimated(61));
    }

    @Test
    void anUnansweredCallCostsNothing() {
        assertThat(settled("unanswered", CallStatus.NO_ANSWER, 0)).isEqualTo(Money.inr("0"));
        assertThat(estimated(0)).isEqualTo(Money.inr("0"));
    }
}
