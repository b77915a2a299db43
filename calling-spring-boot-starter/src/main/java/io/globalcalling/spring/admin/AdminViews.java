package io.globalcalling.spring.admin;

import io.globalcalling.core.campaign.CallingWindows;
import io.globalcalling.core.campaign.CampaignPolicy;
import io.globalcalling.core.coverage.CoverageReport;
import io.globalcalling.core.routing.QualityTracker;
import io.globalcalling.spi.store.CallStats;
import io.globalcalling.spi.store.Campaign;
import io.globalcalling.spring.api.ApiViews;
import org.jspecify.annotations.Nullable;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** What the dashboard's JSON endpoints answer; calls, coverage and progress reuse the REST API's views. */
public final class AdminViews {

    private AdminViews() {
    }

    /**
     * The four headline figures, from the coverage report alone.
     *
     * @param countries      countries the active providers reach ({@code overall.countryCount})
     * @param surfacePercent share of the Earth's land surface reached ({@code overall.surfacePercent})
     * @param languages      distinct text-to-speech languages over every category
     * @param agents         human agents over every category
     */
    public record Figures(int countries, double surfacePercent, int languages, int agents) {
        static Figures of(CoverageReport r) {
            int languages = (int) r.categories().stream().flatMap(c -> c.aiLanguages().stream()).distinct().count();
            int agents = r.categories().stream().mapToInt(CoverageReport.CategoryCoverage::agents).sum();
            return new Figures(r.overall().countryCount(), r.overall().surfacePercent(), languages, agents);
        }
    }

    /** An active provider of a category, its circuit's state and whether it only simulates calls. */
    public record Provider(String id, String health, boolean simulated) {
    }

    /** One category's card. */
    public record Card(String category, int countryCount, double surfacePercent, List<Provider> providers) {
    }

    /** The figures and a card per category with active providers. */
    public record Overview(Figures figures, List<Card> categories) {
        static Overview of(CoverageReport r, Map<String, QualityTracker.Health> health) {
            List<Card> cards = r.categories().stream().filter(c -> !c.providers().isEmpty())
                    .map(c -> new Card(c.category().wireName(), c.countryCount(), c.surfacePercent(),
                            c.providers().stream().map(p -> new Provider(p, healthText(health.get(p)),
                                    c.simulatedProviders().contains(p))).toList()))
                    .toList();
            return new Overview(Figures.of(r), cards);
        }

        private static String healthText(QualityTracker.@Nullable Health h) {
            return h == null ? "unknown" : h.state().name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * A campaign in the list, with its progress.
     *
     * @param note why targets wait (e.g. for their calling hours), or null when none is held back
     */
    public record CampaignRow(String campaignId, String name, String customerId, @Nullable String category,
                              String createdAt, ApiViews.Progress progress, @Nullable String note) {
        static CampaignRow of(Campaign c, ApiViews.Progress progress, @Nullable String note) {
            return new CampaignRow(c.campaignId(), c.name(), c.customerId(),
                    c.category() == null ? null : c.category().wireName(), c.createdAt().toString(), progress, note);
        }
    }

    /** The campaign policy's default daily calling window, which the campaign form offers first. */
    static final CallingWindows.Window DEFAULT_HOURS =
            CampaignPolicy.defaults().windows().days().get(DayOfWeek.MONDAY);

    /** Says how many pending targets wait for their calling hours, and which hours those are. */
    static String callingHoursNote(int waiting, int pending, CallingWindows windows) {
        Set<CallingWindows.Window> distinct = new HashSet<>(windows.days().values());
        String hours = windows.days().size() == 7 && distinct.size() == 1
                ? hhmm(distinct.iterator().next()) : "of their calling windows";
        String who = waiting == pending ? "all " + pending + " pending" : waiting + " of " + pending + " pending";
        return who + " waiting for calling hours " + hours + " (callee's local time)";
    }

    private static String hhmm(CallingWindows.Window w) {
        return w.from() + "-" + w.until().truncatedTo(ChronoUnit.MINUTES);
    }

    /** The campaigns, newest first. */
    public record CampaignList(List<CampaignRow> campaigns) {
    }

    /** Whether one category reaches what was checked, through which provider, and why. */
    public record Reach(String category, boolean reachable, @Nullable String providerId, boolean simulated,
                        String detail) {
    }

    /** A coverage check of a number or a point. */
    public record CoverageCheck(String checked, @Nullable String country, List<Reach> categories) {
    }

    /** Calls and settled cost of a category. */
    public record CategoryCost(String category, long calls, List<ApiViews.Amount> cost) {
    }

    /** Calls started in one hour. */
    public record Hour(String hour, long calls) {
    }

    /** The charts' figures: every hour of the window is listed, with zero calls when it had none. */
    public record Stats(String since, List<CategoryCost> categories, List<Hour> hours) {
        static Stats of(CallStats s, Instant until) {
            List<CategoryCost> categories = s.categories().stream().map(c -> new CategoryCost(
                    c.category().wireName(), c.calls(),
                    c.settledCost().stream().map(ApiViews.Amount::of).toList())).toList();
            List<Hour> hours = new ArrayList<>();
            for (Instant h = s.since().truncatedTo(ChronoUnit.HOURS); !h.isAfter(until); h = h.plus(1, ChronoUnit.HOURS)) {
                Instant hour = h;
                long calls = s.hours().stream().filter(x -> x.hour().equals(hour)).mapToLong(CallStats.HourCount::calls).sum();
                hours.add(new Hour(hour.toString(), calls));
            }
            return new Stats(s.since().toString(), categories, hours);
        }
    }
}
