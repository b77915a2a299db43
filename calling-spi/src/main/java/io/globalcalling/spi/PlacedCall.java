package io.globalcalling.spi;

import io.globalcalling.CallStatus;

import java.util.Objects;

/**
 * A provider accepted a call. Create it with {@link #of}.
 *
 * @param providerCallId  the provider's id for it (Twilio's CA... sid, say)
 * @param status          what the provider said: usually queued or initiated
 */
public record PlacedCall(String providerCallId, CallStatus status) {

    public PlacedCall {
        Objects.requireNonNull(providerCallId, "providerCallId");
        Objects.requireNonNull(status, "status");
        if (providerCallId.isBlank()) throw new IllegalArgumentException("providerCallId must not be blank");
    }

    /** The provider accepted the call as {@code providerCallId}, in {@code status}. */
    public static PlacedCall of(String providerCallId, CallStatus status) {
        return new PlacedCall(providerCallId, status);
    }
}
