package io.globalcalling.core.invariants;

import io.globalcalling.CallStatus;
import io.globalcalling.ErrorReason;
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
import java.util.ArrayList;
import java.util.List;

/** Random {@link CampaignHistory}s; jqwik shrinks them to a shortest failing one. */
public final class CampaignHistories {

    private CampaignHistories() {
    }

    /** Histories of 1 to {@code maxSteps} steps over a random campaign; in about half the providers start down. */
    public static Arbitrary<CampaignHistory> histories(int maxSteps) {
        Arbitrary<List<Step>> startDown = Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.just(List.<Step>of())),
                Tuple.of(1, down().map(r -> List.<Step>of(new CampaignHistory.Outage(r)))));
        return Combinators.combine(spec(), startDown, step().list().ofMinSize(1).ofMaxSize(maxSteps))
                .as((spec, first, steps) -> {
                    List<Step> all = new ArrayList<>(first);
                    all.addAll(steps);
                    return new CampaignHistory(spec, all);
                });
    }

    private static Arbitrary<Spec> spec() {
        Arbitrary<Integer> rule = Arbitraries.integers().between(0, 3);
        Arbitrary<MachineAction> action = Arbitraries.frequencyOf(Tuple.of(2, Arbitraries.just((MachineAction) null)),
                Tuple.of(3, Arbitraries.of(MachineAction.class)));
        Arbitrary<Spec> shape = Combinators.combine(Arbitraries.integers().between(1, 6),
                        Arbitraries.frequency(Tuple.of(3, 0), Tuple.of(1, 1), Tuple.of(1, 6)),
                        Arbitraries.integers().between(1, 3), Arbitraries.integers().between(1, 3), rule, rule, rule, rule)
                .as((targets, suppressed, cap, pace, busy, noAnswer, failed, machine) -> new Spec(targets, suppressed,
                        cap, pace, busy, noAnswer, failed, machine, 60, null, false, 1, false, 30, 5, 10));
        Arbitrary<Spec> campaign = Combinators.combine(shape, Arbitraries.integers().between(0, 300), action,
                        Arbitraries.frequency(Tuple.of(3, false), Tuple.of(1, true)), Arbitraries.integers().between(1, 2),
                        Arbitraries.frequency(Tuple.of(2, false), Tuple.of(1, true)))
                .as((s, delay, machineAction, quiet, nodes, idempotent) -> new Spec(s.targets(), s.suppressed(),
                        s.maxInFlight(), s.callsPerSecond(), s.busy(), s.noAnswer(), s.failed(), s.machine(), delay,
                        machineAction, quiet, nodes, idempotent, 30, 5, 10));
        // short outage delays and pauses after more targets than some campaigns have, so a target meets its last
        // outage attempt before the campaign pauses
        Arbitrary<Integer> outageDelay = Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.integers().between(1, 30)),
                Tuple.of(1, Arbitraries.integers().between(31, 600)));
        return Combinators.combine(campaign, outageDelay, Arbitraries.integers().between(1, 4),
                        Arbitraries.integers().between(1, 8))
                .as((s, delay, attempts, pause) -> s.withOutage(delay, attempts, pause));
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
                Tuple.of(1, node.map(CampaignHistory.Reconcile::new)),
                Tuple.of(3, Arbitraries.frequencyOf(
                        Tuple.of(3, down()),
                        Tuple.of(2, Arbitraries.just(List.<Outcome>of()))).map(CampaignHistory.Outage::new)));
    }

    /** What providers that are down answer in turn: refusals, now and then an answer (they flap). */
    private static Arbitrary<List<Outcome>> down() {
        return Arbitraries.frequencyOf(Tuple.of(6, refusal()), Tuple.of(1, Arbitraries.just(Outcome.accept(CallStatus.QUEUED))))
                .list().ofMinSize(1).ofMaxSize(4).filter(l -> l.stream().anyMatch(o -> !o.accepts()));
    }

    /** How a provider that is down refuses a placement before taking it: nobody is called. */
    static Arbitrary<Outcome> refusal() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.just(Outcome.unavailable())),
                Tuple.of(2, Arbitraries.integers().between(1, 120).map(s -> Outcome.rateLimited(Duration.ofSeconds(s)))),
                Tuple.of(1, Arbitraries.just(Outcome.refuse(ErrorReason.AUTHENTICATION))));
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
