package io.globalcalling;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An HTTP request as it reached the host: method, the full URL the caller used (scheme, host,
 * port, path, query), headers and the raw body. Verifiers sign over exactly these bytes.
 */
public record WebhookRequest(String method, URI url, Map<String, List<String>> headers, byte[] body) {

    public WebhookRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(headers, "headers");
        body = body == null ? new byte[0] : body.clone();
        Map<String, List<String>> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((k, v) -> h.put(k, List.copyOf(v)));
        headers = Collections.unmodifiableMap(h);
        method = method.toUpperCase(Locale.ROOT);
    }

    public static WebhookRequest post(String url, Map<String, String> headers, String body) {
        Map<String, List<String>> h = new LinkedHashMap<>();
        headers.forEach((k, v) -> h.put(k, List.of(v)));
        return new WebhookRequest("POST", URI.create(url), h, body.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A request whose body is read from {@code body}, but never more than {@code maxBodyBytes + 1} bytes of it:
     * a host never buffers a body larger than the limit, and the extra byte lets
     * {@code Webhooks.handle} see that the limit was passed and answer 413. Pass the limit the webhook entry
     * point enforces ({@code webhooks().maxBodyBytes()}). The stream is left open.
     *
     * @throws IOException when reading the stream fails
     */
    public static WebhookRequest read(String method, URI url, Map<String, List<String>> headers, InputStream body,
                                      int maxBodyBytes) throws IOException {
        Objects.requireNonNull(body, "body");
        if (maxBodyBytes < 0 || maxBodyBytes == Integer.MAX_VALUE) {
            throw new IllegalArgumentException("maxBodyBytes " + maxBodyBytes + " must be between 0 and "
                    + (Integer.MAX_VALUE - 1));
        }
        return new WebhookRequest(method, url, headers, body.readNBytes(maxBodyBytes + 1));
    }

    /** The length of the body in bytes (no copy). */
    public int bodyLength() {
        return body.length;
    }

    /** The first value of a header, case-insensitively. */
    public Optional<String> header(String name) {
        List<String> v = headers.get(name);
        return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.get(0));
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** The body decoded as {@code application/x-www-form-urlencoded}, keeping order and repeated names. */
    public Map<String, List<String>> formParameters() {
        return decodeForm(bodyText());
    }

    /** The URL's query decoded, keeping order and repeated names. */
    public Map<String, List<String>> queryParameters() {
        return decodeForm(url.getRawQuery() == null ? "" : url.getRawQuery());
    }

    private static Map<String, List<String>> decodeForm(String text) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (text.isEmpty()) return out;
        for (String pair : text.split("&")) {
            if (pair.isEmpty()) continue;
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WebhookRequest r && method.equals(r.method) && url.equals(r.url)
                && headers.equals(r.headers) && java.util.Arrays.equals(body, r.body);
    }

    @Override
    public int hashCode() {
        return Objects.hash(method, url, headers, java.util.Arrays.hashCode(body));
    }

    @Override
    public String toString() {
        // headers may carry signatures or bearer tokens: show their names only
        return "WebhookRequest[" + method + " " + url.getPath() + ", headers=" + headers.keySet()
                + ", body=" + body.length + " bytes]";
    }
}
