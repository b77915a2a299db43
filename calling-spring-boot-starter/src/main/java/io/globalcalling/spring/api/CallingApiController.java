package io.globalcalling.spring.api;

import io.globalcalling.CallCategory;
import io.globalcalling.CallRecord;
import io.globalcalling.CallRequest;
import io.globalcalling.CallStatus;
import io.globalcalling.core.CallPlacement;
import io.globalcalling.core.GlobalCallingManager;
import io.globalcalling.spi.store.CallStore;
import io.globalcalling.spi.store.DuplicateCallException;
import org.jspecify.annotations.Nullable;
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
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Placing calls (smart routing, or one category pinned), their dry runs, coverage, and reading calls back. Every
 * request acts for the customer its API key names: that customer's limits and budgets apply, and it sees only
 * its own calls (another customer's call is not found).
 */
@RestController
@RequestMapping(path = CallingApiController.BASE, produces = MediaType.APPLICATION_JSON_VALUE)
public class CallingApiController {

    /** Where the API is mounted. */
    public static final String BASE = "/api/calling";
    /** The header that makes a retried POST return the first call instead of placing a second. */
    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    /** The header, {@code true}, of a POST answered (200) from what an earlier POST with its Idempotency-Key made. */
    public static final String IDEMPOTENT_REPLAYED = "Idempotent-Replayed";

    /** Most calls one list returns. */
    static final int MAX_LIMIT = CallStore.MAX_CUSTOMER_CALLS;

    private final GlobalCallingManager manager;

    public CallingApiController(GlobalCallingManager manager) {
        this.manager = Objects.requireNonNull(manager, "manager");
    }

    /** A call whose category smart routing picks. */
    @PostMapping("/initiate")
    public ResponseEntity<ApiViews.Call> initiate(@RequestAttribute(ApiKeyFilter.CUSTOMER) String customer,
            @RequestHeader(name = IDEMPOTENCY_KEY, required = false) @Nullable String idempotencyKey,
            @RequestBody CallBody body) {
        return place(customer, null, idempotencyKey, body);
    }

    @PostMapping("/voip")
    public ResponseEntity<ApiViews.Call> voip(@RequestAttribute(ApiKeyFilter.CUSTOMER) String customer,
            @RequestHeader(name = IDEMPOTENCY_KEY, required = false) @Nullable String idempotencyKey,
            @RequestBody CallBody body) {
        return place(customer, CallCategory.INTERNET_VOIP, idempotencyKey, body);
    }

    @PostMapping("/ai")
    public ResponseEntity<ApiViews.Call> ai(@RequestAttribute(ApiKeyFilter.CUSTOMER) String customer,
            @RequestHeader(name = IDEMPOTENCY_KEY, required = false) @Nullable String idempotencyKey,
            @RequestBody CallBody body) {
        return place(customer, CallCategory.AI_AUTOMATED, idempotencyKey, body);
    }

    @PostMapping("/human")
    public ResponseEntity<ApiViews.Call> human(@RequestAttribute(ApiKeyFilter.CUSTOMER) String customer,
            @RequestHeader(name = IDEMPOTENCY_KEY, required = false) @Nullable String idempotencyKey,
            @RequestBody CallBody body) {
        return place(customer, CallCategory.HUMAN_AGENT, idempotencyKey, body);
    }

    @PostMapping("/satellite")
    public ResponseEntity<ApiViews.Call> satellite(@RequestAttribute(ApiKeyFilter.CUSTOMER) String customer,
            @RequestHeader(name = IDEMPOTENCY_KEY, required = false) @Nullable String idempotencyKey,
            @RequestBody CallBody body) {
        return place(customer, CallCategory.SATELLITE, idempotencyKey, body);
    }

    /** The route a call would take; nothing is recorded or sent. */
    @PostMapping("/plan")
    public ApiViews.Plan plan(@RequestAttribute(ApiKeyFilter.CUSTOMER) String customer, @RequestBody CallBody body) {
        return ApiViews.Plan.of(manager.plan(body.toRequest(customer, null, null)));
    }

    /** What a call of {@code durationSeconds} would cost on its primary route; nothing is recorded or sent. */
    @PostMapping("/estimate")
    public ApiViews.Estimate estimate(@RequestAttribute(ApiKeyFilter.CUSTOMER) String customer,
            @RequestParam(defaultValue = "120") long durationSeconds, @RequestBody CallBody body) {
        // at most what a call's maxDurationSeconds can say: far larger ones overflow the rate's billing increments
        if (durationSeconds < 0 || durationSeconds > Integer.MAX_VALUE) {
            throw new ApiInputException("durationSeconds", Long.toString(durationSeconds),
                    "durationSeconds " + durationSeconds + " must be between 0 and " + Integer.MAX_VALUE);
        }
        return ApiViews.Estimate.of(manager.estimate(body.toRequest(customer, null, null),
                Duration.ofSeconds(durationSeconds)));
    }

    /** Per category: the countries, surface, languages and agents the active providers reach. */
    @GetMapping("/coverage")
    public ApiViews.Coverage coverage() {
        return ApiViews.Coverage.of(manager.coverage());
    }

    @GetMapping("/calls/{id}")
    public ApiViews.Call call(@RequestAttribute(ApiKeyFilter.CUSTOMER) String customer, @PathVariable String id) {
        return manager.calls().find(id).filter(r -> r.customerId().equals(customer)).map(ApiViews.Call::of)
                .orElseThrow(() -> new ApiNotFoundException("call '" + id + "' does not exist"));
    }

    /** The customer's calls, newest first: all, or those with a status, to or from a number, or both. */
    @GetMapping("/calls")
    public ApiViews.CallList calls(@RequestAttribute(ApiKeyFilter.CUSTOMER) String customer,
            @RequestParam(required = false) @Nullable String status,
            @RequestParam(required = false) @Nullable String number,
            @RequestParam(defaultValue = "50") int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new ApiInputException("limit", Integer.toString(limit),
                    "limit " + limit + " must be between 1 and " + MAX_LIMIT);
        }
        CallStatus wanted = status == null ? null : ApiInputException.parse("status", status, CallStatus::fromWireName);
        List<CallRecord> mine = number == null ? manager.calls().byCustomer(customer, wanted, null, limit)
                : ApiInputException.parse("number", number, n -> manager.calls().byCustomer(customer, wanted, n, limit));
        return new ApiViews.CallList(mine.stream().map(ApiViews.Call::of).toList());
    }

    /**
     * A call placed now (201, with its Location), or the call already on record under the customer's key (200,
     * {@value #IDEMPOTENT_REPLAYED}, as it stands now). Of two first requests racing with one key, one places the
     * call and the other is answered as its replay. A key on record for a call placed for another request (a body that
     * differs in anything, or another endpoint) is 409: the manager refuses it as a duplicate.
     */
    private ResponseEntity<ApiViews.Call> place(String customer, @Nullable CallCategory pinned,
                                                @Nullable String idempotencyKey, CallBody body) {
        checkKey(idempotencyKey);
        CallRequest request = body.toRequest(customer, pinned, idempotencyKey);
        CallPlacement placement;
        try {
            placement = manager.callOnce(request);
        } catch (DuplicateCallException e) {
            throw conflict(idempotencyKey, e);
        }
        CallRecord call = placement.call();
        if (placement.replayed()) return replayed(ApiViews.Call.of(call));
        return ResponseEntity.created(URI.create(BASE + "/calls/" + call.callId())).body(ApiViews.Call.of(call));
    }

    /** The manager's refusal of a key used for another request, naming the key's call, its destination and category. */
    private ApiConflictException conflict(@Nullable String idempotencyKey, DuplicateCallException e) {
        return manager.calls().find(e.existingCallId())
                .map(call -> new ApiConflictException(IDEMPOTENCY_KEY + " '" + idempotencyKey + "' was used for call "
                        + call.callId() + " to " + ShownUrls.value(call.toNumber()) + " (" + call.category().wireName()
                        + ") with other settings; a different call needs a new key"))
                .orElseGet(() -> new ApiConflictException(e.getMessage()));
    }

    /** The answer to a POST that an earlier one with the same Idempotency-Key already carried out. */
    static <T> ResponseEntity<T> replayed(T body) {
        return ResponseEntity.ok().header(IDEMPOTENT_REPLAYED, "true").body(body);
    }

    /** @throws ApiInputException naming the header, for a key that is not 1-200 characters of the allowed set (CallRequest.checkIdempotencyKey) */
    static void checkKey(@Nullable String idempotencyKey) {
        if (idempotencyKey != null) ApiInputException.checked(IDEMPOTENCY_KEY, idempotencyKey, CallRequest::checkIdempotencyKey);
    }
}
