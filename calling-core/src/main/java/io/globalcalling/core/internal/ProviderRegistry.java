package io.globalcalling.core.internal;

import io.globalcalling.CallCategory;
import io.globalcalling.spi.CallingProvider;
import io.globalcalling.spi.CallingProviderFactory;
import io.globalcalling.ConfigurationException;
import io.globalcalling.spi.ProviderConfig;
import io.globalcalling.spi.ProviderContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Finds provider factories with {@link ServiceLoader} the way slf4j does: a broken plug-in jar is
 * reported and skipped, two factories with one id are refused unless configuration pins one
 * ({@code calling.providers.<id>.factory=<class name>}), and a factory built for another SPI version is
 * refused with what to do. Providers registered by hand win over discovered ones with the same id.
 *
 * <p>Configuration decides each discovered provider (see {@link CallingProviderFactory#isConfigured}):
 * none of its keys set leaves it absent; some set makes it start or fail start-up with a
 * {@link ConfigurationException} naming every missing or malformed key (of every provider at once), so a
 * partly configured provider is never silently inactive. {@code calling.providers.disabled=<id>,...}
 * leaves a provider out whatever its keys, one registered by hand too; an id there that names no provider fails
 * start-up, and so does any {@code calling.providers.<id>.*} key nothing reads (an id that names no provider, a
 * setting other than {@code factory} and {@code pace.*}) when the configuration can list its names
 * ({@link ProviderConfig#names()}).
 *
 * <p>A simulated provider ({@link io.globalcalling.spi.ProviderCapabilities#simulated()}, the sandbox)
 * found by discovery is active only when no real provider is, or when {@code <id>.enabled=true} is set
 * explicitly; so configuring a real provider switches simulation off. One registered by hand is kept.
 * The start-up log names the active providers and marks the simulated ones.
 *
 * <p>{@code <id>.categories=internet_voip,satellite} sets the categories a provider serves, within its
 * {@link CallingProvider#supportedCategories()}; a category it cannot serve, or an unknown one, fails
 * start-up naming the key and value. The registry keeps them beside the provider ({@link #categories}),
 * which routing and coverage consult; the provider itself is held unwrapped.
 */
public final class ProviderRegistry implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ProviderRegistry.class);
    private static final String DISABLED_KEY = "calling.providers.disabled";
    private static final String PROVIDERS_PREFIX = "calling.providers.";
    /**
     * What a {@code calling.providers.<id>.} key may set: the pinned factory (read here) and the account's pace
     * (read by the manager).
     */
    private static final List<String> PROVIDER_SETTINGS = List.of("factory", "pace.calls-per-second", "pace.burst");
    private static final Pattern DISABLED_ITEM = Pattern.compile(Pattern.quote(DISABLED_KEY) + "(\\.\\d+)?");

    private final Map<String, CallingProvider> active;
    /** The categories each active provider serves, by id: its own, or those {@code <id>.categories} sets. */
    private final Map<String, Set<CallCategory>> categories;

    private ProviderRegistry(Map<String, CallingProvider> active, Map<String, Set<CallCategory>> categories) {
        this.active = active;
        this.categories = categories;
    }

    /**
     * @param explicit     providers registered by hand, in order
     * @param factories    discovered factories (null to use ServiceLoader on {@code loader})
     * @param contextFor   the context to hand each created provider
     * @throws ConfigurationException listing every problem of every provider: duplicate or foreign-version
     *                                factories, partial or malformed configuration
     */
    public static ProviderRegistry create(ProviderConfig config, List<CallingProvider> explicit,
                                          List<CallingProviderFactory> factories, ClassLoader loader,
                                          Function<String, ProviderContext> contextFor) {
        Map<String, CallingProvider> active = new LinkedHashMap<>();
        Map<String, Set<CallCategory>> categories = new LinkedHashMap<>();
        for (CallingProvider p : explicit) {
            CallingProvider previous = active.putIfAbsent(p.id(), p);
            if (previous != null && previous != p) {
                throw new IllegalArgumentException("two providers registered with id '" + p.id() + "': "
                        + previous.getClass().getName() + " and " + p.getClass().getName());
            }
        }
        Set<String> byHand = Set.copyOf(active.keySet());
        // a provider registered by hand is left out too: the key says not to use it, however it came
        Set<String> disabled = csv(config.get(DISABLED_KEY).orElse(""));
        active.keySet().removeIf(id -> {
            if (!disabled.contains(id)) return false;
            log.info("provider '{}' is registered by hand and disabled by {}; not used", id, DISABLED_KEY);
            return true;
        });
        try {
            List<CallingProviderFactory> found = factories != null ? factories : discover(loader);
            List<String> problems = new ArrayList<>();
            unknownDisabled(config, byHand, found).ifPresent(problems::add);
            problems.addAll(unreadProviderKeys(config, byHand, found));
            for (Map.Entry<String, List<CallingProviderFactory>> e : byId(found).entrySet()) {
                startDiscovered(e.getKey(), e.getValue(), config, contextFor, active, problems);
            }
            for (CallingProvider p : active.values()) {
                try {
                    categories.put(p.id(), ConfiguredCategories.of(p, config));
                } catch (ConfigurationException e) {
                    problems.addAll(e.problems());
                }
            }
            if (!problems.isEmpty()) throw new ConfigurationException("provider configuration", problems);
            dropSimulatedBesideReal(active, byHand, config);
            categories.keySet().retainAll(active.keySet());
        } catch (RuntimeException e) {
            active.values().forEach(ProviderRegistry::closeQuietly);
            throw e;
        }
        ProviderRegistry registry = new ProviderRegistry(active, Map.copyOf(categories));
        log.info("active calling providers: {}", registry.summary());
        return registry;
    }

    /** Creates the provider of one discovered id into {@code active}, or records why it cannot start. */
    private static void startDiscovered(String id, List<CallingProviderFactory> candidates, ProviderConfig config,
                                        Function<String, ProviderContext> contextFor,
                                        Map<String, CallingProvider> active, List<String> problems) {
        if (active.containsKey(id)) {
            log.info("provider '{}' registered explicitly; its discovered factory is not used", id);
            return;
        }
        if (csv(config.get(DISABLED_KEY).orElse("")).contains(id)) {
            log.info("provider '{}' is disabled by {}", id, DISABLED_KEY);
            return;
        }
        Optional<CallingProviderFactory> chosen = choose(id, candidates, config, problems);
        if (chosen.isEmpty()) return;
        CallingProviderFactory f = chosen.get();
        if (f.spiVersion() != CallingProviderFactory.SPI_VERSION) {
            problems.add("provider '" + id + "' (" + f.getClass().getName() + ") was built for SPI version "
                    + f.spiVersion() + " but this SDK speaks version " + CallingProviderFactory.SPI_VERSION
                    + ": use a release of that provider built for this SDK version");
            return;
        }
        CallingProvider provider;
        try {
            if (!f.isConfigured(config)) {
                log.info("provider '{}' found but not configured; inactive", id);
                return;
            }
            provider = f.create(config, contextFor.apply(id));
        } catch (ConfigurationException e) {
            problems.add("provider '" + id + "' is configured in part or wrongly (complete its settings, or list it in "
                    + "calling.providers.disabled): " + String.join("; ", e.problems()));
            return;
        }
        if (!provider.id().equals(id)) {
            problems.add("factory " + f.getClass().getName() + " has id '" + id + "' but created a provider with id '"
                    + provider.id() + "'");
            closeQuietly(provider);
            return;
        }
        active.put(id, provider);
    }

    /**
     * A disabled id that names no provider, registered or found: a misspelt one would leave active the provider it
     * meant to turn off.
     */
    private static Optional<String> unknownDisabled(ProviderConfig config, Set<String> byHand,
                                                    List<CallingProviderFactory> found) {
        Set<String> known = new TreeSet<>(byHand);
        found.forEach(f -> known.add(f.id()));
        List<String> unknown = csv(config.get(DISABLED_KEY).orElse("")).stream()
                .filter(id -> !known.contains(id)).sorted().toList();
        if (unknown.isEmpty()) return Optional.empty();
        return Optional.of(DISABLED_KEY + " names no provider: " + unknown.stream().map(id -> "'" + id + "'")
                .collect(Collectors.joining(", ")) + " (the providers are: "
                + (known.isEmpty() ? "none" : String.join(", ", known)) + ")");
    }

    /**
     * The {@code calling.providers.*} keys the source holds that nothing reads: under an id that names no provider,
     * or a setting no provider has. Otherwise a misspelt id or setting would leave, say, the provider it meant
     * unpaced. Names are compared as Spring compares them, without case, '-', '_' or '.', so that environment
     * variables ({@code CALLING_PROVIDERS_AWS_CONNECT_PACE_BURST}) and relaxed forms match.
     */
    private static List<String> unreadProviderKeys(ProviderConfig config, Set<String> byHand,
                                                   List<CallingProviderFactory> found) {
        Set<String> known = new TreeSet<>(byHand);
        found.forEach(f -> known.add(f.id()));
        Set<String> read = new HashSet<>();
        known.forEach(id -> PROVIDER_SETTINGS.forEach(s -> read.add(comparable(PROVIDERS_PREFIX + id + "." + s))));
        List<String> problems = new ArrayList<>();
        for (String name : new TreeSet<>(config.names())) {
            String dotted = name.toLowerCase(Locale.ROOT).replace('_', '.').replace('[', '.').replace("]", "");
            // the disabled list, also as a YAML list's items: calling.providers.disabled[0], CALLING_PROVIDERS_DISABLED_0
            if (!dotted.startsWith(PROVIDERS_PREFIX) || DISABLED_ITEM.matcher(dotted).matches()
                    || config.get(name).isEmpty() || read.contains(comparable(name))) {
                continue;
            }
            String rest = dotted.substring(PROVIDERS_PREFIX.length());
            Optional<String> provider = providerOf(rest, known);
            if (provider.isPresent()) {
                problems.add(name + " is not a setting of provider '" + provider.get() + "' (its settings under "
                        + PROVIDERS_PREFIX + provider.get() + ". are: " + String.join(", ", PROVIDER_SETTINGS) + ")");
            } else {
                String id = rest.split("\\.", 2)[0];
                problems.add(name + " names no provider: '" + id + "' (the providers are: "
                        + (known.isEmpty() ? "none" : String.join(", ", known)) + ")");
            }
        }
        return problems;
    }

    /** The known id the first segments of {@code rest} spell ({@code aws.connect.pace.burst} → aws-connect). */
    private static Optional<String> providerOf(String rest, Set<String> known) {
        StringBuilder leading = new StringBuilder();
        for (String segment : rest.split("\\.")) {
            leading.append(comparable(segment));
            Optional<String> id = known.stream().filter(k -> comparable(k).contentEquals(leading)).findFirst();
            if (id.isPresent()) return id;
        }
        return Optional.empty();
    }

    /** A key as Spring's relaxed binding compares it: {@code calling.providers.aws-connect.pace.burst} → callingprovidersawsconnectpaceburst. */
    private static String comparable(String key) {
        return key.toLowerCase(Locale.ROOT).replaceAll("[-_.\\[\\]]", "");
    }

    /** A simulated provider must never stand in for a real one: beside real providers it stays off unless asked for. */
    private static void dropSimulatedBesideReal(Map<String, CallingProvider> active, Set<String> byHand,
                                                ProviderConfig config) {
        List<String> real = active.values().stream().filter(p -> !simulated(p)).map(CallingProvider::id).toList();
        if (real.isEmpty()) return;
        for (Iterator<CallingProvider> it = active.values().iterator(); it.hasNext(); ) {
            CallingProvider p = it.next();
            if (!simulated(p) || byHand.contains(p.id())) continue;
            String switchKey = p.id() + ".enabled";
            if (config.getBoolean(switchKey, false)) { // strict: a mistyped switch is an error, not "off"
                log.warn("provider '{}' is simulated and kept beside real providers {} because {}=true: it serves only "
                        + "the categories no real provider serves", p.id(), real, switchKey);
                continue;
            }
            log.info("provider '{}' is simulated and real providers {} are active: left inactive (set {}=true to keep it "
                    + "for the categories they do not serve)", p.id(), real, switchKey);
            it.remove();
            closeQuietly(p);
        }
    }

    private static boolean simulated(CallingProvider p) {
        return p.capabilities().simulated();
    }

    /** The active ids as the start-up log shows them, each simulated one marked so: {@code webhook, sandbox (simulated...)}. */
    String summary() {
        if (active.isEmpty()) return "none";
        return active.values().stream()
                .map(p -> simulated(p) ? p.id() + " (simulated: no real call is placed)" : p.id())
                .collect(Collectors.joining(", "));
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

    /**
     * The categories an active provider serves: those {@code <id>.categories} sets, else its own.
     *
     * @throws IllegalArgumentException naming the provider when this registry does not hold it
     */
    public Set<CallCategory> categories(CallingProvider provider) {
        Set<CallCategory> served = categories.get(Objects.requireNonNull(provider, "provider").id());
        if (served == null || active.get(provider.id()) != provider) {
            throw new IllegalArgumentException("provider '" + provider.id() + "' is not an active provider of this manager");
        }
        return served;
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
