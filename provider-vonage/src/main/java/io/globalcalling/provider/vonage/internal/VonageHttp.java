package io.globalcalling.provider.vonage.internal;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.globalcalling.ErrorReason;
import io.globalcalling.PhoneNumber;
import io.globalcalling.spi.ProviderException;
import okhttp3.ConnectionSpec;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okhttp3.TlsVersion;
import okio.BufferedSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Talks HTTP to Vonage: an {@code Authorization} header from a supplier (a fresh application JWT, or Basic
 * credentials for the Pricing API) added in an interceptor, TLS 1.2+ only (cleartext only for an {@code http}
 * base URL override), and the mapping of Vonage's RFC 7807 errors to {@link ErrorReason}.
 *
 * <p>Writes ({@link Kind#CREATE}, {@link Kind#UPDATE}) go through a client that never re-sends: no retry on
 * connection failure, no redirects, and a one-shot body (so OkHttp cannot replay it after a 408 or a 503). A
 * network interceptor marks the request once a connection is up, so a failure before that (DNS, connect, TLS)
 * is {@code UNAVAILABLE} - nothing reached Vonage - and one after it is {@code OUTCOME_UNKNOWN} for a write.
 * Reads follow no redirect either: Vonage never redirects, so a 3xx is refused with its status.
 */
public final class VonageHttp {

    /** What a request does, which decides how its failures read. */
    public enum Kind {
        /** Creates a call: any doubt after sending is OUTCOME_UNKNOWN, never a reason to fail over. */
        CREATE,
        /** Changes a call (hang-up): a doubt after sending is OUTCOME_UNKNOWN. */
        UPDATE,
        /** Reads: changes nothing, so a failure is UNAVAILABLE. */
        READ
    }

    public static final String REQUEST_ID_HEADER = "X-Request-Id";
    private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");
    /**
     * The most of an answer read: far above Vonage's largest page, and what stops an answer without end (a proxy gone
     * wrong) from filling the heap.
     */
    static final long MAX_ANSWER_BYTES = 16L << 20;
    private static final Logger log = LoggerFactory.getLogger(VonageHttp.class);

    private final String providerId;
    private final OkHttpClient writeClient;
    private final OkHttpClient readClient;
    private final Clock clock;
    private final ObjectMapper json;

    /**
     * @param shared         the manager's shared client; derived with {@code newBuilder()} so the pool is shared
     * @param authorization  the {@code Authorization} header value for each request; it is never logged
     * @param allowCleartext true only when a base URL override is {@code http} (tests)
     */
    public VonageHttp(String providerId, OkHttpClient shared, Supplier<String> authorization, Duration connectTimeout,
                      Duration readTimeout, boolean allowCleartext, Clock clock, ObjectMapper json) {
        this.providerId = Objects.requireNonNull(providerId, "providerId");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.json = Objects.requireNonNull(json, "json");
        ConnectionSpec tls = new ConnectionSpec.Builder(ConnectionSpec.MODERN_TLS)
                .tlsVersions(TlsVersion.TLS_1_3, TlsVersion.TLS_1_2)
                .build();
        OkHttpClient base = shared.newBuilder()
                .connectionSpecs(allowCleartext ? List.of(tls, ConnectionSpec.CLEARTEXT) : List.of(tls))
                .connectTimeout(connectTimeout)
                .readTimeout(readTimeout)
                .writeTimeout(readTimeout)
                .addInterceptor(new Authorization(authorization))
                .addNetworkInterceptor(SendMarker::markSent)
                // Vonage never redirects: a redirect is a misconfiguration or an attack, and may lead elsewhere
                .followRedirects(false)
                .followSslRedirects(false)
                .build();
        this.readClient = base;
        this.writeClient = base.newBuilder()
                .retryOnConnectionFailure(false)
                .build();
    }

    /** The mapper every Vonage body is read and written with. */
    public static ObjectMapper newMapper() {
        return JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
    }

    /** POSTs (or PUTs) {@code body} as JSON; the 2xx answer is read as {@code type}, or empty for a 204. */
    public <T> Optional<T> send(String method, HttpUrl url, Object body, Class<T> type, Kind kind) {
        byte[] bytes;
        try {
            bytes = json.writeValueAsBytes(body);
        } catch (JacksonException e) {
            throw new IllegalStateException("cannot write a Vonage request body", e);
        }
        Request request = new Request.Builder().url(url).method(method, oneShot(RequestBody.create(bytes, JSON)))
                .header("Accept", "application/json").tag(SendMarker.class, new SendMarker()).build();
        return read(execute(writeClient, request, kind), type, kind);
    }

    /** GETs {@code url}; empty when Vonage answers 404. */
    public <T> Optional<T> get(HttpUrl url, Class<T> type) {
        Request request = new Request.Builder().url(url).get().header("Accept", "application/json")
                .tag(SendMarker.class, new SendMarker()).build();
        return read(execute(readClient, request, Kind.READ), type, Kind.READ);
    }

    private Response execute(OkHttpClient client, Request request, Kind kind) {
        try {
            Response response = client.newCall(request).execute();
            log.debug("{} {} -> {} ({})", request.method(), request.url().encodedPath(), response.code(),
                    response.header(REQUEST_ID_HEADER));
            return response;
        } catch (IOException e) {
            boolean sent = Objects.requireNonNull(request.tag(SendMarker.class)).sent;
            ErrorReason reason = !sent || kind == Kind.READ ? ErrorReason.UNAVAILABLE : ErrorReason.OUTCOME_UNKNOWN;
            String what = sent ? "no answer from Vonage after sending " : "could not reach Vonage for ";
            throw ProviderException.builder(providerId, reason, what + request.method() + " "
                    + request.url().encodedPath() + ": " + describe(e)).build();
        }
    }

    private <T> Optional<T> read(Response response, Class<T> type, Kind kind) {
        try (response; ResponseBody body = response.body()) {
            byte[] bytes = bounded(body);
            String requestId = response.header(REQUEST_ID_HEADER);
            if (response.code() == 404 && kind == Kind.READ) return Optional.empty();
            if (!response.isSuccessful()) throw error(response, bytes, requestId, kind);
            if (response.code() == 204 || bytes.length == 0) return Optional.empty();
            ErrorReason reason = kind == Kind.READ ? ErrorReason.INTERNAL : ErrorReason.OUTCOME_UNKNOWN;
            T value;
            try {
                value = json.readValue(bytes, type);
            } catch (JacksonException e) {
                // not Jackson's exception as the cause: it quotes the value it could not map, the number called too
                throw ProviderException.builder(providerId, reason, "Vonage answered " + response.code()
                        + " with a body that is not its JSON").httpStatus(response.code())
                        .providerRequestId(requestId).build();
            }
            // JSON's null reads as no object: as unreadable as a broken body (and the 2xx says the bytes arrived)
            if (value == null) {
                throw ProviderException.builder(providerId, reason, "Vonage answered " + response.code()
                        + " with a JSON null in place of its answer").httpStatus(response.code())
                        .providerRequestId(requestId).build();
            }
            return Optional.of(value);
        } catch (IOException e) {
            ErrorReason reason = kind == Kind.READ ? ErrorReason.UNAVAILABLE : ErrorReason.OUTCOME_UNKNOWN;
            throw ProviderException.builder(providerId, reason, "Vonage's answer broke off: "
                    + describe(e)).httpStatus(response.code())
                    .providerRequestId(response.header(REQUEST_ID_HEADER)).build();
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

    /**
     * Maps a non-2xx answer. Vonage names the error by its RFC 7807 {@code type} URI and lists refused fields in
     * {@code invalid_parameters}: a refused {@code to} is an invalid destination. Otherwise the HTTP status
     * decides: 401 authentication, 403 not permitted, 429 rate limited, 5xx unknown for a write.
     */
    private ProviderException error(Response response, byte[] body, String requestId, Kind kind) {
        int http = response.code();
        VonageError err = parseError(body);
        String type = err == null ? null : err.type();
        // Vonage's text may quote the callee's number, and it becomes the call record's error message
        String message = err == null ? "HTTP " + http
                : PhoneNumber.maskNumbersIn(firstNonBlank(err.title(), "HTTP " + http) + (err.detail() == null ? "" : ": " + err.detail()));
        ErrorReason reason;
        Duration retryAfter = null;
        if (err != null && refusesDestination(err)) {
            reason = ErrorReason.INVALID_DESTINATION;
        } else if (http == 401) {
            reason = ErrorReason.AUTHENTICATION;
        } else if (http == 403) {
            reason = ErrorReason.NOT_PERMITTED;
        } else if (http == 429) {
            reason = ErrorReason.RATE_LIMITED;
            retryAfter = retryAfter(response.header("Retry-After"));
        } else if (http >= 500) {
            reason = kind == Kind.READ ? ErrorReason.UNAVAILABLE : ErrorReason.OUTCOME_UNKNOWN;
        } else if (http >= 300 && http < 400) {
            reason = ErrorReason.REJECTED;
            message = "unexpected redirect (HTTP " + http + "); not followed";
        } else {
            reason = ErrorReason.REJECTED;
        }
        String id = requestId != null ? requestId : err == null ? null : err.instance();
        return ProviderException.builder(providerId, reason, "Vonage: " + message + ", HTTP " + http)
                .httpStatus(http).providerErrorCode(type).providerRequestId(id).moreInfo(type)
                .retryAfter(retryAfter).build();
    }

    private static boolean refusesDestination(VonageError err) {
        boolean toRefused = err.invalidParameters().stream()
                .anyMatch(p -> p.name() != null && p.name().toLowerCase(Locale.ROOT).startsWith("to"));
        String type = err.type() == null ? "" : err.type().toLowerCase(Locale.ROOT);
        return toRefused || type.contains("invalid-number") || type.contains("invalid_number");
    }

    private VonageError parseError(byte[] body) {
        try {
            return body.length == 0 ? null : json.readValue(body, VonageError.class);
        } catch (IOException e) {
            return null;
        }
    }

    /** {@code Retry-After} as seconds or as an HTTP date; null when absent or unreadable. */
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

    private static String firstNonBlank(String a, String b) {
        return a != null && !a.isBlank() ? a : b;
    }

    private static RequestBody oneShot(RequestBody body) {
        return new RequestBody() {
            @Override
            public MediaType contentType() {
                return body.contentType();
            }

            @Override
            public long contentLength() throws IOException {
                return body.contentLength();
            }

            @Override
            public void writeTo(okio.BufferedSink sink) throws IOException {
                body.writeTo(sink);
            }

            @Override
            public boolean isOneShot() {
                return true;
            }
        };
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

    /** Adds the {@code Authorization} header; its value lives only in the request. */
    private static final class Authorization implements Interceptor {
        private final Supplier<String> value;

        Authorization(Supplier<String> value) {
            this.value = Objects.requireNonNull(value, "authorization");
        }

        @Override
        public Response intercept(Chain chain) throws IOException {
            return chain.proceed(chain.request().newBuilder().header("Authorization", value.get()).build());
        }

        @Override
        public String toString() {
            return "Authorization[****]";
        }
    }

}
