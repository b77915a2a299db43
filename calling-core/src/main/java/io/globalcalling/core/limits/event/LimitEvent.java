package io.globalcalling.core.limits.event;

import java.time.Instant;

/**
 * Something the customer limits did that a host may want to act on: a budget threshold crossed, a
 * call refused, an emergency let past the caps. Register for all of them with
 * {@code CallLimits.onEvent}, or for one kind with {@code onAlert}, {@code onRejected}, {@code onBypass}.
 */
public sealed interface LimitEvent permits BudgetAlert, CallRejected, EmergencyBypass {

    /** The customer the event concerns. */
    String customerId();

    /** When it happened, by the limits' clock. */
    Instant at();
}
