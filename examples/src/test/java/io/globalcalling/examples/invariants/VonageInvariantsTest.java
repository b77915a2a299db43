package io.globalcalling.examples.invariants;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.globalcalling.examples.invariants.VonageHistory.Create;
import io.globalcalling.examples.invariants.VonageHistory.End;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

/**
 * The money promises (see {@link MoneyInvariants}) over random histories of a few calls through the real Vonage
 * adapter and its wire format: sixty histories in every build, new ones each run
 * (a thousand per provider were run while it was written). A failure prints the shrunk history and jqwik's seed.
 */
class VonageInvariantsTest {

    private static WireMockServer vonage;

    @BeforeContainer
    static void start() {
        vonage = new WireMockServer(wireMockConfig().dynamicPort());
        vonage.start();
    }

    @AfterContainer
    static void stop() {
        vonage.stop();
    }

    @Property(tries = 60)
    void everyHistoryKeepsTheMoneyPromises(@ForAll("histories") VonageHistory history) {
        new VonageModel(vonage).run(history);
    }


    @Provide
    Arbitrary<VonageHistory> histories() {
        return step().list().ofMinSize(1).ofMaxSize(20).map(VonageHistory::new);
    }

    private static Arbitrary<VonageHistory.Step> step() {
        return Arbitraries.frequencyOf(
                Tuple.of(2, place()),
                Tuple.of(6, Combinators.combine(Arbitraries.integers().between(0, 5), Arbitraries.integers().between(0, 3))
                        .as(VonageHistory.Deliver::new)),
                Tuple.of(1, Arbitraries.integers().between(1, 900).map(VonageHistory.Reconcile::new)));
    }

    private static Arbitrary<VonageHistory.Step> place() {
        Arbitrary<Create> create = Arbitraries.frequency(Tuple.of(6, Create.CREATED), Tuple.of(1, Create.REFUSED),
                Tuple.of(1, Create.SERVER_ERROR), Tuple.of(2, Create.RESET));
        Arbitrary<Integer> status = Arbitraries.of(400, 401, 403, 422, 500, 503);
        Arbitrary<String> price = Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.just((String) null)),
                Tuple.of(2, Arbitraries.integers().between(0, 500_000).map(p -> "0." + String.format("%08d", p))));
        return Combinators.combine(create, status, Arbitraries.of(true, false), Arbitraries.of(End.class),
                        Arbitraries.integers().between(1, 900), price, Arbitraries.integers().between(0, 300))
                .as((c, s, made, end, duration, p, lag) -> new VonageHistory.Place(c,
                        c == Create.REFUSED ? (s >= 500 ? 400 : s) : c == Create.SERVER_ERROR ? (s >= 500 ? s : 500) : 201,
                        made, end, duration, end == End.COMPLETED ? p : p == null ? null : "0.00000000", lag));
    }
}
