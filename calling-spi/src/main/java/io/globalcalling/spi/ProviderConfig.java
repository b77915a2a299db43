package io.globalcalling.spi;

import io.globalcalling.ConfigurationException;
import io.globalcalling.Secret;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

/**
 * A read-only view of configuration keys. A key such as {@code twilio.account-sid} is found under
 * that exact name or in environment form ({@code TWILIO_ACCOUNT_SID}), so one lookup serves both
 * a properties file and the environment. Values are trimmed; a blank value counts as absent.
 */
@FunctionalInterface
public interface ProviderConfig {

    /** The raw lookup of one exact name; implementations need only this. */
    Optional<String> lookup(String name);

    default Optional<String> get(String key) {
        Objects.requireNonNull(key, "key");
        Optional<String> v = lookup(key).map(String::strip).filter(s -> !s.isEmpty());
        if (v.isPresent()) return v;
        return lookup(environmentName(key)).map(String::strip).filter(s -> !s.isEmpty());
    }

    default String get(String key, String fallback) {
        return get(key).orElse(fallback);
    }

    default Optional<Secret> secret(String key) {
        return get(key).map(Secret::of);
    }

    /**
     * An integer; {@link ConfigValidation} reads every type and collects the problems of many keys.
     *
     * @throws ConfigurationException naming the key and value when the value is not an integer
     */
    default Optional<Integer> getInt(String key) {
        return ConfigValidation.of(this, key).integer(key, Integer.MIN_VALUE, Integer.MAX_VALUE).orThrow().optional();
    }

    /**
     * A positive duration: ISO-8601 ({@code PT30S}), a number with a unit ({@code 30s}) or a plain number of seconds.
     *
     * @throws ConfigurationException naming the key and value when the value is not a positive duration
     */
    default Optional<Duration> getDuration(String key) {
        return ConfigValidation.of(this, key).duration(key).orThrow().optional();
    }

    /**
     * {@code true} or {@code false} in any case, {@code fallback} when absent.
     *
     * @throws ConfigurationException naming the key and value when the value is anything else: a mistyped
     *                                switch is an error, never silently false
     */
    default boolean getBoolean(String key, boolean fallback) {
        return ConfigValidation.of(this, key).bool(key).orElse(fallback).orThrow().get();
    }

    /**
     * Every name this source holds, as it holds them ({@code calling.providers.twilio.pace.burst}, or
     * {@code CALLING_PROVIDERS_TWILIO_PACE_BURST} in the environment), so that a key nothing reads (a misspelt
     * provider id) can be refused rather than ignored; empty for a source that cannot list its names, which then
     * goes unchecked.
     */
    default Set<String> names() {
        return Set.of();
    }

    /** Keys found here take precedence; others come from {@code fallback}. */
    default ProviderConfig orElse(ProviderConfig fallback) {
        Objects.requireNonNull(fallback, "fallback");
        ProviderConfig first = this;
        return new ProviderConfig() {
            @Override
            public Optional<String> lookup(String name) {
                Optional<String> v = first.lookup(name);
                return v.isPresent() ? v : fallback.lookup(name);
            }

            @Override
            public Set<String> names() {
                Set<String> both = new HashSet<>(first.names());
                both.addAll(fallback.names());
                return Set.copyOf(both);
            }
        };
    }

    /** {@code twilio.account-sid} → {@code TWILIO_ACCOUNT_SID}. */
    static String environmentName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    static ProviderConfig empty() {
        return name -> Optional.empty();
    }

    static ProviderConfig of(Map<String, String> values) {
        Map<String, String> copy = Map.copyOf(values);
        return new ProviderConfig() {
            @Override
            public Optional<String> lookup(String name) {
                return Optional.ofNullable(copy.get(name));
            }

            @Override
            public Set<String> names() {
                return copy.keySet();
            }
        };
    }

    static ProviderConfig environment() {
        return of(System.getenv());
    }

    static ProviderConfig systemProperties() {
        return new ProviderConfig() {
            @Override
            public Optional<String> lookup(String name) {
                return Optional.ofNullable(System.getProperty(name));
            }

            @Override
            public Set<String> names() {
                return Set.copyOf(System.getProperties().stringPropertyNames());
            }
        };
    }

    static ProviderConfig of(Properties properties) {
        Map<String, String> copy = new HashMap<>();
        properties.stringPropertyNames().forEach(n -> copy.put(n, properties.getProperty(n)));
        return of(copy);
    }

    /** @throws UncheckedIOException naming the file when it cannot be read */
    static ProviderConfig fromFile(Path file) {
        Objects.requireNonNull(file, "file");
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read configuration file " + file, e);
        }
        return of(p);
    }
}
