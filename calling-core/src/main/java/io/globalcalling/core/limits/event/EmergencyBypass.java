package io.globalcalling.core.limits.event;

import io.globalcalling.CallCategory;
import io.globalcalling.Money;
import io.globalcalling.spi.store.LimitLedger.PeriodUsage;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * An emergency call went through without its caps and rate windows being enforced. It was still
 * counted and its hold reserved, so the budget shows it; the call's record is flagged too.
 *
 * @param callId      the emergency call
 * @param customerId  whose limits it bypassed
 * @param category    its category
 * @param held        what was reserved for it
 * @param usage       every budget period's counter after its hold
 * @param at          when
 */
public record EmergencyBypass(String callId, String customerId, CallCategory category, Money held,
                              List<PeriodUsage> usage, Instant at) implements LimitEvent {

    public EmergencyBypass {
        Objects.requireNonNull(callId, "callId");
        Objects.requireNonNull(customerId, "customerId");
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(held, "held");
        Objects.requireNonNull(at, "at");
        usage = List.copyOf(usage);
    }

    /** Whether this call pushed at least one budget period past its cap. */
    public boolean overCap() {
        return usage.stream().anyMatch(u -> u.used().isGreaterThan(u.cap()));
    }
}
