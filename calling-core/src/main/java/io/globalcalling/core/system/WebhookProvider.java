package io.globalcalling.core.system;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.globalcalling.CallCategory;
import io.globalcalling.spi.CallEvent;
import io.globalcalling.spi.CallEventSink;
import io.globalcalling.CallStatus;
import io.globalcalling.spi.CallingProvider;
import io.globalcalling.Endpoint;
import io.globalcalling.ErrorReason;
import io.globalcalling.Money;
import io.globalcalling.spi.OutboundCall;
import io.globalcalling.spi.PlacedCall;
import io.globalcalling.spi.BillingUnit;
import io.globalcalling.spi.ProviderCapabilities;
import io.globalcalling.spi.ProviderPace;
import io.globalcalling.spi.ProviderContext;
import io.globalcalling.spi.ProviderCoverage;
import io.globalcalling.spi.ProviderException;
import io.globalcalling.spi.Rate;
import io.globalcalling.spi.WebhookHandler;
import io.globalcalling.WebhookUrl;
import okhttp3.Call;
import okhttp3.EventListener;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The {@code system_api} category: delivers a call as a signed HTTP POST to the system at its
 * {@link WebhookUrl}. The body is the request's {@code payload} (sent byte for byte) or, without
 * one, a JSON event {@code {"type":"call","callId":..,"category":"system_api","to":..,"metadata":{..},"createdAt":..}}.
 * Headers: {@code Calling-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">} (see
 * {@link WebhookSignatureVerifier}), {@code Idempotency-Key: <callId>}, {@code Content-Type: application/json}.
 *
 * <p><b>Destinations.</b> Only {@code https} URLs unless {@code webhook.allow-http=true}, and never an address in a
 * private network outside {@code webhook.allowed-private-networks}: every address connected to is checked, whether
 * the host is a name or an IP literal in any spelling ({@link PrivateNetworkGuard}). Redirects are not followed, and
 * the JVM's proxy settings are not used (the guard must see the receiver's own address). A refused destination is
 * {@link ErrorReason#NOT_PERMITTED}, naming the host, before anything is sent.
 *
 * <p><b>Retries.</b> Up to {@code webhook.max-attempts} attempts (default 4), waiting with exponential backoff and
 * full jitter (a random wait up to min(cap, 200 ms × 2^(attempt-1))), but only after a connection failure, a timeout,
 * a 5xx or a 429 (whose {@code Retry-After} is waited out exactly; one longer than the cap ends the retries). Any
 * other answer is final. Every attempt goes to the same receiver with the same {@code Idempotency-Key} (the call id),
 * which the receiver deduplicates by (see {@link WebhookSignatureVerifier}); that is what makes re-sending a request
 * that may have arrived safe. Each attempt ends by {@code webhook.call-timeout}, however slowly the receiver answers.
 *
 * <p><b>Outcome.</b> A 2xx returns a {@link PlacedCall} with status completed and delivers a completed event
 * (details {@code status_code}, {@code attempts}; price from the rate deck, 0.01 INR) through the context's event
 * sink. Once any attempt may have reached the receiver (its request headers started to go out: a 5xx, a reset, a
 * timeout after sending), the only failure is {@link ErrorReason#OUTCOME_UNKNOWN}: the call is left for
 * reconciliation and never fails over to another provider, which would deliver it twice. Otherwise
 * {@link ProviderException} with:
 * <ul>
 * <li>{@link ErrorReason#INVALID_DESTINATION}: a 404 or 410 (no such endpoint), a destination that is not a webhook URL,
 *     or one whose host HTTP cannot reach (a label over 63 characters, an IPv6 zone), before anything is sent;</li>
 * <li>{@link ErrorReason#REJECTED}: any other 4xx or a redirect;</li>
 * <li>{@link ErrorReason#RATE_LIMITED}: 429 on the last attempt (or with a Retry-After above the cap), with its retry-after;</li>
 * <li>{@link ErrorReason#NOT_PERMITTED}: a refused destination (see above);</li>
 * <li>{@link ErrorReason#UNAVAILABLE}: no byte of any attempt left this host (refused connection, DNS failure,
 *     connect timeout): safe to fail over.</li>
 * </ul>
 */
public final class WebhookProvider implements CallingProvider {

    public static final String ID = "webhook";

    /** Waits between attempts; tests replace it to observe the waits without spending them. */
    @FunctionalInterface
    interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    private static final Logger log = LoggerFactory.getLogger(WebhookProvider.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final MediaType JSON_TYPE = MediaType.get("application/json; charset=utf-8");
    private static final int MAX_REMEMBERED_DELIVERIES = 10_000;
    private static final ProviderCapabilities CAPABILITIES = ProviderCapabilities.builder()
            .pace(ProviderPace.UNLIMITED)
            .billingUnits(Set.of(BillingUnit.PER_CALL))
            .build();
    private static final Rate PER_CALL = Rate.perCall(CallCategory.SYSTEM_API, "", Money.inr("0.01"));

    private final WebhookConfig config;
    private final Clock clock;
    private final CallEventSink sink;
    private final ProviderContext context;
    private final OkHttpClient client;
    private final Sleeper sleeper;
    private final PrivateNetworkGuard guard;
    private final ProviderCoverage coverage = ProviderCoverage.countries(Set.copyOf(Arrays.asList(Locale.getISOCountries())));
    private final Map<String, CallEvent> deliveries = Collections.synchronizedMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, CallEvent> eldest) {
            return size() > MAX_REMEMBERED_DELIVERIES;
        }
    });

    public WebhookProvider(WebhookConfig config, ProviderContext context) {
        this(config, context, d -> Thread.sleep(d.toMillis(), d.toNanosPart() % 1_000_000));
    }

    WebhookProvider(WebhookConfig config, ProviderContext context, Sleeper sleeper) {
        this.config = Objects.requireNonNull(config, "config");
        this.context = Objects.requireNonNull(context, "context");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.clock = context.clock();
        this.sink = context.events();
        this.guard = new PrivateNetworkGuard(config.allowedPrivateNetworks());
        OkHttpClient shared = context.shared(OkHttpClient.class, OkHttpClient::new);
        this.client = shared.newBuilder()
                .connectTimeout(config.connectTimeout())
                .readTimeout(config.readTimeout())
                .writeTimeout(config.readTimeout())
                .callTimeout(config.callTimeout())
                // we retry ourselves, only when it is safe; OkHttp would replay after send and follow redirects
                .retryOnConnectionFailure(false)
                .followRedirects(false)
                .followSslRedirects(false)
                .proxy(Proxy.NO_PROXY)
                .dns(guard.dns(shared.dns()))
                .socketFactory(guard.socketFactory())
                .eventListenerFactory(call -> Optional.ofNullable(call.request().tag(SendTracker.class))
                        .<EventListener>map(t -> t).orElse(EventListener.NONE))
                .build();
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Set<CallCategory> categories() {
        return Set.of(CallCategory.SYSTEM_API);
    }

    /** Unpaced (the host's own systems; a 429 still pauses it), billed by the delivery. */
    @Override
    public ProviderCapabilities capabilities() {
        return CAPABILITIES;
    }

    /** Every country: a webhook reaches any system on the internet. */
    @Override
    public ProviderCoverage coverage() {
        return coverage;
    }

    @Override
    public boolean covers(Endpoint endpoint) {
        return endpoint instanceof WebhookUrl;
    }

    @Override
    public List<Rate> rates() {
        return List.of(PER_CALL);
    }

    @Override
    public PlacedCall place(OutboundCall call) {
        Objects.requireNonNull(call, "call");
        if (!(call.to() instanceof WebhookUrl url)) {
            throw failure(ErrorReason.INVALID_DESTINATION, "system_api delivers to http(s) URLs, not "
                    + Endpoint.mask(call.to().value())).build();
        }
        String host = url.uri().getHost();
        HttpUrl target = HttpUrl.parse(url.uri().toString());
        if (target == null) {
            throw failure(ErrorReason.INVALID_DESTINATION, "cannot deliver to host " + host
                    + ": it is not a host name or IP address an HTTP client can reach").build();
        }
        if (!"https".equalsIgnoreCase(url.uri().getScheme()) && !config.allowHttp()) {
            throw failure(ErrorReason.NOT_PERMITTED, "refusing plain http to " + host + ": only https is delivered "
                    + "unless " + WebhookConfig.ALLOW_HTTP_KEY + "=true").build();
        }
        try {
            guard.checkLiteral(host);
        } catch (PrivateNetworkGuard.BlockedAddressException e) {
            throw notPermitted(host, e);
        }
        byte[] body = body(call);
        boolean maybeDelivered = false;
        ProviderException last = null;
        for (int attempt = 1; attempt <= config.maxAttempts(); attempt++) {
            if (attempt > 1) pause(last, attempt, maybeDelivered);
            SendTracker tracker = new SendTracker();
            Request request = new Request.Builder().url(target)
                    .header(WebhookSignatureVerifier.SIGNATURE_HEADER, WebhookSignatureVerifier.sign(config.signingSecret(), clock.instant(), body))
                    .header(WebhookSignatureVerifier.IDEMPOTENCY_HEADER, call.callId())
                    .header("User-Agent", "global-calling-sdk-webhook")
                    .post(RequestBody.create(body, JSON_TYPE))
                    .tag(SendTracker.class, tracker)
                    .build();
            try (Response response = client.newCall(request).execute()) {
                int code = response.code();
                if (code >= 200 && code < 300) return delivered(call, code, attempt);
                log.debug("webhook delivery of {} to {}: attempt {} answered {}", call.callId(), host, attempt, code);
                if (code == 429) {
                    Duration retryAfter = retryAfter(response.header("Retry-After"));
                    last = failure(ErrorReason.RATE_LIMITED, host + " answered 429 Too Many Requests")
                            .httpStatus(code).retryAfter(retryAfter).build();
                    if (retryAfter != null && retryAfter.compareTo(config.backoffCap()) > 0) break;
                } else if (code >= 500) {
                    maybeDelivered = true; // unlike a 429, a 5xx does not say the receiver did nothing
                    last = failure(ErrorReason.OUTCOME_UNKNOWN, host + " answered " + code + "; it may have acted on the "
                            + "delivery (a receiver deduplicates by " + WebhookSignatureVerifier.IDEMPOTENCY_HEADER + ")")
                            .httpStatus(code).build();
                } else if (code == 404 || code == 410) {
                    last = failure(ErrorReason.INVALID_DESTINATION, host + " has no endpoint at " + url.uri().getPath()
                            + " (" + code + ")").httpStatus(code).build();
                    break;
                } else {
                    last = failure(ErrorReason.REJECTED, host + " refused the delivery with " + code
                            + (code < 400 ? " (redirects are not followed)" : "")).httpStatus(code).build();
                    break;
                }
            } catch (IOException e) {
                PrivateNetworkGuard.BlockedAddressException blocked = blockedIn(e);
                if (blocked != null) {
                    last = notPermitted(host, blocked);
                    break;
                }
                maybeDelivered |= tracker.sent;
                log.debug("webhook delivery of {} to {}: attempt {} failed: {}", call.callId(), host, attempt, e.toString());
                last = failure(tracker.sent ? ErrorReason.OUTCOME_UNKNOWN : ErrorReason.UNAVAILABLE,
                        (tracker.sent ? "no answer from " : "could not connect to ") + host + ": " + e.getMessage())
                        .cause(e).build();
            }
        }
        throw maybeDelivered ? outcomeUnknown(host, last) : last;
    }

    /** Once an attempt may have been delivered, any later failure leaves the outcome unknown. */
    private static ProviderException outcomeUnknown(String host, ProviderException last) {
        if (last.reason() == ErrorReason.OUTCOME_UNKNOWN) return last;
        return failure(ErrorReason.OUTCOME_UNKNOWN, "an attempt to " + host + " may have been delivered; the last "
                + "failed: " + last.getMessage()).httpStatus(last.httpStatus()).cause(last).build();
    }

    /** The guard's refusal, if it is what ended {@code e} (OkHttp may wrap it or add it to another failure). */
    private static PrivateNetworkGuard.BlockedAddressException blockedIn(Throwable e) {
        if (e == null) return null;
        if (e instanceof PrivateNetworkGuard.BlockedAddressException blocked) return blocked;
        for (Throwable suppressed : e.getSuppressed()) {
            PrivateNetworkGuard.BlockedAddressException blocked = blockedIn(suppressed);
            if (blocked != null) return blocked;
        }
        return e.getCause() == e ? null : blockedIn(e.getCause());
    }

    /** Waits before attempt {@code attempt}: the 429's Retry-After, else full-jitter exponential backoff. */
    private void pause(ProviderException last, int attempt, boolean maybeDelivered) {
        Duration wait = last.retryAfter().orElseGet(() -> {
            long ceiling = Math.min(config.backoffCap().toMillis(), config.backoffBase().toMillis() << Math.min(attempt - 2, 20));
            return Duration.ofMillis(ThreadLocalRandom.current().nextLong(ceiling + 1));
        });
        try {
            sleeper.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure(maybeDelivered ? ErrorReason.OUTCOME_UNKNOWN : last.reason(),
                    "interrupted while waiting to retry: " + last.getMessage()).cause(e).build();
        }
    }

    private PlacedCall delivered(OutboundCall call, int code, int attempts) {
        String id = "WH" + UUID.randomUUID().toString().replace("-", "");
        CallEvent event = CallEvent.builder(ID, clock.instant()).providerCallId(id).callId(call.callId())
                .status(CallStatus.COMPLETED).duration(Duration.ZERO).price(PER_CALL.priceFor(Duration.ZERO))
                .details(Map.of("status_code", Integer.toString(code), "attempts", Integer.toString(attempts))).build();
        deliveries.put(id, event);
        try {
            context.scheduler().execute(() -> sink.accept(event));
        } catch (RejectedExecutionException e) {
            sink.accept(event);
        }
        return PlacedCall.of(id, CallStatus.COMPLETED);
    }

    private byte[] body(OutboundCall call) {
        String payload = call.request().payload();
        if (payload != null) {
            try {
                JSON.readTree(payload);
            } catch (JsonProcessingException e) {
                throw failure(ErrorReason.INVALID_REQUEST, "payload of call " + call.callId() + " is not valid JSON: "
                        + e.getOriginalMessage()).build();
            }
            return payload.getBytes(StandardCharsets.UTF_8);
        }
        ObjectNode event = JSON.createObjectNode();
        event.put("type", "call");
        event.put("callId", call.callId());
        event.put("category", call.category().wireName());
        event.put("to", call.to().value());
        ObjectNode metadata = event.putObject("metadata");
        call.request().metadata().forEach(metadata::put);
        event.put("createdAt", clock.instant().toString());
        try {
            return JSON.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            throw failure(ErrorReason.INTERNAL, "cannot write the event of call " + call.callId()).cause(e).build();
        }
    }

    /** Seconds or an HTTP date; null when absent or unreadable. */
    private Duration retryAfter(String header) {
        if (header == null || header.isBlank()) return null;
        String value = header.strip();
        try {
            if (value.chars().allMatch(Character::isDigit)) return Duration.ofSeconds(Long.parseLong(value));
            Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            Duration d = Duration.between(clock.instant(), at);
            return d.isNegative() ? Duration.ZERO : d;
        } catch (NumberFormatException | DateTimeParseException e) {
            return null;
        }
    }

    @Override
    public Optional<CallEvent> fetch(String providerCallId) {
        Objects.requireNonNull(providerCallId, "providerCallId");
        return Optional.ofNullable(deliveries.get(providerCallId));
    }

    /** A delivery is over when {@link #place} returns; there is nothing to end. */
    @Override
    public void hangUp(String providerCallId) {
        Objects.requireNonNull(providerCallId, "providerCallId");
    }

    /** Receivers answer deliveries synchronously; the provider receives no callbacks. */
    @Override
    public WebhookHandler webhooks() {
        return WebhookHandler.none(ID);
    }

    private static ProviderException notPermitted(String host, PrivateNetworkGuard.BlockedAddressException blocked) {
        return failure(ErrorReason.NOT_PERMITTED, "refusing to deliver to " + host + ": its address "
                + blocked.address().getHostAddress() + " is in a private network; list the network in "
                + WebhookConfig.ALLOWED_PRIVATE_NETWORKS_KEY + " to allow it").cause(blocked).build();
    }

    private static ProviderException.Builder failure(ErrorReason reason, String message) {
        return ProviderException.builder(ID, reason, message);
    }

    /** Learns whether request bytes left this host, which decides UNAVAILABLE against OUTCOME_UNKNOWN. */
    private static final class SendTracker extends EventListener {
        volatile boolean sent;

        @Override
        public void requestHeadersStart(Call call) {
            sent = true;
        }
    }
}
