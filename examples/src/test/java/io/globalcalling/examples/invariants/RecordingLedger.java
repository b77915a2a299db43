package io.globalcalling.examples.invariants;

import io.globalcalling.CallRecord;
import io.globalcalling.Money;
import io.globalcalling.spi.store.CallStore;
import io.globalcalling.spi.store.LimitLedger;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A {@link LimitLedger} that passes everything on and remembers, per hold, what was reserved, the settle or release
 * that closed it and whether the call's record was terminal then; a second close the ledger took, or a close before
 * the call's first terminal status, is a violation.
 */
final class RecordingLedger implements LimitLedger {

    /** One hold as seen through the ledger. */
    static final class Hold {
        final String id;
        final Money reserved;
        Money closedAt;   // the amount of the settle or release that closed it, null while open

        Hold(String id, Money reserved) {
            this.id = id;
            this.reserved = reserved;
        }

        boolean closed() {
            return closedAt != null;
        }
    }

    private final LimitLedger delegate;
    private final CallStore store;
    private final Map<String, Hold> holds = new LinkedHashMap<>();
    private final List<String> violations = new ArrayList<>();

    RecordingLedger(LimitLedger delegate, CallStore store) {
        this.delegate = delegate;
        this.store = store;
    }

    synchronized Map<String, Hold> holds() {
        return Map.copyOf(holds);
    }

    synchronized List<String> violations() {
        return List.copyOf(violations);
    }

    @Override
    public WindowResult count(String customerId, List<WindowCap> windows, boolean bypass) {
        return delegate.count(customerId, windows, bypass);
    }

    @Override
    public synchronized HoldResult reserve(String holdId, String customerId, Money amount, List<PeriodCap> periods,
                                           boolean bypass) {
        HoldResult result = delegate.reserve(holdId, customerId, amount, periods, bypass);
        if (result.accepted()) holds.put(holdId, new Hold(holdId, amount));
        return result;
    }

    @Override
    public synchronized List<PeriodUsage> settle(String holdId, Money actual) {
        List<PeriodUsage> usage = delegate.settle(holdId, actual);
        Hold hold = holds.get(holdId);
        if (hold == null) return usage;
        if (!hold.closed()) {
            hold.closedAt = actual;
            Optional<CallRecord> record = store.find(holdId);
            if (record.isPresent() && !record.get().status().isTerminal()) {
                violations.add("hold " + holdId + " closed at " + actual + " while its call was still "
                        + record.get().status());
            }
        } else if (!usage.isEmpty()) {
            violations.add("hold " + holdId + " closed twice: again at " + actual + " after " + hold.closedAt);
        }
        return usage;
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
