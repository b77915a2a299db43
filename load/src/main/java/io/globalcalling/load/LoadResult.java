package io.globalcalling.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A run's figures and audit, as text and as a section of docs/LOAD.md. */
record LoadResult(LoadSettings settings, double loadAverage, Duration ramp, long heldMin, long heldMax, double heldMean,
                  long placed, double placedPerSecond, Duration drain, double cpuSecondsPerCall,
                  long heapIdle, long heapPlateau, long heapCalls, double commitsPerCall,
                  Map<String, Object> simulator, Map<String, Object> host, List<Audit.Check> audit) {

    boolean auditPassed() {
        return !audit.isEmpty() && audit.stream().allMatch(Audit.Check::passed);
    }

    /** The section of docs/LOAD.md this run writes: one per number of calls, database and commit mode. */
    String key() {
        boolean defaultGroupCommit = settings.db().equals("postgres");
        return settings.calls() + "-" + settings.db() + (settings.fastUnsafeDb() ? "-fast-unsafe" : "")
                + (settings.groupCommit() == defaultGroupCommit ? "" : settings.groupCommit() ? "-group-commit" : "-no-group-commit")
                + (settings.groupCommitWriters() == 1 ? "" : "-" + settings.groupCommitWriters() + "-writers");
    }

    String markdown() {
        StringBuilder s = new StringBuilder();
        s.append("### ").append(settings.calls()).append(" concurrent calls on ")
                .append(settings.dbMode()).append("\n\n");
        s.append("Run ").append(LocalDate.now(ZoneOffset.UTC)).append(" on ")
                .append(Runtime.getRuntime().availableProcessors()).append(" cores, load average ")
                .append(String.format(Locale.ROOT, "%.1f", loadAverage)).append(" at the start; options ")
                .append(options()).append(".\n\n");
        s.append("| figure | value |\n|---|---|\n");
        row(s, "calls placed (API 201)", Long.toString(placed));
        row(s, "calls placed per second (ramp and hold)", f1(placedPerSecond));
        row(s, "ramp to the target", seconds(ramp));
        row(s, "concurrent calls held at the simulator (min / mean / max, each second of the hold)",
                heldMin + " / " + f1(heldMean) + " / " + heldMax);
        row(s, "most calls in progress at once", String.valueOf(simulator.get("maxActive")));
        row(s, "callback handling latency p50 / p99 / max (send to the host's 2xx)",
                ms(simulator, "callbackLatencyP50Micros") + " / " + ms(simulator, "callbackLatencyP99Micros") + " / "
                        + ms(simulator, "callbackLatencyMaxMicros"));
        row(s, "host CPU seconds per call", String.format(Locale.ROOT, "%.4f", cpuSecondsPerCall));
        row(s, "host heap per in-flight call", heapCalls <= 0 ? "n/a"
                : String.format(Locale.ROOT, "%.0f B ((%d MB at the plateau - %d MB idle) / %d calls)",
                (double) (heapPlateau - heapIdle) / heapCalls, heapPlateau >> 20, heapIdle >> 20, heapCalls));
        row(s, "database commits per call", commitsPerCall < 0 ? "n/a (H2 does not count them)" : f1(commitsPerCall));
        row(s, "drain (last call placed to every call ended and recorded)", seconds(drain));
        row(s, "outcomes at the simulator", String.valueOf(simulator.get("outcomes")));
        s.append("\nAudit: **").append(auditPassed() ? "clean" : "FAILED").append("**\n\n");
        for (Audit.Check c : audit) {
            s.append("- ").append(c.passed() ? "[x] " : "[ ] ").append(c.name()).append(": ").append(c.detail())
                    .append('\n');
        }
        return s.toString();
    }

    /** Replaces this run's section of {@code doc} (between its markers), or appends one. */
    static void writeInto(Path doc, LoadResult result) throws IOException {
        String begin = "<!-- run " + result.key() + " -->";
        String end = "<!-- /run " + result.key() + " -->";
        String section = begin + "\n" + result.markdown() + end + "\n";
        String text = Files.exists(doc) ? Files.readString(doc, StandardCharsets.UTF_8) : "# Load\n\n";
        int from = text.indexOf(begin);
        int to = text.indexOf(end);
        if (from >= 0 && to > from) {
            String after = text.substring(to + end.length());
            text = text.substring(0, from) + section + (after.startsWith("\n") ? after.substring(1) : after);
        } else {
            text = text + (text.endsWith("\n\n") ? "" : "\n") + section;
        }
        Files.writeString(doc, text, StandardCharsets.UTF_8);
    }

    private String options() {
        List<String> o = new ArrayList<>(List.of("--calls " + settings.calls(), "--hold " + seconds(settings.hold()),
                "--db " + settings.db(), "--customers " + settings.customers(), "--placers " + settings.placers(),
                "--pool " + settings.pool()));
        if (settings.hangUp()) o.add("--hang-up true");
        if (settings.fastUnsafeDb()) o.add("--fast-unsafe-db");
        o.add("--group-commit " + settings.groupCommit());
        if (settings.groupCommitWriters() != 1) o.add("--group-commit-writers " + settings.groupCommitWriters());
        settings.simulator().forEach((k, v) -> o.add("--" + k + " " + v));
        return "`" + String.join(" ", o) + "`";
    }

    private static void row(StringBuilder s, String name, String value) {
        s.append("| ").append(name).append(" | ").append(value).append(" |\n");
    }

    private static String f1(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }

    private static String ms(Map<String, Object> stats, String key) {
        return String.format(Locale.ROOT, "%.1f ms", Audit.number(stats, key) / 1000.0);
    }

    /** Collects the figures as the run goes. */
    static final class Builder {
        private final LoadSettings settings;
        private final double loadAverage;
        private Duration ramp = Duration.ZERO;
        private long heldMin = Long.MAX_VALUE;
        private long heldMax;
        private long heldSum;
        private long heldSamples;
        private long placed;
        private double placedPerSecond;
        private Duration drain = Duration.ZERO;
        private double cpuSecondsPerCall;
        private long heapIdle;
        private long heapPlateau;
        private long heapCalls;
        private double commitsPerCall = -1;
        private Map<String, Object> simulator = Map.of();
        private Map<String, Object> host = Map.of();
        private List<Audit.Check> audit = List.of();

        Builder(LoadSettings settings, double loadAverage) {
            this.settings = settings;
            this.loadAverage = loadAverage;
        }

        void ramp(Duration d) {
            ramp = d;
        }

        void held(long active) {
            heldMin = Math.min(heldMin, active);
            heldMax = Math.max(heldMax, active);
            heldSum += active;
            heldSamples++;
        }

        void heap(long idle, long plateau, long calls) {
            heapIdle = idle;
            heapPlateau = plateau;
            heapCalls = calls;
        }

        void placed(long calls, Duration placing) {
            placed = calls;
            placedPerSecond = calls / Math.max(0.001, placing.toMillis() / 1000.0);
        }

        void drain(Duration d) {
            drain = d;
        }

        void cpuSecondsPerCall(double v) {
            cpuSecondsPerCall = v;
        }

        void commitsPerCall(double v) {
            commitsPerCall = v;
        }

        void stats(Map<String, Object> simulatorStats, Map<String, Object> hostStats) {
            simulator = simulatorStats;
            host = hostStats;
        }

        void audit(List<Audit.Check> checks) {
            audit = checks;
        }

        LoadResult build() {
            return new LoadResult(settings, loadAverage, ramp, heldSamples == 0 ? 0 : heldMin, heldMax,
                    heldSamples == 0 ? 0 : (double) heldSum / heldSamples, placed, placedPerSecond, drain,
                    cpuSecondsPerCall, heapIdle, heapPlateau, heapCalls, commitsPerCall, simulator, host, audit);
        }
    }
}
