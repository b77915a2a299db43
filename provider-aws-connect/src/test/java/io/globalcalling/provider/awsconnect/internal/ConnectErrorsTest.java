package io.globalcalling.provider.awsconnect.internal;

import io.globalcalling.ErrorReason;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

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

    @Test
    void aConnectionThatTimedOutBeforeItWasMadeSentNothing() {
        // the JDK's socket says so in its message only; its read timeout is the same class ("Read timed out")
        SdkClientException e = lastAttempt(new SocketTimeoutException("Connect timed out"),
                "Unable to execute HTTP request: Connect timed out");

        assertThat(ConnectErrors.map("aws-connect", "StartOutboundVoiceContact", e, true).reason())
                .isEqualTo(ErrorReason.UNAVAILABLE);
    }

    @Test
    void onlyAClientExceptionCanProveNothingWasSent() {
        SdkException notAClientFault = SdkException.builder().message("Unable to execute HTTP request: Connection refused")
                .cause(new ConnectException("Connection refused")).build();
        assertThat(ConnectErrors.map("aws-connect", "StartOutboundVoiceContact", notAClientFault, true).reason())
                .isEqualTo(ErrorReason.OUTCOME_UNKNOWN);
    }

    @Test
    void refusedCredentialsAreAuthenticationByCodeOrBy401() {
        assertThat(service(400, "UnrecognizedClientException").reason()).isEqualTo(ErrorReason.AUTHENTICATION);
        assertThat(service(403, "ExpiredTokenException").reason()).isEqualTo(ErrorReason.AUTHENTICATION);
        assertThat(service(401, null).reason()).isEqualTo(ErrorReason.AUTHENTICATION);
        assertThat(service(400, "SomethingElse").reason()).isEqualTo(ErrorReason.REJECTED);
        assertThat(service(400, null).getMessage()).contains("HTTP 400");
    }

    @Test
    void onlyTheFirstLineOfTheSdksMessageIsKept() {
        SdkClientException e = SdkClientException.builder().message("Unable to execute HTTP request: reset\nattempt 2: more")
                .cause(new SocketTimeoutException("Read timed out")).build();
        assertThat(ConnectErrors.map("aws-connect", "DescribeContact", e, false).getMessage())
                .contains("Unable to execute HTTP request: reset").doesNotContain("attempt 2");
    }

    private static io.globalcalling.spi.ProviderException service(int status, String code) {
        AwsServiceException.Builder b = AwsServiceException.builder().statusCode(status).message("refused");
        if (code != null) b.awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage("refused").build());
        return ConnectErrors.map("aws-connect", "StartOutboundVoiceContact", b.build(), true);
    }
}
