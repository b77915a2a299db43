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
import org.springframework.util.ClassUtils;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.PropertyBindingException;

import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;

/**
 * The API's errors as RFC 7807 problem documents ({@code application/problem+json}), each naming what was wrong:
 * 400 bad input (with {@code field} and {@code value}), 402 a spending budget, 403 a destination the policy
 * refuses, 404, 409, 413 a body over the size limit, 422 no route, 429 a rate window or provider pacing (both limits with {@code Retry-After}),
 * 502 a call every provider refused. Spring MVC's own errors (a body that is not JSON, a parameter of the wrong
 * type, an unsupported method) are problem documents too. Applies to the API's controllers only.
 */
@RestControllerAdvice(basePackageClasses = ApiProblems.class)
public class ApiProblems extends ResponseEntityExceptionHandler {

    /** Whether Spring MVC reads JSON with Jackson 3, whose exceptions {@link UnreadableJson} reads. */
    private static final boolean JACKSON =
            ClassUtils.isPresent(StrictJsonBodies.JACKSON, ApiProblems.class.getClassLoader());

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
     * A body that is not JSON, or not of this endpoint's shape: the problem says what was wrong in the API's terms,
     * with the field's JSON path in {@code field} ({@code targets[0].timezone}), and never quotes the parser's own
     * message, which names the server's Java classes and lists every field they have. A body read past the size
     * limit ({@link BodyLimitFilter}) is 413.
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
        ProblemDetail p = problem(HttpStatus.BAD_REQUEST, "Invalid request", "the body is missing or is not JSON");
        // Spring's own message names the controller method and its parameter types: it is never quoted
        if (JACKSON) UnreadableJson.describe(e, p);
        return ResponseEntity.of((ProblemDetail) p).build();
    }

    /**
     * What was wrong with a body Jackson refused, in the API's terms (JSON, fields and their kinds of value), never
     * its own message, which names the server's Java classes and lists every field they have. Loaded only when
     * Jackson 3 is present.
     */
    private static final class UnreadableJson {

        static void describe(Throwable e, ProblemDetail p) {
            JacksonException json = null;
            for (Throwable t = e; t != null && json == null; t = t.getCause()) {
                if (t instanceof JacksonException j) json = j;
            }
            if (json == null) return;
            String field = path(json);
            p.setDetail(ShownUrls.text(detail(json, field)));
            if (!field.isEmpty()) p.setProperty("field", field);
        }

        private static String detail(JacksonException e, String field) {
            if (e instanceof PropertyBindingException unknown) {
                String name = unknown.getPropertyName();
                String parent = field.endsWith("." + name) ? field.substring(0, field.length() - name.length() - 1) : "";
                return "field \"" + name + "\"" + (parent.isEmpty() ? "" : " in \"" + parent + "\"")
                        + " is not one this endpoint takes";
            }
            Class<?> expected = e instanceof MismatchedInputException m ? m.getTargetType()
                    : e instanceof InputCoercionException c ? c.getTargetType() : null;
            if (expected != null) {
                String kind = kind(expected) + (e instanceof InputCoercionException ? " in range" : "");
                return field.isEmpty() ? "the body must be " + kind : "field \"" + field + "\" must be " + kind;
            }
            if (e instanceof StreamReadException) {
                // the parser's first clause says what it met ("Unexpected end-of-input", "Duplicate Object property
                // \"to\""); what follows may name the parser's Java settings or quote the source
                String said = e.getOriginalMessage() == null ? "" : e.getOriginalMessage().split(":", 2)[0].strip();
                boolean plain = !said.isEmpty() && !said.contains("`") && !said.contains("Feature") && !said.contains("[");
                TokenStreamLocation at = e.getLocation();
                return "the body is not valid JSON" + (plain ? ": " + said : "") + (at != null && at.getLineNr() > 0
                        ? " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")" : "");
            }
            return field.isEmpty() ? "the body is not of this endpoint's shape"
                    : "field \"" + field + "\" does not hold what this endpoint takes there";
        }

        /** The JSON path of the value the parser stopped at: {@code maxCostPerMinute.amount}, {@code targets[2].number}. */
        private static String path(JacksonException e) {
            StringBuilder path = new StringBuilder();
            for (JacksonException.Reference r : e.getPath()) {
                if (r.getPropertyName() != null) {
                    if (!path.isEmpty()) path.append('.');
                    path.append(r.getPropertyName());
                } else if (r.getIndex() >= 0) {
                    path.append('[').append(r.getIndex()).append(']');
                }
            }
            return path.toString();
        }

        /** A kind of JSON value, in the API's words, for the Java type a field is read into. */
        private static String kind(Class<?> type) {
            if (type == Integer.class || type == int.class || type == Long.class || type == long.class
                    || type == Short.class || type == short.class || type == BigInteger.class) {
                return "a whole number";
            }
            if (Number.class.isAssignableFrom(type) || type == double.class || type == float.class) return "a number";
            if (type == Boolean.class || type == boolean.class) return "true or false";
            if (CharSequence.class.isAssignableFrom(type) || type == Character.class || type == char.class) return "text";
            if (type.isEnum()) return "one of the values the API documents for it";
            if (type.isArray() || Collection.class.isAssignableFrom(type)) return "a list";
            return "an object";
        }
    }

    /** A problem whose detail shows no URL's credentials or query ({@link ShownUrls}), whoever wrote it. */
    private static ProblemDetail problem(HttpStatus status, String title, @Nullable String detail) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(status, ShownUrls.text(detail));
        p.setTitle(title);
        return p;
    }
}
