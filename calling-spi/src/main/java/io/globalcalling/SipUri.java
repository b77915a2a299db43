package io.globalcalling;

import java.util.Objects;
import java.util.regex.Pattern;

/** A SIP or SIPS URI such as {@code sip:alice@example.com}. */
public record SipUri(String value) implements Endpoint {

    private static final Pattern SIP = Pattern.compile("(?i)sips?:[^\\s@]+@[^\\s@]+");

    public SipUri {
        Objects.requireNonNull(value, "sip uri");
        if (!SIP.matcher(value).matches()) {
            throw new IllegalArgumentException("sip uri '" + value + "' is not of the form sip:user@host");
        }
    }

    /** The URI with any number in it masked, as {@link Endpoint#mask} does; {@link #value} is the URI. */
    @Override
    public String toString() {
        return Endpoint.mask(value);
    }
}
