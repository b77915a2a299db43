package io.globalcalling.load;

import io.globalcalling.store.jdbi.StoreSettings;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One run's settings, from {@code --name=value} options; what is not the harness's own goes to the simulator
 * ({@link SimulatorSettings}: {@code --time-scale}, {@code --talk-median}, {@code --answer-ratio}, …).
 *
 * @param calls      concurrent calls to ramp to and hold
 * @param hold       how long to hold them once reached
 * @param db         postgres (embedded, started by the harness) or h2 (a file of the run)
 * @param customers  load customers, each with an API key; calls go to them in turn
 * @param placers    threads placing calls at once
 * @param pool       the host's database connections
 * @param hostHeap   the host's -Xmx
 * @param rampTimeout  how long the ramp may take before the hold starts with what it reached
 * @param hangUp     whether every callee hangs up when the hold ends (a drain of seconds), or calls talk to their end
 * @param fastUnsafeDb  PostgreSQL with {@code synchronous_commit=off} (a crash may lose the last commits): faster,
 *                    not a production figure; off by default, when the server keeps its durable default
 * @param groupCommit  the JDBI store's group commit (on by default on PostgreSQL, off on H2)
 * @param groupCommitWriters  group commit's writer threads (the store's default, 1)
 * @param doc        the page the results are written into, or null for none
 * @param simulator  the options passed on to the simulator
 */
record LoadSettings(int calls, Duration hold, String db, int customers, int placers, int pool, String hostHeap,
                    Duration rampTimeout, boolean hangUp, boolean fastUnsafeDb, boolean groupCommit,
                    int groupCommitWriters, Path doc,
                    Map<String, String> simulator) {

    private static final Set<String> OWN = Set.of("calls", "hold", "db", "customers", "placers", "pool", "host-heap",
            "ramp-timeout", "hang-up", "fast-unsafe-db", "group-commit", "group-commit-writers", "doc");

    LoadSettings {
        if (calls < 1) throw new IllegalArgumentException("calls " + calls + " must be positive");
        if (hold.isNegative()) throw new IllegalArgumentException("hold " + hold + " must not be negative");
        if (!db.equals("postgres") && !db.equals("h2")) {
            throw new IllegalArgumentException("db '" + db + "' must be postgres or h2");
        }
        if (customers < 1) throw new IllegalArgumentException("customers " + customers + " must be positive");
        if (placers < 1) throw new IllegalArgumentException("placers " + placers + " must be positive");
        if (pool < 1) throw new IllegalArgumentException("pool " + pool + " must be positive");
        try {
            // the store's own rule, checked here so that a bad count fails before PostgreSQL starts
            StoreSettings.builder().groupCommitWriters(groupCommitWriters);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("group-commit-writers: " + e.getMessage(), e);
        }
        if (groupCommitWriters > 1 && !groupCommit) {
            throw new IllegalArgumentException("group-commit-writers " + groupCommitWriters + " needs group commit on");
        }
        if (fastUnsafeDb && !db.equals("postgres")) {
            throw new IllegalArgumentException("fast-unsafe-db is PostgreSQL's; db is '" + db + "'");
        }
        simulator = Map.copyOf(simulator);
        SimulatorSettings.from(simulator); // a bad simulator option fails here, before anything starts
    }

    static LoadSettings from(Map<String, String> args) {
        Map<String, String> simulator = new TreeMap<>(args);
        simulator.keySet().removeAll(OWN);
        String doc = args.getOrDefault("doc", "docs/LOAD.md");
        String db = args.getOrDefault("db", "postgres").toLowerCase(Locale.ROOT);
        return new LoadSettings(
                Integer.parseInt(args.getOrDefault("calls", "1000")),
                Args.duration(args.getOrDefault("hold", "60s")),
                db,
                Integer.parseInt(args.getOrDefault("customers", "8")),
                Integer.parseInt(args.getOrDefault("placers", "32")),
                Integer.parseInt(args.getOrDefault("pool", "32")),
                args.getOrDefault("host-heap", "2g"),
                Args.duration(args.getOrDefault("ramp-timeout", "10m")),
                Boolean.parseBoolean(args.getOrDefault("hang-up", "false")),
                Boolean.parseBoolean(args.getOrDefault("fast-unsafe-db", "false")),
                Boolean.parseBoolean(args.getOrDefault("group-commit", Boolean.toString(db.equals("postgres")))),
                Integer.parseInt(args.getOrDefault("group-commit-writers", "1")),
                doc.equals("none") ? null : Path.of(doc),
                simulator);
    }

    /** The database and how it commits, as the results name it. */
    String dbMode() {
        String commits = !groupCommit ? ", a commit per write"
                : groupCommitWriters == 1 ? ", group commit" : ", group commit on " + groupCommitWriters + " writers";
        if (db.equals("h2")) return "H2 (file" + commits + ")";
        return "PostgreSQL (embedded, " + (fastUnsafeDb ? "synchronous_commit OFF: fast, unsafe"
                : "durable commits") + commits + ")";
    }

    SimulatorSettings simulatorSettings() {
        return SimulatorSettings.from(simulator);
    }
}
