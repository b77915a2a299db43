package io.globalcalling.core.invariants;

import io.globalcalling.core.invariants.History.LifeEvent;
import io.globalcalling.core.invariants.History.Stamp;
import io.globalcalling.CallStatus;
import io.globalcalling.ErrorReason;
import io.globalcalling.testkit.ScriptedProvider.Outcome;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Random {@link History}s; jqwik shrinks them to a shortest failing one. */
public final class Histories {

    private Histories() {
    }

    /** Histories of 1 to {@code maxSteps} steps; in about a third of them the cheap provider deduplicates. */
    public static Arbitrary<History> histories(int maxSteps) {
        return Combinators.combine(step().list().ofMinSize(1).ofMaxSize(maxSteps),
                Arbitraries.frequency(Tuple.of(2, false), Tuple.of(1, true))).as(History::new);
    }

    private static Arbitrary<History.Step> step() {
        return Arbitraries.frequencyOf(
                Tuple.of(4, place()),
                Tuple.of(1, Combinators.combine(outcome(), outcome(), Arbitraries.integers().between(0, 2))
                        .as(History.Withdraw::new)),
                Tuple.of(8, deliver()),
                Tuple.of(1, unknown()),
                Tuple.of(2, Combinators.combine(Arbitraries.integers().between(0, 20), Arbitraries.of(true, false))
                        .as(History.Confirm::new)),
                Tuple.of(3, Arbitraries.integers().between(1, 400).map(History.Advance::new)),
                Tuple.of(1, Arbitraries.just(new History.Reconcile())),
                Tuple.of(1, Arbitraries.just(new History.Purge())),
                Tuple.of(1, Arbitraries.just(new History.Erase())),
                Tuple.of(1, Arbitraries.integers().between(1, 2).map(History.LedgerDown::new)),
                Tuple.of(1, Arbitraries.of("cheap", "dear").injectNull(0.4).map(History.Restart::new)),
                Tuple.of(1, Arbitraries.integers().between(1, 20).map(History.LookupsDown::new)));
    }

    private static Arbitrary<History.Step> place() {
        Arbitrary<List<Outcome>> resends = outcome().list().ofMaxSize(2);
        Arbitrary<Boolean> message = Arbitraries.frequency(Tuple.of(3, false), Tuple.of(1, true));
        return Combinators.combine(outcome(), outcome(), life(), resends, message)
                .as((first, second, life, again, isMessage) ->
                        new History.Place(first, second, isMessage ? List.of() : life, again, isMessage));
    }

    private static Arbitrary<History.Step> deliver() {
        return Combinators.combine(Arbitraries.integers().between(0, 20), Arbitraries.integers().between(0, 5),
                Arbitraries.frequency(Tuple.of(4, Stamp.TRUE), Tuple.of(2, Stamp.BEFORE_START),
                        Tuple.of(1, Stamp.LATE), Tuple.of(1, Stamp.MISSING)),
                Arbitraries.of(true, false)).as(History.Deliver::new);
    }

    private static Arbitrary<History.Step> unknown() {
        return Combinators.combine(Arbitraries.of(true, false), Arbitraries.of(CallStatus.RINGING, CallStatus.COMPLETED))
                .as(History.DeliverUnknown::new);
    }

