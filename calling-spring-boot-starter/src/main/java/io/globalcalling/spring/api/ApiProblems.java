package io.globalcalling.spring.api;

import io.globalcalling.core.CallFailedException;
import io.globalcalling.core.limits.LimitExceededException;
import io.globalcalling.core.policy.DestinationNotPermittedException;
import io.globalcalling.core.routing.NoRouteException;
import io.globalcalling.spi.store.DuplicateCallException;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

import java.time.Clock;
import java.time.Duration;

/**
 * The API's errors as RFC 7807 problem documents ({@code application/problem+json}), each naming what was wrong:
 * 400 bad input (with {@code field} and {@code value}), 402 a spending budget, 403 a destination the policy
 * refuses, 404, 409, 413 a body over the size limit, 422 no route, 429 a rate window or provider pacing (both limits with {@code Retry-After}),
 * 502 a call every provider refused. Spring MVC's own errors (a body that is not JSON, a parameter of the wrong
 * type, an unsupported method) are problem documents too. Applies to the API's controllers only.
 */
@RestControllerAdvice(basePackageClasses = ApiProblems.class)
public class ApiProblems extends ResponseEntityExceptionHandler {

    private final Clock clock;

    public ApiProblems(Clock clock) {
        this.clock = clock;
    }

    @ExceptionHandler(ApiInputException.class)
    ResponseEntity<ProblemDetail> badField(ApiInputException e) {
        ProblemDetail p = problem(HttpStatus.BAD_REQUEST, "Invalid request", e.getMessage());
        p.setProperty("field", e.field());
        p.setProperty("value", ShownUrls.value(e.value()));
        return ResponseEntity.of(p).build();
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ResponseEntity<ProblemDetail> badInput(IllegalArgumentException e) {
        return ResponseEntity.of(problem(HttpStatus.BAD_REQUEST, "Invalid request", e.getMessage())).build();
    }

    @ExceptionHandler(ApiNotFoundException.class)
    ResponseEntity<ProblemDetail> notFound(ApiNotFoundException e) {
        return ResponseEntity.of(problem(HttpStatus.NOT_FOUND, "Not found", e.getMessage())).build();
    }

    @ExceptionHandler({ApiConflictException.class, DuplicateCallException.class})
    ResponseEntity<ProblemDetail> conflict(RuntimeException e) {
        return ResponseEntity.of(problem(HttpStatus.CONFLICT, "Conflict", e.getMessage())).build();
    }

    @ExceptionHandler(DestinationNotPermittedException.class)
    ResponseEntity<ProblemDetail> notPermitted(DestinationNotPermittedException e) {
        ProblemDetail p = problem(HttpStatus.FORBIDDEN, "Destination not permitted", e.getMessage());
        p.setProperty("field", "to");
        p.setProperty("value", ShownUrls.value(e.number()));
        p.setProperty("rule", e.rule());
        return ResponseEntity.of(p).build();
    }

    @ExceptionHandler(NoRouteException.class)
    ResponseEntity<ProblemDetail> noRoute(NoRouteException e) {
        ProblemDetail p = problem(HttpStatus.UNPROCESSABLE_CONTENT, "No route", e.getMessage());
        p.setProperty("category", e.category().wireName());
        return ResponseEntity.of(p).build();
    }

    /** A spending budget is 402 Payment Required; a full rate window or provider pacing is 429. */
    @ExceptionHandler(LimitExceededException.class)
    ResponseEntity<ProblemDetail> limit(LimitExceededException e) {
        boolean budget = e.reason() == io.globalcalling.ErrorReason.SPEND_LIMIT;
        ProblemDetail p = problem(budget ? HttpStatus.PAYMENT_REQUIRED : HttpStatus.TOO_MANY_REQUESTS,
                budget ? "Budget exceeded" : "Too many calls", e.getMessage());
        p.setProperty("limit", e.limitName());
        p.setProperty("retryAt", e.retryAt().toString());
        long seconds = Math.max(1, (Duration.between(clock.instant(), e.retryAt()).toMillis() + 999) / 1000);
        return ResponseEntity.of(p).header(HttpHeaders.RETRY_AFTER, Long.toString(seconds)).build();
    }

    /** The call was recorded, and every provider option refused or failed. */
    @ExceptionHandler(CallFailedException.class)
    ResponseEntity<ProblemDetail> callFailed(CallFailedException e) {
        ProblemDetail p = problem(HttpStatus.BAD_GATEWAY, "Call failed", e.getMessage());
        p.setProperty("callId", e.callId());
        p.setProperty("reason", e.reason().name());
        return ResponseEntity.of(p).build();
    }

    /**
     * A body that is not JSON, or not of this endpoint's shape: the parser's message names the field. A body read
     * past the size limit ({@link BodyLimitFilter}) is 413.
     */
    @Override
    protected @Nullable ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BodyLimitFilter.BodyTooLargeException tooLarge) {
                return ResponseEntity.of((ProblemDetail) problem(HttpStatus.CONTENT_TOO_LARGE, "Content Too Large",
                        tooLarge.getMessage())).build();
            }
        }
        Throwable cause = e.getMostSpecificCause();
        return ResponseEntity.of((ProblemDetail) problem(HttpStatus.BAD_REQUEST, "Invalid request",
                "the body is not valid JSON for this endpoint: " + cause.getMessage())).build();
    }

    /** A problem whose detail shows no URL's credentials or query ({@link ShownUrls}), whoever wrote it. */
    private static ProblemDetail problem(HttpStatus status, String title, @Nullable String detail) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(status, ShownUrls.text(detail));
        p.setTitle(title);
        return p;
    }
}
