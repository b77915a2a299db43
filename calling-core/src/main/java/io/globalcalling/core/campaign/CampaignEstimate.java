package io.globalcalling.core.campaign;

import io.globalcalling.Money;
import org.jspecify.annotations.Nullable;

/**
 * What a campaign's open targets are expected to cost (each target × the expected talk time × its
 * route's rates), against the tightest remaining budget of its customer.
 *
 * @param cost            the estimate, in the reporting currency
 * @param targets         the open targets priced
 * @param unroutable      open targets no route could price (refused when called)
 * @param budgetRemaining the least room left in any of the customer's budget periods, or null without budgets
 * @param budgetPeriod    that period's name, or null
 */
public record CampaignEstimate(Money cost, int targets, int unroutable, @Nullable Money budgetRemaining,
                               @Nullable String budgetPeriod) {

    /** Whether the estimate fits in every budget (true without budgets). */
    public boolean withinBudget() {
        return budgetRemaining == null || cost.compareTo(budgetRemaining) <= 0;
    }
}
