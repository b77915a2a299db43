package io.globalcalling.examples;

import com.sun.net.httpserver.HttpServer;
import io.globalcalling.core.GlobalCallingManager;
import io.globalcalling.core.webhook.Webhooks;
import io.globalcalling.WebhookRequest;
import io.globalcalling.WebhookResponse;

import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * Mounts the manager's one webhook entry point on the JDK's own HTTP server: every provider posts to
 * {@code /calling/webhooks/{provider}}. The URL handed on is the public one the provider called (the
 * host may sit behind a proxy), because signatures are computed over it: the one the provider was given under
 * the manager's webhook base URL when it has one (a proxy may strip a prefix of its path), else
 * {@code publicBase} and the request's path. The body is read up to the
 * manager's limit and one byte more, never whole: an oversized one is answered 413 without being buffered.
 */
public final class WebhookEndpoint {

    public static final String PATH = "/calling/webhooks/";

    private WebhookEndpoint() {
    }

    /**
     * @param publicBase the scheme, host and port providers call, e.g. {@code https://calls.example.com}, used when
     *                   the manager has no webhook base URL
     */
    public static void mount(HttpServer server, GlobalCallingManager calling, String publicBase) {
        server.createContext(PATH, exchange -> {
            try (exchange) {
                String provider = exchange.getRequestURI().getPath().substring(PATH.length());
                URI publicUrl = publicUrl(calling, publicBase, provider, exchange.getRequestURI());
                WebhookResponse reply = calling.webhooks().handle(provider, WebhookRequest.read(
                        exchange.getRequestMethod(), publicUrl, exchange.getRequestHeaders(),
                        exchange.getRequestBody(), calling.webhooks().maxBodyBytes()));
                byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", reply.contentType());
                exchange.sendResponseHeaders(reply.status(), body.length == 0 ? -1 : body.length);
                if (body.length > 0) {
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(body);
                    }
                }
            }
        });
    }

    private static URI publicUrl(GlobalCallingManager calling, String publicBase, String provider, URI request) {
        String query = request.getRawQuery() == null ? "" : "?" + request.getRawQuery();
        if (calling.webhookBaseUrl().isPresent()) {
            try {
                return URI.create(Webhooks.callbackUrl(calling.webhookBaseUrl().get(), provider) + query);
            } catch (IllegalArgumentException e) {
                // no provider has an id that cannot be in a URL: handle() answers 404
            }
        }
        return URI.create(publicBase + request);
    }
}
