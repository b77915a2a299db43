package io.globalcalling.store.jdbi;

import io.globalcalling.CallCategory;
import io.globalcalling.core.GlobalCallingManager;
import io.globalcalling.core.campaign.CallingWindows;
import io.globalcalling.core.campaign.CampaignPolicy;
import io.globalcalling.core.campaign.CampaignProgress;
import io.globalcalling.core.campaign.NewCampaign;
import io.globalcalling.core.campaign.Outcome;
import io.globalcalling.core.campaign.Target;
import io.globalcalling.spi.ProviderConfig;
import io.globalcalling.spi.store.Campaign;
import io.globalcalling.spi.store.CampaignTarget;
import org.h2.jdbcx.JdbcConnectionPool;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 15: a campaign survives {@code kill -9}. A separate JVM runs the campaign against a dial stub in
 * this process and is killed (SIGKILL) at random points after it has started dialling, then restarted:
 * no target is lost, none is dialled twice, the counters equal the recorded attempts, and the
 * campaign completes with no operator action.
 */
class CampaignCrashTest {

    @TempDir
    Path logs;

    @Test
    @DisplayName("1,000 targets, killed at 3 random points: nothing lost, nothing dialled twice, counters exact")
    void survivesKills() throws Exception {
        run(1_000, 3, 200);
    }

    @Test
    @Tag("slow")
    @DisplayName("10,000 targets, killed at 20 random points: nothing lost, nothing dialled twice, counters exact")
    void survivesTwentyKills() throws Exception {
        run(10_000, 20, 600);
    }

    /**
     * @param callsPerSecond the campaign's pace: low enough that the kills, each up to 400 ms after its node's
     *                       first dial, land before the last target is dialled
     */
    private void run(int targets, int kills, int callsPerSecond) throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        JdbcConnectionPool pool = Postgres.newDatabase();
        try (JdbiCallingDatabase db = JdbiCallingDatabase.postgres(pool); CrashDialStub stub = new CrashDialStub()) {
            String id;
            try (GlobalCallingManager setup = GlobalCallingManager.builder().discoverProviders(false)
                    .config(ProviderConfig.empty()).store(db.callStore()).ledger(db.limitLedger())
                    .provider(new CrashStubProvider(stub.uri())).campaignNode("setup", Duration.ofSeconds(2),
                            Duration.ZERO, 1).build()) {
                id = setup.campaigns().create(NewCampaign.named("Crash").category(CallCategory.INTERNET_VOIP)
                        .policy(CampaignPolicy.builder().callsPerSecond(callsPerSecond).maxInFlight(200)
                                .windows(CallingWindows.always()).retry(Outcome.FAILED, Duration.ZERO, 5).build())
                        .build());
                setup.campaigns().addTargets(id, IntStream.range(0, targets)
                        .mapToObj(i -> Target.of("+9198765" + String.format("%05d", i))));
                setup.campaigns().start(id);
            }
            String url = Postgres.jdbcUrl(pool);
            int killed = 0;
            for (int k = 0; k < kills && !completed(db, id); k++) {
                Process child = spawn(url, stub, "node-" + k);
                int before = stub.dials();
                Instant until = Instant.now().plusSeconds(60);
                while (stub.dials() == before && child.isAlive() && Instant.now().isBefore(until)) Thread.sleep(5);
                Thread.sleep(random.nextInt(400));
                child.destroyForcibly();   // SIGKILL: no shutdown hook, no finally
                child.waitFor();
                killed++;
            }
            Process last = spawn(url, stub, "node-last");
            Instant deadline = Instant.now().plus(Duration.ofMinutes(5));
            while (!completed(db, id) && Instant.now().isBefore(deadline)) Thread.sleep(100);
            last.destroyForcibly();
            last.waitFor();

            String context = "seed " + seed + ", " + killed + " kills";
            assertThat(killed).as(context + ": every kill landed before the campaign ended").isEqualTo(kills);
            CampaignProgress p = progress(db, id);
            assertThat(p.status()).as(context).isEqualTo(Campaign.Status.COMPLETED);
            assertThat(db.callStore().targets(id)).as(context).hasSize(targets)
                    .allSatisfy(t -> assertThat(t.state()).isEqualTo(CampaignTarget.State.DONE));
            assertThat(stub.dialsByNumber()).as(context).hasSize(targets);
            assertThat(stub.dialsByNumber().values()).as(context + ": dials per number")
                    .allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
            long records = db.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM calling_call"
                    + " WHERE campaign_id = :c").bind("c", id).mapTo(Long.class).one());
            long open = db.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM calling_call"
                    + " WHERE campaign_id = :c AND terminal = FALSE").bind("c", id).mapTo(Long.class).one());
            assertThat(p.attempts()).as(context + ": attempts on the targets = call records").isEqualTo(records);
            assertThat(open).as(context).isZero();
            assertThat(p.completed()).as(context).isEqualTo(targets);
            assertThat(p.successful()).as(context).isEqualTo(targets);
        } finally {
            pool.dispose();
        }
    }

    private Process spawn(String url, CrashDialStub stub, String node) throws IOException {
        return ChildJvm.of(CrashChild.class, url, stub.uri().toString(), node)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(logs.resolve(node + ".log")
                        .toFile())).start();
    }

    private static boolean completed(JdbiCallingDatabase db, String id) {
        return db.callStore().findCampaign(id).orElseThrow().status() == Campaign.Status.COMPLETED;
    }

    private static CampaignProgress progress(JdbiCallingDatabase db, String id) {
        try (GlobalCallingManager reader = GlobalCallingManager.builder().discoverProviders(false)
                .config(ProviderConfig.empty()).store(db.callStore()).campaignNode("reader", Duration.ofSeconds(2),
                        Duration.ZERO, 1).build()) {
            return reader.campaigns().progress(id);
        }
    }
}
