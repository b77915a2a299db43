package io.globalcalling.spring.api;

import io.globalcalling.CallRecord;
import io.globalcalling.Money;
import io.globalcalling.core.campaign.CampaignProgress;
import io.globalcalling.core.campaign.ImportProblem;
import io.globalcalling.core.campaign.ImportReport;
import io.globalcalling.core.cost.CostEstimate;
import io.globalcalling.core.coverage.CoverageReport;
import io.globalcalling.core.lifecycle.CallStatusChanged;
import io.globalcalling.core.routing.RoutePlan;
import io.globalcalling.spi.store.Campaign;
import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the API answers, as JSON: the SDK's records with enums as their wire names, instants as ISO-8601 text and
 * money as a decimal text with its currency, so the wire shape is this file's and not a serializer's default.
 */
public final class ApiViews {

    private ApiViews() {
    }

    /** A sum of money. */
    public record Amount(String amount, String currency) {
        public static @Nullable Amount of(@Nullable Money m) {
            return m == null ? null : new Amount(m.amount().toPlainString(), m.currency().getCurrencyCode());
        }
    }

    /**
     * A call on record. {@code statusRank} is the status's place in a call's progress (initiated 0 ... with_agent 5,
     * every terminal status 6): a status only moves to a higher rank, so a client holding two views of a call keeps
     * the one of higher rank.
     */
    public record Call(String callId, String customerId, String category, String status, int statusRank,
                       @Nullable String providerId,
                       boolean simulated, @Nullable String from, String to, @Nullable String purpose, String priority,
                       int attempt, @Nullable String idempotencyKey, @Nullable String campaignId,
                       @Nullable Amount heldAmount, @Nullable Amount estimatedCost, @Nullable Amount cost,
                       @Nullable Integer durationSeconds, @Nullable String recordingUrl, @Nullable String transcript,
                       @Nullable String aiSentiment, List<String> routeReasons, @Nullable String errorReason,
                       @Nullable String errorMessage, boolean needsReconciliation, boolean limitBypass,
                       String startedAt, @Nullable String answeredAt, @Nullable String endedAt, String updatedAt,
                       Map<String, String> metadata) {
        public static Call of(CallRecord r) {
            return new Call(r.callId(), r.customerId(), r.category().wireName(), r.status().wireName(),
                    r.status().rank(), r.providerId(),
                    r.simulated(), r.fromNumber(), r.toNumber(), r.purpose() == null ? null : r.purpose().wireName(),
                    r.priority().wireName(), r.attempt(), r.idempotencyKey(), r.campaignId(), Amount.of(r.heldAmount()),
                    Amount.of(r.estimatedCost()), Amount.of(r.cost()), r.durationSeconds(), r.recordingUrl(),
                    r.transcript(), r.aiSentiment(), r.routeReasons(), r.errorReason(), r.errorMessage(),
                    r.needsReconciliation(), r.limitBypass(), r.startedAt().toString(), text(r.answeredAt()),
                    text(r.endedAt()), r.updatedAt().toString(), r.metadata());
        }
    }

    /** A page of calls, newest first. */
    public record CallList(List<Call> calls) {
    }

    /** One forward move of a call, as the event stream sends it. */
    public record StatusChange(String callId, String previous, String status, Call call) {
        public static StatusChange of(CallStatusChanged change) {
            return new StatusChange(change.record().callId(), change.previous().wireName(),
                    change.current().wireName(), Call.of(change.record()));
        }
    }

    /** The route a call would take. */
    public record Plan(String category, List<String> categoryReasons, boolean simulated, boolean capBypassed,
                       List<Option> options, List<Dropped> dropped) {

        /** A provider option, primary first. */
        public record Option(String providerId, boolean simulated, Amount perMinute, Amount perCall, double score,
                             List<String> reasons) {
        }

        /** A provider left out, and why. */
        public record Dropped(String providerId, String reason) {
        }

        public static Plan of(RoutePlan p) {
            return new Plan(p.category().wireName(), p.categoryReasons(), p.simulated(), p.capBypassed(),
                    p.options().stream().map(o -> new Option(o.providerId(), o.simulated(), Amount.of(o.perMinute()),
                            Amount.of(o.perCall()), o.score(), o.reasons())).toList(),
                    p.dropped().stream().map(d -> new Dropped(d.providerId(), d.reason())).toList());
        }
    }

