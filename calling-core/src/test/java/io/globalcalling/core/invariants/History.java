package io.globalcalling.core.invariants;

import io.globalcalling.CallStatus;
import io.globalcalling.testkit.ScriptedProvider.Outcome;

import java.util.List;

/**
 * One random history of the call path: calls placed with scripted outcomes, their callbacks
 * delivered in any order (duplicated, skewed, missing), time moving on, reconciliation at any point.
 * Steps refer to calls by index (taken modulo the calls placed so far), so any shrunk history still runs.
 * When {@code cheapIdempotent}, the cheap provider deduplicates by our call id, so the manager sends it again
 * a call whose answer was lost.
 */
public record History(List<Step> steps, boolean cheapIdempotent) {

    @Override
    public String toString() {
        return (cheapIdempotent ? "History[cheap deduplicates, " : "History[") + steps + "]";
    }

    /** A history whose providers both send a call once (neither deduplicates). */
    public History(List<Step> steps) {
        this(steps, false);
    }

    public sealed interface Step permits Place, Withdraw, Deliver, DeliverUnknown, Confirm, Advance, Reconcile, Purge,
            Erase, LedgerDown, Restart, LookupsDown {
    }

    /**
     * A call is placed; the first option's provider answers {@code first}, the second's {@code second}.
     * {@code life} is what the far end does with the call if a provider takes it. {@code resends} are the
     * answers of the first option's provider to the same call sent again (it deduplicates, and the first answer
     * was lost); beyond them it accepts. A {@code message} is a binary payload to a satellite terminal, ended
     * by a delivery confirmation ({@link Confirm}) rather than by callbacks.
     */
    public record Place(Outcome first, Outcome second, List<LifeEvent> life, List<Outcome> resends, boolean message)
            implements Step {

        /** A voice call, with no re-send scripted. */
        public Place(Outcome first, Outcome second, List<LifeEvent> life) {
            this(first, second, life, List.of(), false);
        }

        @Override
        public String toString() {
            return (message ? "message(" : "place(") + first + ", " + second + (resends.isEmpty() ? "" : ", resends=" + resends)
                    + (message ? "" : ", life=" + life) + ")";
        }
    }

    /**
     * A voice call asked for as a campaign asks for one: it is sent only while its caller still wants it, which the
     * caller does for the first {@code wantedFor} sends it is asked about and then no more (the campaign was paused
     * while the call waited for its turn). The first option's provider answers {@code first}, the second's
     * {@code second}; the far end does nothing with a call a provider took.
     */
    public record Withdraw(Outcome first, Outcome second, int wantedFor) implements Step {
        @Override
        public String toString() {
            return "withdraw(" + first + ", " + second + ", wanted for " + wantedFor + " send"
                    + (wantedFor == 1 ? "" : "s") + ")";
        }
    }

    /**
     * The provider holding message {@code call} (by index among the messages a provider took) confirms its
     * delivery through its inbound listener, naming our call id or only its own.
     */
    public record Confirm(int call, boolean carriesCallId) implements Step {
        @Override
        public String toString() {
            return "confirm(message " + call + (carriesCallId ? ", with callId" : "") + ")";
        }
    }

    /** The provider that holds call {@code call} sends event {@code event} of its life, stamped as {@code stamp} says. */
    public record Deliver(int call, int event, Stamp stamp, boolean echoesCallId) implements Step {
        @Override
        public String toString() {
            return "deliver(call " + call + ", event " + event + ", " + stamp + (echoesCallId ? ", with callId" : "") + ")";
        }
    }

    /** A callback for a call nobody placed. */
    public record DeliverUnknown(boolean byCallId, CallStatus status) implements Step {
        @Override
        public String toString() {
            return "deliverUnknown(" + (byCallId ? "callId" : "providerCallId") + ", " + status + ")";
        }
    }

    public record Advance(int seconds) implements Step {
        @Override
        public String toString() {
            return "advance(" + seconds + "s)";
        }
    }

    public record Reconcile() implements Step {
        @Override
        public String toString() {
            return "reconcile";
        }
    }

    /**
     * The number the voice calls go to is erased (a data-subject request), and what erasures left to do is carried
     * on, as a host's schedule would; a store that cannot erase does nothing.
     */
    public record Erase() implements Step {
        @Override
        public String toString() {
            return "erase";
        }
    }

    /**
     * The limit ledger becomes unreachable for the next {@code settles} settles or releases (whenever they come),
     * each failing before the ledger sees it, as a database connection lost would.
     */
    public record LedgerDown(int settles) implements Step {
        @Override
        public String toString() {
            return "ledgerDown(" + settles + " settle" + (settles == 1 ? "" : "s") + ")";
        }
    }

    /**
     * The manager restarts on the same store and ledger without provider {@code without} (its account closed, say),
     * or with both real providers when it is null. A provider that left still holds its calls, and takes them on
     * when it comes back, but while it is away the manager cannot ask it anything, and its callbacks and messages
     * do not reach the manager.
     */
    public record Restart(String without) implements Step {
        @Override
        public String toString() {
            return without == null ? "restart(with both)" : "restart(without " + without + ")";
        }
    }

    /** The next {@code lookups} fetches and searches of each real provider fail, as its API unreachable would. */
    public record LookupsDown(int lookups) implements Step {
        @Override
        public String toString() {
            return "lookupsDown(" + lookups + ")";
        }
    }

    /** The store's retention runs with everything started before now expired: what can no longer change goes. */
    public record Purge() implements Step {
        @Override
        public String toString() {
            return "purge";
        }
    }

    /**
     * One thing the far end reports.
     *
     * @param atSecond  seconds after placement it happened
     * @param duration  talk time reported with it, or null
     * @param price     the provider's price reported with it, or null: an amount in INR, or an amount and a currency
     *                  ("1.20 AUD")
     */
    public record LifeEvent(CallStatus status, int atSecond, Integer duration, String price) {
        @Override
        public String toString() {
            return status + "@" + atSecond + (duration == null ? "" : " dur=" + duration)
                    + (price == null ? "" : " price=" + price);
        }
    }

    /** How a delivered event's timestamp relates to the truth. */
    public enum Stamp {
        /** when it happened */
        TRUE,
        /** an hour before the call was placed (a provider clock far behind) */
        BEFORE_START,
        /** minutes later than it happened */
        LATE,
        /** the provider sent none: the time it was received */
        MISSING
    }
}
