package io.globalcalling.spi;

import io.globalcalling.ConfigurationException;
import io.globalcalling.Secret;
import org.jspecify.annotations.Nullable;

import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads a provider's keys as {@link Validated} values and collects the problems of every key it is
 * {@linkplain #take given}, so that one {@link #orThrow()} reports them all at once:
 *
 * <pre>{@code
 * ConfigValidation v = ConfigValidation.of(config, "acme provider");
 * Secret token = v.take(v.secret("acme.token").required());
 * int port = v.take(v.integer("acme.port", 1, 65535).orElse(443));
 * boolean sandbox = v.take(v.bool("acme.sandbox").orElse(false));
 * v.orThrow(); // one ConfigurationException naming every bad key
 * }</pre>
 *
 * Every reader treats an absent or blank key as valid and absent ({@code orElse} gives a default, {@code required}
 * makes it a problem). Messages name the key and the value as written, except a secret's.
 */
public final class ConfigValidation {

    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    private final ProviderConfig config;
    private final String subject;
    private final List<Validated.Problem> problems = new ArrayList<>();

    private ConfigValidation(ProviderConfig config, String subject) {
        this.config = Objects.requireNonNull(config, "config");
        this.subject = Objects.requireNonNull(subject, "subject");
    }

    /** @param subject what is configured, e.g. "Twilio configuration"; it begins the exception's message */
    public static ConfigValidation of(ProviderConfig config, String subject) {
        return new ConfigValidation(config, subject);
    }

    // ---------------------------------------------------------------- readers

    /** The text of {@code key}, trimmed. */
    public Validated<String> string(String key) {
        String v = config.get(key).orElse(null);
        return Validated.valid(key, v, v);
    }

    /** A credential: its value never appears in a message or a {@code toString()}. */
    public Validated<Secret> secret(String key) {
        return Validated.valid(key, config.get(key).map(Secret::of).orElse(null), null);
    }

    /** {@code true} or {@code false} in any case; anything else is malformed, never read as false. */
    public Validated<Boolean> bool(String key) {
        return string(key).parse(ConfigValidation::strictBoolean, "is not true or false");
    }

    /** A decimal integer from {@code min} to {@code max}. */
    public Validated<Integer> integer(String key, int min, int max) {
        return longValue(key, min, max).map(Long::intValue);
    }

    /** A decimal integer from {@code min} to {@code max}. */
    public Validated<Long> longValue(String key, long min, long max) {
        return string(key).parse(Long::parseLong, "is not an integer")
                .check(n -> n >= min && n <= max, range(min, max));
    }

    /** A decimal number such as {@code 0.014}. */
    public Validated<BigDecimal> decimal(String key) {
        return string(key).parse(BigDecimal::new, "is not a number");
    }

    /**
     * A duration written in ISO-8601 ({@code PT30S}), as a number with a unit ({@code 500ms}, {@code 30s},
     * {@code 5m}, {@code 2h}, {@code 1d}) or as a plain number of seconds; it must be positive.
     */
    public Validated<Duration> duration(String key) {
        return string(key).parse(ConfigValidation::parseDuration, "is not a duration (PT30S, 30s or seconds)")
                .check(d -> !d.isNegative() && !d.isZero(), "must be positive");
    }

    /**
     * An absolute {@code http} or {@code https} URL with a host. Messages show it without its
     * {@code user:password@} part.
     */
    public Validated<URI> url(String key) {
        String v = config.get(key).orElse(null);
        if (v == null) return Validated.valid(key, null, null);
        String shown = Urls.withoutUserInfo(v);
        try {
            URI uri = new URI(v);
            if (!Urls.isAbsoluteHttp(uri)) {
                return Validated.malformed(key, shown, "is not an absolute http(s) URL");
            }
            return Validated.valid(key, uri, shown);
        } catch (URISyntaxException e) {
            return Validated.malformed(key, shown, "is not a URL: " + e.getReason());
        }
    }

    /** One of {@code type}'s constants, by name in any case with {@code -} for {@code _} ({@code human-agent}). */
    public <E extends Enum<E>> Validated<E> enumValue(String key, Class<E> type) {
        return string(key).parse(v -> enumConstant(type, v), "is not one of " + names(type));
    }

    /** Comma-separated items, trimmed, empty ones dropped. */
    public Validated<List<String>> list(String key) {
        return string(key).map(v -> Arrays.stream(v.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList());
    }

    /**
     * Comma-separated items, each read by {@code parser} (which throws {@link IllegalArgumentException} on a bad
     * one). Every bad item is its own problem: "{@code key item 'x' message}".
     */
    public <T> Validated<List<T>> list(String key, Function<String, T> parser, String message) {
        Validated<List<String>> items = list(key);
        if (!items.isPresent()) return items.map(l -> List.of());
        List<T> out = new ArrayList<>();
        Validated<List<T>> result = Validated.valid(key, null, null);
        for (String item : items.get()) {
            try {
                out.add(parser.apply(item));
            } catch (IllegalArgumentException e) {
                result = result.and(Validated.malformed(key + " item", item, message));
            }
        }
        return result.isValid() ? Validated.valid(key, List.copyOf(out), items.get().toString()) : result;
    }

    /** Comma-separated constants of {@code type}, as {@link #enumValue} reads one. */
    public <E extends Enum<E>> Validated<Set<E>> enumSet(String key, Class<E> type) {
        return list(key, v -> enumConstant(type, v), "is not one of " + names(type))
                .map(l -> l.isEmpty() ? Set.<E>of() : Set.copyOf(EnumSet.copyOf(l)));
    }

    // ---------------------------------------------------------------- collecting

    /**
     * Remembers {@code result}'s problems for {@link #orThrow()}.
     *
     * @return its value, or null when it is absent or invalid
     */
    public <T> @Nullable T take(Validated<T> result) {
        problems.addAll(result.problems());
        return result.orNull();
    }

    /** Remembers a problem found across keys (one key needs another, say). */
    public void problem(Validated<?> result) {
        problems.addAll(result.problems());
    }

    /** Every problem remembered so far, in order. */
    public List<Validated.Problem> problems() {
        return List.copyOf(problems);
    }

    /** @throws ConfigurationException listing every problem remembered, when there is one */
    public void orThrow() {
        if (!problems.isEmpty()) {
            throw new ConfigurationException(subject, problems.stream().map(Validated.Problem::message).toList());
        }
    }

    // ---------------------------------------------------------------- parsing

    private static boolean strictBoolean(String v) {
        if (v.equalsIgnoreCase("true")) return true;
        if (v.equalsIgnoreCase("false")) return false;
        throw new IllegalArgumentException("not a boolean");
    }

    private static Duration parseDuration(String v) {
        try {
            if (v.chars().allMatch(Character::isDigit)) return Duration.ofSeconds(Long.parseLong(v));
            Matcher m = SHORT_DURATION.matcher(v.toLowerCase(Locale.ROOT));
            if (m.matches()) {
                long n = Long.parseLong(m.group(1));
                return switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    default -> Duration.ofDays(n);
                };
            }
            return Duration.parse(v);
        } catch (DateTimeParseException | ArithmeticException e) {
            throw new IllegalArgumentException("not a duration", e);
        }
    }

    private static <E extends Enum<E>> E enumConstant(Class<E> type, String v) {
        return Enum.valueOf(type, v.toUpperCase(Locale.ROOT).replace('-', '_'));
    }

    private static String names(Class<? extends Enum<?>> type) {
        return Arrays.stream(type.getEnumConstants()).map(e -> e.name().toLowerCase(Locale.ROOT))
                .collect(Collectors.joining(", ", "[", "]"));
    }

    private static String range(long min, long max) {
        if (max == Long.MAX_VALUE || max == Integer.MAX_VALUE) {
            return min == 0 ? "must not be negative" : "must be at least " + min;
        }
        return "must be " + min + " to " + max;
    }
}
