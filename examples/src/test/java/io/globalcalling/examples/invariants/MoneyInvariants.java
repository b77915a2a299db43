package io.globalcalling.examples.invariants;

import io.globalcalling.testkit.RecordingLedger;
import io.github.bucket4j.TimeMeter;
import io.globalcalling.CallRecord;
import io.globalcalling.CallStatus;
import io.globalcalling.Money;
import io.globalcalling.core.GlobalCallingManager;
import io.globalcalling.core.coverage.Geography;
import io.globalcalling.core.coverage.LibPhoneNumberInfo;
import io.globalcalling.core.coverage.NaturalEarthGeography;
import io.globalcalling.core.coverage.NumberInfo;
import io.globalcalling.core.store.InMemoryCallStore;
import io.globalcalling.core.store.InMemoryLimitLedger;
import io.globalcalling.spi.ProviderConfig;
import io.globalcalling.spi.store.CallStore;
import io.globalcalling.spi.store.LimitLedger.PeriodUsage;
import io.globalcalling.testkit.MutableClock;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A manager built from a provider's configuration (the real adapter, discovered) on an in-memory store, a recording
 * ledger and a test clock, and the money promises checked on it:
 * <ol>
 *   <li>each call placed has exactly one record, and its status only moves forward;</li>
 *   <li>a call is terminal once its end was delivered (at once) or reconciled (at the end), with its provider's status;
 *       one whose outcome its provider cannot tell is reported unresolved, its hold held;</li>
 *   <li>each hold is closed (settled or released) exactly once, after the call's first terminal status, at the cost
 *       the record bills, and stays open while the call is live;</li>
 *   <li>the ledger's usage is the records' costs plus the open holds;</li>
 *   <li>a call's cost is its provider's price when it gave one (converted), else its rate;</li>
 *   <li>each settlement is announced once ({@code onSettled}), with the cost stored.</li>
 * </ol>
 */
final class MoneyInvariants implements AutoCloseable {

    static final String CUSTOMER = "model";
    private static final Geography GEOGRAPHY = new NaturalEarthGeography();
    private static final NumberInfo NUMBERS = new LibPhoneNumberInfo();

    /** What a call's record must be at the end of its history. */
    record Expected(Kind kind, CallStatus status, Money cost) {
        enum Kind { NOT_TAKEN, LIVE, UNRESOLVED, ENDED }

        /** The provider never took the call: failed, its hold released. */
        static Expected notTaken() {
            return new Expected(Kind.NOT_TAKEN, CallStatus.FAILED, null);
        }

        /** Still going at the provider: not ended, its hold held. */
        static Expected live() {
            return new Expected(Kind.LIVE, null, null);
        }

        /** Its outcome unknown to the manager: not ended, its hold held, and reported unresolved. */
        static Expected unresolved() {
            return new Expected(Kind.UNRESOLVED, null, null);
        }

        static Expected ended(CallStatus status, Money cost) {
            return new Expected(Kind.ENDED, status, cost);
        }
    }

    private final MutableClock clock = MutableClock.create();
    /** On the test clock: on the system's, whatever it keeps from the test clock's past expires as the real second turns. */
    private final InMemoryCallStore store = new InMemoryCallStore(clock, CallStore.DEFAULT_RETENTION);
    private final RecordingLedger ledger = new RecordingLedger(new InMemoryLimitLedger(), store);
    private final Map<String, String> config;
    private final Duration callTimeout;
    private GlobalCallingManager manager;
    private final Map<String, List<Money>> announced = new ConcurrentHashMap<>();
    private final List<String> callIds = new ArrayList<>();
    private final Set<String> endDelivered = new HashSet<>();
    private final Map<String, CallStatus> seen = new HashMap<>();
    private String when = "at the start";

    MoneyInvariants(Map<String, String> config, Duration callTimeout) {
        this.config = config;
        this.callTimeout = callTimeout;
        manager = build(config);
    }

    private GlobalCallingManager build(Map<String, String> config) {
        GlobalCallingManager m = GlobalCallingManager.builder().config(ProviderConfig.of(config)).store(store).ledger(ledger)
                .clock(clock).geography(GEOGRAPHY).numberInfo(NUMBERS).callTimeout(callTimeout)
                .pacing(p -> p.maxWait(Duration.ZERO).timeMeter(meterOf(clock)).clock(clock))
                .build();
        m.onSettled(r -> announced.computeIfAbsent(r.callId(), id -> new ArrayList<>()).add(r.cost()));
        return m;
    }

    /**
     * The host restarts: its manager (and so its providers) closes, and a new one starts on the same store, ledger
     * and clock, configured as before but for {@code changed} keys (a listener's new port, say).
     */
    void restart(Map<String, String> changed) {
        manager.close();
        Map<String, String> next = new HashMap<>(config);
        next.putAll(changed);
        manager = build(next);
    }

    InMemoryCallStore store() {
        return store;
    }

    RecordingLedger ledger() {
        return ledger;
    }

    GlobalCallingManager manager() {
        return manager;
    }

    MutableClock clock() {
        return clock;
    }

    /** Names the step the next failures are of. */
    void step(String when) {
        this.when = when;
    }

    /** A call was placed: it must have a record from now on. */
    void expectCall(String callId) {
        if (callId == null) fail("every call placed has a record", "the placement named no call");
        if (callIds.contains(callId)) fail("each call placed has its own record", "call id " + callId + " came twice");
        callIds.add(callId);
    }

    /** The call's end was delivered and accepted: it is terminal from now on. */
    void endDelivered(String callId) {
        endDelivered.add(callId);
        checkAfterStep();
    }

