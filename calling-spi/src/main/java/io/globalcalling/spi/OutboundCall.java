package io.globalcalling.spi;

import io.globalcalling.BinaryPayload;
import io.globalcalling.CallCategory;
import io.globalcalling.CallRequest;
import io.globalcalling.Endpoint;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One attempt to place a call, as the core hands it to a provider. The core builds it with
 * {@link #builder}; so can a provider's tests.
 *
 * @param callId             our id for the call; providers carry it in their callbacks
 * @param attempt            1 for the first provider tried, 2 for the first failover, ...
 * @param category           the category chosen by routing
 * @param request            what the host asked for
 * @param spokenText         for ai_automated: the script with its variables filled in, or null
 * @param statusCallbackUrl  where the provider should send status callbacks, carrying {@code callId}; null when the host has no public URL
 */
public record OutboundCall(String callId, int attempt, CallCategory category, CallRequest request,
                           @Nullable String spokenText, @Nullable URI statusCallbackUrl) {

    public OutboundCall {
        Objects.requireNonNull(callId, "callId");
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(request, "request");
        if (attempt < 1) throw new IllegalArgumentException("attempt " + attempt + " must be at least 1");
    }

    /** The first attempt at {@code callId}; set the rest on the builder. */
    public static Builder builder(String callId, CallCategory category, CallRequest request) {
        return new Builder(callId, category, request);
    }

    public Endpoint to() {
        return request.to();
    }

    /** The bytes to deliver to the terminal, when the request carries them (within this provider's maximum). */
    public Optional<BinaryPayload> binaryPayload() {
        return request.binaryPayloadIfAny();
    }

    /**
     * As a record prints itself, except what may hold a secret or personal data: the request as it prints itself,
     * the spoken text (the script with its variables filled in: a code, a name) by its length only, and the callback
     * URL without its {@code user:password@} part.
     */
    @Override
    public String toString() {
        return "OutboundCall[callId=" + callId + ", attempt=" + attempt + ", category=" + category + ", request="
                + request + ", spokenText=" + (spokenText == null ? null : "<" + spokenText.length() + " characters>")
                + ", statusCallbackUrl=" + (statusCallbackUrl == null ? null : Urls.withoutUserInfo(statusCallbackUrl))
                + "]";
    }

    /** Builds an {@link OutboundCall}; attempt 1, no spoken text and no callback URL unless set. */
    public static final class Builder {
        private final String callId;
        private final CallCategory category;
        private final CallRequest request;
        private int attempt = 1;
        private String spokenText;
        private URI statusCallbackUrl;

        private Builder(String callId, CallCategory category, CallRequest request) {
            this.callId = callId;
            this.category = category;
            this.request = request;
        }

        public Builder attempt(int attempt) {
            this.attempt = attempt;
            return this;
        }

        public Builder spokenText(String spokenText) {
            this.spokenText = spokenText;
            return this;
        }

        public Builder statusCallbackUrl(URI statusCallbackUrl) {
            this.statusCallbackUrl = statusCallbackUrl;
            return this;
        }

        public OutboundCall build() {
            return new OutboundCall(callId, attempt, category, request, spokenText, statusCallbackUrl);
        }
    }
}
