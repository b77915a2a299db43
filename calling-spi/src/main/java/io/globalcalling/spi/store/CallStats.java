package io.globalcalling.spi.store;

import io.globalcalling.CallCategory;
import io.globalcalling.Money;
import org.jspecify.annotations.Nullable;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Currency;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What the calls started since an instant add up to, per category and per hour, as
 * {@link CallStore#stats(Instant)} counts them in one read (for dashboards).
 *
 * @param since      the calls counted started at or after this instant
 * @param categories per category with calls, in the enum's order
 * @param hours      per UTC clock hour with calls, oldest first
 */
public record CallStats(Instant since, List<CategoryTotal> categories, List<HourCount> hours) {

    public CallStats {
        Objects.requireNonNull(since, "since");
        categories = List.copyOf(categories);
        hours = List.copyOf(hours);
    }

    /**
     * One category's calls.
     *
     * @param calls       how many started
     * @param settledCost the settled costs added up, one sum per currency (by currency code); a call whose
     *                    cost is not settled yet counts in {@code calls} and adds nothing here
     */
    public record CategoryTotal(CallCategory category, long calls, List<Money> settledCost) {
        public CategoryTotal {
            Objects.requireNonNull(category, "category");
            settledCost = List.copyOf(settledCost);
        }
    }

    /**
     * The calls started in one hour.
     *
     * @param hour the start of the UTC clock hour
     */
    public record HourCount(Instant hour, long calls) {
        public HourCount {
            Objects.requireNonNull(hour, "hour");
        }
    }

    /**
     * One group of a store's GROUP BY: the calls of a category that started in one hour and whose settled cost
     * is in one currency (null currency: no cost settled yet).
     *
     * @param epochHour the hour, as whole hours since the epoch
     * @param cost      the sum of their settled costs; null or ignored when {@code currency} is null
     */
    public record Group(CallCategory category, long epochHour, @Nullable Currency currency, long calls,
                        @Nullable BigDecimal cost) {
    }

    /** Adds up a store's groups; every store builds its figures here, so they agree. */
    public static CallStats of(Instant since, List<Group> groups) {
        Map<CallCategory, Long> calls = new EnumMap<>(CallCategory.class);
        Map<CallCategory, Map<String, Money>> costs = new EnumMap<>(CallCategory.class);
        Map<Long, Long> perHour = new TreeMap<>();
        for (Group g : groups) {
            calls.merge(g.category(), g.calls(), Long::sum);
            perHour.merge(g.epochHour(), g.calls(), Long::sum);
            if (g.currency() != null && g.cost() != null) {
                Money cost = Money.of(g.cost(), g.currency());
                costs.computeIfAbsent(g.category(), c -> new TreeMap<>())
                        .merge(g.currency().getCurrencyCode(), cost, Money::plus);
            }
        }
        List<CategoryTotal> categories = new ArrayList<>();
        calls.forEach((category, n) -> categories.add(new CategoryTotal(category, n,
                List.copyOf(costs.getOrDefault(category, Map.of()).values()))));
        List<HourCount> hours = new ArrayList<>();
        perHour.forEach((hour, n) -> hours.add(new HourCount(Instant.ofEpochSecond(hour * 3600), n)));
        hours.sort(Comparator.comparing(HourCount::hour));
        return new CallStats(since, categories, hours);
    }
}