    void checkAfterStep() {
        int records = store.recent(1_000).size();
        if (records != callIds.size()) {
            fail("every call placed has exactly one record", records + " records for " + callIds.size() + " calls");
        }
        for (String callId : callIds) {
            CallRecord r = record(callId);
            CallStatus before = seen.put(callId, r.status());
            if (before != null && before != r.status() && !before.canMoveTo(r.status())) {
                fail("a call's status only moves forward", "call " + callId + " went from " + before + " to " + r.status());
            }
            if (endDelivered.contains(callId) && !r.status().isTerminal()) {
                fail("a call whose end was delivered is terminal", "call " + callId + " is " + r.status());
            }
            RecordingLedger.Hold hold = ledger.holds().get(callId);
            if (hold != null && hold.closed() && r.cost() != null && r.cost().amount().compareTo(hold.closedAt().amount()) != 0) {
                fail("the ledger settles what the record bills", "call " + callId + " (" + r.status() + ") bills "
                        + r.cost() + " but its hold was closed at " + hold.closedAt());
            }
            List<Money> settled = announced.getOrDefault(callId, List.of());
            if (settled.size() > 1) fail("a settlement is announced once", "call " + callId + " was announced " + settled);
        }
        if (!ledger.violations().isEmpty()) fail("a hold is closed once, after the first terminal status", ledger.violations().get(0));
    }

    void checkAtEnd(Map<String, Expected> expected) {
        BigDecimal expectedUsage = BigDecimal.ZERO;
        for (String callId : callIds) {
            CallRecord r = record(callId);
            Expected e = expected.get(callId);
            RecordingLedger.Hold hold = ledger.holds().get(callId);
            if (hold != null) expectedUsage = expectedUsage.add(hold.closed() ? hold.closedAt().amount() : hold.reserved().amount());
            switch (e.kind()) {
                case LIVE -> {
                    if (r.status().isTerminal()) fail("a call still going is not ended", "call " + callId + " is " + r.status());
                    if (hold == null || hold.closed()) fail("a live call keeps its hold", "call " + callId + " hold " + hold);
                }
                case UNRESOLVED -> {
                    if (r.status().isTerminal()) {
                        fail("a call whose outcome is unknown is not ended", "call " + callId + " is " + r.status());
                    }
                    if (hold == null || hold.closed()) {
                        fail("a call whose outcome is unknown keeps its hold", "call " + callId + " hold " + hold);
                    }
                    if (store.events(callId).stream().noneMatch(ev -> "unresolved".equals(ev.type()))) {
                        fail("a call that neither ends nor is found is reported unresolved", "call " + callId + " ("
                                + r.status() + ") was never reported; events: " + store.events(callId));
                    }
                }
                case NOT_TAKEN, ENDED -> {
                    if (r.status() != e.status()) {
                        fail("a call is terminal, with its provider's status, once its end was delivered or reconciled",
                                "call " + callId + " is " + r.status() + " (" + r.errorReason() + ": " + r.errorMessage()
                                        + "), expected " + e.status());
                    }
                    if (hold != null && !hold.closed()) {
                        fail("a hold is settled or released once the call ends", "call " + callId + " (" + r.status()
                                + ") still holds " + hold.reserved());
                    }
                    Money billed = r.cost() == null ? null : r.cost();
                    BigDecimal want = e.kind() == Expected.Kind.NOT_TAKEN ? BigDecimal.ZERO : e.cost().amount();
                    if (billed == null || billed.amount().compareTo(want) != 0) {
                        fail("a call's cost is its provider's price (converted), else its rate", "call " + callId
                                + " (" + r.status() + ", " + r.durationSeconds() + " s) is billed " + billed + ", expected "
                                + want + " " + (e.cost() == null ? "" : e.cost().currency()) + "; events: " + store.events(callId));
                    }
                    if (hold != null && billed != null && billed.amount().compareTo(hold.closedAt().amount()) != 0) {
                        fail("the ledger settles what the record bills", "call " + callId + " bills " + billed
                                + " but its hold was closed at " + hold.closedAt());
                    }
                    List<Money> settled = announced.getOrDefault(callId, List.of());
                    boolean once = settled.size() == 1 && settled.get(0) != null && billed != null
                            && settled.get(0).amount().compareTo(billed.amount()) == 0;
                    // a call no provider took, refused before any hold, has nothing to announce
                    if (!once && !(hold == null && settled.isEmpty())) {
                        fail("a settlement is announced once, with the cost stored", "call " + callId + " (billed "
                                + billed + ") was announced " + settled);
                    }
                }
            }
        }
        for (PeriodUsage u : manager.limits().budgetUsage(CUSTOMER)) {
            if (u.used().amount().compareTo(expectedUsage) != 0) {
                fail("the ledger's usage is the settled costs plus the open holds", u.period() + " " + u.periodKey()
                        + " uses " + u.used() + ", the holds add up to " + expectedUsage);
            }
        }
    }

    CallRecord record(String callId) {
        Optional<CallRecord> r = store.find(callId);
        if (r.isEmpty()) fail("every call placed has exactly one record", "call " + callId + " has none");
        return r.get();
    }

    void fail(String invariant, String detail) {
        throw new AssertionError("invariant '" + invariant + "' broken " + when + ": " + detail);
    }

    @Override
    public void close() {
        manager.close();
    }

    /** Bucket4j time from the test clock, so pacing never waits in real time. */
    private static TimeMeter meterOf(MutableClock clock) {
        return new TimeMeter() {
            @Override
            public long currentTimeNanos() {
                Instant now = clock.instant();
                return now.getEpochSecond() * 1_000_000_000L + now.getNano();
            }

            @Override
            public boolean isWallClockBased() {
                return false;
            }
        };
    }
}
