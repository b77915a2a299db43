package io.globalcalling.core.invariants;

import io.globalcalling.core.campaign.MachineAction;
import io.globalcalling.testkit.ScriptedProvider.Outcome;
import org.jspecify.annotations.Nullable;

import java.util.List;

/**
 * One random history of a campaign: its policy and targets ({@link Spec}), then scheduler passes on one of
 * its nodes, the far end's reports of the calls placed (in any order, duplicated, late, with late prices and
 * machine verdicts), time moving on, pause, resume, cancel, numbers put on the do-not-call list, a node
 * killed and started again over the same store, and reconciliation. Steps refer to calls, targets and nodes
 * by index (taken modulo what exists), so any shrunk history still runs.
 */
public record CampaignHistory(Spec spec, List<Step> steps) {

    @Override
    public String toString() {
        return "CampaignHistory[" + spec + ", " + steps + "]";
    }

    /**
     * The campaign.
     *
     * @param targets         how many numbers it calls (1 to 6)
     * @param suppressed      bit i set: target i is on the do-not-call list before the campaign starts
     * @param maxInFlight     its in-flight cap
     * @param callsPerSecond  its pace
     * @param busy            max attempts when busy (0: no rule), likewise {@code noAnswer}, {@code failed}, {@code machine}
     * @param retryDelay      seconds before a retry
     * @param machineAction   what to do with an answering machine (null: no detection)
     * @param quietHours      whether calls are allowed only 10:00 to 16:00 in the recipient's zone (else always)
     * @param nodes           schedulers sharing the store (1 or 2)
     * @param cheapIdempotent whether the cheap provider deduplicates a re-sent call
     * @param outageDelay     seconds a target every provider refused waits before it is tried again (doubled after each)
     * @param outageAttempts  how many of a target's attempts every provider may refuse before it ends as unavailable
     * @param outagePause     how many targets in a row every provider refused pause the campaign
     */
    public record Spec(int targets, int suppressed, int maxInFlight, int callsPerSecond, int busy, int noAnswer,
                       int failed, int machine, int retryDelay, @Nullable MachineAction machineAction,
                       boolean quietHours, int nodes, boolean cheapIdempotent, int outageDelay, int outageAttempts,
                       int outagePause) {

        /** A plain campaign: one node, no retries, no machine detection, always open, the policy's outage defaults. */
        public static Spec plain(int targets, int maxInFlight) {
            return new Spec(targets, 0, maxInFlight, 10, 0, 0, 0, 0, 60, null, false, 1, false, 30, 5, 10);
        }

        /** The most attempts any rule allows (one when there is none). */
        public int maxAttempts() {
            return Math.max(1, Math.max(Math.max(busy, noAnswer), Math.max(failed, machine)));
        }

        public Spec withMachineAction(@Nullable MachineAction action, int machineAttempts) {
            return new Spec(targets, suppressed, maxInFlight, callsPerSecond, busy, noAnswer, failed, machineAttempts,
                    retryDelay, action, quietHours, nodes, cheapIdempotent, outageDelay, outageAttempts, outagePause);
        }

        public Spec withRetries(int busyAttempts, int noAnswerAttempts, int failedAttempts) {
            return new Spec(targets, suppressed, maxInFlight, callsPerSecond, busyAttempts, noAnswerAttempts,
                    failedAttempts, machine, retryDelay, machineAction, quietHours, nodes, cheapIdempotent, outageDelay,
                    outageAttempts, outagePause);
        }

        public Spec withNodes(int n) {
            return new Spec(targets, suppressed, maxInFlight, callsPerSecond, busy, noAnswer, failed, machine,
                    retryDelay, machineAction, quietHours, n, cheapIdempotent, outageDelay, outageAttempts, outagePause);
        }

        public Spec withOutage(int delaySeconds, int attempts, int pauseAfter) {
            return new Spec(targets, suppressed, maxInFlight, callsPerSecond, busy, noAnswer, failed, machine,
                    retryDelay, machineAction, quietHours, nodes, cheapIdempotent, delaySeconds, attempts, pauseAfter);
        }
    }

    public sealed interface Step permits Tick, Report, Advance, Pause, Resume, Cancel, Suppress, Restart, Reconcile,
            Outage {
    }

    /**
     * The real providers go down ({@code refusals} not empty): from now on each answers its placements with
     * {@code refusals} in turn (unavailable, 429, credentials refused, now and then an answer: they flap), instead of
     * what a tick scripts for the cheap one; or, with no refusals, they are back. The model brings them back before it
     * drives the campaign to its end, as it resumes a campaign an outage paused.
     */
    public record Outage(List<Outcome> refusals) implements Step {
        @Override
        public String toString() {
            return refusals.isEmpty() ? "providers back" : "outage(" + refusals + ")";
        }
    }

    /** Node {@code node} runs one scheduling pass; the cheap provider answers its placements with {@code cheap}, in order. */
    public record Tick(int node, List<Outcome> cheap) implements Step {
        @Override
        public String toString() {
            return "tick(node " + node + (cheap.isEmpty() ? "" : ", " + cheap) + ")";
        }
    }

    /** What the far end reports of a call. */
    public enum Said { RINGING, ANSWERED, HUMAN, MACHINE, COMPLETED, BUSY, NO_ANSWER, FAILED }

    /**
     * The provider holding call {@code call} (by index among the calls a provider took) reports {@code said},
     * to node {@code node}. A status the call cannot reach any more is reported as it stands (a duplicate or
     * a late report). {@code price} (INR) rides along, or null.
     */
    public record Report(int call, Said said, @Nullable String price, int node) implements Step {
        @Override
        public String toString() {
            return "report(call " + call + ", " + said + (price == null ? "" : ", price " + price) + ", to node " + node + ")";
        }
    }

    public record Advance(int seconds) implements Step {
        @Override
        public String toString() {
            return "advance(" + seconds + "s)";
        }
    }

    public record Pause() implements Step {
        @Override
        public String toString() {
            return "pause";
        }
    }

    public record Resume() implements Step {
        @Override
        public String toString() {
            return "resume";
        }
    }

    public record Cancel() implements Step {
        @Override
        public String toString() {
            return "cancel";
        }
    }

    /** Target {@code target}'s number goes on the do-not-call list. */
    public record Suppress(int target) implements Step {
        @Override
        public String toString() {
            return "suppress(target " + target + ")";
        }
    }

    /**
     * Node {@code node} dies and a new node (a new manager, another name) starts over the same store. When
     * {@code midPlacement}, it dies in a scheduling pass of its own, right after its first call is recorded and
     * before any provider is asked (a pass that places nothing just ends).
     */
    public record Restart(int node, boolean midPlacement) implements Step {

        public Restart(int node) {
            this(node, false);
        }

        @Override
        public String toString() {
            return "restart(node " + node + (midPlacement ? ", killed mid-placement" : "") + ")";
        }
    }

    public record Reconcile(int node) implements Step {
        @Override
        public String toString() {
            return "reconcile(node " + node + ")";
        }
    }
}
