package io.globalcalling.core.webhook;

import io.globalcalling.core.lifecycle.CallLifecycle;
import io.globalcalling.spi.CallEvent;
import io.globalcalling.spi.CallingProvider;
import io.globalcalling.spi.WebhookRejectedException;
import io.globalcalling.spi.WebhookRequest;
import io.globalcalling.spi.WebhookResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The one entry point for every provider callback: the provider verifies and parses, the lifecycle
 * applies. Mount it under one route in the host's HTTP server, e.g. {@code POST /calling/webhooks/{provider}},
 * and pass the full URL the provider called (behind a proxy, the public one), the headers and the raw body.
 */
public final class Webhooks {

    private static final Logger log = LoggerFactory.getLogger(Webhooks.class);

    private final Function<String, Optional<CallingProvider>> providers;
    private final CallLifecycle lifecycle;

    public Webhooks(Function<String, Optional<CallingProvider>> providers, CallLifecycle lifecycle) {
        this.providers = Objects.requireNonNull(providers, "providers");
        this.lifecycle = Objects.requireNonNull(lifecycle, "lifecycle");
    }

    /**
     * Verifies, parses and applies one callback.
     *
     * @return what to answer: the provider's acknowledgement; 403 for a bad signature (nothing changed);
     *         404 for an unknown provider; 500 when applying failed, so the provider retries
     */
    public WebhookResponse handle(String providerId, WebhookRequest request) {
        Objects.requireNonNull(providerId, "providerId");
        Objects.requireNonNull(request, "request");
        Optional<CallingProvider> provider = providers.apply(providerId);
        if (provider.isEmpty()) {
            log.warn("webhook for unknown or inactive provider '{}' refused", providerId);
            return WebhookResponse.of(404, "unknown provider");
        }
        List<CallEvent> events;
        try {
            events = provider.get().webhooks().verifyAndParse(request);
        } catch (WebhookRejectedException e) {
            log.warn("webhook from '{}' refused ({}): {}", providerId, e.httpStatus(), e.getMessage());
            return WebhookResponse.of(e.httpStatus(), "rejected");
        }
        try {
            for (CallEvent event : events) {
                lifecycle.apply(event);
            }
        } catch (RuntimeException e) {
            log.error("webhook from '{}' verified but could not be applied; answering 500 so it is retried", providerId, e);
            return WebhookResponse.of(500, "not applied");
        }
        return provider.get().webhooks().acknowledge(events);
    }
}
