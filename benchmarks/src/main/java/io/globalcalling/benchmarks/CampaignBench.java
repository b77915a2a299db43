package io.globalcalling.benchmarks;

import io.globalcalling.CallCategory;
import io.globalcalling.CallRequest;
import io.globalcalling.CallStatus;
import io.globalcalling.Money;
import io.globalcalling.core.GlobalCallingManager;
import io.globalcalling.core.campaign.CallingWindows;
import io.globalcalling.core.campaign.CampaignPolicy;
import io.globalcalling.core.campaign.ImportReport;
import io.globalcalling.core.campaign.NewCampaign;
import io.globalcalling.core.campaign.Target;
import io.globalcalling.core.limits.Budget;
import io.globalcalling.spi.CallEvent;
import io.globalcalling.spi.CallingProvider;
import io.globalcalling.spi.OutboundCall;
import io.globalcalling.spi.PlacedCall;
import io.globalcalling.spi.ProviderCapabilities;
import io.globalcalling.spi.ProviderConfig;
import io.globalcalling.spi.ProviderCoverage;
import io.globalcalling.spi.Rate;
import io.globalcalling.spi.WebhookHandler;
import io.globalcalling.spi.WebhookRejectedException;
import io.globalcalling.spi.store.CallStore;
import io.globalcalling.spi.store.CampaignTarget;
import io.globalcalling.store.jdbi.JdbiCallingDatabase;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.Reader;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

/**
 * Campaign figures (issue 15), a measured main run from the benchmarks jar:
 * {@code java -cp benchmarks/target/benchmarks.jar io.globalcalling.benchmarks.CampaignBench}.
 * <ol>
 *   <li>importing 100,000 CSV rows into H2 (a file) and PostgreSQL (embedded): targets/s and the peak heap
 *       used while importing, sampled every 10 ms, against the heap before;</li>
 *   <li>the scheduler's cost per attempt against placing the same calls directly with {@code call(...)}, on the
 *       in-memory store with a provider that ends each call at once (so only the SDK's work is timed);</li>
 *   <li>claim throughput on PostgreSQL: one node, then two (each its own connection pool), claiming batches of
 *       100 until 20,000 targets are leased.</li>
 * </ol>
 */
public final class CampaignBench {