    /**
     * What one send gets. A timeout or reset after sending is either a create lost on its way (the provider never
     * has the call: {@code accepted} false) or a create the provider took whose answer was lost, which its search
     * shows only after a random lag. Either may name the id the call has should the provider have taken it.
     */
    static Arbitrary<Outcome> outcome() {
        List<ErrorReason> refusals = new ArrayList<>(Arrays.asList(ErrorReason.values()));
        refusals.remove(ErrorReason.OUTCOME_UNKNOWN);   // sent-then-silent is the timeout and reset outcomes
        refusals.remove(ErrorReason.NOT_PLACED);        // the reconciler's verdict, never a provider's answer
        // within the search lag the model's providers declare: they keep their promise
        Arbitrary<Duration> searchLag = Arbitraries.integers().between(0, CallPathModel.SEARCH_LAG_SECONDS)
                .map(Duration::ofSeconds);
        return Arbitraries.frequencyOf(
                Tuple.of(30, Arbitraries.just(Outcome.accept(CallStatus.QUEUED))),
                Tuple.of(5, Arbitraries.just(Outcome.accept(CallStatus.RINGING))),
                Tuple.of(8, Arbitraries.of(CallStatus.COMPLETED, CallStatus.BUSY, CallStatus.NO_ANSWER,
                        CallStatus.FAILED, CallStatus.CANCELED).map(Outcome::accept)),
                Tuple.of(10, Arbitraries.of(refusals).map(Outcome::refuse)),
                Tuple.of(6, Arbitraries.integers().between(1, 120).map(s -> Outcome.rateLimited(Duration.ofSeconds(s)))),
                Tuple.of(10, Arbitraries.just(Outcome.unavailable())),
                Tuple.of(6, Combinators.combine(Arbitraries.of(true, false), searchLag)
                        .as((accepted, lag) -> Outcome.timeoutAfterSending(accepted).withSearchLag(lag))),
                Tuple.of(6, Combinators.combine(Arbitraries.of(true, false), searchLag)
                        .as((accepted, lag) -> Outcome.resetAfterSending(accepted).withSearchLag(lag))),
                // no answer, but the failure names the id the call has should the provider have taken it
                Tuple.of(4, Combinators.combine(Arbitraries.of(true, false), searchLag, Arbitraries.of(true, false))
                        .as((accepted, lag, reset) -> (reset ? Outcome.resetAfterSending(accepted)
                                : Outcome.timeoutAfterSending(accepted)).withSearchLag(lag).namingProviderCallId())));
    }

    /** What the far end does: rings, maybe answers, maybe ends (with talk time and a price, or not). */
    private static Arbitrary<List<LifeEvent>> life() {
        Arbitrary<Integer> ring = Arbitraries.integers().between(1, 20);
        Arbitrary<Integer> talk = Arbitraries.integers().between(0, 900);
        Arbitrary<String> amount = Arbitraries.integers().between(0, 5000).map(p -> p / 100 + "." + String.format("%02d", p % 100));
        // in rupees, or in a currency the FX table cannot convert
        Arbitrary<String> price = Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.just((String) null)),
                Tuple.of(3, amount),
                Tuple.of(1, amount.map(a -> a + " " + CallPathModel.UNCONVERTIBLE)));
        Arbitrary<CallStatus> unanswered = Arbitraries.of(CallStatus.BUSY, CallStatus.NO_ANSWER, CallStatus.FAILED,
                CallStatus.CANCELED);
        Arbitrary<Integer> shape = Arbitraries.integers().between(0, 7);
        return Combinators.combine(shape, ring, talk, price, unanswered).as((s, r, t, p, end) -> switch (s) {
            case 0 -> List.<LifeEvent>of();
            case 1 -> List.of(new LifeEvent(CallStatus.RINGING, r, null, null));
            case 2 -> List.of(new LifeEvent(CallStatus.RINGING, r, null, null), new LifeEvent(CallStatus.ANSWERED, r + 5, null, null));
            case 3 -> List.of(new LifeEvent(CallStatus.RINGING, r, null, null), new LifeEvent(end, r + 30, null, p));
            // a contact centre: the callee answers, waits for an agent, talks to one (or hangs up while waiting)
            case 4 -> List.of(new LifeEvent(CallStatus.RINGING, r, null, null), new LifeEvent(CallStatus.ANSWERED, r + 5, null, null),
                    new LifeEvent(CallStatus.WAITING_FOR_AGENT, r + 6, null, null),
                    new LifeEvent(CallStatus.WITH_AGENT, r + 20, null, null),
                    new LifeEvent(CallStatus.COMPLETED, r + 5 + t, t, p));
            case 5 -> List.of(new LifeEvent(CallStatus.RINGING, r, null, null), new LifeEvent(CallStatus.ANSWERED, r + 5, null, null),
                    new LifeEvent(CallStatus.WAITING_FOR_AGENT, r + 6, null, null),
                    new LifeEvent(CallStatus.COMPLETED, r + 6 + t, t + 1, p));
            default -> List.of(new LifeEvent(CallStatus.RINGING, r, null, null), new LifeEvent(CallStatus.ANSWERED, r + 5, null, null),
                    new LifeEvent(CallStatus.COMPLETED, r + 5 + t, t, p));
        });
    }
}
