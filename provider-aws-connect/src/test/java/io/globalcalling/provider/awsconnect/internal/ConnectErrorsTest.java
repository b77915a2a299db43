package io.globalcalling.provider.awsconnect.internal;

import io.globalcalling.ErrorReason;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;

import java.net.ConnectException;
import java.net.SocketTimeoutException;

import static org.assertj.core.api.Assertions.assertThat;

class ConnectErrorsTest {

    private static SdkClientException lastAttempt(Throwable cause, String... earlier) {
        SdkClientException e = SdkClientException.builder()
                .message("Unable to execute HTTP request: " + cause.getMessage() + " (SDK Attempt Count: " + (earlier.length + 1) + ")")
                .cause(cause).build();
        for (int i = 0; i < earlier.length; i++) {
            e.addSuppressed(SdkClientException.create("Request attempt " + (i + 1) + " failure: " + earlier[i]));
        }
        return e;
    }

    @Test
    void everyAttemptRefusedIsUnavailable() {
        SdkClientException e = lastAttempt(new ConnectException("Connection refused"),
                "Unable to execute HTTP request: Connection refused", "Unable to execute HTTP request: Connection refused");

        assertThat(ConnectErrors.map("aws-connect", "StartOutboundVoiceContact", e, true).reason())
                .isEqualTo(ErrorReason.UNAVAILABLE);
    }

    @Test
    void anEarlierAttemptThatTimedOutMayHaveStartedTheContact() {
        SdkClientException e = lastAttempt(new ConnectException("Connection refused"),
                "Unable to execute HTTP request: Read timed out");

        assertThat(ConnectErrors.map("aws-connect", "StartOutboundVoiceContact", e, true).reason())
                .isEqualTo(ErrorReason.OUTCOME_UNKNOWN);
    }

    @Test
    void aTimeoutAfterSendingIsAnUnknownOutcomeForPlacementOnly() {
        SdkClientException e = lastAttempt(new SocketTimeoutException("Read timed out"));

        assertThat(ConnectErrors.map("aws-connect", "StartOutboundVoiceContact", e, true).reason())
                .isEqualTo(ErrorReason.OUTCOME_UNKNOWN);
        assertThat(ConnectErrors.map("aws-connect", "DescribeContact", e, false).reason())
                .isEqualTo(ErrorReason.UNAVAILABLE);
    }
}
