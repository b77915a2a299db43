package io.globalcalling.provider.awsconnect;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.globalcalling.Secret;
import io.globalcalling.WebhookRequest;
import io.globalcalling.provider.awsconnect.internal.ContactEvents;
import io.globalcalling.spi.CallEvent;
import io.globalcalling.spi.WebhookContext;
import io.globalcalling.spi.WebhookHandler;
import io.globalcalling.spi.WebhookRejectedException;
import io.globalcalling.spi.WebhookResult;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Reads Connect's contact events as an EventBridge API destination posts them: the event's JSON as the body, and the
 * connection's API-key header carrying the shared secret ({@code aws-connect.webhook-secret} in the header
 * {@code aws-connect.webhook-header}). The secret is compared in constant time before anything else is read.
 * Events of another instance, channel or detail type, or of a customer's call in, are acknowledged and left out.
 */
final class AwsConnectWebhookHandler implements WebhookHandler {

    private static final Logger log = LoggerFactory.getLogger(AwsConnectWebhookHandler.class);

    private final String providerId;
    private final @Nullable Secret secret;
    private final String header;
    private final String instanceId;
    private final ObjectMapper json;
    private final Clock clock;
    private final UnaryOperator<CallEvent> follow;

    /**
     * @param secret null when none is configured: every request is then refused
     * @param follow reads each event as the call's, across the contacts its transfers made
     */
    AwsConnectWebhookHandler(String providerId, @Nullable Secret secret, String header, String instanceId,
                             ObjectMapper json, Clock clock, UnaryOperator<CallEvent> follow) {
        this.providerId = providerId;
        this.secret = secret;
        this.header = header;
        this.instanceId = instanceId;
        this.json = json;
        this.clock = clock;
        this.follow = follow;
    }

    @Override
    public WebhookResult handle(WebhookRequest request, WebhookContext context) {
        verify(request);
        return WebhookResult.events(parse(request).stream().map(follow).toList());
    }

    private void verify(WebhookRequest request) {
        if (secret == null) throw reject(request, 403, "aws-connect.webhook-secret is not configured: events cannot be verified");
        String given = request.header(header).orElse("");
        if (given.isEmpty()) throw reject(request, 403, "missing " + header + " header");
        if (!MessageDigest.isEqual(secret.revealBytes(), given.getBytes(StandardCharsets.UTF_8))) {
            throw reject(request, 403, header + " does not match aws-connect.webhook-secret");
        }
    }

    private List<CallEvent> parse(WebhookRequest request) {
        try {
            JsonNode root = json.readTree(request.body());
            if (root == null) throw reject(request, 400, "the body is empty");
            return ContactEvents.parse(providerId, root, instanceId, clock.instant());
        } catch (JacksonException e) {
            throw reject(request, 400, "the body is not JSON");
        } catch (java.io.IOException | IllegalArgumentException e) {
            throw reject(request, 400, "not a contact event: " + e.getMessage());
        }
    }

    private WebhookRejectedException reject(WebhookRequest request, int status, String reason) {
        log.warn("Refused an Amazon Connect event posted to {}: {}", request.url().getPath(), reason);
        return new WebhookRejectedException(status, "[" + providerId + "] " + reason);
    }
}
