package io.globalcalling.spring;

import io.globalcalling.WebhookRequest;
import io.globalcalling.WebhookResponse;
import io.globalcalling.core.GlobalCallingManager;
import io.globalcalling.core.webhook.Webhooks;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.function.HandlerFunction;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;

import java.io.IOException;
import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Hands every provider callback to {@code manager.webhooks().handle(provider, request)} and answers with what it
 * returns. The body is read up to the manager's limit and one byte more, never whole, so an oversized one is
 * answered 413 unbuffered. The URL handed on is the one the provider called, since providers sign it: the request's
 * own, or, when the manager has a webhook base URL, the one the provider was given under it with the request's
 * query (behind a proxy, which may also strip a prefix of the base's path).
 *
 * <p>The body must reach this handler unread: with Spring Security, exclude the route from CSRF protection (a
 * provider cannot send a token; the provider's signature is what authenticates the callback).
 */
public final class CallingWebhookHandler implements HandlerFunction<ServerResponse> {

    /** The route's path variable naming the provider. */
    public static final String PROVIDER = "provider";

    private final GlobalCallingManager manager;
    private final @Nullable URI publicBase;

    /** @param publicBase the webhook base URL the providers were given, or null to use the request's own URL */
    public CallingWebhookHandler(GlobalCallingManager manager, @Nullable URI publicBase) {
        this.manager = Objects.requireNonNull(manager, "manager");
        this.publicBase = publicBase;
    }

    @Override
    public ServerResponse handle(ServerRequest request) throws IOException {
        HttpServletRequest servlet = request.servletRequest();
        String provider = request.pathVariable(PROVIDER);
        WebhookRequest callback = WebhookRequest.read(servlet.getMethod(), calledUrl(servlet, provider),
                headers(servlet), servlet.getInputStream(), manager.webhooks().maxBodyBytes());
        WebhookResponse reply = manager.webhooks().handle(provider, callback);
        return ServerResponse.status(reply.status())
                .contentType(MediaType.parseMediaType(reply.contentType()))
                .body(reply.body());
    }

    private URI calledUrl(HttpServletRequest servlet, String provider) {
        String query = servlet.getQueryString() == null ? "" : "?" + servlet.getQueryString();
        if (publicBase != null) {
            // not the request's path: a proxy may have stripped a prefix of the base's, and the provider signed it whole
            try {
                return URI.create(Webhooks.callbackUrl(publicBase, provider) + query);
            } catch (IllegalArgumentException e) {
                // no provider has an id that cannot be in a URL: handle() answers 404
            }
        }
        return URI.create(servlet.getRequestURL() + query);
    }

    private static Map<String, List<String>> headers(HttpServletRequest servlet) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String name : Collections.list(servlet.getHeaderNames())) {
            headers.put(name, Collections.list(servlet.getHeaders(name)));
        }
        return headers;
    }
}
