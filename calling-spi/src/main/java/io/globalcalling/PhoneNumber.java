package io.globalcalling;

import java.util.Objects;
import java.util.regex.Pattern;

/** A phone number in E.164 form: '+', a country code that does not start with 0, at most 15 digits in all. */
public record PhoneNumber(String value) implements Endpoint {

    private static final Pattern E164 = Pattern.compile("\\+[1-9]\\d{1,14}");
    /** Compiled once: {@code String.replaceAll} would compile it on every call. */
    private static final Pattern SEPARATORS = Pattern.compile("[\\s\\-().]");

    public PhoneNumber {
        Objects.requireNonNull(value, "phone number");
        if (!E164.matcher(value).matches()) {
            throw new IllegalArgumentException("phone number '" + value
                    + "' is not E.164: expected '+' then 2 to 15 digits, the first not 0");
        }
    }

    /** Reads a number, allowing the spaces, dashes, dots and brackets people write in it. */
    public static PhoneNumber of(String text) {
        Objects.requireNonNull(text, "phone number");
        String compact = SEPARATORS.matcher(text.strip()).replaceAll("");
        try {
            return new PhoneNumber(compact);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("phone number '" + text
                    + "' is not E.164: expected '+' then 2 to 15 digits, the first not 0");
        }
    }

    /** The digits without the leading '+', as rate decks and some providers use them. */
    public String digits() {
        return value.substring(1);
    }

    @Override
    public String toString() {
        return value;
    }
}
