package io.globalcalling.spring;

import io.globalcalling.spi.ProviderConfig;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The SDK's configuration read from Spring's {@link Environment}: application properties and YAML, profiles,
 * system properties and environment variables, in Spring's order of precedence. A key the SDK asks for in its
 * canonical form ({@code twilio.account-sid}) is found however the application spells it: {@code twilio.accountSid},
 * {@code twilio.account_sid} or {@code TWILIO_ACCOUNT_SID} (Spring's relaxed binding); a YAML list is read as the
 * comma-separated value the SDK expects.
 */
public final class SpringProviderConfig implements ProviderConfig {

    private static final Bindable<String> TEXT = Bindable.of(String.class);
    private static final Bindable<List<String>> LIST = Bindable.listOf(String.class);

    private final Environment environment;
    private final Binder binder;

    public SpringProviderConfig(Environment environment) {
        this.environment = Objects.requireNonNull(environment, "environment");
        this.binder = Binder.get(environment);
    }

    @Override
    public Optional<String> lookup(String name) {
        Objects.requireNonNull(name, "name");
        if (!ConfigurationPropertyName.isValid(name)) {
            return Optional.ofNullable(environment.getProperty(name)); // e.g. TWILIO_ACCOUNT_SID, asked as such
        }
        ConfigurationPropertyName key = ConfigurationPropertyName.of(name);
        Optional<String> text = binder.bind(key, TEXT).map(Optional::of).orElseGet(Optional::empty);
        if (text.isPresent()) return text;
        return binder.bind(key, LIST).map(items -> String.join(",", items)).map(Optional::of).orElseGet(Optional::empty);
    }

    /** The names of every property source that can list them, as each holds them. */
    @Override
    public Set<String> names() {
        if (!(environment instanceof ConfigurableEnvironment configurable)) return Set.of();
        Set<String> names = new HashSet<>();
        for (PropertySource<?> source : configurable.getPropertySources()) {
            if (source instanceof EnumerablePropertySource<?> enumerable) {
                names.addAll(List.of(enumerable.getPropertyNames()));
            }
        }
        return Set.copyOf(names);
    }

    @Override
    public String toString() {
        return "SpringProviderConfig[" + environment.getClass().getSimpleName() + "]"; // never the values: secrets
    }
}
