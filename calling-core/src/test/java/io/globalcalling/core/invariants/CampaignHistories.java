package io.globalcalling.core.invariants;

import io.globalcalling.CallStatus;
import io.globalcalling.core.campaign.MachineAction;
import io.globalcalling.core.invariants.CampaignHistory.Said;
import io.globalcalling.core.invariants.CampaignHistory.Spec;
import io.globalcalling.core.invariants.CampaignHistory.Step;
import io.globalcalling.testkit.ScriptedProvider.Outcome;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

import java.time.Duration;

/** Random {@link CampaignHistory}s; jqwik shrinks them to a shortest failing one. */
public final class CampaignHistories {

    private CampaignHistories() {
    }

    /** Histories of 1 to {@code maxSteps} steps over a random campaign. */
    public static Arbitrary<CampaignHistory> histories(int maxSteps) {
        return Combinators.combine(spec(), step().list().ofMinSize(1).ofMaxSize(maxSteps)).as(CampaignHistory::new);
    }

    private static Arbitrary<Spec> spec() {
        Arbitrary<Integer> rule = Arbitraries.integers().between(0, 3);
        Arbitrary<MachineAction> action = Arbitraries.frequencyOf(Tuple.of(2, Arbitraries.just((MachineAction) null)),
                Tuple.of(3, Arbitraries.of(MachineAction.class)));
        Arbitrary<Spec> shape = Combinators.combine(Arbitraries.integers().between(1, 6),
                        Arbitraries.frequency(Tuple.of(3, 0), Tuple.of(1, 1), Tuple.of(1, 6)),
                        Arbitraries.integers().between(1, 3), Arbitraries.integers().between(1, 3), rule, rule, rule, rule)
                .as((targets, suppressed, cap, pace, busy, noAnswer, failed, machine) -> new Spec(targets, suppressed,
                        cap, pace, busy, noAnswer, failed, machine, 60, null, false, 1, false));
        return Combinators.combine(shape, Arbitraries.integers().between(0, 300), action,
                        Arbitraries.frequency(Tuple.of(3, false), Tuple.of(1, true)), Arbitraries.integers().between(1, 2),
                        Arbitraries.frequency(Tuple.of(2, false), Tuple.of(1, true)))
                .as((s, delay, machineAction, quiet, nodes, idempotent) -> new Spec(s.targets(), s.suppressed(),
                        s.maxInFlight(), s.callsPerSecond(), s.busy(), s.noAnswer(), s.failed(), s.machine(), delay,
                        machineAction, quiet, nodes, idempotent));
    }

    private static Arbitrary<Step> step() {
        Arbitrary<Integer> node = Arbitraries.integers().between(0, 1);
        return Arbitraries.frequencyOf(
                Tuple.of(6, Combinators.combine(node, outcome().list().ofMaxSize(3)).as(CampaignHistory.Tick::new)),
                Tuple.of(10, report()),
                Tuple.of(3, Arbitraries.frequencyOf(
                        Tuple.of(3, Arbitraries.integers().between(1, 60)),
                        Tuple.of(2, Arbitraries.integers().between(60, 900)),
                        Tuple.of(1, Arbitraries.integers().between(3600, 6 * 3600))).map(CampaignHistory.Advance::new)),
                Tuple.of(1, Arbitraries.just(new CampaignHistory.Pause())),
                Tuple.of(1, Arbitraries.just(new CampaignHistory.Resume())),
                Tuple.of(1, Arbitraries.frequency(Tuple.of(1, true), Tuple.of(2, false))
                        .map(c -> c ? new CampaignHistory.Cancel() : new CampaignHistory.Resume())),
                Tuple.of(1, Arbitraries.integers().between(0, 5).map(CampaignHistory.Suppress::new)),
                Tuple.of(1, Combinators.combine(node, Arbitraries.of(false, true)).as(CampaignHistory.Restart::new)),
                Tuple.of(1, node.map(CampaignHistory.Reconcile::new)));
    }

    private static Arbitrary<Step> report() {
        Arbitrary<String> price = Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.just((String) null)),
                Tuple.of(1, Arbitraries.integers().between(1, 500).map(p -> p / 100 + "." + String.format("%02d", p % 100))));
        return Combinators.combine(Arbitraries.integers().between(0, 9), Arbitraries.of(Said.class), price,
                Arbitraries.integers().between(0, 1)).as(CampaignHistory.Report::new);
    }

    /** The longest search lag a history scripts, which the model's providers declare. */
    static final int MAX_SEARCH_LAG_SECONDS = 300;

    /** How the cheap provider answers a placement; the dear one, behind it, always accepts. */
    static Arbitrary<Outcome> outcome() {
        return Arbitraries.frequencyOf(
                Tuple.of(20, Arbitraries.just(Outcome.accept(CallStatus.QUEUED))),
                Tuple.of(3, Arbitraries.of(CallStatus.COMPLETED, CallStatus.BUSY, CallStatus.NO_ANSWER, CallStatus.FAILED)
                        .map(Outcome::accept)),
                Tuple.of(3, Arbitraries.just(Outcome.unavailable())),
                Tuple.of(2, Arbitraries.integers().between(1, 120).map(s -> Outcome.rateLimited(Duration.ofSeconds(s)))),
                Tuple.of(4, Combinators.combine(Arbitraries.of(true, false), Arbitraries.integers().between(0, MAX_SEARCH_LAG_SECONDS))
                        .as((accepted, lag) -> Outcome.timeoutAfterSending(accepted).withSearchLag(Duration.ofSeconds(lag)))));
    }
}
