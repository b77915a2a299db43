package io.globalcalling.spi;

import io.globalcalling.CallingException;
import io.globalcalling.ErrorReason;

import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A provider failed or refused. Carries the provider's own error code and request id so that a
 * support ticket can name them, and the {@link ErrorReason} from which the core decides failover.
 */
public class ProviderException extends CallingException {

    private final String providerId;
    private final int httpStatus;
    private final @Nullable String providerErrorCode;
    private final @Nullable String providerRequestId;
    private final @Nullable String moreInfo;
    private final @Nullable Duration retryAfter;
    private final @Nullable String providerCallId;

    private ProviderException(Builder b) {
        super(b.reason, "[" + b.providerId + "] " + b.message, b.cause);
        this.providerId = b.providerId;
        this.httpStatus = b.httpStatus;
        this.providerErrorCode = b.providerErrorCode;
        this.providerRequestId = b.providerRequestId;
        this.moreInfo = b.moreInfo;
        this.retryAfter = b.retryAfter;
        this.providerCallId = b.providerCallId;
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

    /**
     * On {@link ErrorReason#OUTCOME_UNKNOWN}: the id the call has at the provider should the request have been taken,
     * when the provider can name it although no answer came (an id the client chose before sending, such as an SBD
     * message's MTMSN). The core records it with the call, so that a later report naming it finds the call, and asks
     * {@link CallingProvider#fetch} about it rather than searching. Empty otherwise.
     */
    public Optional<String> providerCallId() {
        return Optional.ofNullable(providerCallId);
    }

    public static final class Builder {
        private final String providerId;
        private final ErrorReason reason;
        private final String message;
        private int httpStatus;
        private @Nullable String providerErrorCode;
        private @Nullable String providerRequestId;
        private @Nullable String moreInfo;
        private @Nullable Duration retryAfter;
        private @Nullable String providerCallId;
        private @Nullable Throwable cause;

        private Builder(String providerId, ErrorReason reason, String message) {
            this.providerId = java.util.Objects.requireNonNull(providerId, "providerId");
            this.reason = java.util.Objects.requireNonNull(reason, "reason");
            this.message = java.util.Objects.requireNonNull(message, "message");
        }

        public Builder httpStatus(int httpStatus) { this.httpStatus = httpStatus; return this; }
        public Builder providerErrorCode(@Nullable String code) { this.providerErrorCode = code; return this; }
        public Builder providerRequestId(@Nullable String id) { this.providerRequestId = id; return this; }
        public Builder moreInfo(@Nullable String moreInfo) { this.moreInfo = moreInfo; return this; }
        public Builder retryAfter(@Nullable Duration retryAfter) { this.retryAfter = retryAfter; return this; }
        public Builder cause(@Nullable Throwable cause) { this.cause = cause; return this; }
        /** See {@link ProviderException#providerCallId()}; must not be blank. */
        public Builder providerCallId(@Nullable String id) {
            if (id != null && id.isBlank()) throw new IllegalArgumentException("providerCallId must not be blank");
            this.providerCallId = id;
            return this;
        }

        public ProviderException build() {
            return new ProviderException(this);
        }
    }
}
