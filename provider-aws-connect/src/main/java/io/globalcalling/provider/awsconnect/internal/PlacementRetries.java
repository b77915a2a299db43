package io.globalcalling.provider.awsconnect.internal;

import software.amazon.awssdk.core.SdkPlugin;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.retries.StandardRetryStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.connect.ConnectClient;

/**
 * The AWS SDK's retries for {@code StartOutboundVoiceContact}: throttled attempts only. Connect's
 * {@code ClientToken} deduplicates a placement only while the contact it started is live, so a re-send after that
 * contact ended (busy, failed, a bad number) dials the callee again. A throttled attempt started nothing and may be
 * sent again; after a 5xx or an I/O fault the contact may exist, and the placement's outcome is unknown instead.
 *
 * <p>Given per request as an {@link SdkPlugin}, so the client's other operations keep the SDK's default retries and
 * a client the caller built is covered as well as the provider's own.
 */
public final class PlacementRetries {

    /** The SDK's standard number of attempts, for a client that does not say its own. */
    static final int DEFAULT_ATTEMPTS = 3;

    private PlacementRetries() {
    }

    /**
     * A plugin for placement requests on {@code connect}: one strategy per provider, so that the SDK's retry token
     * bucket spans its placements, allowing as many attempts as the client's own strategy does.
     */
    public static SdkPlugin throttledOnly(ConnectClient connect) {
        RetryStrategy strategy = StandardRetryStrategy.builder().maxAttempts(maxAttempts(connect))
                .retryOnException(PlacementRetries::throttled).treatAsThrottling(PlacementRetries::throttled)
                .build();
        return config -> config.overrideConfiguration(o -> o.retryStrategy(strategy));
    }

    /** The SDK's own classification: HTTP 429, or an AWS throttling code such as {@code ThrottlingException}. */
    static boolean throttled(Throwable failure) {
        return failure instanceof SdkServiceException e && e.isThrottlingException();
    }

    private static int maxAttempts(ConnectClient connect) {
        try {
            // a caller who turned the client's retries off keeps them off for placements too
            return connect.serviceClientConfiguration().overrideConfiguration().retryStrategy()
                    .map(RetryStrategy::maxAttempts).orElse(DEFAULT_ATTEMPTS);
        } catch (UnsupportedOperationException e) {
            return DEFAULT_ATTEMPTS; // a hand-written ConnectClient without a configuration to read
        }
    }
}
