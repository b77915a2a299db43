package io.globalcalling.core.policy;

import io.globalcalling.CallingException;
import io.globalcalling.ErrorReason;

import java.util.Objects;

/** The destination policy refuses a number; nothing was recorded or sent. {@link #reason()} is {@code NOT_PERMITTED}. */
public final class DestinationNotPermittedException extends CallingException {

    private final String number;
    private final String rule;

    DestinationNotPermittedException(String number, String rule, String why) {
        super(ErrorReason.NOT_PERMITTED, "destination " + number + " is not permitted by rule " + rule + ": " + why);
        this.number = Objects.requireNonNull(number, "number");
        this.rule = Objects.requireNonNull(rule, "rule");
    }

    /** The refused number, E.164. */
    public String number() {
        return number;
    }

    /**
     * The rule that refused it: {@code denied-prefix}, {@code satellite-range}, {@code country-not-allowed} or
     * {@code denied-number-type}.
     */
    public String rule() {
        return rule;
    }
}
