package io.globalcalling.spi;

import io.globalcalling.CallingException;
import io.globalcalling.ErrorReason;

import java.time.Duration;
import java.util.Optional;

/**
 * A provider failed or refused. Carries the provider's own error code and request id so that a
 * support ticket can name them, and the {@link ErrorReason} from which the core decides failover.
 */
public class ProviderException extends CallingException {

    private final String providerId;
    private final int httpStatus;
    private final String providerErrorCode;
    private final String providerRequestId;
    private final String moreInfo;
    private final Duration retryAfter;

    private ProviderException(Builder b) {
        super(b.reason, "[" + b.providerId + "] " + b.message, b.cause);
        this.providerId = b.providerId;
        this.httpStatus = b.httpStatus;
        this.providerErrorCode = b.providerErrorCode;
        this.providerRequestId = b.providerRequestId;
        this.moreInfo = b.moreInfo;
        this.retryAfter = b.retryAfter;
    }

    public static Builder builder(String providerId, ErrorReason reason, String message) {
        return new Builder(providerId, reason, message);
    }

    public static ProviderException of(String providerId, ErrorReason reason, String message) {
        return builder(providerId, reason, message).build();
    }

    public String providerId() {
        return providerId;
    }

    /** The HTTP status of the provider's answer, or 0 when there was none. */
    public int httpStatus() {
        return httpStatus;
    }

    public Optional<String> providerErrorCode() {
        return Optional.ofNullable(providerErrorCode);
    }

    public Optional<String> providerRequestId() {
        return Optional.ofNullable(providerRequestId);
    }

    public Optional<String> moreInfo() {
        return Optional.ofNullable(moreInfo);
    }

    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    public static final class Builder {
        private final String providerId;
        private final ErrorReason reason;
        private final String message;
        private int httpStatus;
        private String providerErrorCode;
        private String providerRequestId;
        private String moreInfo;
        private Duration retryAfter;
        private Throwable cause;

        private Builder(String providerId, ErrorReason reason, String message) {
            this.providerId = java.util.Objects.requireNonNull(providerId, "providerId");
            this.reason = java.util.Objects.requireNonNull(reason, "reason");
            this.message = java.util.Objects.requireNonNull(message, "message");
        }

        public Builder httpStatus(int httpStatus) { this.httpStatus = httpStatus; return this; }
        public Builder providerErrorCode(String code) { this.providerErrorCode = code; return this; }
        public Builder providerRequestId(String id) { this.providerRequestId = id; return this; }
        public Builder moreInfo(String moreInfo) { this.moreInfo = moreInfo; return this; }
        public Builder retryAfter(Duration retryAfter) { this.retryAfter = retryAfter; return this; }
        public Builder cause(Throwable cause) { this.cause = cause; return this; }

        public ProviderException build() {
            return new ProviderException(this);
        }
    }
}
