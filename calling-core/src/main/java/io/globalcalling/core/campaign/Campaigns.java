package io.globalcalling.core.campaign;

import io.globalcalling.Money;
import io.globalcalling.spi.store.CallStore;
import io.globalcalling.spi.store.Campaign;
import io.globalcalling.spi.store.CampaignTarget;
import io.globalcalling.spi.store.DuplicateCampaignException;
import io.globalcalling.spi.store.TargetCounts;
import io.globalcalling.core.Subscription;
import io.globalcalling.core.campaign.internal.CsvRows;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Bulk calling campaigns, from {@code GlobalCallingManager.campaigns()}: create one, add its targets
 * (a list, a stream or a CSV file, streamed in batches), start it, and follow its progress. Every
 * state change is a conditional write in the store, so {@link #start}, {@link #pause}, {@link #resume}
 * and {@link #cancel} are idempotent and safe from any node; several managers sharing one database run
 * one campaign together. Thread-safe.
 *
 * <pre>{@code
 * String id = calling.campaigns().create(NewCampaign.named("Renewals").category(CallCategory.AI_AUTOMATED)
 *         .script("Hello {{name}}, your plan renews on {{date}}.")
 *         .policy(CampaignPolicy.builder().callsPerSecond(5).retry(Outcome.BUSY, Duration.ofMinutes(10), 3).build())
 *         .build());
 * calling.campaigns().importCsv(id, Path.of("renewals.csv"));   // number,name,date
 * calling.campaigns().start(id);
 * }</pre>
 */
public final class Campaigns implements AutoCloseable {

    /** Targets written to the store per batch while importing. */
    static final int IMPORT_BATCH = 1000;

    private final CallStore store;
    private final CampaignRunner runner;
    private final TargetCheck check;
    private final Clock clock;
    private final java.util.Currency currency;
    private volatile @Nullable Duration tick;

    Campaigns(CallStore store, CampaignRunner runner, TargetCheck check, Clock clock, java.util.Currency currency) {
        this.store = store;
        this.runner = runner;
        this.check = check;
        this.clock = clock;
        this.currency = currency;
    }

    /** Builds the campaigns of a manager; the manager calls it. */
    public static Campaigns of(CampaignParts parts) {
        Objects.requireNonNull(parts, "parts");
        CampaignRunner runner = new CampaignRunner(parts);
        return new Campaigns(parts.store(), runner, new TargetCheck(parts.numbers()), parts.clock(),
                parts.limits().currency());
    }

    // ---------------------------------------------------------------- creating

    /**
     * Records a new campaign, status {@code scheduled}: it starts at its {@code scheduledAt}, or when
     * {@link #start} is called. Add its targets before or after. A spec with an idempotency key its customer
     * already used records nothing and returns the id of the campaign created under that key; see
     * {@link #createOnce}.
     *
     * @return the campaign's id
     * @throws IllegalStateException when the key's campaign was created from other settings
     */
    public String create(NewCampaign spec) {
        return createOnce(spec).campaign().campaignId();
    }

    /**
     * Like {@link #create}, and tells whether the campaign is new or was {@linkplain CampaignCreation#replayed()
     * found} under the spec's idempotency key (across nodes too: racing creates with one key record one campaign).
     * A replay must ask for the same campaign: the same name, category, script, start time, policy, purpose,
     * caller id and {@linkplain NewCampaign#requestFingerprint() request fingerprint} (a digest of the targets the
     * caller will add, so that a retry with other targets is refused rather than answered with the first campaign).
     * A replay's caller adds its targets again with {@link #addTargets(CampaignCreation, List)} or
     * {@link #importCsv(CampaignCreation, Reader)}, which finish an import the first request left undone.
     *
     * @throws IllegalArgumentException when every call would be refused for its settings (a caller id that is not a
     *                                  valid number, a category that cannot reach phone numbers, ai_automated without
     *                                  a script, or a notification or alert without a category or script, which
     *                                  routing sends as ai_automated); nothing is recorded
     * @throws IllegalStateException when the key's campaign was created from other settings or another request
     */
    public CampaignCreation createOnce(NewCampaign spec) {
        Objects.requireNonNull(spec, "spec");
        check.checkSettings(spec);
        String id = "cmp_" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1);
        // in microseconds, as a database keeps it: a replay compares its start time with the one read back
        Instant scheduledAt = spec.scheduledAt() == null ? null : spec.scheduledAt().truncatedTo(ChronoUnit.MICROS);
        Campaign campaign = new Campaign(id, spec.customerId(), spec.name(), spec.category(), spec.script(), 0, 0, 0,
                0, Money.zero(currency), Campaign.Status.SCHEDULED, scheduledAt, null, null, clock.instant(),
                CampaignSettings.of(spec).toText(), null, spec.idempotencyKey());
        try {
            store.createCampaign(campaign);
        } catch (DuplicateCampaignException e) {
            Campaign earlier = require(e.existingCampaignId());
            if (!sameSettings(earlier, campaign)) {
                throw new IllegalStateException("idempotency key '" + spec.idempotencyKey() + "' was used for campaign '"
                        + earlier.campaignId() + "' (\"" + earlier.name() + "\") with other settings or targets;"
                        + " a different campaign needs a new key");
            }
            return new CampaignCreation(earlier, true);
        }
        scheduling();
        return new CampaignCreation(campaign, false);
    }

    private static boolean sameSettings(Campaign earlier, Campaign asked) {
        return earlier.name().equals(asked.name()) && earlier.category() == asked.category()
                && Objects.equals(earlier.scriptTemplate(), asked.scriptTemplate())
                && Objects.equals(earlier.scheduledAt(), asked.scheduledAt())
                && Objects.equals(earlier.policy(), asked.policy());
    }

    /** Adds targets from a list; see {@link #addTargets(String, Stream)}. */
    public ImportReport addTargets(String campaignId, List<Target> targets) {
        Objects.requireNonNull(targets, "targets");
        return addTargets(campaignId, targets.stream());
    }

    /**
     * Adds targets as they come, {@value #IMPORT_BATCH} at a time. A target whose number is invalid, whose
     * time zone is unknown, or who lacks a value the script needs is skipped and reported with its
     * 1-based position; a number already in the campaign is counted as a duplicate.
     *
     * @throws IllegalArgumentException when the campaign does not exist
     * @throws IllegalStateException    when it is completed or cancelled
     */
    public ImportReport addTargets(String campaignId, Stream<Target> targets) {
        Objects.requireNonNull(targets, "targets");
        return addTargets(openForTargets(campaignId), targets);
    }

    /**
     * Adds the targets of the request that {@link #createOnce} answered with {@code creation}. For a new campaign
     * this is {@link #addTargets(String, List)}. On a {@linkplain CampaignCreation#replayed() replay} the targets are
     * added again, whatever the campaign's status: the first request may have failed partway through its import
     * (the store down, the node stopped) after the campaign was recorded, and its retry is the only request that
     * still holds the rest. The store skips every number already in the campaign, so only what the first left
     * undone is added, once; a campaign completed meanwhile works again for what is added, and one cancelled
     * meanwhile records it as skipped.
     */
    public ImportReport addTargets(CampaignCreation creation, List<Target> targets) {
        Objects.requireNonNull(creation, "creation");
        Objects.requireNonNull(targets, "targets");
        return addTargets(forCreation(creation), targets.stream());
    }

    private ImportReport addTargets(Campaign c, Stream<Target> targets) {
        Importer importer = new Importer(c);
        long[] position = {0};
        targets.forEachOrdered(t -> importer.add(++position[0], t));
        return importer.finish();
    }

    /**
     * Why an import into a campaign created from {@code spec} would skip {@code target} (its number, its time zone, a
     * value the script needs), reported at {@code line}; empty when it would be added. Records nothing: a caller that
     * refuses a request with a bad target checks each before {@link #create}.
     */
    public Optional<ImportProblem> problem(NewCampaign spec, long line, Target target) {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(target, "target");
        Set<String> placeholders = spec.script() == null ? Set.of()
                : io.globalcalling.core.internal.ScriptTemplate.placeholders(spec.script());
        return Optional.ofNullable(check.problem(line, target, placeholders));
    }

    /** Imports targets from a UTF-8 CSV file; see {@link #importCsv(String, Reader)}. */
    public ImportReport importCsv(String campaignId, Path csv) {
        Objects.requireNonNull(csv, "csv");
        try (Reader in = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
            return importCsv(campaignId, in);
        } catch (IOException e) {
            throw new UncheckedIOException("CSV file '" + csv + "' could not be read", e);
        }
    }

    /**
     * Imports targets from CSV with a header row: a {@code number} column (E.164), an optional
     * {@code timezone} column (an IANA id overriding the number's zone), and any other column as a script
     * variable of that name. Read one row at a time, so 100,000 rows never sit in memory together. A bad
     * row is skipped and reported with its line number; the rest are imported (a quote never closed takes the rest
     * of the file into its row, which is reported so).
     *
     * @throws IllegalArgumentException for a header without a {@code number} column, or an unknown campaign
     */
    public ImportReport importCsv(String campaignId, Reader csv) {
        Objects.requireNonNull(csv, "csv");
        return importCsv(openForTargets(campaignId), csv);
    }

    /**
     * Imports the CSV of the request that {@link #createOnce} answered with {@code creation}; on a replay, again,
     * to finish what the first request left undone, as {@link #addTargets(CampaignCreation, List)} does.
     */
    public ImportReport importCsv(CampaignCreation creation, Reader csv) {
        Objects.requireNonNull(creation, "creation");
        Objects.requireNonNull(csv, "csv");
        return importCsv(forCreation(creation), csv);
    }

    /**
     * Checks the header row of a CSV as {@link #importCsv(String, Reader)} reads it, recording nothing: a caller that
     * creates a campaign for the file checks it first, so that no campaign is recorded for a file its import refuses.
     * Reads only the header row (a quote it never closes takes in the rest of the file).
     *
     * @throws IllegalArgumentException for an empty file, a header row whose quote is never closed, or a header
     *                                  without a {@code number} column
     */
    public static void checkCsvHeader(Reader csv) {
        Objects.requireNonNull(csv, "csv");
        header(new CsvRows(csv instanceof BufferedReader ? csv : new BufferedReader(csv)));
    }

    /** The header row, read from the start of {@code rows}, that has a number column. */
    private static List<String> header(CsvRows rows) {
        List<String> header;
        try {
            header = rows.next();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("CSV header row is not valid CSV: " + e.getMessage(), e);
        }
        if (header == null || indexOf(header, "number") < 0) {
            // not quoted: a file without a header row has a recipient's number and values on its first line
            throw new IllegalArgumentException(header == null
                    ? "CSV is empty: it needs a header row with a 'number' column"
                    : "CSV header has no 'number' column: the first line must name the columns (number, an optional"
                    + " timezone, the script's variables), not hold a target");
        }
        return header;
    }

    private ImportReport importCsv(Campaign c, Reader csv) {
        CsvRows rows = new CsvRows(csv instanceof BufferedReader ? csv : new BufferedReader(csv));
        List<String> header = header(rows);
        int numberColumn = indexOf(header, "number");
        int zoneColumn = indexOf(header, "timezone");
        Importer importer = new Importer(c);
        while (true) {
            List<String> row;
            try {
                row = rows.next();
            } catch (IllegalArgumentException e) {
                // a quote never closed runs to the end of the file: that row is bad and nothing follows it
                importer.problem(new ImportProblem(rows.recordLine(), "row", "", e.getMessage()
                        + "; the rest of the file is inside it and was not imported"));
                break;
            }
            if (row == null) break;
            if (row.isEmpty()) continue;
            long line = rows.recordLine();
            if (row.size() != header.size()) {
                importer.problem(new ImportProblem(line, "row", String.join(",", row), "line " + line + " has "
                        + row.size() + " fields but the header has " + header.size()));
                continue;
            }
            Map<String, String> variables = new java.util.LinkedHashMap<>();
            for (int i = 0; i < header.size(); i++) {
                if (i != numberColumn && i != zoneColumn) variables.put(header.get(i).trim(), row.get(i));
            }
            String zone = zoneColumn < 0 || row.get(zoneColumn).isBlank() ? null : row.get(zoneColumn).trim();
            importer.add(line, new Target(row.get(numberColumn).trim(), variables, zone));
        }
        return importer.finish();
    }

    private static int indexOf(List<String> header, String column) {
        for (int i = 0; i < header.size(); i++) {
            if (header.get(i).trim().equalsIgnoreCase(column)) return i;
        }
        return -1;
    }

    /** A new campaign must still take targets; a replayed one takes its request's again whatever its status. */
    private Campaign forCreation(CampaignCreation creation) {
        String id = creation.campaign().campaignId();
        return creation.replayed() ? require(id) : openForTargets(id);
    }

    private Campaign openForTargets(String campaignId) {
        Campaign c = require(campaignId);
        if (c.isFinished()) {
            throw new IllegalStateException("campaign '" + campaignId + "' is " + c.status().wireName()
                    + "; it takes no more targets");
        }
        return c;
    }

    /** Checks and batches targets; one per import. */
    private final class Importer {
        private final Campaign campaign;
        private final Set<String> placeholders;
        private final List<CampaignTarget> batch = new ArrayList<>(IMPORT_BATCH);
        private final List<ImportProblem> problems = new ArrayList<>();
        private long added;
        private long offered;
        private long skipped;

        Importer(Campaign campaign) {
            this.campaign = campaign;
            this.placeholders = campaign.scriptTemplate() == null ? Set.of()
                    : io.globalcalling.core.internal.ScriptTemplate.placeholders(campaign.scriptTemplate());
        }

        void add(long line, Target t) {
            ImportProblem problem = check.problem(line, t, placeholders);
            if (problem != null) {
                problem(problem);
                return;
            }
            // kept in E.164 form: the do-not-call list and the duplicate check compare numbers as written
            String number = TargetCheck.e164(t.number());
            // a number that rings in one zone keeps it, so that the store can count targets by zone
            String zone = t.timeZone() != null ? t.timeZone() : runner.zoneOf(number);
            batch.add(CampaignTarget.pending(campaign.campaignId(), number, number, t.variables(),
                    clock.instant(), zone));
            offered++;
            if (batch.size() == IMPORT_BATCH) flush();
        }

        void problem(ImportProblem p) {
            skipped++;
            if (problems.size() < ImportReport.MAX_PROBLEMS) problems.add(p);
        }

        private void flush() {
            if (batch.isEmpty()) return;
            int stored = store.addTargets(List.copyOf(batch));
            batch.clear();
            added += stored;
            if (stored > 0) runner.targetsAdded(campaign.campaignId());
        }

        ImportReport finish() {
            flush();
            store.setCampaignTotal(campaign.campaignId(), store.countTargets(campaign.campaignId()).total());
            return new ImportReport(added, offered - added, skipped, problems);
        }
    }

    // ---------------------------------------------------------------- controlling

    /**
     * Starts a scheduled campaign now. Starting a running campaign changes nothing.
     *
     * @throws IllegalArgumentException when the campaign does not exist
     * @throws IllegalStateException    when it is paused (resume it), completed or cancelled
     */
    public void start(String campaignId) {
        runner.start(require(campaignId));
        scheduling();
    }

    /**
     * Pauses a scheduled or running campaign: nothing more is placed until {@link #resume}; calls in
     * flight finish. Pausing a paused campaign changes nothing.
     *
     * @throws IllegalStateException when it is completed or cancelled
     */
    public void pause(String campaignId) {
        runner.pause(require(campaignId), "paused by the host");
    }

    /**
     * Resumes a paused campaign. Resuming a running one changes nothing.
     *
     * @throws IllegalStateException when it is scheduled (start it), completed or cancelled
     */
    public void resume(String campaignId) {
        runner.resume(require(campaignId));
        scheduling();
    }

    /**
     * Cancels a campaign: nothing more is placed; calls in flight finish and are counted, and every other
     * open target is finished as skipped (outcome {@code canceled}). Cancelling a cancelled campaign changes
     * nothing.
     *
     * @throws IllegalStateException when it is completed
     */
    public void cancel(String campaignId) {
        runner.cancel(require(campaignId));
        runner.skipOpenTargets(require(campaignId));
    }

    /**
     * Runs one scheduling pass on this node: starts due scheduled campaigns, resumes those whose budget
     * has room again, claims due targets of running campaigns within their pace and places their calls.
     * The manager runs it on its own thread; a host that drives time itself (tests) calls it directly.
     *
     * @return how many calls the pass placed
     */
    public int runOnce() {
        return runner.runOnce();
    }

    // ---------------------------------------------------------------- reading

    /**
     * The campaign as stored.
     *
     * @throws IllegalArgumentException when it does not exist
     */
    public Campaign find(String campaignId) {
        return require(campaignId);
    }

    /**
     * The newest campaigns first, by creation time then id: one customer's, or every customer's when
     * {@code customerId} is null.
     *
     * @param limit how many at most, 1 to {@value CallStore#MAX_CUSTOMER_CAMPAIGNS}
     * @throws IllegalArgumentException when the limit is outside 1 to {@value CallStore#MAX_CUSTOMER_CAMPAIGNS}
     */
    public List<Campaign> list(@Nullable String customerId, int limit) {
        if (limit < 1 || limit > CallStore.MAX_CUSTOMER_CAMPAIGNS) {
            throw new IllegalArgumentException("limit " + limit + " must be between 1 and "
                    + CallStore.MAX_CUSTOMER_CAMPAIGNS);
        }
        return store.findCampaignsByCustomer(customerId, limit);
    }

    public CampaignPolicy policy(String campaignId) {
        return CampaignSettings.fromText(require(campaignId).policy()).policy();
    }

    /**
     * Counters, cost and the time the rest takes at the campaign's pace, within its calling windows: the hours they are
     * closed in every zone its pending targets ring in are skipped.
     */
    public CampaignProgress progress(String campaignId) {
        Campaign c = require(campaignId);
        TargetCounts n = store.countTargets(campaignId);
        CampaignPolicy policy = CampaignSettings.fromText(c.policy()).policy();
        Duration remaining = c.isFinished() || n.open() == 0 ? null : runner.withinWindows(policy.windows(),
                store.countPendingTargetsByZone(campaignId).keySet(), clock.instant(), remaining(n.open(), policy));
        int refused = Math.max(0, n.failed() - c.failedCalls());
        return new CampaignProgress(campaignId, c.status(), c.statusReason(), n.total(), n.pending(), n.inFlight(),
                c.completedCalls(), c.successfulCalls(), c.failedCalls(), n.skipped(), refused, n.retrying(),
                n.attempts(), c.totalCost(), remaining);
    }

    /**
     * How long {@code open} calls take at the policy's pace: started at most callsPerSecond a second, the last one
     * talking its expected time, and with at most maxInFlight under way at once, each holding its place for that time.
     */
    private static Duration remaining(int open, CampaignPolicy policy) {
        Duration talk = policy.expectedTalkTime();
        Duration started = Duration.ofSeconds((open + policy.callsPerSecond() - 1) / policy.callsPerSecond()).plus(talk);
        Duration inWaves = talk.multipliedBy((open + policy.maxInFlight() - 1) / policy.maxInFlight());
        return started.compareTo(inWaves) >= 0 ? started : inWaves;
    }

    /**
     * How many of the campaign's pending targets wait for their calling windows (in the recipient's local time) to
     * open: the runner would hold them back now. The store counts them by zone (a number in several zones counts
     * apart); the targets themselves are not read.
     */
    public int waitingForCallingHours(String campaignId) {
        CampaignPolicy policy = CampaignSettings.fromText(require(campaignId).policy()).policy();
        Instant now = clock.instant();
        int waiting = 0;
        for (Map.Entry<String, Integer> zone : store.countPendingTargetsByZone(campaignId).entrySet()) {
            if (runner.outsideWindows(policy.windows(), zone.getKey(), now)) waiting += zone.getValue();
        }
        return waiting;
    }

    /** What the open targets are expected to cost, against the customer's tightest remaining budget. */
    public CampaignEstimate estimate(String campaignId) {
        return runner.estimate(require(campaignId));
    }

    /**
     * Writes the campaign's report as CSV: one row per attempt of each target (a target never attempted
     * has one row with empty call columns), paged from the store. {@code cost} is the attempt's settled
     * cost; {@code target_cost} is the sum over all of the target's attempts.
     */
    public void exportReport(String campaignId, Appendable out) {
        Objects.requireNonNull(out, "out");
        runner.exportReport(require(campaignId), out);
    }

    // ---------------------------------------------------------------- do-not-call list

    /** Puts {@code number} on the customer's do-not-call list; checked before every attempt. */
    public boolean suppress(String customerId, String number) {
        return store.suppress(Objects.requireNonNull(customerId, "customerId"), TargetCheck.e164(number));
    }

    public boolean unsuppress(String customerId, String number) {
        return store.unsuppress(Objects.requireNonNull(customerId, "customerId"), TargetCheck.e164(number));
    }

    public boolean isSuppressed(String customerId, String number) {
        return store.isSuppressed(Objects.requireNonNull(customerId, "customerId"), TargetCheck.e164(number));
    }

    // ---------------------------------------------------------------- events

    /**
     * Tells {@code listener} of campaign events (started, paused, resumed, cancelled, target done, retry
     * scheduled, completed) that this node sees.
     *
     * @return closing it removes the listener
     */
    public Subscription onEvent(Consumer<? super CampaignEvent> listener) {
        return runner.onEvent(listener);
    }

    /** Starts the background scheduler, which runs {@link #runOnce} every {@code tick}. */
    public void startScheduler(Duration tick) {
        runner.startScheduler(tick);
    }

    /**
     * Schedules every {@code tick} from now when the store holds an unfinished campaign, else from the
     * first campaign created, started or resumed through this instance, or found in the store (another node's) by a
     * look once a lease until then; the manager calls it.
     */
    public void scheduleEvery(Duration tick) {
        Objects.requireNonNull(tick, "tick");
        this.tick = tick;
        if (holdsUnfinishedCampaign()) {
            runner.startScheduler(tick);
        } else {
            // a campaign another node created is worked here too, and taken up here should that node stop
            runner.lookOutUntilScheduled(() -> {
                if (holdsUnfinishedCampaign()) scheduling();
            });
        }
    }

    private boolean holdsUnfinishedCampaign() {
        for (Campaign.Status s : List.of(Campaign.Status.IN_PROGRESS, Campaign.Status.SCHEDULED, Campaign.Status.PAUSED)) {
            if (!store.findCampaigns(s, 1).isEmpty()) return true;
        }
        return false;
    }

    private void scheduling() {
        Duration t = tick;
        if (t != null) runner.startScheduler(t);
    }

    @Override
    public void close() {
        runner.close();
    }

    private Campaign require(String campaignId) {
        Objects.requireNonNull(campaignId, "campaignId");
        return store.findCampaign(campaignId).orElseThrow(() -> new IllegalArgumentException(
                "campaignId '" + campaignId + "' does not exist"));
    }

}
