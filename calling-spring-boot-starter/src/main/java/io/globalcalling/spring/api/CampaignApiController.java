package io.globalcalling.spring.api;

import io.globalcalling.Secret;
import io.globalcalling.core.GlobalCallingManager;
import io.globalcalling.core.campaign.CampaignCreation;
import io.globalcalling.core.campaign.Campaigns;
import io.globalcalling.core.campaign.ImportProblem;
import io.globalcalling.core.campaign.ImportReport;
import io.globalcalling.core.campaign.NewCampaign;
import io.globalcalling.core.campaign.Target;
import io.globalcalling.spi.store.CallStore;
import io.globalcalling.spi.store.Campaign;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Bulk campaigns for the API key's customer: list them, create one with its targets (inline or a CSV upload), start,
 * pause, resume, cancel, and read its progress and report. Another customer's campaign is not found.
 */
@RestController
@RequestMapping(path = CallingApiController.BASE, produces = MediaType.APPLICATION_JSON_VALUE)
public class CampaignApiController {

    /** Most campaigns one list returns. */
    static final int MAX_LIMIT = CallStore.MAX_CUSTOMER_CAMPAIGNS;

    /** Most bad rows a refusal of a list without a valid target names. */
    private static final int LISTED_PROBLEMS = 20;

    private final Campaigns campaigns;
    private final RequestFingerprint fingerprints;

    /** A controller whose campaigns keep a plain SHA-256 of their targets: for a store where no number is erased. */
    public CampaignApiController(GlobalCallingManager manager) {
        this(manager, null);
    }

    /**
     * @param fingerprintKey the store's erasure key, which a campaign's digest of its targets is keyed by, as the
     *                       erased numbers' pseudonyms are (see {@code calling.store.erasure-key}); null for none
     */
    public CampaignApiController(GlobalCallingManager manager, @Nullable Secret fingerprintKey) {
        this.campaigns = Objects.requireNonNull(manager, "manager").campaigns();
        this.fingerprints = new RequestFingerprint(fingerprintKey);
    }

