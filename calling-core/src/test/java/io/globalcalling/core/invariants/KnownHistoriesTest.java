package io.globalcalling.core.invariants;

import io.globalcalling.core.invariants.History.Advance;
import io.globalcalling.core.invariants.History.Deliver;
import io.globalcalling.core.invariants.History.LifeEvent;
import io.globalcalling.core.invariants.History.Place;
import io.globalcalling.core.invariants.History.Reconcile;
import io.globalcalling.core.invariants.History.Stamp;
import io.globalcalling.CallStatus;
import io.globalcalling.testkit.ScriptedProvider.Outcome;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

/** Shrunk histories that broke an invariant once, kept so that each defect stays fixed. */
class KnownHistoriesTest {

    private static final Outcome QUEUED = Outcome.accept(CallStatus.QUEUED);
    private static final List<LifeEvent> TALKED = List.of(new LifeEvent(CallStatus.RINGING, 1, null, null),
            new LifeEvent(CallStatus.ANSWERED, 6, null, null), new LifeEvent(CallStatus.COMPLETED, 66, 60, null));

    private final CallPathModel model = CallPathModel.inMemory();

    private void run(History.Step... steps) {
        model.run(new History(List.of(steps)));
    }

    @Test
    void aTerminalStatusAtPlacementSettlesTheHold() {
        run(new Place(Outcome.accept(CallStatus.COMPLETED), QUEUED, List.of()));
    }

    @Test
    void anAnswerStampedBeforeTheCallStartedStillBillsTheCall() {
        run(new Place(QUEUED, QUEUED, TALKED),
                new Deliver(0, 1, Stamp.BEFORE_START, true),
                new Deliver(0, 2, Stamp.TRUE, true));
    }

    @Test
    void aCallTheProviderCannotFindYetIsNotFailed() {
        run(new Place(Outcome.resetAfterSending(true).withSearchLag(Duration.ofSeconds(127)), QUEUED, List.of()),
                new Advance(126),
                new Reconcile());
    }

    @Test
    void aTerminalStatusRepeatedWithAnotherTimeLeavesTheBillAlone() {
        run(new Place(QUEUED, QUEUED, TALKED),
                new Deliver(0, 2, Stamp.TRUE, true),
                new Deliver(0, 2, Stamp.LATE, true));
    }

    @Test
    void aDuplicateCallbackIsStoredOnce() {
        run(new Place(QUEUED, QUEUED, List.of(new LifeEvent(CallStatus.RINGING, 1, null, null))),
                new Deliver(0, 0, Stamp.TRUE, true),
                new Deliver(0, 0, Stamp.TRUE, true));
    }
}
