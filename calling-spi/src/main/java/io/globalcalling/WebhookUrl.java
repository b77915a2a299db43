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
        if (!reachable(uri.getHost())) {
            throw new IllegalArgumentException("webhook url '" + Urls.withoutUserInfo(uri) + "' has a host no HTTP"
                    + " client can reach: a name's labels are at most 63 characters, and an IPv6 address has no zone");
        }
    }

    /** What java.net.URI accepts as a host but HTTP clients refuse: a label over 63 characters, an IPv6 zone. */
    private static boolean reachable(String host) {
        if (host.startsWith("[")) return host.indexOf('%') < 0;
        for (String label : host.split("\\.")) {
            if (label.length() > 63) return false;
        }
        return true;
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
