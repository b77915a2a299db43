package io.globalcalling;

import java.util.Objects;

/** What the host answers a provider's callback with. */
public record WebhookResponse(int status, String contentType, String body) {

    public WebhookResponse {
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(body, "body");
        if (status < 100 || status > 599) throw new IllegalArgumentException("status " + status + " is not an HTTP status");
    }

    public static WebhookResponse ok() {
        return new WebhookResponse(200, "text/plain", "");
    }

    public static WebhookResponse of(int status, String message) {
        return new WebhookResponse(status, "text/plain", message);
    }
}
