package io.globalcalling.spi;

import io.globalcalling.ConfigurationException;
import org.jspecify.annotations.Nullable;

import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One configuration key read and checked: valid (with a value, or absent) or invalid (missing or malformed),
 * in the shape of Micrometer's {@code Validated}. A check refines a valid value and passes an invalid one on, so
 * {@code reader.integer("x.port").check(...).required()} reports the first problem of that key. Problems of
 * several keys {@linkplain #and combine}, and {@link #orThrow()} throws one {@link ConfigurationException} listing
 * them all. A message names the key and the value as written, except a secret's, which is never shown.
 *
 * @param <T> the value's type
 */
public final class Validated<T> {

    /** Why a key is invalid. */
    public enum InvalidReason {
        /** required but not set (or blank) */
        MISSING,
        /** set to something that cannot be read or is out of range */
        MALFORMED
    }

    /**
     * One problem of one key.
     *
     * @param key     the configuration key
     * @param reason  missing or malformed
     * @param message the whole sentence, naming the key and (unless secret) the value
     */
    public record Problem(String key, InvalidReason reason, String message) {
        public Problem {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(message, "message");
        }

        @Override
        public String toString() {
            return message;
        }
    }

    private final String key;
    private final @Nullable T value;
    /** The value as written, for messages; null when absent or secret. */
    private final @Nullable String shown;
    private final List<Problem> problems;

    private Validated(String key, @Nullable T value, @Nullable String shown, List<Problem> problems) {
        this.key = Objects.requireNonNull(key, "key");
        this.value = value;
        this.shown = shown;
        this.problems = List.copyOf(problems);
    }

    /**
     * A valid key.
     *
     * @param value the value, or null when the key is absent
     * @param shown the value as written, shown in messages; null for a secret
     */
    public static <T> Validated<T> valid(String key, @Nullable T value, @Nullable String shown) {
        return new Validated<>(key, value, shown, List.of());
    }

    /** A key that is required and absent: "{@code key} {@code message}". */
    public static <T> Validated<T> missing(String key, String message) {
        return new Validated<>(key, null, null, List.of(new Problem(key, InvalidReason.MISSING, key + " " + message)));
    }

    /**
     * A key whose value cannot be used: "{@code key = 'shown' message}", or "{@code key message}" when
     * {@code shown} is null (a secret).
     */
    public static <T> Validated<T> malformed(String key, @Nullable String shown, String message) {
        String text = shown == null ? key + " " + message : key + " = '" + shown + "' " + message;
        return new Validated<>(key, null, shown, List.of(new Problem(key, InvalidReason.MALFORMED, text)));
    }

    public String key() {
        return key;
    }

    public boolean isValid() {
        return problems.isEmpty();
    }

    /** Whether the key is valid and has a value. */
    public boolean isPresent() {
        return isValid() && value != null;
    }

    /** Every problem, in the order found; empty when valid. */
    public List<Problem> problems() {
        return problems;
    }

    /**
     * The value.
     *
     * @throws ConfigurationException when invalid
     * @throws NoSuchElementException naming the key when valid but absent
     */
    public T get() {
        orThrow();
        if (value == null) throw new NoSuchElementException(key + " is not set");
        return value;
    }

    /** @throws ConfigurationException when invalid; empty when absent */
    public Optional<T> optional() {
        orThrow();
        return Optional.ofNullable(value);
    }

    /** The value, or null when absent or invalid (then {@link #problems()} says why). */
    public @Nullable T orNull() {
        return value;
    }

    /** This key with {@code fallback} as its value when it is absent. */
    public Validated<T> orElse(T fallback) {
        Objects.requireNonNull(fallback, "fallback");
        return isValid() && value == null ? new Validated<>(key, fallback, String.valueOf(fallback), problems) : this;
    }

    /** Makes an absent key a problem: "{@code key is missing (or set KEY_IN_ENVIRONMENT_FORM)}". */
    public Validated<T> required() {
        return required("is missing (or set " + ProviderConfig.environmentName(key) + ")");
    }

    /** Makes an absent key a problem: "{@code key message}". */
    public Validated<T> required(String message) {
        return isValid() && value == null ? missing(key, message) : this;
    }

    /** A present value that fails {@code test} becomes malformed: "{@code key = 'value' message}". */
    public Validated<T> check(Predicate<? super T> test, String message) {
        Objects.requireNonNull(test, "test");
        if (!isPresent() || test.test(value)) return this;
        return malformed(key, shown, message);
    }

    /** Converts a present value; absent and invalid keys pass through. */
    public <U> Validated<U> map(Function<? super T, ? extends U> mapper) {
        Objects.requireNonNull(mapper, "mapper");
        if (!isPresent()) return new Validated<>(key, null, shown, problems);
        return new Validated<>(key, mapper.apply(value), shown, problems);
    }

    /**
     * Converts a present value with a parser that throws {@link IllegalArgumentException} on bad input; that
     * makes the key malformed: "{@code key = 'value' message}".
     */
    public <U> Validated<U> parse(Function<? super T, ? extends U> parser, String message) {
        Objects.requireNonNull(parser, "parser");
        if (!isPresent()) return new Validated<>(key, null, shown, problems);
        try {
            return new Validated<>(key, parser.apply(value), shown, problems);
        } catch (IllegalArgumentException e) {
            return malformed(key, shown, message);
        }
    }

    /**
     * This key's problems and {@code other}'s together, as a result that is valid only when both are. Its value
     * is this key's.
     */
    public Validated<T> and(Validated<?> other) {
        Objects.requireNonNull(other, "other");
        if (other.isValid()) return this;
        List<Problem> all = new ArrayList<>(problems);
        all.addAll(other.problems);
        return new Validated<>(key, value, shown, all);
    }

    /** The problems of every result, valid only when all are. */
    public static Validated<?> all(List<? extends Validated<?>> results) {
        Validated<?> out = valid("(all)", null, null);
        for (Validated<?> v : results) out = out.and(v);
        return out;
    }

    /**
     * @return this, to chain
     * @throws ConfigurationException listing every problem, when invalid
     */
    public Validated<T> orThrow() {
        return orThrow("configuration");
    }

    /**
     * @param subject what was configured, e.g. "Twilio configuration", to begin the exception's message
     * @return this, to chain
     * @throws ConfigurationException listing every problem, when invalid
     */
    public Validated<T> orThrow(String subject) {
        if (!isValid()) throw new ConfigurationException(subject, problems.stream().map(Problem::message).toList());
        return this;
    }

    @Override
    public String toString() {
        if (!isValid()) return "Invalid" + problems;
        return "Valid[" + key + (value == null ? " absent" : shown == null ? " = ****" : " = '" + shown + "'") + "]";
    }
}
