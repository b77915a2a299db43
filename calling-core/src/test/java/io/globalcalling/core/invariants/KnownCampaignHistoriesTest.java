package io.globalcalling.core.invariants;

import io.globalcalling.ErrorReason;
import io.globalcalling.core.campaign.MachineAction;
import io.globalcalling.core.invariants.CampaignHistory.Report;
import io.globalcalling.core.invariants.CampaignHistory.Said;
import io.globalcalling.core.invariants.CampaignHistory.Spec;
import io.globalcalling.core.invariants.CampaignHistory.Tick;
import io.globalcalling.testkit.ScriptedProvider.Outcome;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import java.util.List;

/** Shrunk campaign histories that broke an invariant once, kept so that each defect stays fixed. */
class KnownCampaignHistoriesTest {

    private final CampaignModel model = CampaignModel.inMemory();

    private void run(Spec spec, CampaignHistory.Step... steps) {
        model.run(new CampaignHistory(spec, List.of(steps)));
    }

    @Test
    void aCancelledCampaignFinishesTheTargetsItNeverCalled() {
        run(Spec.plain(1, 1), new CampaignHistory.Cancel());
    }

    @Test
    void aCancelledCampaignFinishesATargetWaitingForItsRetry() {
        run(Spec.plain(2, 1).withRetries(3, 0, 0),
                new Tick(0, List.of()),
                new Report(0, Said.BUSY, "0.40", 0),
                new CampaignHistory.Cancel());
    }

    // A node killed mid-placement leaves its attempt claimed; a cancelled campaign is no longer worked, so the
    // scheduler must still take up that lapsed lease: the never-sent call ends, its hold is released, the target skipped.

    @Test
    void aCancelledCampaignRecoversTheAttemptOfANodeKilledMidPlacement() {
        run(Spec.plain(1, 1),
                new CampaignHistory.Restart(0, true),
                new Tick(0, List.of()),
                new CampaignHistory.Cancel());
    }

    // The attempt a dying node recorded but never sent called no one: the target is called once more under a
    // new attempt, and the rules' count is of the calls made.

    @Test
    void anAttemptRecordedButNeverSentIsPlacedAgainBeyondTheRulesCount() {
        run(Spec.plain(1, 1), new CampaignHistory.Restart(0, true));
    }

    // A price reported after the end is billed nowhere: the record's billed facts, its hold and so the
    // campaign's total keep the price of the first end (the lifecycle's rule), on whichever node it arrives.

    @Test
    void aPriceReportedAfterTheEndLeavesTheTotalEqualToTheSettledCosts() {
        run(Spec.plain(1, 1),
                new Tick(0, List.of()),
                new Report(0, Said.COMPLETED, null, 0),
                new Tick(0, List.of()),
                new Report(0, Said.COMPLETED, "2.75", 0));
    }

    @Test
    void aPriceReportedToAnotherNodeAfterARetriedEndLeavesTheTotalEqualToTheSettledCosts() {
        run(Spec.plain(1, 1).withRetries(2, 0, 0).withNodes(2),
                new Tick(0, List.of()),
                new Report(0, Said.BUSY, null, 0),
                new Tick(1, List.of()),
                new Report(0, Said.BUSY, "0.50", 1),
                new Report(1, Said.COMPLETED, null, 1),
                new Report(1, Said.COMPLETED, "3.00", 0));
    }

    @Test
    void aMachineVerdictAfterTheAnswerHangsUp() {
        run(Spec.plain(1, 1).withMachineAction(MachineAction.HANG_UP, 0),
                new Tick(0, List.of()),
                new Report(0, Said.ANSWERED, null, 0),
                new Report(0, Said.MACHINE, null, 0));
    }

    @Test
    void aMachineVerdictAfterTheAnswerToAnotherNodeHangsUpAndRetries() {
        run(Spec.plain(1, 1).withMachineAction(MachineAction.RETRY, 2).withNodes(2),
                new Tick(0, List.of()),
                new Report(0, Said.HUMAN, null, 0),
                new Report(0, Said.MACHINE, null, 1));
    }

    // Both providers answered 429 and slowed their pacing; the next call found both pacing queues full, so no provider
    // was asked at all: the call was refused before any took it, as in an outage, not a call that failed.

    @Test
    void aCallBothProvidersPacingQueuesRefusedIsTriedAgainAsAnOutage() {
        run(Spec.plain(2, 1).withOutage(1, 1, 1),
                new CampaignHistory.Outage(List.of(Outcome.rateLimited(Duration.ofSeconds(1)))),
                new Tick(0, List.of()));
    }

    // Through an outage a target is tried again after its backoff, and ends as unavailable once every provider refused
    // as many of its attempts as the policy allows.

    @Test
    void aTargetEveryProviderRefusesEndsUnavailableAfterItsOutageAttempts() {
        run(Spec.plain(1, 1).withOutage(1, 2, 8),
                new CampaignHistory.Outage(List.of(Outcome.unavailable())),
                new Tick(0, List.of()),
                new CampaignHistory.Advance(5),
                new Tick(0, List.of()),
                new CampaignHistory.Advance(5),
                new Tick(0, List.of()));
    }

    // A call a provider took ends the streak: two refused targets with a taken call between them pause nothing.

    @Test
    void aCallTakenBetweenRefusedTargetsEndsTheStreak() {
        CampaignHistory.Outage down = new CampaignHistory.Outage(List.of(Outcome.refuse(ErrorReason.AUTHENTICATION)));
        run(new Spec(3, 0, 3, 1, 0, 0, 0, 0, 60, null, false, 1, false, 60, 5, 2),
                down,
                new Tick(0, List.of()),
                new CampaignHistory.Outage(List.of()),
                new CampaignHistory.Advance(1),
                new Tick(0, List.of()),
                down,
                new CampaignHistory.Advance(1),
                new Tick(0, List.of()));
    }
}
