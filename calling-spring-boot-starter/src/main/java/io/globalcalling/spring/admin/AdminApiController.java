package io.globalcalling.spring.admin;

import io.globalcalling.CallCategory;
import io.globalcalling.CallRecord;
import io.globalcalling.CallRequest;
import io.globalcalling.Endpoint;
import io.globalcalling.GeoPoint;
import io.globalcalling.PhoneNumber;
import io.globalcalling.core.GlobalCallingManager;
import io.globalcalling.core.campaign.CallingWindows;
import io.globalcalling.core.campaign.CampaignPolicy;
import io.globalcalling.core.campaign.CampaignProgress;
import io.globalcalling.core.campaign.Campaigns;
import io.globalcalling.core.campaign.NewCampaign;
import io.globalcalling.core.campaign.Target;
import io.globalcalling.core.coverage.CoverageReport;
import io.globalcalling.core.coverage.Geography;
import io.globalcalling.core.coverage.NaturalEarthGeography;
import io.globalcalling.core.coverage.Place;
import io.globalcalling.core.routing.NoRouteException;
import io.globalcalling.core.routing.RoutePlan;
import io.globalcalling.spi.store.Campaign;
import io.globalcalling.spring.api.ApiConflictException;
import io.globalcalling.spring.api.ApiInputException;
import io.globalcalling.spring.api.ApiNotFoundException;
import io.globalcalling.spring.api.ApiViews;
import io.globalcalling.spring.api.CallBody;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

import static io.globalcalling.spring.api.ApiInputException.parse;
import static io.globalcalling.spring.api.ApiInputException.required;

/**
 * The JSON the dashboard's page reads and posts, under {@code /admin/calling/api}: behind the admin login, each
 * POST with its CSRF token. The admin acts for the customer a form names, across every customer's calls and
 * campaigns. Bad input is a 400 problem document naming the field and the value.
 */
@RestController
@RequestMapping(path = AdminApiController.API, produces = MediaType.APPLICATION_JSON_VALUE)
public class AdminApiController {

    /** Where the page's JSON lives. */
    public static final String API = CallingAdminAutoConfiguration.BASE + "/api";
    /** How many calls the page lists. */
    static final int CALLS = 50;
    /** How many campaigns the page lists. */
    static final int CAMPAIGNS = 25;
    /** How far back the charts look. */
    static final Duration CHART_WINDOW = Duration.ofHours(24);

    private final GlobalCallingManager manager;
    private final Campaigns campaigns;
    private final Clock clock;
    private final Geography geography = new NaturalEarthGeography();