    private CampaignBench() {
    }

    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        Path dir = Files.createTempDirectory("campaign-bench");
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().setServerConfig("fsync", "off")
                .setServerConfig("synchronous_commit", "off").start()) {
            try (JdbiCallingDatabase h2 = JdbiCallingDatabase.h2File(dir.resolve("import"))) {
                importInto("H2 (file)", h2, rows);
            }
            try (JdbiCallingDatabase postgres = JdbiCallingDatabase.postgres(pg.getPostgresDatabase())) {
                importInto("PostgreSQL", postgres, rows);
            }
            schedulerOverhead(5_000);
            for (int nodes : new int[]{1, 2}) {
                try (JdbiCallingDatabase postgres = JdbiCallingDatabase.postgres(pg.getPostgresDatabase())) {
                    claims(pg, postgres, nodes, 20_000);
                }
            }
        }
    }

    private static GlobalCallingManager manager(CallStore store, CallingProvider provider) {
        return GlobalCallingManager.builder().discoverProviders(false).config(ProviderConfig.empty()).store(store)
                .provider(provider).limits(l -> l.rateWindows().budgets(Budget.daily(Money.inr("1000000000"))))
                .campaignNode("bench", Duration.ofSeconds(30), Duration.ZERO, 4).build();
    }

    private static void importInto(String name, JdbiCallingDatabase db, int rows) throws InterruptedException {
        try (GlobalCallingManager m = manager(db.callStore(), new InstantProvider())) {
            String id = m.campaigns().create(NewCampaign.named("Import").script("Hi {{name}}").build());
            System.gc();
            long before = usedHeap();
            AtomicLong peak = new AtomicLong(before);
            Thread sampler = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    peak.accumulateAndGet(usedHeap(), Math::max);
                    try {
                        Thread.sleep(10);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            sampler.start();
            long start = System.nanoTime();
            ImportReport report = m.campaigns().importCsv(id, new GeneratedCsv(rows));
            double seconds = (System.nanoTime() - start) / 1e9;
            sampler.interrupt();
            sampler.join();
            System.out.printf(Locale.ROOT, "import %-10s rows %,d added %,d in %.1f s: %,.0f targets/s; heap before %.1f MiB,"
                            + " peak %.1f MiB%n", name, rows, report.added(), seconds, report.added() / seconds,
                    before / 1048576.0, peak.get() / 1048576.0);
        }
    }

    private static void schedulerOverhead(int calls) {
        List<String> numbers = IntStream.range(0, calls).mapToObj(i -> "+9198" + (10_000_000 + i)).toList();
        for (int round = 0; round < 2; round++) {   // the first round warms up
            long direct;
            try (GlobalCallingManager m = manager(new io.globalcalling.core.store.InMemoryCallStore(), new InstantProvider())) {
                long start = System.nanoTime();
                for (String n : numbers) {
                    m.call(CallRequest.to(n).category(CallCategory.INTERNET_VOIP).customerId("bench").build());
                }
                direct = System.nanoTime() - start;
            }
            long scheduled;
            try (GlobalCallingManager m = manager(new io.globalcalling.core.store.InMemoryCallStore(), new InstantProvider())) {
                String id = m.campaigns().create(NewCampaign.named("Overhead").customerId("bench")
                        .category(CallCategory.INTERNET_VOIP).policy(CampaignPolicy.builder().callsPerSecond(1_000_000)
                                .maxInFlight(1_000).windows(CallingWindows.always()).build()).build());
                m.campaigns().addTargets(id, numbers.stream().map(Target::of));
                m.campaigns().start(id);
                long start = System.nanoTime();
                int placed = 0;
                while (placed < calls) placed += m.campaigns().runOnce();
                scheduled = System.nanoTime() - start;
            }
            if (round == 1) {
                System.out.printf(Locale.ROOT, "placement of %,d calls: direct %.1f µs/call, through a campaign %.1f µs/call"
                                + " (%.2f× direct; %.1f µs of scheduling per attempt)%n", calls, direct / 1e3 / calls,
                        scheduled / 1e3 / calls, (double) scheduled / direct, (scheduled - direct) / 1e3 / calls);
            }
        }
    }

    private static void claims(EmbeddedPostgres pg, JdbiCallingDatabase db, int nodes, int targets) throws Exception {
        CallStore store = db.callStore();
        String id = "claims-" + nodes;
        store.createCampaign(new io.globalcalling.spi.store.Campaign(id, "bench", "Claims", null, null, targets, 0, 0, 0,
                Money.inr("0"), io.globalcalling.spi.store.Campaign.Status.IN_PROGRESS, null, null, null, Instant.now()));
        Instant due = Instant.now();
        for (int from = 0; from < targets; from += 1_000) {
            store.addTargets(IntStream.range(from, from + 1_000).mapToObj(i -> CampaignTarget.pending(id, "t" + i,
                    "+9198" + (10_000_000 + i), java.util.Map.of(), due)).toList());
        }
        AtomicInteger claimed = new AtomicInteger();
        Thread[] threads = new Thread[nodes];
        List<JdbiCallingDatabase> pools = new java.util.ArrayList<>();
        for (int n = 0; n < nodes; n++) pools.add(n == 0 ? db : JdbiCallingDatabase.postgres(pg.getPostgresDatabase()));
        long start = System.nanoTime();
        for (int n = 0; n < nodes; n++) {
            CallStore node = pools.get(n).callStore();
            String owner = "node-" + n;
            threads[n] = new Thread(() -> {
                List<CampaignTarget> batch;
                do {
                    batch = node.claimTargets(id, 100, owner, Instant.now(), Instant.now().plusSeconds(600));
                    claimed.addAndGet(batch.size());
                } while (!batch.isEmpty());
            });
            threads[n].start();
        }
        for (Thread t : threads) t.join();
        double seconds = (System.nanoTime() - start) / 1e9;
        for (int n = 1; n < nodes; n++) pools.get(n).close();
        System.out.printf(Locale.ROOT, "claims on PostgreSQL, %d node(s): %,d targets in %.2f s: %,.0f targets/s%n", nodes,
                claimed.get(), seconds, claimed.get() / seconds);
    }

    private static long usedHeap() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** Ends every call at once, completed: only the SDK's own work is timed. */
    private static final class InstantProvider implements CallingProvider {
        private final AtomicLong ids = new AtomicLong();

        @Override
        public String id() {
            return "instant";
        }

        @Override
        public Set<CallCategory> categories() {
            return Set.of(CallCategory.INTERNET_VOIP, CallCategory.AI_AUTOMATED);
        }

        @Override
        public ProviderCapabilities capabilities() {
            return ProviderCapabilities.none();
        }

        @Override
        public ProviderCoverage coverage() {
            return ProviderCoverage.of(Set.of("IN"), false);
        }

        @Override
        public List<Rate> rates() {
            return List.of(Rate.perMinute(CallCategory.INTERNET_VOIP, "", Money.inr("1.00")),
                    Rate.perMinute(CallCategory.AI_AUTOMATED, "", Money.inr("2.00")));
        }

        @Override
        public PlacedCall place(OutboundCall call) {
            return PlacedCall.of("I-" + ids.incrementAndGet(), CallStatus.COMPLETED);
        }

        @Override
        public Optional<CallEvent> fetch(String providerCallId) {
            return Optional.empty();
        }

        @Override
        public void hangUp(String providerCallId) {
        }

        @Override
        public WebhookHandler webhooks() {
            return (request, context) -> {
                throw new WebhookRejectedException("no callbacks");
            };
        }
    }

    /** number,name rows made as they are read: the file never exists as a whole. */
    private static final class GeneratedCsv extends Reader {
        private final int rows;
        private int row = -1;
        private String current = "";
        private int pos;

        GeneratedCsv(int rows) {
            this.rows = rows;
        }

        @Override
        public int read(char[] buf, int off, int len) {
            if (pos == current.length()) {
                if (row >= rows) return -1;
                current = row < 0 ? "number,name\n" : "+9198" + (10_000_000 + row) + ",N" + row + "\n";
                row++;
                pos = 0;
            }
            int n = Math.min(len, current.length() - pos);
            current.getChars(pos, pos + n, buf, off);
            pos += n;
            return n;
        }

        @Override
        public void close() {
        }
    }
}