    /** What a call would cost on its primary route. */
    public record Estimate(String providerId, String category, Amount perMinute, Amount perCall, long durationSeconds,
                           Amount total) {
        public static Estimate of(CostEstimate e) {
            return new Estimate(e.providerId(), e.category().wireName(), Amount.of(e.perMinute()),
                    Amount.of(e.perCall()), e.duration().toSeconds(), Amount.of(e.total()));
        }
    }

    /** What the active providers reach, per category and overall. */
    public record Coverage(int countriesListed, Overall overall, List<Category> categories) {

        /** All categories together. */
        public record Overall(List<String> providers, List<String> simulatedProviders, int countryCount,
                              double countryPercent, double surfacePercent, List<String> countries) {
        }

        /** One category. */
        public record Category(String category, List<String> providers, List<String> simulatedProviders,
                               int countryCount, double countryPercent, double surfacePercent, boolean global,
                               List<String> aiLanguages, int agents, Map<String, Integer> agentsBySkill,
                               List<String> countries) {
        }

        public static Coverage of(CoverageReport r) {
            CoverageReport.Overall o = r.overall();
            return new Coverage(r.countriesListed(), new Overall(o.providers(), o.simulatedProviders(),
                    o.countryCount(), o.countryPercent(), o.surfacePercent(), o.countries()),
                    r.categories().stream().map(c -> {
                        Map<String, Integer> bySkill = new LinkedHashMap<>();
                        c.agentsBySkill().forEach((skill, n) -> bySkill.put(skill.wireName(), n));
                        return new Category(c.category().wireName(), c.providers(), c.simulatedProviders(),
                                c.countryCount(), c.countryPercent(), c.surfacePercent(), c.global(), c.aiLanguages(),
                                c.agents(), bySkill, c.countries());
                    }).toList());
        }
    }

    /** Where a campaign stands. */
    public record Progress(String campaignId, String status, @Nullable String statusReason, int total, int pending,
                           int inFlight, int completed, int successful, int failed, int suppressed, int refused,
                           int retriesScheduled, long attempts, Amount totalCost, @Nullable Long remainingSeconds) {
        public static Progress of(CampaignProgress p) {
            return new Progress(p.campaignId(), p.status().wireName(), p.statusReason(), p.total(), p.pending(),
                    p.inFlight(), p.completed(), p.successful(), p.failed(), p.suppressed(), p.refused(),
                    p.retriesScheduled(), p.attempts(), Amount.of(p.totalCost()),
                    p.remaining() == null ? null : p.remaining().toSeconds());
        }
    }

    /**
     * A campaign just created, and what the import of its targets added and skipped; on a replay (a create under an
     * Idempotency-Key used before) the import's figures are null: the first answer carried them.
     */
    public record CampaignCreated(String campaignId, @Nullable Long added, @Nullable Long duplicates,
                                  @Nullable Long skipped, @Nullable List<ImportProblem> problems, Progress progress) {
        public static CampaignCreated of(String campaignId, ImportReport report, CampaignProgress progress) {
            return new CampaignCreated(campaignId, report.added(), report.duplicates(), report.skipped(),
                    report.problems(), Progress.of(progress));
        }

        static CampaignCreated replayed(String campaignId, CampaignProgress progress) {
            return new CampaignCreated(campaignId, null, null, null, null, Progress.of(progress));
        }
    }

    /** A campaign in a list: what it is, where it stands, and its counters as stored. */
    public record CampaignSummary(String campaignId, String name, @Nullable String category, String status,
                                  @Nullable String statusReason, int total, int completed, int successful, int failed,
                                  Amount totalCost, @Nullable String scheduledAt, @Nullable String startedAt,
                                  @Nullable String completedAt, String createdAt, @Nullable String idempotencyKey) {
        static CampaignSummary of(Campaign c) {
            return new CampaignSummary(c.campaignId(), c.name(), c.category() == null ? null : c.category().wireName(),
                    c.status().wireName(), c.statusReason(), c.totalNumbers(), c.completedCalls(), c.successfulCalls(),
                    c.failedCalls(), Amount.of(c.totalCost()), text(c.scheduledAt()), text(c.startedAt()),
                    text(c.completedAt()), c.createdAt().toString(), c.idempotencyKey());
        }
    }

    /** A page of campaigns, newest first. */
    public record CampaignList(List<CampaignSummary> campaigns) {
    }

    private static @Nullable String text(@Nullable Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