    public AdminApiController(GlobalCallingManager manager, Clock clock) {
        this.manager = Objects.requireNonNull(manager, "manager");
        this.campaigns = manager.campaigns();
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The coverage figures and a card per category with its providers and their health. */
    @GetMapping("/overview")
    public AdminViews.Overview overview() {
        return AdminViews.Overview.of(manager.coverage(), manager.providerHealth());
    }

    /** The latest calls of every customer, newest first. */
    @GetMapping("/calls")
    public ApiViews.CallList calls() {
        return new ApiViews.CallList(manager.calls().recent(CALLS).stream().map(ApiViews.Call::of).toList());
    }

    /** Places a call of the category (its wire name) for {@code customer}. */
    @PostMapping("/calls/{category}")
    public ResponseEntity<ApiViews.Call> place(@PathVariable String category, @RequestParam String customer,
                                               @RequestBody CallBody body) {
        CallCategory pinned = parse("category", category, CallCategory::fromWireName);
        CallRequest request = body.toRequest(customerId(customer), pinned, null);
        CallRecord call = manager.call(request);
        return ResponseEntity.status(HttpStatus.CREATED).body(ApiViews.Call.of(call));
    }

    /** What to check: a number, or a point. */
    public record CoverageQuery(@Nullable String number, @Nullable Double latitude, @Nullable Double longitude) {
    }

    /**
     * Which categories reach a number (routing plans a call to it in each, nothing is recorded or sent) or a
     * point (the categories whose countries hold it while it has terrestrial coverage, and the global ones).
     */
    @PostMapping("/coverage-check")
    public AdminViews.CoverageCheck coverageCheck(@RequestBody CoverageQuery query) {
        boolean hasNumber = query.number() != null && !query.number().isBlank();
        boolean hasPoint = query.latitude() != null || query.longitude() != null;
        if (hasNumber == hasPoint) {
            throw new ApiInputException("number", query.number(), "give a number, or a latitude and a longitude");
        }
        return hasNumber ? checkNumber(query.number().trim()) : checkPoint(query.latitude(), query.longitude());
    }

    private AdminViews.CoverageCheck checkNumber(String number) {
        Endpoint to = parse("number", number, Endpoint::parse);
        List<AdminViews.Reach> reach = new ArrayList<>();
        for (CoverageReport.CategoryCoverage c : manager.coverage().categories()) {
            try {
                CallRequest.Builder call = CallRequest.to(to.value()).category(c.category()).customerId("admin");
                if (c.category() == CallCategory.AI_AUTOMATED) call.script("coverage check");   // it needs words to say
                RoutePlan plan = manager.plan(call.build());
                var primary = plan.options().get(0);
                reach.add(new AdminViews.Reach(c.category().wireName(), true, primary.providerId(),
                        primary.simulated(), String.join("; ", primary.reasons())));
            } catch (NoRouteException | IllegalArgumentException e) {
                reach.add(new AdminViews.Reach(c.category().wireName(), false, null, false,
                        String.valueOf(e.getMessage())));
            }
        }
        return new AdminViews.CoverageCheck(to.value(), null, reach);
    }

    private AdminViews.CoverageCheck checkPoint(@Nullable Double latitude, @Nullable Double longitude) {
        double lat = required("latitude", latitude);
        double lon = required("longitude", longitude);
        GeoPoint point = parse("latitude", lat + "," + lon, v -> GeoPoint.of(lat, lon));
        Place place = geography.locate(point);
        String country = place.country().orElse(null);
        List<AdminViews.Reach> reach = manager.coverage().categories().stream().map(c -> {
            boolean reached = c.global() || (place.terrestrial() && country != null && c.countries().contains(country));
            String detail = c.global() ? "reaches every point" : !place.terrestrial()
                    ? "no terrestrial coverage at this point" : reached ? "covers " + country
                    : "does not cover " + (country == null ? "this point" : country);
            return new AdminViews.Reach(c.category().wireName(), reached, null, !c.simulatedProviders().isEmpty()
                    && c.simulatedProviders().size() == c.providers().size(), detail);
        }).toList();
        return new AdminViews.CoverageCheck(lat + "," + lon, country, reach);
    }

    /** The latest campaigns of every customer, newest first, with their progress. */
    @GetMapping("/campaigns")
    public AdminViews.CampaignList campaigns() {
        return new AdminViews.CampaignList(campaigns.list(null, CAMPAIGNS).stream().map(this::row).toList());
    }

    /**
     * A campaign as the page's form asks for it.
     *
     * @param numbers  one number per line
     * @param category a category's wire name, or blank to let routing choose per number
     * @param hours    {@code window} (the default) to call only between {@code from} and {@code until} in the
     *                 callee's local time, or {@code any} to call at any time
     * @param from     when the daily window opens, {@code HH:mm}; blank: the policy's default
     * @param until    when it closes, {@code HH:mm}; blank: the policy's default
     */
    public record CampaignForm(@Nullable String name, @Nullable String numbers, @Nullable String category,
                               @Nullable String customer, @Nullable String hours, @Nullable String from,
                               @Nullable String until) {
    }

    /** Creates the campaign with its numbers and starts it; every field is checked before anything is recorded. */
    @PostMapping("/campaigns")
    public ResponseEntity<AdminViews.CampaignRow> createAndStart(@RequestBody CampaignForm form) {
        String customer = customerId(form.customer());
        Map<Integer, Target> lines = targets(form.numbers());
        String category = form.category() == null || form.category().isBlank() ? null : form.category();
        NewCampaign spec = parse("name", required("name", form.name()), NewCampaign::named).customerId(customer)
                .category(category == null ? null : parse("category", category, CallCategory::fromWireName))
                .policy(CampaignPolicy.builder().windows(callingHours(form)).build())
                .build();
        // a number the import would skip (not valid in its country's plan) is named now, before anything is recorded
        lines.forEach((line, target) -> campaigns.problem(spec, line, target).ifPresent(p -> {
            throw new ApiInputException("numbers", p.value(), p.message());
        }));
        String id = campaigns.create(spec);
        campaigns.addTargets(id, List.copyOf(lines.values()));
        campaigns.start(id);
        return ResponseEntity.status(HttpStatus.CREATED).body(row(find(id)));
    }

    private static CallingWindows callingHours(CampaignForm form) {
        String hours = form.hours() == null || form.hours().isBlank() ? "window" : form.hours().trim();
        if (hours.equals("any")) return CallingWindows.always();
        if (!hours.equals("window")) {
            throw new ApiInputException("hours", hours, "hours '" + hours + "' must be 'window' or 'any'");
        }
        CallingWindows.Window standard = AdminViews.DEFAULT_HOURS;
        LocalTime from = blank(form.from()) ? standard.from() : parse("from", form.from().trim(), LocalTime::parse);
        LocalTime until = blank(form.until()) ? standard.until() : parse("until", form.until().trim(), LocalTime::parse);
        return parse("until", String.valueOf(until), v -> CallingWindows.everyDay(from, until));
    }

    private static boolean blank(@Nullable String value) {
        return value == null || value.isBlank();
    }

    /** The form's targets by their 1-based line. */
    private static Map<Integer, Target> targets(@Nullable String numbers) {
        Map<Integer, Target> targets = new LinkedHashMap<>();
        String[] lines = numbers == null ? new String[0] : numbers.split("\\R");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].trim();
            if (line.isEmpty()) continue;
            int n = i + 1;
            // a campaign calls phone numbers only: its import would skip any other endpoint without a word
            parse("numbers", line, v -> {
                try {
                    return PhoneNumber.of(v);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("line " + n + ": " + e.getMessage(), e);
                }
            });
            targets.put(n, new Target(line, null, null));
        }
        if (targets.isEmpty()) {
            throw new ApiInputException("numbers", numbers, "numbers must list at least one number, one per line");
        }
        return targets;
    }

    @PostMapping("/campaigns/{id}/pause")
    public AdminViews.CampaignRow pause(@PathVariable String id) {
        return change(id, campaigns::pause);
    }

    @PostMapping("/campaigns/{id}/resume")
    public AdminViews.CampaignRow resume(@PathVariable String id) {
        return change(id, campaigns::resume);
    }

    @PostMapping("/campaigns/{id}/cancel")
    public AdminViews.CampaignRow cancel(@PathVariable String id) {
        return change(id, campaigns::cancel);
    }

    /** Calls and settled cost per category, and calls per hour, over the last 24 hours. */
    @GetMapping("/stats")
    public AdminViews.Stats stats() {
        Instant now = clock.instant();
        Instant since = now.truncatedTo(ChronoUnit.HOURS).minus(CHART_WINDOW).plus(1, ChronoUnit.HOURS);
        return AdminViews.Stats.of(manager.calls().stats(since), now);
    }

    private AdminViews.CampaignRow change(String id, Consumer<String> change) {
        find(id);
        try {
            change.accept(id);
        } catch (IllegalStateException e) {
            throw new ApiConflictException(e.getMessage());   // e.g. resuming a cancelled campaign
        }
        return row(find(id));
    }

    /** A campaign's row; while it runs with pending targets, a note says how many wait for their calling hours. */
    private AdminViews.CampaignRow row(Campaign c) {
        CampaignProgress progress = campaigns.progress(c.campaignId());
        String note = null;
        if (progress.status() == Campaign.Status.IN_PROGRESS && progress.pending() > 0) {
            int waiting = campaigns.waitingForCallingHours(c.campaignId());
            if (waiting > 0) {
                note = AdminViews.callingHoursNote(waiting, progress.pending(), campaigns.policy(c.campaignId()).windows());
            }
        }
        return AdminViews.CampaignRow.of(c, ApiViews.Progress.of(progress), note);
    }

    private Campaign find(String id) {
        try {
            return campaigns.find(id);
        } catch (IllegalArgumentException e) {
            throw new ApiNotFoundException("campaign '" + id + "' does not exist");
        }
    }

    private static String customerId(@Nullable String customer) {
        if (customer == null || customer.isBlank()) {
            throw new ApiInputException("customer", customer, "customer is required: the customer the admin acts for");
        }
        // as a call's: a campaign for an id no call can carry would fail every call it makes
        return ApiInputException.checked("customer", customer.trim(), CallRequest::checkCustomerId);
    }
}
