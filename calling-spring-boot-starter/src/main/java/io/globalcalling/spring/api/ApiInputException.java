package io.globalcalling.spring.api;

import io.globalcalling.CallRequest;
import org.jspecify.annotations.Nullable;

import java.util.function.BinaryOperator;

/** A request field or parameter with a bad value; answered 400 with the field and the value. */
public final class ApiInputException extends IllegalArgumentException {

    private final String field;
    private final @Nullable String value;

    public ApiInputException(String field, @Nullable String value, String message) {
        super(message);
        this.field = field;
        this.value = value;
    }

    /**
     * Runs {@code parse} on {@code value}, turning its refusal into one that names {@code field}. A URL is quoted
     * without its credentials and query, in the parser's message too ({@link ShownUrls}).
     */
    public static <T> T parse(String field, String value, java.util.function.Function<String, T> parse) {
        try {
            return parse.apply(value);
        } catch (IllegalArgumentException | java.time.DateTimeException e) {
            throw new ApiInputException(field, ShownUrls.value(value), field + " '" + ShownUrls.value(value) + "': "
                    + ShownUrls.text(e.getMessage(), value));
        }
    }

    /**
     * {@code value} as {@code check} passes it ({@link CallRequest#checkCustomerId}, say), or a problem naming
     * {@code field} with the check's own message.
     */
    public static String checked(String field, String value, BinaryOperator<String> check) {
        try {
            return check.apply(field, value);
        } catch (IllegalArgumentException e) {
            throw new ApiInputException(field, value, e.getMessage());
        }
    }

    public static <T> T required(String field, @Nullable T value) {
        if (value == null) throw new ApiInputException(field, null, field + " is required");
        return value;
    }

    public String field() {
        return field;
    }

    public @Nullable String value() {
        return value;
    }
}
