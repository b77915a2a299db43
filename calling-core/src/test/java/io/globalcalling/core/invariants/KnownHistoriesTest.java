package io.globalcalling.core.invariants;

import io.globalcalling.core.invariants.History.Advance;
import io.globalcalling.core.invariants.History.Deliver;
import io.globalcalling.core.invariants.History.LedgerDown;
import io.globalcalling.core.invariants.History.LifeEvent;
import io.globalcalling.core.invariants.History.LookupsDown;
import io.globalcalling.core.invariants.History.Place;
import io.globalcalling.core.invariants.History.Reconcile;
import io.globalcalling.core.invariants.History.Restart;
import io.globalcalling.core.invariants.History.Stamp;
import io.globalcalling.CallStatus;
import io.globalcalling.ErrorReason;
import io.globalcalling.testkit.ScriptedProvider.Outcome;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Shrunk histories that broke an invariant once, kept so that each defect stays fixed. */
class KnownHistoriesTest {

    private static final Outcome QUEUED = Outcome.accept(CallStatus.QUEUED);
    private static final List<LifeEvent> TALKED = List.of(new LifeEvent(CallStatus.RINGING, 1, null, null),
            new LifeEvent(CallStatus.ANSWERED, 6, null, null), new LifeEvent(CallStatus.COMPLETED, 66, 60, null));

    private final CallPathModel model = CallPathModel.inMemory();

