package io.globalcalling.examples.invariants;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.globalcalling.examples.invariants.AwsConnectHistory.Life;
import io.globalcalling.examples.invariants.AwsConnectHistory.Start;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.util.HashMap;
import java.util.Map;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

/**
 * The money promises (see {@link MoneyInvariants}) over random histories of a few calls through the real Amazon
 * Connect adapter and its wire format: sixty histories in every build, new ones each run
 * (a thousand per provider were run while it was written). A failure prints the shrunk history and jqwik's seed.
 */
class AwsConnectInvariantsTest {

    private static final Map<String, String> savedProperties = new HashMap<>();
    private static WireMockServer connect;

    @BeforeContainer
    static void start() {
        // the AWS SDK's default credentials chain reads these first
        setProperty("aws.accessKeyId", "AKIDMODELEXAMPLE0001");
        setProperty("aws.secretAccessKey", "model-secret-access-key");
        connect = new WireMockServer(wireMockConfig().dynamicPort());
        connect.start();
    }

    @AfterContainer
    static void stop() {
        connect.stop();
        savedProperties.forEach((k, v) -> {
            if (v == null) System.clearProperty(k);
            else System.setProperty(k, v);
        });
    }

    private static void setProperty(String key, String value) {
        savedProperties.put(key, System.getProperty(key));
        System.setProperty(key, value);
    }

    @Property(tries = 60)
    void everyHistoryKeepsTheMoneyPromises(@ForAll("histories") AwsConnectHistory history) {
        new AwsConnectModel(connect).run(history);
    }


    @Provide
    Arbitrary<AwsConnectHistory> histories() {
        return step().list().ofMinSize(1).ofMaxSize(20).map(AwsConnectHistory::new);
    }

    private static Arbitrary<AwsConnectHistory.Step> step() {
        return Arbitraries.frequencyOf(
                Tuple.of(2, place()),
                Tuple.of(6, Combinators.combine(Arbitraries.integers().between(0, 5), Arbitraries.integers().between(0, 4),
                        Arbitraries.of(true, false)).as(AwsConnectHistory.Deliver::new)),
                Tuple.of(1, Arbitraries.integers().between(1, 900).map(AwsConnectHistory.Reconcile::new)));
    }

    private static Arbitrary<AwsConnectHistory.Step> place() {
        Arbitrary<Start> start = Arbitraries.frequency(Tuple.of(6, Start.STARTED), Tuple.of(1, Start.REFUSED),
                Tuple.of(1, Start.SERVER_ERROR), Tuple.of(2, Start.RESET));
        return Combinators.combine(start, Arbitraries.integers().between(0, 3), Arbitraries.of(true, false),
                        Arbitraries.of(Life.class), Arbitraries.integers().between(3, 1800))
                .as(AwsConnectHistory.Place::new);
    }
}
