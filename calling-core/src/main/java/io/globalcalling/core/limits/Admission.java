package io.globalcalling.core.limits;

import io.globalcalling.CallCategory;
import io.globalcalling.Money;

import java.util.Objects;

/**
 * A call let through the customer's limits: counted in the rate windows, its hold reserved in the
 * budget periods. Settle or release it with {@link CallLimits#settle} / {@link CallLimits#release}
 * under the same call id.
 *
 * @param callId      the call, and the id of its hold in the ledger
 * @param customerId  whose limits it counts against
 * @param category    the category the hold was sized for
 * @param held        what was reserved (zero when the customer has no budget)
 * @param bypassed    an emergency call: caps and windows were not enforced; flag the record
 */
public record Admission(String callId, String customerId, CallCategory category, Money held, boolean bypassed) {

    public Admission {
        Objects.requireNonNull(callId, "callId");
        Objects.requireNonNull(customerId, "customerId");
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(held, "held");
        if (held.isNegative()) throw new IllegalArgumentException("held " + held + " must not be negative");
    }
}
