package io.globalcalling;

import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A phone number in E.164 form: '+', a country code that does not start with 0, at most 15 digits in all. */
public record PhoneNumber(String value) implements Endpoint {

    private static final Pattern E164 = Pattern.compile("\\+[1-9]\\d{1,14}");
    /** Compiled once: {@code String.replaceAll} would compile it on every call. */
    private static final Pattern SEPARATORS = Pattern.compile("[\\s\\-().]");
    /** A number in free text: E.164, or 7 digits or more standing alone (not inside an id such as a call SID). */
    private static final Pattern NUMBER_IN_TEXT = Pattern.compile("\\+?\\b\\d{7,}\\b");

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

    /** {@code "+14155550123"} reads {@code "+141******23"}: enough to tell calls apart in a log, not enough to dial. */
    public static String mask(String number) {
        if (number.length() <= 6) return "****";
        return number.substring(0, 4) + "*".repeat(number.length() - 6) + number.substring(number.length() - 2);
    }

    /**
     * {@code text} with each number in it masked as {@link #mask} does: for a provider's error text that quotes the
     * callee's number ("The 'To' number +14155551212 is not a valid phone number").
     */
    public static String maskNumbersIn(String text) {
        return NUMBER_IN_TEXT.matcher(text).replaceAll(n -> Matcher.quoteReplacement(mask(n.group())));
    }

    /** The number masked as {@link #mask} does: personal data never reaches a log or a message by printing; {@link #value} is the number. */
    @Override
    public String toString() {
        return mask(value);
    }
}
