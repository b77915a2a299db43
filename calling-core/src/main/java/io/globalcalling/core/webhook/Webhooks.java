package io.globalcalling.core.webhook;

import io.globalcalling.CallRecord;
import io.globalcalling.core.CallingObserver;
import io.globalcalling.core.CallingObserver.CallbackOutcome;
import io.globalcalling.core.lifecycle.CallLifecycle;
import io.globalcalling.spi.CallEvent;
import io.globalcalling.spi.CallingProvider;
import io.globalcalling.spi.WebhookContext;
import io.globalcalling.spi.WebhookRejectedException;
import io.globalcalling.spi.WebhookResult;
import io.globalcalling.spi.store.CallStore;
import io.globalcalling.WebhookRequest;
import io.globalcalling.WebhookResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The one entry point for every provider callback: size limit → the provider verifies and handles it, seeing
 * our records of its calls → the lifecycle applies its events → the provider's response (an acknowledgement, or
 * a document for the call when the request was a call-control one) goes back. Mount it under one route in the host's HTTP server, e.g.
 * {@code POST /calling/webhooks/{provider}}, and pass the full URL the provider called (behind a proxy, the
 * public one), the headers and the raw body, read with
 * {@link WebhookRequest#read(String, URI, java.util.Map, java.io.InputStream, int)} and {@link #maxBodyBytes()} so
 * that an oversized body is never buffered whole.
 *
 * <p>When the host says it trusts its proxy ({@code trustForwardedHeaders}), the URL's scheme and host are taken
 * from {@code X-Forwarded-Proto} and {@code X-Forwarded-Host} (their first, client-facing value), since providers
 * sign the URL they called. Only trust them when every request passes a proxy that sets them: otherwise a caller
 * chooses the URL a signature is checked against.
 */
public final class Webhooks {

    /** Callbacks are a few hundred bytes of form fields; 64 KiB leaves room for long transcripts. */
    public static final int DEFAULT_MAX_BODY_BYTES = 64 * 1024;

    private static final Logger log = LoggerFactory.getLogger(Webhooks.class);

    private final Function<String, Optional<CallingProvider>> providers;
    private final CallStore store;
    private final CallLifecycle lifecycle;
    private final int maxBodyBytes;
    private final boolean trustForwardedHeaders;
    private final CallingObserver observer;

    /** What one callback came to: the answer, and the outcome observers are told. */
    private record Handled(WebhookResponse response, CallbackOutcome outcome) {
    }

    /**
     * @param store                 where handlers look up the calls a request is about
     * @param maxBodyBytes          larger bodies are refused with 413 before anything reads them
     * @param trustForwardedHeaders whether {@code X-Forwarded-Proto}/{@code -Host} name the URL the provider called
     */
    public Webhooks(Function<String, Optional<CallingProvider>> providers, CallStore store, CallLifecycle lifecycle,
                    int maxBodyBytes, boolean trustForwardedHeaders) {
        this(providers, store, lifecycle, maxBodyBytes, trustForwardedHeaders, new CallingObserver() { });
    }

    /** @param observer told of every callback: its outcome and how long handling it took */
    public Webhooks(Function<String, Optional<CallingProvider>> providers, CallStore store, CallLifecycle lifecycle,
                    int maxBodyBytes, boolean trustForwardedHeaders, CallingObserver observer) {
        this.observer = Objects.requireNonNull(observer, "observer");
        this.providers = Objects.requireNonNull(providers, "providers");
        this.store = Objects.requireNonNull(store, "store");
        this.lifecycle = Objects.requireNonNull(lifecycle, "lifecycle");
        if (maxBodyBytes < 1 || maxBodyBytes == Integer.MAX_VALUE) {
            throw new IllegalArgumentException("maxBodyBytes " + maxBodyBytes + " must be between 1 and "
                    + (Integer.MAX_VALUE - 1));
        }
        this.maxBodyBytes = maxBodyBytes;
        this.trustForwardedHeaders = trustForwardedHeaders;
    }

    /**
     * The public URL of {@code providerId}'s callbacks under the webhook base URL {@code base}: the one the provider
     * is given (with {@code ?callId=}), and so the one it signs. A host whose proxy rewrites the path (strips a
     * prefix of the base's) hands this, with the request's query, to {@link #handle} rather than its own URL.
     *
     * @throws IllegalArgumentException when {@code providerId} cannot be part of a URL (no provider's id is such)
     */
    public static URI callbackUrl(URI base, String providerId) {
        Objects.requireNonNull(base, "base");
        Objects.requireNonNull(providerId, "providerId");
        String b = base.toString();
        return URI.create((b.endsWith("/") ? b : b + "/") + providerId);
    }

    /** The largest body {@link #handle} accepts; read at most one byte more than this from the wire. */
    public int maxBodyBytes() {
        return maxBodyBytes;
    }

    /**
     * Verifies, handles and applies one callback.
     *
     * @return what to answer: the provider's response (its acknowledgement, or a document for the call); 413 for a body over {@link #maxBodyBytes()};
     *         403 for a bad signature or a stale callback, 400 for a malformed one (nothing changed);
     *         404 for an unknown provider; 500 when applying failed, so the provider retries
     */
    public WebhookResponse handle(String providerId, WebhookRequest request) {
        long started = System.nanoTime();
        Objects.requireNonNull(providerId, "providerId");
        Objects.requireNonNull(request, "request");
        Handled handled = verifyAndApply(providerId, request);
        observer.callbackHandled(providerId, handled.outcome(), Duration.ofNanos(System.nanoTime() - started));
        return handled.response();
    }

    private Handled verifyAndApply(String providerId, WebhookRequest request) {
        if (tooLarge(request)) {
            log.warn("webhook for '{}' refused: body over {} bytes", providerId, maxBodyBytes);
            return new Handled(WebhookResponse.of(413, "body too large"), CallbackOutcome.TOO_LARGE);
        }
        Optional<CallingProvider> provider = providers.apply(providerId);
        if (provider.isEmpty()) {
            log.warn("webhook for unknown or inactive provider '{}' refused", providerId);
            return new Handled(WebhookResponse.of(404, "unknown provider"), CallbackOutcome.UNKNOWN_PROVIDER);
        }
        WebhookResult result;
        try {
            WebhookRequest asCalled = trustForwardedHeaders ? forwarded(request) : request;
            result = Objects.requireNonNull(provider.get().webhooks().handle(asCalled, contextFor(providerId)),
                    () -> "the webhook handler of '" + providerId + "' returned no result");
        } catch (WebhookRejectedException e) {
            log.warn("webhook from '{}' refused ({}): {}", providerId, e.httpStatus(), e.getMessage());
            return new Handled(WebhookResponse.of(e.httpStatus(), "rejected"), outcomeOf(e.refusal()));
        }
        try {
            for (CallEvent event : result.events()) {
                lifecycle.apply(event);
            }
        } catch (RuntimeException e) {
            log.error("webhook from '{}' verified but could not be applied; answering 500 so it is retried", providerId, e);
            return new Handled(WebhookResponse.of(500, "not applied"), CallbackOutcome.NOT_APPLIED);
        }
        return new Handled(result.response(), CallbackOutcome.HANDLED);
    }

    private static CallbackOutcome outcomeOf(WebhookRejectedException.Refusal refusal) {
        return switch (refusal) {
            case BAD_SIGNATURE -> CallbackOutcome.BAD_SIGNATURE;
            case TOO_OLD -> CallbackOutcome.TOO_OLD;
            case MALFORMED -> CallbackOutcome.MALFORMED;
            case OTHER -> CallbackOutcome.REFUSED;
        };
    }

    /** Read-only lookups of the calls whose current attempt is with {@code providerId}. */
    private WebhookContext contextFor(String providerId) {
        return new WebhookContext() {
            @Override
            public Optional<CallRecord> call(String callId) {
                Objects.requireNonNull(callId, "callId");
                return store.find(callId).filter(r -> providerId.equals(r.providerId()));
            }

            @Override
            public Optional<CallRecord> callByProviderId(String providerCallId) {
                Objects.requireNonNull(providerCallId, "providerCallId");
                return store.findByProviderCallId(providerId, providerCallId);
            }
        };
    }

    /** By the body in hand, or sooner by what {@code Content-Length} announces. */
    private boolean tooLarge(WebhookRequest request) {
        if (request.bodyLength() > maxBodyBytes) return true;
        try {
            return request.header("Content-Length").map(v -> Long.parseLong(v.strip()) > maxBodyBytes).orElse(false);
        } catch (NumberFormatException e) {
            return false; // the body itself was checked above
        }
    }

    /** The request with the scheme and host its proxy says the provider called. */
    private static WebhookRequest forwarded(WebhookRequest request) {
        Optional<String> proto = firstValue(request, "X-Forwarded-Proto");
        Optional<String> host = firstValue(request, "X-Forwarded-Host");
        if (proto.isEmpty() && host.isEmpty()) return request;
        URI url = request.url();
        String scheme = proto.map(p -> p.toLowerCase(Locale.ROOT)).orElse(url.getScheme());
        if (!"http".equals(scheme) && !"https".equals(scheme)) {
            throw new WebhookRejectedException(400, "X-Forwarded-Proto '" + scheme + "' is not http or https");
        }
        String authority = host.orElse(url.getRawAuthority());
        String rest = (url.getRawPath() == null ? "" : url.getRawPath())
                + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery());
        try {
            URI asCalled = new URI(scheme + "://" + authority + rest);
            if (asCalled.getHost() == null || asCalled.getRawUserInfo() != null
                    || !authority.equals(asCalled.getRawAuthority())) {
                throw new URISyntaxException(authority, "not a host[:port]");
            }
            return new WebhookRequest(request.method(), asCalled, request.headers(), request.body());
        } catch (URISyntaxException e) {
            throw new WebhookRejectedException(400, "X-Forwarded-Host is not a host[:port]");
        }
    }

    /** A forwarding header's first entry: the one the proxy nearest the provider wrote. */
    private static Optional<String> firstValue(WebhookRequest request, String header) {
        return request.header(header).map(v -> v.split(",", 2)[0].strip()).filter(v -> !v.isEmpty());
    }
}