    /** @return the types of the events the manager logged on the calls itself: which of its paths the history took */
    private Set<String> run(History.Step... steps) {
        return model.run(new History(List.of(steps)));
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
    void lateCallbacksForACallTheRetentionForgotChangeNothing() {
        run(new Place(QUEUED, QUEUED, TALKED),
                new Deliver(0, 2, Stamp.TRUE, true),
                new Advance(1),
                new History.Purge(),
                new Deliver(0, 2, Stamp.TRUE, true),
                new Deliver(0, 0, Stamp.TRUE, false),
                new Reconcile());
    }

    @Test
    void aDuplicateCallbackIsStoredOnce() {
        run(new Place(QUEUED, QUEUED, List.of(new LifeEvent(CallStatus.RINGING, 1, null, null))),
                new Deliver(0, 0, Stamp.TRUE, true),
                new Deliver(0, 0, Stamp.TRUE, true));
    }

    // Issue 11's paths, kept driven whatever the random histories pick

    @Test
    void aDeduplicatingProviderIsSentALostCallAgainAndHoldsItOnce() {
        model.run(new History(List.of(
                new Place(Outcome.timeoutAfterSending(true), QUEUED, TALKED, List.of(Outcome.resetAfterSending(true)), false),
                new Deliver(0, 2, Stamp.TRUE, false)), true));
    }

    @Test
    void aProviderThatDoesNotDeduplicateIsNeverSentALostCallAgain() {
        model.run(new History(List.of(
                new Place(Outcome.timeoutAfterSending(true), QUEUED, TALKED, List.of(QUEUED), false),
                new Reconcile()), false));
    }

    @Test
    void aConfirmedMessageEndsItsCallOnceHoweverOftenTheConfirmationComes() {
        run(new Place(QUEUED, QUEUED, List.of(), List.of(), true),
                new History.Confirm(0, false),
                new History.Confirm(0, true),
                new Deliver(0, 0, Stamp.TRUE, true));
    }

    @Test
    void aMessageWhoseOutcomeWasLostIsConfirmedByItsOwnId() {
        run(new Place(Outcome.resetAfterSending(true), QUEUED, List.of(), List.of(), true),
                new History.Confirm(0, true),
                new Reconcile());
    }

    @Test
    void aContactCentreCallMovesOnlyForwardWhateverTheOrderOfItsCallbacks() {
        List<LifeEvent> queued = List.of(new LifeEvent(CallStatus.RINGING, 1, null, null),
                new LifeEvent(CallStatus.ANSWERED, 6, null, null), new LifeEvent(CallStatus.WAITING_FOR_AGENT, 7, null, null),
                new LifeEvent(CallStatus.WITH_AGENT, 30, null, null), new LifeEvent(CallStatus.COMPLETED, 90, 84, "3.10"));
        run(new Place(QUEUED, QUEUED, queued),
                new Deliver(0, 3, Stamp.TRUE, true),
                new Deliver(0, 2, Stamp.TRUE, true),
                new Deliver(0, 1, Stamp.LATE, false),
                new Deliver(0, 4, Stamp.TRUE, true),
                new Deliver(0, 3, Stamp.TRUE, true));
    }

    // Issue 18's paths: a create whose answer was lost, reconciled against a provider whose search lags

    @Test
    void aCreateLostOnItsWayEndsAsNotPlacedWithItsHoldReleasedOnceTheSearchLagHasPassed() {
        run(new Place(Outcome.timeoutAfterSending(false), QUEUED, List.of()),
                new Advance(CallPathModel.SEARCH_LAG_SECONDS),
                new Reconcile(),   // at the lag exactly: an empty list proves nothing yet
                new Advance(1),
                new Reconcile(),
                new Reconcile());
    }

    @Test
    void aCreateTheProviderTookWhoseAnswerWasLostIsFoundAfterItsLagNeverEndedAsNotPlaced() {
        run(new Place(Outcome.resetAfterSending(true).withSearchLag(Duration.ofSeconds(CallPathModel.SEARCH_LAG_SECONDS)),
                        QUEUED, TALKED),
                new Advance(CallPathModel.SEARCH_LAG_SECONDS - 1),
                new Reconcile(),   // not listed yet, and too young for that to mean anything
                new Advance(2),
                new Reconcile(),
                new Deliver(0, 2, Stamp.TRUE, true));
    }

    @Test
    void aLostCreateSentAgainToADeduplicatingProviderThatNeverGotAnyIsNotPlaced() {
        model.run(new History(List.of(
                new Place(Outcome.timeoutAfterSending(false), QUEUED, TALKED,
                        List.of(Outcome.resetAfterSending(false), Outcome.timeoutAfterSending(false)), false),
                new Advance(CallPathModel.SEARCH_LAG_SECONDS + 1),
                new Reconcile()), true));
    }

    // A settlement the ledger failed at a call's end is finished by the next reconciliation pass, exactly once

    @Test
    void anEndReconciliationFoundWhoseSettlementFailedIsSettledByTheNextPass() {
        run(new Place(QUEUED, QUEUED, TALKED),   // its callbacks never come
                new Advance(CallPathModel.CALL_TIMEOUT_MINUTES * 60 + 1),
                new LedgerDown(1),
                new Reconcile(),   // fetches the end, and fails to settle it
                new Reconcile());
    }

    @Test
    void aCallEveryProviderRefusedWhoseReleaseFailedIsReleasedByTheNextPass() {
        run(new LedgerDown(1),
                new Place(Outcome.refuse(ErrorReason.INVALID_DESTINATION), QUEUED, List.of()),   // call() throws
                new Reconcile(),
                new Reconcile());
    }

    @Test
    void aCreateAnsweredWithItsEndWhoseSettlementFailedIsSettledByTheNextPass() {
        run(new LedgerDown(2),
                new Place(Outcome.accept(CallStatus.COMPLETED), QUEUED, List.of()),
                new Reconcile(),   // the ledger is still down for this one
                new Reconcile());
    }

    // The manager stores a confirmation before ending its call, so a redelivery is a duplicate that ends nothing:
    // a settlement the ledger failed there is finished by reconciliation, the end being flagged until settled.
    @Test
    void aConfirmedMessageWhoseSettlementFailedIsSettledByTheNextPass() {
        run(new Place(QUEUED, QUEUED, List.of(), List.of(), true),
                new LedgerDown(1),
                new History.Confirm(0, true),
                new History.Confirm(0, true),
                new Reconcile());
    }

    // The reconciliation paths of a provider that left, a price the FX table cannot convert, and lookups that keep
    // failing: each history checks that its path was taken, as well as every invariant

    /** Talked for a minute, priced by the provider (in INR, or with its currency) with its end. */
    private static List<LifeEvent> talkedAt(String price) {
        return List.of(new LifeEvent(CallStatus.RINGING, 1, null, null), new LifeEvent(CallStatus.ANSWERED, 6, null, null),
                new LifeEvent(CallStatus.COMPLETED, 66, 60, price));
    }

    /** The end is delivered while the ledger is down: answered 500 twice, it stays flagged with no cost. */
    private static History.Step[] endedWhileTheLedgerWasDown(List<LifeEvent> life, History.Step... then) {
        List<History.Step> steps = new ArrayList<>(List.of(new Place(QUEUED, QUEUED, life), new LedgerDown(2),
                new Deliver(0, 2, Stamp.TRUE, true)));
        steps.addAll(List.of(then));
        return steps.toArray(History.Step[]::new);
    }

    @Test
    void aPricedEndOfAProviderThatLeftIsSettledAsReportedAndNotAgainWhenItComesBack() {
        Set<String> taken = run(endedWhileTheLedgerWasDown(talkedAt("2.40"),
                new Restart("cheap"),
                new Advance(121),
                new Reconcile(),   // cheap is not active: the end is settled at the price its report gave
                new Restart(null),
                new Deliver(0, 2, Stamp.TRUE, true),
                new Advance(CallPathModel.SEARCH_LAG_SECONDS + 1),
                new Reconcile()));
        assertThat(taken).contains("settled_as_reported").doesNotContain("unresolved");
    }

    @Test
    void anUnpricedEndOfAProviderThatLeftIsReportedOnceAndSettledWhenItComesBack() {
        Set<String> taken = run(endedWhileTheLedgerWasDown(TALKED,
                new Restart("cheap"),
                new Advance(121),
                new Reconcile(),   // its deck left with it: held, and reported
                new Restart("cheap"),
                new Reconcile(),   // another manager: reported already
                new Restart(null),
                new Reconcile()));
        assertThat(taken).contains("unresolved").doesNotContain("settled_as_reported");
    }

    @Test
    void aPriceTheFxTableCannotConvertIsSettledAtTheRateAndNotedOnce() {
        Set<String> taken = run(new Place(QUEUED, QUEUED, talkedAt("1.20 " + CallPathModel.UNCONVERTIBLE)),
                new LedgerDown(1),
                new Deliver(0, 2, Stamp.TRUE, true),   // answered 500, then settled when delivered again
                new Deliver(0, 2, Stamp.LATE, true));
        assertThat(taken).contains("price_not_converted");
    }

    @Test
    void aPriceTheFxTableCannotConvertOfAProviderThatLeftIsReportedAndSettledAtTheRateWhenItComesBack() {
        Set<String> taken = run(endedWhileTheLedgerWasDown(talkedAt("1.20 " + CallPathModel.UNCONVERTIBLE),
                new Restart("cheap"),
                new Advance(121),
                new Reconcile(),   // no rate to settle it at: the pass goes on, and the call is reported
                new Reconcile(),
                new Restart(null),
                new Reconcile()));
        assertThat(taken).contains("unresolved", "price_not_converted").doesNotContain("settled_as_reported");
    }

    @Test
    void anEndWhoseLookupsKeepFailingIsSettledAsFirstReportedOnceTheGraceHasPassed() {
        Set<String> taken = run(endedWhileTheLedgerWasDown(talkedAt("2.40"),
                new LookupsDown(20),
                new Reconcile(),   // within the grace: it may answer yet
                new Advance(CallPathModel.SEARCH_LAG_SECONDS + 1),
                new Reconcile()));
        assertThat(taken).contains("settled_as_reported").doesNotContain("unresolved");
    }

    @Test
    void aCallWhoseLookupsFailInEveryPassIsReportedOnceOverdueAndResolvedWhenTheyWorkAgain() {
        Set<String> taken = run(new Place(Outcome.timeoutAfterSending(true), QUEUED, TALKED),
                new LookupsDown(20),
                new Reconcile(),
                new Advance(CallPathModel.SEARCH_LAG_SECONDS + 1),
                new Reconcile(),
                new Reconcile(),
                new Deliver(0, 2, Stamp.TRUE, true));
        assertThat(taken).contains("unresolved").doesNotContain("not_placed");
    }

    // A create answered with its end is ended by the manager, and priced at its provider's rate: a provider that left
    // took its rate with it, so the call stays held and is reported until it is back, rather than settled at nothing

    @Test
    void aCreateAnsweredWithItsEndOfAProviderThatLeftIsKeptHeldNotSettledAtNothing() {
        Set<String> taken = run(new LedgerDown(1),
                new Place(Outcome.accept(CallStatus.COMPLETED), QUEUED, List.of()),   // settling it fails
                new Restart("cheap"),
                new Advance(121),
                new Reconcile(),
                new Restart(null),
                new Reconcile());
        assertThat(taken).contains("unresolved");
    }

    // An unknown outcome whose failure names the call's id at its provider, and a call withdrawn before it was sent:
    // each path the random histories take, walked once by name

    @Test
    void aCallWhoseUnknownOutcomeNamedItsIdIsCompletedByAReportNamingOnlyThatId() {
        Set<String> taken = run(new Place(Outcome.timeoutAfterSending(true).namingProviderCallId(), QUEUED, TALKED),
                new Deliver(0, 2, Stamp.TRUE, false));
        assertThat(taken).contains("outcome_unknown").doesNotContain("not_placed", "unresolved");
    }

    @Test
    void aCallWhoseNamedIdItsProviderNeverTookStaysHeldAndIsReported() {
        Set<String> taken = run(new Place(Outcome.resetAfterSending(false).namingProviderCallId(), QUEUED, List.of()),
                new Advance(CallPathModel.SEARCH_LAG_SECONDS + 1),
                new Reconcile());
        assertThat(taken).contains("outcome_unknown", "unresolved").doesNotContain("not_placed");
    }

    @Test
    void aDeduplicatingProviderTakesTheCallItNamedWhenItIsSentAgain() {
        Set<String> taken = model.run(new History(List.of(
                new Place(Outcome.timeoutAfterSending(false).namingProviderCallId(), QUEUED, TALKED, List.of(QUEUED), false),
                new Deliver(0, 2, Stamp.TRUE, false)), true));
        assertThat(taken).doesNotContain("outcome_unknown", "not_placed", "unresolved");
    }

    @Test
    void aCallWithdrawnBeforeItsFirstSendIsNotPlacedAndItsHoldReleased() {
        Set<String> taken = run(new History.Withdraw(QUEUED, QUEUED, 0));
        assertThat(taken).contains("withdrawn");
    }

    @Test
    void aCallWithdrawnAfterItsFirstOptionRefusedItEndsWithThatRefusal() {
        Set<String> taken = run(new History.Withdraw(Outcome.unavailable(), QUEUED, 1));
        assertThat(taken).contains("failover").doesNotContain("withdrawn");
    }
}
