package io.globalcalling.core.campaign;

import io.globalcalling.core.cost.CostEstimator;
import io.globalcalling.core.coverage.NumberInfo;
import io.globalcalling.core.lifecycle.CallLifecycle;
import io.globalcalling.core.lifecycle.Reconciler;
import io.globalcalling.core.limits.CallLimits;
import io.globalcalling.core.placement.CallPlacer;
import io.globalcalling.spi.store.CallStore;
import io.globalcalling.spi.store.LimitLedger;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * What campaigns work with; the manager builds it.
 *
 * @param ledger  where the campaign's pace is counted, shared by every node that shares it
 * @param hangUp  hangs up a call by our id (answering machines)
 * @param nodeId  this node's name in target leases; unique per running manager
 * @param lease   how long a claimed target is held before another node may take it over
 * @param workers how many calls one node places at once
 */
public record CampaignParts(CallStore store, CallPlacer placer, CallLifecycle lifecycle, Reconciler reconciler,
                            LimitLedger ledger, CallLimits limits, CostEstimator estimator, NumberInfo numbers,
                            Consumer<String> hangUp, Clock clock, String nodeId, Duration lease, int workers) {
    public CampaignParts {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(placer, "placer");
        Objects.requireNonNull(lifecycle, "lifecycle");
        Objects.requireNonNull(reconciler, "reconciler");
        Objects.requireNonNull(ledger, "ledger");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(estimator, "estimator");
        Objects.requireNonNull(numbers, "numbers");
        Objects.requireNonNull(hangUp, "hangUp");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(lease, "lease");
        if (lease.isZero() || lease.isNegative()) throw new IllegalArgumentException("lease " + lease + " must be positive");
        if (workers < 1) throw new IllegalArgumentException("workers " + workers + " must be at least 1");
    }
}
