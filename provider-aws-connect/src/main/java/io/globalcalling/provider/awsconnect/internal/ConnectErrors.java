package io.globalcalling.provider.awsconnect.internal;

import io.globalcalling.ErrorReason;
import io.globalcalling.spi.ProviderException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.connect.model.AccessDeniedException;
import software.amazon.awssdk.services.connect.model.DestinationNotAllowedException;
import software.amazon.awssdk.services.connect.model.InternalServiceException;
import software.amazon.awssdk.services.connect.model.InvalidParameterException;
import software.amazon.awssdk.services.connect.model.InvalidRequestException;
import software.amazon.awssdk.services.connect.model.LimitExceededException;
import software.amazon.awssdk.services.connect.model.OutboundContactNotPermittedException;
import software.amazon.awssdk.services.connect.model.ResourceNotFoundException;
import software.amazon.awssdk.services.connect.model.ThrottlingException;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns what the AWS SDK threw (after its own retries) into a {@link ProviderException} with the reason the core
 * acts on. The SDK retries throttling, 5xx and I/O faults by itself; that is safe for placement only because every
 * {@code StartOutboundVoiceContact} carries our call id as {@code ClientToken}.
 */
public final class ConnectErrors {

    /** AWS's codes for credentials it refused, on any service. */
    private static final Set<String> AUTH_CODES = Set.of("UnrecognizedClientException", "InvalidSignatureException",
            "SignatureDoesNotMatch", "IncompleteSignature", "ExpiredTokenException", "InvalidClientTokenId",
            "MissingAuthenticationToken", "AccessDeniedException");

    /** The per-attempt ids in an SDK message ("..., Request ID: 7f3a...)"), which differ between attempts. */
    private static final Pattern REQUEST_ID = Pattern.compile(", (Extended )?Request ID: [^,)]*");

    private ConnectErrors() {
    }

    /**
     * @param placement true for {@code StartOutboundVoiceContact}: a failure after bytes may have left is then
     *                  {@link ErrorReason#OUTCOME_UNKNOWN} (settled by sending the same ClientToken again)
     */
    public static ProviderException map(String providerId, String operation, SdkException e, boolean placement) {
        if (e instanceof AwsServiceException s) return service(providerId, operation, s, placement);
        boolean neverSent = e instanceof SdkClientException && neverConnected(e);
        ErrorReason reason = neverSent ? ErrorReason.UNAVAILABLE
                : placement ? ErrorReason.OUTCOME_UNKNOWN : ErrorReason.UNAVAILABLE;
        String what = neverSent ? "could not reach Amazon Connect" : "no answer from Amazon Connect";
        return ProviderException.builder(providerId, reason, operation + ": " + what + " (" + firstLine(e) + ")")
                .cause(e).build();
    }

    private static ProviderException service(String providerId, String operation, AwsServiceException e,
                                             boolean placement) {
        String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
        String message = e.awsErrorDetails() == null || e.awsErrorDetails().errorMessage() == null
                ? "" : e.awsErrorDetails().errorMessage();
        ErrorReason reason;
        if (e instanceof DestinationNotAllowedException || e instanceof OutboundContactNotPermittedException) {
            reason = ErrorReason.NOT_PERMITTED;
        } else if (e instanceof LimitExceededException || e instanceof ThrottlingException || e.isThrottlingException()) {
            reason = ErrorReason.RATE_LIMITED;
        } else if (e instanceof InvalidParameterException) {
            reason = namesTheDestination(message) ? ErrorReason.INVALID_DESTINATION : ErrorReason.INVALID_REQUEST;
        } else if (e instanceof InvalidRequestException) {
            reason = ErrorReason.INVALID_REQUEST;
        } else if (e instanceof ResourceNotFoundException) {
            reason = ErrorReason.REJECTED;
        } else if (e instanceof AccessDeniedException || (code != null && AUTH_CODES.contains(code))
                || e.statusCode() == 401) {
            reason = ErrorReason.AUTHENTICATION;
        } else if (e instanceof InternalServiceException || e.statusCode() >= 500) {
            // the contact may have been started before the fault: only a re-send with the same ClientToken can tell
            reason = placement ? ErrorReason.OUTCOME_UNKNOWN : ErrorReason.UNAVAILABLE;
        } else {
            reason = ErrorReason.REJECTED;
        }
        if (placement && reason != ErrorReason.OUTCOME_UNKNOWN && !everyAttemptFailedAlike(e)) {
            // an earlier attempt of the SDK's failed otherwise (a 5xx, a reset): it may have started the contact,
            // so a refusal of a later one (throttled, say) must not let the core try another provider
            reason = ErrorReason.OUTCOME_UNKNOWN;
        }
        String text = operation + " refused: " + (code == null ? "HTTP " + e.statusCode() : code)
                + (message.isEmpty() ? "" : " - " + message);
        return ProviderException.builder(providerId, reason, text).httpStatus(e.statusCode())
                .providerErrorCode(code).providerRequestId(e.requestId()).cause(e).build();
    }

    /** Connect names the parameter in its message; only a bad destination is the callee's fault. */
    private static boolean namesTheDestination(String message) {
        String m = message.toLowerCase(Locale.ROOT);
        return m.contains("destinationphonenumber") || m.contains("destination phone number")
                || m.contains("phone number");
    }

    /**
     * True when no attempt got a connection, so nothing can have reached Connect and another provider may be tried.
     * The SDK keeps earlier attempts only as suppressed copies of their message ("Request attempt 1 failure: ..."),
     * without their cause: an earlier attempt counts as never connected only when it failed with the same message
     * as the last one, whose cause is inspected. Anything else (a reset, a timeout) may have sent the request.
     */
    static boolean neverConnected(Throwable e) {
        if (!connectFailure(e)) return false;
        String last = String.valueOf(e.getMessage());
        int counted = last.indexOf(" (SDK Attempt Count");
        String lastFailure = counted < 0 ? last : last.substring(0, counted);
        for (Throwable earlier : e.getSuppressed()) {
            if (!String.valueOf(earlier.getMessage()).endsWith(": " + lastFailure)) return false;
        }
        return true;
    }

    /**
     * True when every earlier attempt the SDK made (kept as suppressed "Request attempt 1 failure: ..." messages)
     * failed as the last one did, its request id aside: then the last answer speaks for all of them.
     */
    static boolean everyAttemptFailedAlike(Throwable e) {
        String last = String.valueOf(e.getMessage());
        int counted = last.indexOf(" (SDK Attempt Count");
        String lastFailure = withoutRequestId(counted < 0 ? last : last.substring(0, counted));
        for (Throwable earlier : e.getSuppressed()) {
            String m = String.valueOf(earlier.getMessage());
            int at = m.indexOf(" failure: ");
            if (at < 0 || !withoutRequestId(m.substring(at + " failure: ".length())).equals(lastFailure)) return false;
        }
        return true;
    }

    private static String withoutRequestId(String message) {
        return REQUEST_ID.matcher(message).replaceAll("");
    }

    private static boolean connectFailure(Throwable attempt) {
        for (Throwable t = attempt; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof UnknownHostException || t instanceof NoRouteToHostException) {
                return true;
            }
            if (t.getCause() == t) break;
        }
        return false;
    }

    private static String firstLine(Throwable e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
