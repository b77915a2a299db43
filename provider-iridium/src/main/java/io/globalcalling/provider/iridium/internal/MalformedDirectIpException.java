package io.globalcalling.provider.iridium.internal;

/** Bytes that are not a well-formed DirectIP message; the message says which part and why. */
public final class MalformedDirectIpException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public MalformedDirectIpException(String message) {
        super(message);
    }
}