    /** The customer's campaigns, newest first, with their counters. */
    @GetMapping("/campaigns")
    public ApiViews.CampaignList list(@RequestAttribute(ApiKeyFilter.CUSTOMER) String customer,
                                      @RequestParam(defaultValue = "50") int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new ApiInputException("limit", Integer.toString(limit),
                    "limit " + limit + " must be between 1 and " + MAX_LIMIT);
        }
        return new ApiViews.CampaignList(campaigns.list(customer, limit).stream().map(ApiViews.CampaignSummary::of)
                .toList());
    }

    /**
     * A campaign with its targets inline, checked before anything is recorded. Under an Idempotency-Key the
     * customer already used, the campaign created then is answered (200) and no second campaign is recorded; its
     * targets are imported again, which adds only those an import that failed partway left out (the store skips a
     * number the campaign has), so a retry after such a failure leaves the campaign with all of them.
     */
    @PostMapping(path = "/campaign/create", consumes = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<ApiViews.CampaignCreated> create(@RequestAttribute(ApiKeyFilter.CUSTOMER) String customer,
            @RequestHeader(name = CallingApiController.IDEMPOTENCY_KEY, required = false) @Nullable String idempotencyKey,
            @RequestBody CampaignBody body) {
        List<Target> targets = body.targetList();
        NewCampaign spec = body.toCampaign(customer, checked(idempotencyKey), fingerprints.of(targets));
        if (targets.isEmpty()) {
            throw new ApiInputException("targets", null, "targets must list at least one number (or upload a CSV)");
        }
        refuseIfNoneValid(spec, targets);
        CampaignCreation creation = createOnce(spec);
        String id = creation.campaign().campaignId();
        // a replay too: the first request may have recorded the campaign and failed before its import was done
        ImportReport report = campaigns.addTargets(creation, targets);
        if (creation.replayed()) return replayed(id);
        return created(id, report);
    }

    /**
     * A campaign whose targets come as a CSV upload (part {@code csv}: a header row with a {@code number} column,
     * an optional {@code timezone} column, and a column per script variable); its settings are part
     * {@code campaign}, JSON.
     */
    @PostMapping(path = "/campaign/create", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    public ResponseEntity<ApiViews.CampaignCreated> createFromCsv(
            @RequestAttribute(ApiKeyFilter.CUSTOMER) String customer,
            @RequestHeader(name = CallingApiController.IDEMPOTENCY_KEY, required = false) @Nullable String idempotencyKey,
            @RequestPart("campaign") CampaignBody body, @RequestPart("csv") MultipartFile csv) throws IOException {
        String fingerprint;
        try (InputStream in = csv.getInputStream()) {
            fingerprint = fingerprints.of(in);
        }
        NewCampaign spec = body.toCampaign(customer, checked(idempotencyKey), fingerprint);
        if (body.targets() != null) {
            throw new ApiInputException("targets", null, "targets come from the CSV upload; leave them out of part 'campaign'");
        }
        checkHeader(csv);
        CampaignCreation creation = createOnce(spec);
        String id = creation.campaign().campaignId();
        ImportReport report;
        try (Reader in = new InputStreamReader(csv.getInputStream(), StandardCharsets.UTF_8)) {
            // a replay too: the first request may have recorded the campaign and failed before its import was done
            report = campaigns.importCsv(creation, in);
        }
        if (creation.replayed()) return replayed(id);
        return created(id, report);
    }

    @PostMapping("/campaign/{id}/start")
    public ApiViews.Progress start(@RequestAttribute(ApiKeyFilter.CUSTOMER) String customer, @PathVariable String id) {
        return change(customer, id, campaigns::start);
    }

    @PostMapping("/campaign/{id}/pause")
    public ApiViews.Progress pause(@RequestAttribute(ApiKeyFilter.CUSTOMER) String customer, @PathVariable String id) {
        return change(customer, id, campaigns::pause);
    }

    @PostMapping("/campaign/{id}/resume")
    public ApiViews.Progress resume(@RequestAttribute(ApiKeyFilter.CUSTOMER) String customer, @PathVariable String id) {
        return change(customer, id, campaigns::resume);
    }

    @PostMapping("/campaign/{id}/cancel")
    public ApiViews.Progress cancel(@RequestAttribute(ApiKeyFilter.CUSTOMER) String customer, @PathVariable String id) {
        return change(customer, id, campaigns::cancel);
    }

    @GetMapping("/campaign/{id}/progress")
    public ApiViews.Progress progress(@RequestAttribute(ApiKeyFilter.CUSTOMER) String customer,
                                      @PathVariable String id) {
        return ApiViews.Progress.of(campaigns.progress(owned(customer, id).campaignId()));
    }

    /** The campaign's report as CSV: a row per attempt of each target. */
    @GetMapping(path = "/campaign/{id}/report", produces = "text/csv")
    public ResponseEntity<String> report(@RequestAttribute(ApiKeyFilter.CUSTOMER) String customer,
                                         @PathVariable String id) {
        StringBuilder csv = new StringBuilder();
        campaigns.exportReport(owned(customer, id).campaignId(), csv);
        return ResponseEntity.ok().contentType(MediaType.parseMediaType("text/csv;charset=UTF-8"))
                .header("Content-Disposition", "attachment; filename=\"" + id + ".csv\"").body(csv.toString());
    }

    private static @Nullable String checked(@Nullable String idempotencyKey) {
        CallingApiController.checkKey(idempotencyKey);
        return idempotencyKey;
    }

    /**
     * Creates the campaign, or finds the one its key made; a key reused for another campaign (other settings, or
     * other targets: the spec carries their fingerprint) is a conflict.
     */
    private CampaignCreation createOnce(NewCampaign spec) {
        try {
            return campaigns.createOnce(spec);
        } catch (IllegalStateException e) {
            throw new ApiConflictException(e.getMessage());   // names the key and its campaign
        }
    }

    /**
     * The campaign an earlier create with the same Idempotency-Key made, its targets imported again (adding only what
     * that create left undone); its import report was the first answer's.
     */
    private ResponseEntity<ApiViews.CampaignCreated> replayed(String id) {
        return CallingApiController.replayed(ApiViews.CampaignCreated.replayed(id, campaigns.progress(id)));
    }

    private ResponseEntity<ApiViews.CampaignCreated> created(String id, ImportReport report) {
        return ResponseEntity.status(HttpStatus.CREATED)
                .location(URI.create(CallingApiController.BASE + "/campaign/" + id + "/progress"))
                .body(ApiViews.CampaignCreated.of(id, report, campaigns.progress(id)));
    }

    private ApiViews.Progress change(String customer, String id, Consumer<String> change) {
        owned(customer, id);
        try {
            change.accept(id);
        } catch (IllegalStateException e) {
            throw new ApiConflictException(e.getMessage());   // e.g. starting a cancelled campaign
        }
        return ApiViews.Progress.of(campaigns.progress(id));
    }

    private Campaign owned(String customer, String id) {
        Campaign c;
        try {
            c = campaigns.find(id);
        } catch (IllegalArgumentException e) {
            throw new ApiNotFoundException("campaign '" + id + "' does not exist");
        }
        if (!c.customerId().equals(customer)) throw new ApiNotFoundException("campaign '" + id + "' does not exist");
        return c;
    }

    /**
     * Refuses a list none of whose targets the import would add, naming the first of its bad rows, before the
     * campaign is recorded: a campaign without a target would be recorded and answered as created.
     */
    private void refuseIfNoneValid(NewCampaign spec, List<Target> targets) {
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < targets.size(); i++) {
            Optional<ImportProblem> problem = campaigns.problem(spec, i + 1, targets.get(i));
            if (problem.isEmpty()) return;
            if (problems.size() < LISTED_PROBLEMS) problems.add(problem.get().message());
        }
        String more = targets.size() > problems.size() ? "; and " + (targets.size() - problems.size()) + " more" : "";
        throw new ApiInputException("targets", null, "targets has no number that can be called: "
                + String.join("; ", problems) + more);
    }

    /**
     * Refuses a CSV whose header row the import would refuse (no number column, a quote never closed) before the
     * campaign is recorded, reading it with the import's own parser.
     */
    private static void checkHeader(MultipartFile csv) throws IOException {
        try (Reader in = new InputStreamReader(csv.getInputStream(), StandardCharsets.UTF_8)) {
            Campaigns.checkCsvHeader(in);
        } catch (IllegalArgumentException e) {
            // the message quotes no field: a file without a header row has a recipient on its first line
            throw new ApiInputException("csv", null, "csv upload: " + e.getMessage());
        }
    }
}
