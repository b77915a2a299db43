package io.globalcalling.provider.awsconnect.internal;

import io.globalcalling.ErrorReason;
import io.globalcalling.PhoneNumber;
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

import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Set;

/**
 * Turns what the AWS SDK threw (after its own retries) into a {@link ProviderException} with the reason the core
 * acts on. The SDK retries {@code StartOutboundVoiceContact} only when it was throttled ({@link PlacementRetries}),
 * so a placement's refusal follows attempts that started nothing, and a 5xx or an I/O fault ends its attempts: the
 * contact may have started, and Connect's {@code ClientToken} deduplicates only while the contact is live.
 */
public final class ConnectErrors {

    /** AWS's codes for credentials it refused, on any service. */
    private static final Set<String> AUTH_CODES = Set.of("UnrecognizedClientException", "InvalidSignatureException",
            "SignatureDoesNotMatch", "IncompleteSignature", "ExpiredTokenException", "InvalidClientTokenId",
            "MissingAuthenticationToken", "AccessDeniedException");

    private ConnectErrors() {
    }

    /**
     * @param e         what the SDK threw: an {@link SdkException}, or the {@link UncheckedIOException} its JDK-based
     *                  HTTP client lets out unwrapped (an answer that is not HTTP), a fault after the request was sent
     * @param placement true for {@code StartOutboundVoiceContact}: a failure after bytes may have left is then
     *                  {@link ErrorReason#OUTCOME_UNKNOWN}, settled by reconciliation, never by a re-send (the
     *                  contact may have ended, and the same ClientToken would then dial the callee again)
     */
    public static ProviderException map(String providerId, String operation, RuntimeException e, boolean placement) {
        if (e instanceof AwsServiceException s) return service(providerId, operation, s, placement);
        boolean neverSent = (e instanceof SdkClientException || e instanceof UncheckedIOException) && neverConnected(e);
        ErrorReason reason = neverSent ? ErrorReason.UNAVAILABLE
                : placement ? ErrorReason.OUTCOME_UNKNOWN : ErrorReason.UNAVAILABLE;
        String what = neverSent ? "could not reach Amazon Connect" : "no answer from Amazon Connect";
        // not the SDK's exception as the cause: its message and its causes' quote what came back (a status line, a
        // token of the body), which may quote the request and the number called
        return ProviderException.builder(providerId, reason, operation + ": " + what + " (" + describe(e) + ")").build();
    }

    /**
     * The first line of what the SDK says of a failure, numbers masked: for a log line or a message, since the SDK
     * quotes what came back (an answer's status line, a token of its body), and with it perhaps the number called.
     */
    public static String describe(Throwable e) {
        return PhoneNumber.maskNumbersIn(firstLine(e));
    }

    private static ProviderException service(String providerId, String operation, AwsServiceException e,
                                             boolean placement) {
        String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
        // Connect's message may quote the callee's number, and it becomes the call record's error message
        String message = e.awsErrorDetails() == null || e.awsErrorDetails().errorMessage() == null
                ? "" : PhoneNumber.maskNumbersIn(e.awsErrorDetails().errorMessage());
        ErrorReason reason;
        if (e instanceof DestinationNotAllowedException) {
            reason = ErrorReason.NOT_PERMITTED;
        } else if (e instanceof OutboundContactNotPermittedException) {
            // "The contact is not permitted" is all AWS documents of it (a Message, HTTP 403): nothing tells whether
            // the instance may not place the contact (outbound calling not enabled, campaign traffic without its
            // quota) or the number may not be called, and a number Connect may not call has its own documented
            // DestinationNotAllowedException. Nothing was started, so the conservative reading costs nothing: the
            // provider was unable (the next option is tried, a campaign retries and pauses on an outage), never a
            // number given up for good on the wording of an undocumented message
            reason = ErrorReason.UNAVAILABLE;
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
            // the contact may have been started before the fault: reconciliation must find out, not a re-send
            reason = placement ? ErrorReason.OUTCOME_UNKNOWN : ErrorReason.UNAVAILABLE;
        } else {
            reason = ErrorReason.REJECTED;
        }
        String text = operation + " refused: " + (code == null ? "HTTP " + e.statusCode() : code)
                + (message.isEmpty() ? "" : " - " + message);
        // not the SDK's exception as the cause: its message is Connect's unmasked; the status, code and request id
        // are what it adds
        return ProviderException.builder(providerId, reason, text).httpStatus(e.statusCode())
                .providerErrorCode(code).providerRequestId(e.requestId()).build();
    }

    /**
     * Connect names the parameter in its message; only a bad destination is the callee's fault. A bad source number
     * (the instance's configuration, or the request's caller id) is a request to correct, not a number to give up on.
     */
    private static boolean namesTheDestination(String message) {
        String m = message.toLowerCase(Locale.ROOT);
        if (m.contains("sourcephonenumber") || m.contains("source phone number")) return false;
        return m.contains("destinationphonenumber") || m.contains("destination phone number")
                || m.contains("phone number");
    }

    /**
     * True when no attempt got a connection, so nothing can have reached Connect and another provider may be tried.
     * The SDK keeps earlier attempts only as suppressed copies of their message ("Request attempt 1 failure: ..."),
     * without their cause: an earlier attempt counts as never connected only when it failed with the same message
     * as the last one, whose cause is inspected. Anything else (a reset, a read timeout) may have sent the request.
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

    private static boolean connectFailure(Throwable attempt) {
        for (Throwable t = attempt; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof UnknownHostException || t instanceof NoRouteToHostException
                    || connectTimedOut(t)) {
                return true;
            }
            if (t.getCause() == t) break;
        }
        return false;
    }

    /**
     * A connection attempt that timed out unmade (packets dropped on the way, a listener's backlog full). The JDK's
     * socket throws the class of a read timeout for it, and tells them apart in its message alone ("Connect timed
     * out", "Read timed out").
     */
    private static boolean connectTimedOut(Throwable t) {
        return t instanceof SocketTimeoutException
                && String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT).startsWith("connect timed out");
    }

    private static String firstLine(Throwable e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
