package io.globalcalling.examples.invariants;

import io.globalcalling.examples.invariants.DirectIpGateway.Answer;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.util.List;

/**
 * The money promises (see {@link MoneyInvariants}, and {@link IridiumModel} for DirectIP's own) over random histories
 * of a few SBD messages through the real Iridium adapter, over TCP both ways: sixty histories in every build, new ones
 * each run (a thousand were run while it was written). A failure prints the shrunk history and jqwik's seed.
 */
class IridiumInvariantsTest {

    private static DirectIpGateway gateway;

    @BeforeContainer
    static void start() {
        gateway = new DirectIpGateway();
    }

    @AfterContainer
    static void stop() {
        gateway.close();
    }

    @Property(tries = 60)
    void everyHistoryKeepsTheMoneyPromises(@ForAll("histories") IridiumHistory history) {
        new IridiumModel(gateway).run(history);
    }

    /** Rare among random histories, so always run: a message whose answer was lost, queued, delivered after a restart. */
    @Example
    void aMessageWhoseAnswerWasLostIsEndedByItsTerminalsReportAfterARestart() {
        new IridiumModel(gateway).run(new IridiumHistory(List.of(
                new IridiumHistory.Send(0, Answer.RESET, 0, true, false, 20),
                new IridiumHistory.Restart(),
                new IridiumHistory.Session(0, IridiumHistory.SessionStatus.OK))));
    }

    @Provide
    Arbitrary<IridiumHistory> histories() {
        return step().list().ofMinSize(1).ofMaxSize(20).map(IridiumHistory::new);
    }

    private static Arbitrary<IridiumHistory.Step> step() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, send()),
                Tuple.of(5, Combinators.combine(Arbitraries.integers().between(0, 7), Arbitraries.of(IridiumHistory.SessionStatus.class))
                        .as(IridiumHistory.Session::new)),
                Tuple.of(1, Combinators.combine(Arbitraries.integers().between(0, 2), Arbitraries.integers().between(0, 2),
                        Arbitraries.of(true, false)).as(IridiumHistory.Reply::new)),
                Tuple.of(1, Arbitraries.integers().between(1, 2).map(IridiumHistory.LedgerDown::new)),
                Tuple.of(1, Arbitraries.integers().between(1, 3600).map(IridiumHistory.Reconcile::new)),
                Tuple.of(1, Arbitraries.just(new IridiumHistory.Restart())));
    }

    private static Arbitrary<IridiumHistory.Step> send() {
        Arbitrary<Answer> answer = Arbitraries.frequency(Tuple.of(8, Answer.CONFIRM), Tuple.of(2, Answer.IN_PIECES),
                Tuple.of(2, Answer.RESET), Tuple.of(1, Answer.CLOSE), Tuple.of(1, Answer.GARBAGE),
                Tuple.of(1, Answer.DOWN), Tuple.of(1, Answer.SILENT))
                .withoutEdgeCases();   // an edge case would be a history of nothing but SILENT, each waiting out the read timeout
        Arbitrary<Integer> status = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.integers().between(0, 50)),      // a queue position
                Tuple.of(3, Arbitraries.integers().between(-12, -1)),    // Iridium's refusals
                Tuple.of(1, Arbitraries.of(51, 999, 32_767, -13, -100, -32_768)));  // none of DirectIP's
        Arbitrary<Integer> size = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.integers().between(1, 100)),
                Tuple.of(2, Arbitraries.integers().between(101, 800)),
                Tuple.of(1, Arbitraries.of(1890)));
        return Combinators.combine(Arbitraries.integers().between(0, 2), answer, status, Arbitraries.of(true, false),
                        Arbitraries.of(true, false), size)
                .as((terminal, a, st, queuedAnyway, binary, n) ->
                        new IridiumHistory.Send(terminal, a, st, queuedAnyway, binary, binary ? n : Math.min(n, 800)));
    }
}
