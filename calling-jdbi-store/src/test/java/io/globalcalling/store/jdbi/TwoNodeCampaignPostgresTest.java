package io.globalcalling.store.jdbi;

import io.globalcalling.CallCategory;
import io.globalcalling.CallRecord;
import io.globalcalling.core.GlobalCallingManager;
import io.globalcalling.core.campaign.CallingWindows;
import io.globalcalling.core.campaign.CampaignPolicy;
import io.globalcalling.core.campaign.NewCampaign;
import io.globalcalling.core.campaign.OutcomeProvider;
import io.globalcalling.core.campaign.Target;
import io.globalcalling.spi.ProviderConfig;
import io.globalcalling.spi.store.Campaign;
import org.h2.jdbcx.JdbcConnectionPool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 15: two managers on one PostgreSQL run one campaign: each target once, the pace held across both. */
class TwoNodeCampaignPostgresTest {

    /** Eight seconds of calls at the pace: enough whole seconds to see the cap held across both nodes. */
    private static final int TARGETS = 2_000;
    private static final int CPS = 250;

    private final JdbcConnectionPool pool = Postgres.newDatabase();
    private final JdbiCallingDatabase database = JdbiCallingDatabase.postgres(pool);
    private final OutcomeProvider providerA = new OutcomeProvider("op");
    private final OutcomeProvider providerB = new OutcomeProvider("op");
    private GlobalCallingManager nodeA;
    private GlobalCallingManager nodeB;

    @AfterEach
    void close() {
        if (nodeA != null) nodeA.close();
        if (nodeB != null) nodeB.close();
        database.close();
        pool.dispose();
    }

    private GlobalCallingManager node(String name, OutcomeProvider provider) {
        return GlobalCallingManager.builder().discoverProviders(false).config(ProviderConfig.empty())
                .store(database.callStore()).ledger(database.limitLedger()).provider(provider)
                .limits(l -> l.rateWindows())
                .campaignNode(name, Duration.ofSeconds(30), Duration.ofMillis(20), 4).build();
    }

    @Test
    @DisplayName("2,000 targets over two nodes: each attempted once, never more than callsPerSecond in any second")
    void twoNodesShareOneCampaign() throws InterruptedException {
        GlobalCallingManager setup = node("setup", new OutcomeProvider("op"));
        String id = setup.campaigns().create(NewCampaign.named("Shared").category(CallCategory.INTERNET_VOIP)
                .policy(CampaignPolicy.builder().callsPerSecond(CPS).maxInFlight(1_000)
                        .windows(CallingWindows.always()).build()).build());
        setup.campaigns().addTargets(id, IntStream.range(0, TARGETS)
                .mapToObj(i -> Target.of("+9198765" + String.format("%05d", i))));
        setup.close();
        nodeA = node("node-a", providerA);
        nodeB = node("node-b", providerB);

        nodeB.campaigns().start(id);
        nodeA.campaigns().start(id);   // a second start from another node changes nothing
        Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
        while (nodeA.campaigns().find(id).status() != Campaign.Status.COMPLETED && Instant.now().isBefore(deadline)) {
            Thread.sleep(200);
        }

        assertThat(nodeA.campaigns().progress(id).status()).isEqualTo(Campaign.Status.COMPLETED);
        assertThat(providerA.received()).isNotEmpty();
        assertThat(providerB.received()).isNotEmpty();
        List<String> dialled = java.util.stream.Stream.concat(providerA.received().stream(),
                providerB.received().stream()).map(c -> c.to().value()).toList();
        assertThat(dialled).hasSize(TARGETS).doesNotHaveDuplicates();
        assertThat(nodeA.campaigns().progress(id).attempts()).isEqualTo(TARGETS);

        Map<Long, Integer> perSecond = new TreeMap<>();
        for (int i = 0; i < TARGETS; i++) {
            for (CallRecord r : database.callStore().findByNumber("+9198765" + String.format("%05d", i), 5)) {
                perSecond.merge(Instant.parse(r.metadata().get("campaignAttemptAt")).getEpochSecond(), 1, Integer::sum);
            }
        }
        assertThat(perSecond.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(TARGETS);
        assertThat(perSecond.values()).as("calls started per second").allMatch(n -> n <= CPS);
    }
}
