package io.globalcalling.spi;

import java.net.URI;
import java.util.Objects;

/**
 * Makes URLs safe to print. A URL may carry credentials as {@code user:password@host} (a proxy, a callback
 * protected by Basic auth); every URL that goes into a log line, an exception message or a {@code toString()}
 * passes through {@link #withoutUserInfo(String)} first.
 */
public final class Urls {

    private Urls() {
    }

    /** Whether {@code url} is absolute, with a host, and http or https in any case: where a call may be sent. */
    public static boolean isAbsoluteHttp(URI url) {
        String scheme = url.getScheme();
        return scheme != null && (scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
                && url.getHost() != null;
    }

    /** {@code url} as text without its {@code user:password@} part; other parts are kept as given. */
    public static String withoutUserInfo(URI url) {
        return withoutUserInfo(Objects.requireNonNull(url, "url").toString());
    }

    /**
     * {@code url} without its {@code user:password@} part. Works on text that is not a valid URI too (it is
     * often invalid text that ends up in an error message), so it reads the authority by hand: from {@code //}
     * to the first {@code /}, {@code ?} or {@code #}, credentials ending at its last {@code @}.
     */
    public static String withoutUserInfo(String url) {
        Objects.requireNonNull(url, "url");
        int slashes = url.indexOf("//");
        if (slashes < 0) return url;
        int start = slashes + 2;
        int end = start;
        while (end < url.length() && "/?#".indexOf(url.charAt(end)) < 0) end++;
        int at = url.lastIndexOf('@', end - 1);
        return at < start ? url : url.substring(0, start) + url.substring(at + 1);
    }
}
