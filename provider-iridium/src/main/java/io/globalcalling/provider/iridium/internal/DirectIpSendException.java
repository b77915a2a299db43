package io.globalcalling.provider.iridium.internal;

/**
 * An MT message that got no confirmation. {@link #sent()} says whether any of its bytes may have reached the
 * gateway: false only when the connection was never made.
 */
public final class DirectIpSendException extends Exception {

    private static final long serialVersionUID = 1L;

    private final boolean sent;

    DirectIpSendException(boolean sent, String message, Throwable cause) {
        super(message, cause);
        this.sent = sent;
    }

    /** Whether bytes may have left: the outcome is then unknown, and the message must not be sent again blindly. */
    public boolean sent() {
        return sent;
    }
}
