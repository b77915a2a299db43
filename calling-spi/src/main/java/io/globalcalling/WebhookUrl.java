package io.globalcalling;

import io.globalcalling.spi.Urls;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Objects;

/** An HTTP(S) endpoint of another system, reached by the {@code system_api} category. */
public record WebhookUrl(URI uri) implements Endpoint {

    public WebhookUrl {
        Objects.requireNonNull(uri, "webhook url");
        if (!Urls.isAbsoluteHttp(uri)) {
            throw new IllegalArgumentException("webhook url '" + Urls.withoutUserInfo(uri) + "' must be an absolute http(s) URL with a host");
        }
    }

    public static WebhookUrl of(String text) {
        Objects.requireNonNull(text, "webhook url");
        try {
            return new WebhookUrl(new URI(text.strip()));
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("webhook url '" + Urls.withoutUserInfo(text) + "' is not a valid URI: " + e.getReason());
        }
    }

    @Override
    public String value() {
        return uri.toString();
    }

    /** The URL without any {@code user:password@}, so printing an endpoint never shows a credential. */
    @Override
    public String toString() {
        return Urls.withoutUserInfo(uri);
    }
}
