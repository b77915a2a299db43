package io.globalcalling.core.internal;

import io.globalcalling.spi.CallingProvider;
import io.globalcalling.spi.CallingProviderFactory;
import io.globalcalling.spi.ConfigurationException;
import io.globalcalling.spi.ProviderConfig;
import io.globalcalling.spi.ProviderContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Finds provider factories with {@link ServiceLoader} the way slf4j does: a broken plug-in jar is
 * reported and skipped, two factories with one id are refused unless configuration pins one
 * ({@code calling.providers.<id>.factory=<class name>}), a factory built for another SPI version is
 * refused with what to do, and a provider whose credentials are absent simply stays inactive.
 * Providers registered by hand win over discovered ones with the same id.
 */
public final class ProviderRegistry implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ProviderRegistry.class);

    private final Map<String, CallingProvider> active;

    private ProviderRegistry(Map<String, CallingProvider> active) {
        this.active = active;
    }

    /**
     * @param explicit     providers registered by hand, in order
     * @param factories    discovered factories (null to use ServiceLoader on {@code loader})
     * @param contextFor   the context to hand each created provider
     */
    public static ProviderRegistry create(ProviderConfig config, List<CallingProvider> explicit,
                                          List<CallingProviderFactory> factories, ClassLoader loader,
                                          Function<String, ProviderContext> contextFor) {
        Map<String, CallingProvider> active = new LinkedHashMap<>();
        for (CallingProvider p : explicit) {
            CallingProvider previous = active.putIfAbsent(p.id(), p);
            if (previous != null && previous != p) {
                throw new IllegalArgumentException("two providers registered with id '" + p.id() + "': "
                        + previous.getClass().getName() + " and " + p.getClass().getName());
            }
        }
        List<CallingProviderFactory> found = factories != null ? factories : discover(loader);
        Set<String> disabled = csv(config.get("calling.providers.disabled").orElse(""));
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, List<CallingProviderFactory>> e : byId(found).entrySet()) {
            String id = e.getKey();
            if (active.containsKey(id)) {
                log.info("provider '{}' registered explicitly; its discovered factory is not used", id);
                continue;
            }
            if (disabled.contains(id)) {
                log.info("provider '{}' is disabled by calling.providers.disabled", id);
                continue;
            }
            Optional<CallingProviderFactory> chosen = choose(id, e.getValue(), config, problems);
            if (chosen.isEmpty()) continue;
            CallingProviderFactory f = chosen.get();
            if (f.spiVersion() != CallingProviderFactory.SPI_VERSION) {
                problems.add("provider '" + id + "' (" + f.getClass().getName() + ") was built for SPI version "
                        + f.spiVersion() + " but this SDK speaks version " + CallingProviderFactory.SPI_VERSION
                        + ": use a release of that provider built for this SDK version");
                continue;
            }
            if (!f.isConfigured(config)) {
                log.info("provider '{}' found but not configured; inactive", id);
                continue;
            }
            CallingProvider provider = f.create(config, contextFor.apply(id));
            if (!provider.id().equals(id)) {
                problems.add("factory " + f.getClass().getName() + " has id '" + id + "' but created a provider with id '"
                        + provider.id() + "'");
                provider.close();
                continue;
            }
            active.put(id, provider);
        }
        if (!problems.isEmpty()) {
            active.values().forEach(ProviderRegistry::closeQuietly);
            throw new ConfigurationException("provider discovery", problems);
        }
        log.info("active calling providers: {}", active.keySet());
        return new ProviderRegistry(active);
    }

    private static List<CallingProviderFactory> discover(ClassLoader loader) {
        List<CallingProviderFactory> out = new ArrayList<>();
        Iterator<CallingProviderFactory> it = ServiceLoader.load(CallingProviderFactory.class, loader).iterator();
        while (true) {
            try {
                if (!it.hasNext()) break;
                out.add(it.next());
            } catch (ServiceConfigurationError e) {
                // One broken plug-in jar must not take the others down: report it and go on.
                log.error("a calling provider plug-in could not be loaded and is skipped: {}", e.getMessage());
            }
        }
        return out;
    }

    private static Map<String, List<CallingProviderFactory>> byId(List<CallingProviderFactory> factories) {
        Map<String, List<CallingProviderFactory>> out = new LinkedHashMap<>();
        for (CallingProviderFactory f : factories) {
            out.computeIfAbsent(f.id(), k -> new ArrayList<>()).add(f);
        }
        return out;
    }

    private static Optional<CallingProviderFactory> choose(String id, List<CallingProviderFactory> candidates,
                                                           ProviderConfig config, List<String> problems) {
        String pinKey = "calling.providers." + id + ".factory";
        Optional<String> pin = config.get(pinKey);
        if (pin.isPresent()) {
            Optional<CallingProviderFactory> pinned = candidates.stream()
                    .filter(f -> f.getClass().getName().equals(pin.get())).findFirst();
            if (pinned.isEmpty()) {
                problems.add(pinKey + " = '" + pin.get() + "' names none of the factories found for '" + id + "': "
                        + names(candidates));
            }
            return pinned;
        }
        if (candidates.size() > 1) {
            problems.add("several factories provide '" + id + "': " + names(candidates) + "; set " + pinKey
                    + " to the class name of the one to use");
            return Optional.empty();
        }
        return Optional.of(candidates.get(0));
    }

    private static String names(List<CallingProviderFactory> factories) {
        return factories.stream().map(f -> f.getClass().getName()).collect(Collectors.joining(", "));
    }

    private static Set<String> csv(String text) {
        return Arrays.stream(text.split(",")).map(String::strip).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
    }

    public Collection<CallingProvider> providers() {
        return active.values();
    }

    public Optional<CallingProvider> find(String id) {
        return Optional.ofNullable(active.get(Objects.requireNonNull(id, "providerId")));
    }

    @Override
    public void close() {
        active.values().forEach(ProviderRegistry::closeQuietly);
    }

    private static void closeQuietly(CallingProvider p) {
        try {
            p.close();
        } catch (RuntimeException e) {
            log.warn("provider '{}' failed to close: {}", p.id(), e.toString());
        }
    }
}
