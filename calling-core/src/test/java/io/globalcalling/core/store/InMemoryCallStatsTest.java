package io.globalcalling.core.store;

import io.globalcalling.CallCategory;
import io.globalcalling.CallRecord;
import io.globalcalling.CallStatus;
import io.globalcalling.Money;
import io.globalcalling.Priority;
import io.globalcalling.spi.store.CallStats;
import io.globalcalling.spi.store.CallUpdate;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The dashboard's aggregate on the in-memory store: the same figures the database stores' GROUP BY gives. */
class InMemoryCallStatsTest {

    private static final Instant SINCE = Instant.parse("2026-06-01T10:00:00Z");
    private final InMemoryCallStore store = new InMemoryCallStore();

    private void call(String id, CallCategory category, Instant startedAt, @Nullable Money cost) {
        store.create(CallRecord.initiated(id, "cust-1", category, null, "+14155550100", null, Priority.NORMAL, null,
                null, null, null, List.of(), false, startedAt, Map.of()));
        if (cost != null) {
            store.update(CallUpdate.of(id, startedAt.plusSeconds(60)).status(CallStatus.COMPLETED).cost(cost));
        }
    }

    @Test
    void countsAndSettledCostPerCategoryAndCallsPerHourSinceTheInstant() {
        call("before", CallCategory.INTERNET_VOIP, SINCE.minusSeconds(1), Money.of("9", "USD"));
        call("v1", CallCategory.INTERNET_VOIP, SINCE, Money.of("0.25", "USD"));
        call("v2", CallCategory.INTERNET_VOIP, SINCE.plusSeconds(3599), Money.of("0.50", "USD"));
        call("v3", CallCategory.INTERNET_VOIP, SINCE.plusSeconds(3600), Money.of("1.5", "EUR"));
        call("v4", CallCategory.INTERNET_VOIP, SINCE.plusSeconds(3700), null);
        call("s1", CallCategory.SATELLITE, SINCE.plusSeconds(7300), Money.of("2.10", "USD"));

        CallStats stats = store.stats(SINCE);

        assertThat(stats.categories()).containsExactly(
                new CallStats.CategoryTotal(CallCategory.INTERNET_VOIP, 4,
                        List.of(Money.of("1.5", "EUR"), Money.of("0.75", "USD"))),
                new CallStats.CategoryTotal(CallCategory.SATELLITE, 1, List.of(Money.of("2.1", "USD"))));
        assertThat(stats.hours()).containsExactly(
                new CallStats.HourCount(SINCE, 2),
                new CallStats.HourCount(SINCE.plusSeconds(3600), 2),
                new CallStats.HourCount(SINCE.plusSeconds(7200), 1));
    }
}
