package io.globalcalling.provider.twilio.internal;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.globalcalling.ErrorReason;
import io.globalcalling.PhoneNumber;
import io.globalcalling.spi.ProviderException;
import io.globalcalling.Secret;
import okhttp3.ConnectionSpec;
import okhttp3.Credentials;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okhttp3.TlsVersion;
import okio.BufferedSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Talks HTTP to Twilio: Basic auth on every request, TLS 1.2+ only (cleartext only for an {@code http} base URL
 * override), and the error mapping from Twilio's error JSON to {@link ErrorReason}.
 *
 * <p>Writes ({@link Kind#CREATE}, {@link Kind#UPDATE} and {@link Kind#DELETE}) go through a client that never
 * re-sends: no retry on connection failure, no redirects, and a one-shot body (which also stops OkHttp replaying a
 * 408 or a 503 with {@code Retry-After: 0}). A network interceptor marks the request once a connection is up, so a
 * failure before that point (DNS, connect, TLS handshake) is {@code UNAVAILABLE} - nothing reached Twilio - and a
 * failure after it is {@code OUTCOME_UNKNOWN} for a create or an update. A delete may be sent again on a later try,
 * so its failure is {@code UNAVAILABLE} as a read's is; it still never follows a redirect, which OkHttp would
 * turn into a GET. Reads follow none either: Twilio never redirects, so a 3xx is refused with its status.
 *
 * <p>At most {@code maxConcurrent} requests are open at once; further callers wait their turn in order (a fair
 * semaphore) before anything is sent. Without the cap, hundreds of callers each scan OkHttp's connection pool,
 * taking every connection's lock, and the slowest calls waited seconds there.
 */
public final class TwilioHttp {

    /** What a request does, which decides how its failures read. */
    public enum Kind {
        /** Creates a call: any doubt after sending is OUTCOME_UNKNOWN, never a reason to fail over. */
        CREATE(false),
        /** Changes a call (hang-up): a doubt after sending is OUTCOME_UNKNOWN. */
        UPDATE(false),
        /** Reads: changes nothing, so a failure is UNAVAILABLE and a 404 is an empty answer. */
        READ(true),
        /** Deletes: sending it again deletes nothing more, so a failure is UNAVAILABLE and a 404 is already gone. */
        DELETE(true);

        /** Sending it twice does no more than sending it once: a doubt is never OUTCOME_UNKNOWN. */
        private final boolean idempotent;

        Kind(boolean idempotent) {
            this.idempotent = idempotent;
        }
    }

    public static final String REQUEST_ID_HEADER = "Twilio-Request-Id";
    private static final Logger log = LoggerFactory.getLogger(TwilioHttp.class);
    /** 21211 an invalid 'To' number, 21214 one that cannot be reached, 21217 one that does not appear to be valid. */
    static final Set<Integer> INVALID_DESTINATION = Set.of(21211, 21214, 21217);
    /**
     * 21215/32205/13227 are geo-permission blocks; 21202 is a premium or restricted destination; 21216 a destination
     * Twilio blocks (high fraud risk, regulation, no customer profile for +1).
     */
    static final Set<Integer> NOT_PERMITTED = Set.of(21215, 32205, 13227, 21202, 21216);
    private static final int AUTHENTICATION_FAILED = 20003;
    private static final int TOO_MANY_REQUESTS = 20429;
    /** An E.164 number, as a path names it (OkHttp leaves a {@code +} in a path as it is). */
    /**
     * The most of an answer read: far above Twilio's largest page, and what stops an answer without end (a proxy gone
     * wrong) from filling the heap.
     */
    static final long MAX_ANSWER_BYTES = 16L << 20;
    private static final Pattern PHONE_NUMBER = Pattern.compile("(\\+|%2B|%2b)\\d+");

    private final String providerId;
    private final OkHttpClient writeClient;
    private final OkHttpClient readClient;
    private final Clock clock;
    /** The Basic credentials header, set on each request as it is built (an interceptor would copy each request). */
    private final String authorization;
    /** Turns to have a request open, taken in arrival order; see the class comment. */
    private final Semaphore turns;
    /** The longest a caller waits for a turn: every open request ends within its own timeouts. */
    private final Duration turnTimeout;
    private final ObjectMapper json = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    /**
     * @param shared           the manager's shared client; derived with {@code newBuilder()} so the pool is shared
     * @param allowCleartext   true only when a base URL override is {@code http} (tests)
     * @param maxConcurrent    requests open at once; more callers wait their turn in order
     */
    public TwilioHttp(String providerId, OkHttpClient shared, String username, Secret password,
                      Duration connectTimeout, Duration readTimeout, boolean allowCleartext, int maxConcurrent,
                      Clock clock) {
        this.providerId = Objects.requireNonNull(providerId, "providerId");
        if (maxConcurrent < 1) throw new IllegalArgumentException("maxConcurrent " + maxConcurrent + " must be at least 1");
        this.turns = new Semaphore(maxConcurrent, true);
        this.turnTimeout = connectTimeout.plus(readTimeout.multipliedBy(2));
        this.clock = Objects.requireNonNull(clock, "clock");
        this.authorization = Credentials.basic(username, password.reveal());
        ConnectionSpec tls = new ConnectionSpec.Builder(ConnectionSpec.MODERN_TLS)
                .tlsVersions(TlsVersion.TLS_1_3, TlsVersion.TLS_1_2)
                .build();
        OkHttpClient base = shared.newBuilder()
                .connectionSpecs(allowCleartext ? List.of(tls, ConnectionSpec.CLEARTEXT) : List.of(tls))
                .connectTimeout(connectTimeout)
                .readTimeout(readTimeout)
                .writeTimeout(readTimeout)
                .addNetworkInterceptor(SendMarker::markSent)
                // Twilio never redirects: a redirect is a misconfiguration or an attack, and may lead elsewhere
                .followRedirects(false)
                .followSslRedirects(false)
                .build();
        this.readClient = base;
        this.writeClient = base.newBuilder()
                .retryOnConnectionFailure(false)
                .build();
    }

    public ObjectMapper json() {
        return json;
    }

    /** POSTs a form and reads the 2xx answer as {@code type}. */
    public <T> T postForm(HttpUrl url, Form form, Class<T> type, Kind kind) {
        Request request = new Request.Builder().url(url).header("Authorization", authorization).post(form.oneShotBody())
                .tag(SendMarker.class, new SendMarker()).build();
        return exchange(writeClient, request, type, kind).orElseThrow(); // only a READ or a DELETE maps 404 to empty
    }

    /** GETs {@code url}; empty when Twilio answers 404. */
    public <T> Optional<T> get(HttpUrl url, Class<T> type) {
        Request request = new Request.Builder().url(url).header("Authorization", authorization).get()
                .tag(SendMarker.class, new SendMarker()).build();
        return exchange(readClient, request, type, Kind.READ);
    }

    /** DELETEs {@code url}: Twilio answers 204, or 404 when it is already gone, which counts as deleted too. */
    public void delete(HttpUrl url) {
        Request request = new Request.Builder().url(url).header("Authorization", authorization).delete()
                .tag(SendMarker.class, new SendMarker()).build();
        exchange(writeClient, request, Void.class, Kind.DELETE);
    }

    /** Sends the request and reads its answer within one turn (the connection is back in the pool after). */
    private <T> Optional<T> exchange(OkHttpClient client, Request request, Class<T> type, Kind kind) {
        awaitTurn(request);
        try {
            return read(execute(client, request, kind), type, kind);
        } finally {
            turns.release();
        }
    }

    /** Nothing has been sent while a caller waits, so a wait that fails is UNAVAILABLE: safe to fail over. */
    private void awaitTurn(Request request) {
        try {
            if (!turns.tryAcquire(turnTimeout.toNanos(), TimeUnit.NANOSECONDS)) {
                throw failure(ErrorReason.UNAVAILABLE, "no turn to send " + what(request) + " within " + turnTimeout
                        + ": every one of this provider's requests to Twilio is still open", 0, null, null, null, null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure(ErrorReason.UNAVAILABLE, "interrupted while waiting to send " + what(request), 0, null, null,
                    null, e);
        }
    }

    private static String what(Request request) {
        return request.method() + " " + path(request);
    }

    /**
     * The request's path for a log or a message, a phone number in it masked: the Pricing API names the destination
     * in its path ({@code /v2/Voice/Numbers/+14155551212} reads {@code /v2/Voice/Numbers/+141******12}).
     */
    private static String path(Request request) {
        return PHONE_NUMBER.matcher(request.url().encodedPath())
                .replaceAll(n -> Matcher.quoteReplacement(PhoneNumber.mask(n.group())));
    }

    private Response execute(OkHttpClient client, Request request, Kind kind) {
        try {
            Response response = client.newCall(request).execute();
            log.debug("{} {} -> {} ({})", request.method(), path(request), response.code(),
                    response.header(REQUEST_ID_HEADER));
            return response;
        } catch (IOException e) {
            boolean sent = Objects.requireNonNull(request.tag(SendMarker.class)).sent;
            ErrorReason reason = !sent || kind.idempotent ? ErrorReason.UNAVAILABLE : ErrorReason.OUTCOME_UNKNOWN;
            String what = sent ? "no answer from Twilio after sending " : "could not reach Twilio for ";
            throw failure(reason, what + what(request) + ": " + describe(e), 0, null, null, null, null);
        }
    }

    private <T> Optional<T> read(Response response, Class<T> type, Kind kind) {
        try (response; ResponseBody body = response.body()) {
            byte[] bytes = bounded(body); // Jackson reads the bytes: no String of the whole answer first
            String requestId = response.header(REQUEST_ID_HEADER);
            if (response.code() == 404 && kind.idempotent) return Optional.empty();
            if (!response.isSuccessful()) throw error(response, text(bytes, body.contentType()), requestId, kind);
            if (type == Void.class) return Optional.empty();   // a 204 has no body to read
            ErrorReason reason = kind == Kind.READ ? ErrorReason.INTERNAL : ErrorReason.OUTCOME_UNKNOWN;
            T value;
            try {
                value = json.readValue(bytes, type);
            } catch (JacksonException e) {
                // not Jackson's exception as the cause: it quotes the value it could not map, the number called too
                throw failure(reason, "Twilio answered " + response.code() + " with a body that is not its JSON",
                        response.code(), null, requestId, null, null);
            }
            // JSON's null reads as no object: as unreadable as a broken body (and the 2xx says the bytes arrived)
            if (value == null) {
                throw failure(reason, "Twilio answered " + response.code() + " with a JSON null in place of its answer",
                        response.code(), null, requestId, null, null);
            }
            return Optional.of(value);
        } catch (IOException e) {
            ErrorReason reason = kind.idempotent ? ErrorReason.UNAVAILABLE : ErrorReason.OUTCOME_UNKNOWN;
            throw failure(reason, "Twilio's answer broke off: " + describe(e), response.code(),
                    null, response.header(REQUEST_ID_HEADER), null, null);
        }
    }

    /** The whole body, unless it runs past {@link #MAX_ANSWER_BYTES}: then no more of it is read. */
    private static byte[] bounded(ResponseBody body) throws IOException {
        BufferedSource source = body.source();
        if (source.request(MAX_ANSWER_BYTES + 1)) {
            throw new IOException("the answer runs past " + (MAX_ANSWER_BYTES >> 20) + " MiB; read no further");
        }
        return source.readByteArray();
    }

    /**
     * An I/O failure for a message: its class and the first line of its text, numbers masked. Not as a cause: OkHttp
     * quotes what came back ("Unexpected status line: ..."), which a gateway in the way may fill with the request and
     * the number called, and any stack trace logged would print it.
     */
    private static String describe(IOException e) {
        String text = String.valueOf(e.getMessage());
        int nl = text.indexOf('\n');
        return e.getClass().getSimpleName() + ": " + PhoneNumber.maskNumbersIn(nl < 0 ? text : text.substring(0, nl));
    }

    /** The body as text in its declared charset, UTF-8 when none is declared (as {@code ResponseBody.string()}). */
    private static String text(byte[] bytes, MediaType type) {
        Charset charset = type == null ? null : type.charset(StandardCharsets.UTF_8);
        return new String(bytes, charset == null ? StandardCharsets.UTF_8 : charset);
    }

    /** Maps a non-2xx answer: Twilio's code first, then the HTTP status. */
    private ProviderException error(Response response, String body, String requestId, Kind kind) {
        int http = response.code();
        TwilioError err = parseError(body);
        Integer code = err == null ? null : err.code();
        // Twilio's message may quote the callee's number, and it becomes the call record's error message
        String message = err != null && err.message() != null ? PhoneNumber.maskNumbersIn(err.message()) : "HTTP " + http;
        ErrorReason reason;
        Duration retryAfter = null;
        if (code != null && INVALID_DESTINATION.contains(code)) {
            reason = ErrorReason.INVALID_DESTINATION;
        } else if (code != null && NOT_PERMITTED.contains(code)) {
            reason = ErrorReason.NOT_PERMITTED;
        } else if ((code != null && code == AUTHENTICATION_FAILED) || http == 401) {
            reason = ErrorReason.AUTHENTICATION;
        } else if ((code != null && code == TOO_MANY_REQUESTS) || http == 429) {
            // Twilio: a 429 "isn't processed and is safe to retry after backing off"
            reason = ErrorReason.RATE_LIMITED;
            retryAfter = retryAfter(response.header("Retry-After"));
        } else if (http >= 500) {
            reason = kind.idempotent ? ErrorReason.UNAVAILABLE : ErrorReason.OUTCOME_UNKNOWN;
        } else if (http >= 300 && http < 400) {
            reason = ErrorReason.REJECTED;
            message = "unexpected redirect (HTTP " + http + "); not followed";
        } else {
            reason = ErrorReason.REJECTED;
        }
        String text = "Twilio: " + message + (code == null ? "" : " (code " + code + ")") + ", HTTP " + http;
        return failure(reason, text, http, code == null ? null : code.toString(), requestId,
                err == null ? null : err.moreInfo(), null, retryAfter);
    }

    private TwilioError parseError(String body) {
        try {
            return body.isBlank() ? null : json.readValue(body, TwilioError.class);
        } catch (JacksonException e) {
            return null;
        }
    }

    /** Reads {@code Retry-After} as seconds or as an HTTP date; null when absent or unreadable. */
    private Duration retryAfter(String header) {
        if (header == null || header.isBlank()) return null;
        String v = header.strip();
        try {
            if (v.chars().allMatch(Character::isDigit)) return Duration.ofSeconds(Long.parseLong(v));
            Duration d = Duration.between(clock.instant(),
                    ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
            return d.isNegative() ? Duration.ZERO : d;
        } catch (NumberFormatException | DateTimeParseException e) {
            return null;
        }
    }

    private ProviderException failure(ErrorReason reason, String message, int http, String code, String requestId,
                                      String moreInfo, Throwable cause) {
        return failure(reason, message, http, code, requestId, moreInfo, cause, null);
    }

    private ProviderException failure(ErrorReason reason, String message, int http, String code, String requestId,
                                      String moreInfo, Throwable cause, Duration retryAfter) {
        return ProviderException.builder(providerId, reason, message)
                .httpStatus(http)
                .providerErrorCode(code)
                .providerRequestId(requestId)
                .moreInfo(moreInfo)
                .retryAfter(retryAfter)
                .cause(cause)
                .build();
    }

    /** Set by a network interceptor, which OkHttp runs only once a connection (and TLS) is up. */
    private static final class SendMarker {
        volatile boolean sent;

        static Response markSent(Interceptor.Chain chain) throws IOException {
            SendMarker marker = chain.request().tag(SendMarker.class);
            if (marker != null) marker.sent = true;
            return chain.proceed(chain.request());
        }
    }
}
