package io.globalcalling.core.campaign;

import io.globalcalling.PhoneNumber;
import org.jspecify.annotations.Nullable;

import java.util.Map;
import java.util.Objects;

/**
 * One number to call, with the values of the script's placeholders and, optionally, the recipient's
 * time zone (an IANA id such as {@code Asia/Kolkata}) when the number's own is not the right one.
 */
public record Target(String number, Map<String, String> variables, @Nullable String timeZone) {

    public Target {
        Objects.requireNonNull(number, "number");
        variables = variables == null ? Map.of() : Map.copyOf(variables);
    }

    public static Target of(String number) {
        return new Target(number, Map.of(), null);
    }

    public static Target of(String number, Map<String, String> variables) {
        return new Target(number, variables, null);
    }

    /** As a record prints itself, except the person called: the number masked, the variables by their names only. */
    @Override
    public String toString() {
        return "Target[number=" + PhoneNumber.mask(number) + ", variables=" + variables.keySet() + ", timeZone="
                + timeZone + "]";
    }
}
