package io.globalcalling.testkit;

import io.globalcalling.Money;
import io.globalcalling.CallRecord;
import io.globalcalling.spi.store.CallStore;
import io.globalcalling.spi.store.LimitLedger;
import io.globalcalling.spi.store.StoreException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A {@link LimitLedger} that passes everything on and remembers, per hold, what was reserved, every
 * settle or release asked for, and any close before the call's first terminal status (a violation). Told to be
 * {@linkplain #downForSettles down}, it fails the next settles (releases too) as an unreachable database would,
 * before the ledger sees them. The model-based suites check the money promises through it.
 */
public final class RecordingLedger implements LimitLedger {

    /** One hold as seen through the ledger. */
    public static final class Hold {
        private final String id;
        private final Money reserved;
        private int closeRequests;
        private Money closedAt;             // the amount of the settle or release that closed it, null while open

        Hold(String id, Money reserved) {
            this.id = id;
            this.reserved = reserved;
        }

        public String id() {
            return id;
        }

        public Money reserved() {
            return reserved;
        }

        /** How many settles or releases were asked of it, the one that closed it included. */
        public int closeRequests() {
            return closeRequests;
        }

        /** The amount of the settle or release that closed it; null while open. */
        public Money closedAt() {
            return closedAt;
        }

        public boolean closed() {
            return closedAt != null;
        }
    }

    private final LimitLedger delegate;
    private final CallStore store;
    private final Map<String, Hold> holds = new LinkedHashMap<>();
    private final List<String> violations = new ArrayList<>();
    private final List<StoreException> thrown = new ArrayList<>();
    private int settlesToFail;

    public RecordingLedger(LimitLedger delegate, CallStore store) {
        this.delegate = delegate;
        this.store = store;
    }

    public synchronized Map<String, Hold> holds() {
        return Map.copyOf(holds);
    }

    public synchronized List<String> violations() {
        return List.copyOf(violations);
    }

    /** The next {@code settles} settles and releases fail, whatever was asked before. */
    public synchronized void downForSettles(int settles) {
        settlesToFail = settles;
    }

    /** Up again: the settles still due to fail go through. */
    public synchronized void up() {
        settlesToFail = 0;
    }

    /** How many settles have failed so far. */
    public synchronized int failures() {
        return thrown.size();
    }

    /** Whether {@code e} is (or was caused by, or carries) a failure this ledger threw; nothing else is excused. */
    public synchronized boolean threw(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            for (StoreException f : thrown) {
                if (f == t) return true;
            }
            for (Throwable s : t.getSuppressed()) {
                if (threw(s)) return true;
            }
        }
        return false;
    }

    /** The last hold reserved, or null: a placement that failed names its call no other way. */
    public synchronized String lastReserved() {
        String last = null;
        for (String id : holds.keySet()) last = id;
        return last;
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
        if (settlesToFail > 0) {
            settlesToFail--;
            StoreException down = new StoreException("ledger unreachable: settle(" + holdId + ", " + actual + ") failed");
            thrown.add(down);
            throw down;
        }
        List<PeriodUsage> usage = delegate.settle(holdId, actual);
        Hold hold = holds.get(holdId);
        if (hold == null) return usage;
        hold.closeRequests++;
        if (!hold.closed()) {
            if (usage.isEmpty()) {
                violations.add("ledger ignored the first settle(" + actual + ") of open hold " + holdId);
            }
            hold.closedAt = actual;
            Optional<CallRecord> record = store.find(holdId);
            if (record.isPresent() && !record.get().status().isTerminal()) {
                violations.add("hold " + holdId + " closed at " + actual + " while its call was still "
                        + record.get().status() + " (before its first terminal status)");
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
